"""Hdir's aggregates in the log: what is published, issued, paid and locked.

Each keeps its events' contract payloads (shared/events/hdir.py) in `hendelse`, like the
vedtak aggregate, so the projector reads every event the same way. Versions come from the
aggregate's own sequence, so two concurrent publications can never share a version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from shared.lagring.logg import aggregat_id


class _Hdiraggregat(Aggregate):
    class Opprettet(Aggregate.Created):
        nokkel: str

    class Hendelse(Aggregate.Event):
        hendelse: dict[str, Any]

    def __init__(self, nokkel: str) -> None:
        self.nokkel = nokkel
        self.historikk: list[dict[str, Any]] = []

    @staticmethod
    def create_id(nokkel: str) -> UUID:
        return aggregat_id("hdir", nokkel)

    def _registrer(
        self, klasse: type[Hendelse], hendelse: dict[str, Any], tidspunkt: datetime | None = None
    ) -> None:
        self.trigger_event(klasse, hendelse=hendelse, timestamp=tidspunkt)


class Satstabell(_Hdiraggregat):
    """One year's price table; each publication is a new version (regelverk 3)."""

    class Publisert(_Hdiraggregat.Hendelse):
        def apply(self, tabell: Satstabell) -> None:
            tabell.historikk.append(self.hendelse)

    @staticmethod
    def nokkel_for(aar: int) -> str:
        return f"satser/{aar}"

    @property
    def neste_versjon(self) -> int:
        return len(self.historikk) + 1

    def publiser(self, hendelse: dict[str, Any]) -> None:
        self._registrer(self.Publisert, hendelse)


class Grunnlag(_Hdiraggregat):
    """A municipality's finansieringsgrunnlag for one year; re-publication is a new version."""

    class Publisert(_Hdiraggregat.Hendelse):
        def apply(self, grunnlag: Grunnlag) -> None:
            grunnlag.historikk.append(self.hendelse)

    @staticmethod
    def nokkel_for(kommunenummer: str, aar: int) -> str:
        return f"grunnlag/{kommunenummer}/{aar}"

    @property
    def neste_versjon(self) -> int:
        return len(self.historikk) + 1

    def publiser(self, hendelse: dict[str, Any]) -> None:
        self._registrer(self.Publisert, hendelse)


class Kvartalsoppgjor(_Hdiraggregat):
    """The issued versions of one municipality-quarter (regelverk 4.6): append-only."""

    class Utstedt(_Hdiraggregat.Hendelse):
        def apply(self, oppgjor: Kvartalsoppgjor) -> None:
            oppgjor.historikk.append(self.hendelse)

    @staticmethod
    def nokkel_for(kommunenummer: str, aar: int, kvartal: int) -> str:
        return f"oppgjor/{kommunenummer}/{aar}/{kvartal}"

    @property
    def siste(self) -> dict[str, Any] | None:
        return self.historikk[-1] if self.historikk else None

    def utsted(self, hendelse: dict[str, Any], tidspunkt: datetime) -> None:
        """`tidspunkt` is both the recorded time and the document's `utstedt`."""
        self._registrer(self.Utstedt, hendelse, tidspunkt)


class Utbetalinger(_Hdiraggregat):
    """Payments to one municipality."""

    class Registrert(_Hdiraggregat.Hendelse):
        def apply(self, utbetalinger: Utbetalinger) -> None:
            utbetalinger.historikk.append(self.hendelse)

    @staticmethod
    def nokkel_for(kommunenummer: str) -> str:
        return f"utbetalinger/{kommunenummer}"

    def registrer(self, hendelse: dict[str, Any]) -> None:
        self._registrer(self.Registrert, hendelse)


class Aarslas(_Hdiraggregat):
    """Whether a municipality's year is locked after the annual accounts (regelverk 4.7)."""

    class Last(_Hdiraggregat.Hendelse):
        def apply(self, las: Aarslas) -> None:
            las.historikk.append(self.hendelse)

    class Gjenapnet(_Hdiraggregat.Hendelse):
        def apply(self, las: Aarslas) -> None:
            las.historikk.append(self.hendelse)

    @staticmethod
    def nokkel_for(kommunenummer: str, aar: int) -> str:
        return f"aarslas/{kommunenummer}/{aar}"

    @property
    def er_last(self) -> bool:
        return bool(self.historikk) and self.historikk[-1]["type"] == "AarLast"

    def las(self, hendelse: dict[str, Any]) -> None:
        self._registrer(self.Last, hendelse)

    def gjenapne(self, hendelse: dict[str, Any]) -> None:
        self._registrer(self.Gjenapnet, hendelse)
