"""One aggregate per vedtak: its history of case-system events (regelverk 3).

Each event keeps the case system's hendelse exactly as received (the contract payload,
JSON form). The aggregate keeps only what validation needs; the settlement reads the
full history from the log. Every stored class carries a stable `TOPIC` (shared/emner.py),
and every event's instant is given by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from shared.emner import emne, registrer_gamle
from shared.identitet import aggregat_id


@dataclass
class Forlop:
    """A value that changes from given dates onward: [(fra, verdi)], sorted by fra."""

    punkter: list[tuple[date, Any]] = field(default_factory=list)

    def sett_fra(self, fra: date, verdi: Any) -> None:
        # regelverk 4.1: "replaces the named values from its gjelder_fra onward".
        self.punkter = [(d, v) for d, v in self.punkter if d < fra]
        self.punkter.append((fra, verdi))

    def paa(self, dag: date) -> Any:
        verdi = None
        for fra, v in self.punkter:
            if fra <= dag:
                verdi = v
        return verdi

    def fra_og_med(self, dag: date) -> list[Any]:
        """Every value in force on some day >= dag."""
        return [self.paa(dag)] + [v for d, v in self.punkter if d > dag]


@lru_cache(maxsize=65536)
def vedtak_aggregat_id(kommunenummer: str, vedtak_id: str) -> UUID:
    # Asked for every event received, and a vedtak receives one report a month: uuid5 (a
    # SHA-1 and a UUID object) took a fifteenth of ingestion. A UUID is immutable, so the
    # vedtak's events share one.
    return aggregat_id("vedtak", kommunenummer, vedtak_id)


class Vedtak(Aggregate):
    """A vedtak's life: fattet, endret, opphørt, annullert, fravær and utført tid."""

    TOPIC = emne("Vedtak")

    class Created(Aggregate.Created):
        """Never stored (a vedtak begins with Fattet). With a TOPIC on the aggregate, the
        library asks every event class on it to carry one, this inherited one too."""

        TOPIC = emne("Vedtak/Created")

    class Hendelse(Aggregate.Event):
        """The base of the events after Fattet (never stored itself)."""

        TOPIC = emne("Vedtak/Hendelse")
        hendelse: dict[str, Any]

    class Fattet(Aggregate.Created):
        TOPIC = emne("Vedtak/Fattet")
        hendelse: dict[str, Any]
        # v1 came from case systems that could not record 2:1 staffing; v2 always carries
        # an explicit bemanningsfaktor (regelverk 3: "1 or 2 ..., default 1").
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            hendelse = dict(state["hendelse"])
            if "bemanningsfaktor" not in hendelse:
                time_kode = hendelse.get("timer_per_uke") is not None
                hendelse["bemanningsfaktor"] = 1 if time_kode else None
            state["hendelse"] = hendelse

    class Endret(Hendelse):
        TOPIC = emne("Vedtak/Endret")

        def apply(self, vedtak: Vedtak) -> None:
            if self.hendelse.get("tjenestekode"):
                fra = date.fromisoformat(self.hendelse["gjelder_fra"])
                vedtak.tjenestekode.sett_fra(fra, self.hendelse["tjenestekode"])

    class Opphort(Hendelse):
        TOPIC = emne("Vedtak/Opphort")

        def apply(self, vedtak: Vedtak) -> None:
            vedtak.siste_dag = date.fromisoformat(self.hendelse["siste_dag"])

    class Annullert(Hendelse):
        TOPIC = emne("Vedtak/Annullert")

        def apply(self, vedtak: Vedtak) -> None:
            vedtak.annullert = True

    class FravaerRegistrert(Hendelse):
        TOPIC = emne("Vedtak/FravaerRegistrert")

        def apply(self, vedtak: Vedtak) -> None:
            h = self.hendelse
            periode = (date.fromisoformat(h["fra"]), date.fromisoformat(h["til"]))
            vedtak.fravaer[h["fravaer_id"]] = periode

    class FravaerAnnullert(Hendelse):
        TOPIC = emne("Vedtak/FravaerAnnullert")

        def apply(self, vedtak: Vedtak) -> None:
            vedtak.fravaer.pop(self.hendelse["fravaer_id"], None)

    class UtfortTidRapportert(Hendelse):
        """Reports change no state that validation needs."""

        TOPIC = emne("Vedtak/UtfortTidRapportert")

    @staticmethod
    def create_id(hendelse: dict[str, Any]) -> UUID:
        return vedtak_aggregat_id(hendelse["kommunenummer"], hendelse["vedtak_id"])

    def __init__(self, hendelse: dict[str, Any]) -> None:
        self.kommunenummer: str = hendelse["kommunenummer"]
        self.vedtak_id: str = hendelse["vedtak_id"]
        self.gyldig_fra = date.fromisoformat(hendelse["gyldig_fra"])
        til = hendelse.get("gyldig_til")
        self.siste_dag: date | None = date.fromisoformat(til) if til else None
        self.tjenestekode = Forlop()
        self.tjenestekode.sett_fra(self.gyldig_fra, hendelse["tjenestekode"])
        self.annullert = False
        self.fravaer: dict[str, tuple[date, date]] = {}

    @classmethod
    def fatt(cls, hendelse: dict[str, Any], tidspunkt: datetime) -> Vedtak:
        return cls._create(cls.Fattet, hendelse=hendelse, timestamp=tidspunkt)

    def registrer(self, hendelse: dict[str, Any], tidspunkt: datetime) -> None:
        """Append any event but fattet; `type` picks the event class."""
        klasse = _KLASSER[hendelse["type"]]
        self.trigger_event(klasse, hendelse=hendelse, timestamp=tidspunkt)

    def er_i_kraft(self, dag: date) -> bool:
        return self.gyldig_fra <= dag and (self.siste_dag is None or dag <= self.siste_dag)


_KLASSER: dict[str, type[Vedtak.Hendelse]] = {
    "VedtakEndret": Vedtak.Endret,
    "VedtakOpphort": Vedtak.Opphort,
    "VedtakAnnullert": Vedtak.Annullert,
    "FravaerRegistrert": Vedtak.FravaerRegistrert,
    "FravaerAnnullert": Vedtak.FravaerAnnullert,
    "UtfortTidRapportert": Vedtak.UtfortTidRapportert,
}

# Logs written before stable names hold these module paths.
_GAMMEL = "services.vedtak.domain.vedtak:Vedtak"
registrer_gamle(
    {
        _GAMMEL: Vedtak,
        _GAMMEL + ".Fattet": Vedtak.Fattet,
        **{f"{_GAMMEL}.{klasse.__name__}": klasse for klasse in _KLASSER.values()},
    }
)
