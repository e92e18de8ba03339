"""The vedtak service's eventsourcing Application: it writes vedtak aggregates to the log."""

from __future__ import annotations

from shared.lagring.logg import Loggapplikasjon


class VedtakApplikasjon(Loggapplikasjon):
    """Holds the Vedtak aggregates; shares the log with the settlement service."""
