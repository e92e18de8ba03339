"""Hdir's aggregates in the log: what is published, issued, paid and locked.

Each keeps its events' contract payloads (shared/events/hdir.py) in `historikk`, like the
vedtak aggregate, so the projector reads every event the same way. Versions come from the
aggregate's own sequence, so two concurrent publications can never share a version.

Every stored class carries a stable `TOPIC` (shared/emner.py); the instant of each event is
given by the caller (the domain reads no clock).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from shared.emner import emne, registrer_gamle
from shared.identitet import aggregat_id


class Tillagt(Aggregate.Event):
    """One fact appended to an aggregate's history: the one event every Hdir aggregate has.

    Which fact it is (published, issued, paid, locked, reopened) is the payload's `type`;
    the projector and the aggregates read that, never the event class.
    """

    TOPIC = emne("Hdir/Tillagt")
    hendelse: dict[str, Any]

    def apply(self, aggregat: _Hdiraggregat) -> None:
        aggregat.historikk.append(self.hendelse)


register_topic(Tillagt.TOPIC, Tillagt)


class _Hdiraggregat(Aggregate):
    """Common to Hdir's aggregates (never stored itself, so it has no topic)."""

    class Created(Aggregate.Created):
        nokkel: str

    def __init__(self, nokkel: str) -> None:
        self.nokkel = nokkel
        self.historikk: list[dict[str, Any]] = []

    @staticmethod
    def create_id(nokkel: str) -> UUID:
        return aggregat_id("hdir", nokkel)

    def _legg_til(self, hendelse: dict[str, Any], tidspunkt: datetime) -> None:
        self.trigger_event(Tillagt, hendelse=hendelse, timestamp=tidspunkt)


class Satstabell(_Hdiraggregat):
    """One year's price table; each publication is a new version (regelverk 3)."""

    TOPIC = emne("Satstabell")

    class Created(_Hdiraggregat.Created):
        TOPIC = emne("Satstabell/Opprettet")

    @staticmethod
    def nokkel_for(aar: int) -> str:
        return f"satser/{aar}"

    @property
    def neste_versjon(self) -> int:
        return len(self.historikk) + 1

    def publiser(self, hendelse: dict[str, Any], tidspunkt: datetime) -> None:
        self._legg_til(hendelse, tidspunkt)


class Grunnlag(_Hdiraggregat):
    """A municipality's finansieringsgrunnlag for one year; re-publication is a new version."""

    TOPIC = emne("Grunnlag")

    class Created(_Hdiraggregat.Created):
        TOPIC = emne("Grunnlag/Opprettet")

    @staticmethod
    def nokkel_for(kommunenummer: str, aar: int) -> str:
        return f"grunnlag/{kommunenummer}/{aar}"

    @property
    def neste_versjon(self) -> int:
        return len(self.historikk) + 1

    def publiser(self, hendelse: dict[str, Any], tidspunkt: datetime) -> None:
        self._legg_til(hendelse, tidspunkt)


class Kvartalsoppgjor(_Hdiraggregat):
    """The issued versions of one municipality-quarter (regelverk 4.6): append-only."""

    TOPIC = emne("Kvartalsoppgjor")

    class Created(_Hdiraggregat.Created):
        TOPIC = emne("Kvartalsoppgjor/Opprettet")

    @staticmethod
    def nokkel_for(kommunenummer: str, aar: int, kvartal: int) -> str:
        return f"oppgjor/{kommunenummer}/{aar}/{kvartal}"

    @property
    def siste(self) -> dict[str, Any] | None:
        return self.historikk[-1] if self.historikk else None

    def utsted(self, hendelse: dict[str, Any], tidspunkt: datetime) -> None:
        """`tidspunkt` is both the recorded time and the document's `utstedt`."""
        self._legg_til(hendelse, tidspunkt)


class Utbetalinger(_Hdiraggregat):
    """Payments to one municipality."""

    TOPIC = emne("Utbetalinger")

    class Created(_Hdiraggregat.Created):
        TOPIC = emne("Utbetalinger/Opprettet")

    @staticmethod
    def nokkel_for(kommunenummer: str) -> str:
        return f"utbetalinger/{kommunenummer}"

    def registrer(self, hendelse: dict[str, Any], tidspunkt: datetime) -> None:
        self._legg_til(hendelse, tidspunkt)


class Utbetalingsid(_Hdiraggregat):
    """One utbetaling_id, reserved across all municipalities (a repeated id is a 409).

    Payments live per municipality, so their history alone cannot see an id used for
    another. This aggregate has no event but its creation, saved in the same transaction
    as the payment: the log's unique (aggregate, version) keeps the id unique even between
    two concurrent registrations.
    """

    TOPIC = emne("Utbetalingsid")

    class Created(_Hdiraggregat.Created):
        TOPIC = emne("Utbetalingsid/Opprettet")

    @staticmethod
    def nokkel_for(utbetaling_id: str) -> str:
        return f"utbetaling_id/{utbetaling_id}"


class Aarslas(_Hdiraggregat):
    """Whether a municipality's year is locked after the annual accounts (regelverk 4.7)."""

    TOPIC = emne("Aarslas")

    class Created(_Hdiraggregat.Created):
        TOPIC = emne("Aarslas/Opprettet")

    @staticmethod
    def nokkel_for(kommunenummer: str, aar: int) -> str:
        return f"aarslas/{kommunenummer}/{aar}"

    @property
    def er_last(self) -> bool:
        return bool(self.historikk) and self.historikk[-1]["type"] == "AarLast"

    def las(self, hendelse: dict[str, Any], tidspunkt: datetime) -> None:
        self._legg_til(hendelse, tidspunkt)

    def gjenapne(self, hendelse: dict[str, Any], tidspunkt: datetime) -> None:
        self._legg_til(hendelse, tidspunkt)


AGGREGATER: tuple[type[_Hdiraggregat], ...] = (
    Satstabell,
    Grunnlag,
    Kvartalsoppgjor,
    Utbetalinger,
    Aarslas,
)

# Logs written before stable names hold these module paths. The five per-aggregate
# "appended" classes they name were identical, and are now the one `Tillagt`.
_GAMMEL = "services.settlement.domain.aggregater:"
registrer_gamle(
    {
        **{_GAMMEL + a.__name__: a for a in AGGREGATER},
        **{_GAMMEL + f"{a.__name__}.Opprettet": a.Created for a in AGGREGATER},
        _GAMMEL + "Satstabell.Publisert": Tillagt,
        _GAMMEL + "Grunnlag.Publisert": Tillagt,
        _GAMMEL + "Kvartalsoppgjor.Utstedt": Tillagt,
        _GAMMEL + "Utbetalinger.Registrert": Tillagt,
        _GAMMEL + "Aarslas.Last": Tillagt,
        _GAMMEL + "Aarslas.Gjenapnet": Tillagt,
    }
)
