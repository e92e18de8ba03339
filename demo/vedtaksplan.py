"""One vedtak's whole planned life, and the contract events that tell it.

The simulation edits plans (end them early, add corrections) until the quarters add
up; only the final plan is turned into events. Each event gets a send slot (the
quarter whose batch carries it, or the Q4 correction slot) and a phase, so that a
batch never needs an event that comes later in the same batch:
phase 1 fattet, phase 2 endret / fravær / reports, phase 3 opphørt / annulments.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID, uuid5

from demo import beregning
from demo.kalender import (
    KORREKSJON,
    SLUTTDATO,
    STARTDATO,
    antall_dager,
    maaneder,
    slot_for,
)
from services.settlement.domain.fakta import VedtakHendelse
from services.settlement.domain.vedtakstilstand import Vedtakstilstand

# (slot, phase, business date, type rank, vedtak_id, n): total order within a batch.
Nokkel = tuple[int, int, date, int, str, int]
Hendelse = dict[str, Any]

_RANG = {
    "VedtakFattet": 0,
    "VedtakEndret": 1,
    "FravaerRegistrert": 2,
    "UtfortTidRapportert": 3,
    "FravaerAnnullert": 4,
    "VedtakOpphort": 5,
    "VedtakAnnullert": 6,
}
_FASE = {
    "VedtakFattet": 1,
    "VedtakEndret": 2,
    "FravaerRegistrert": 2,
    "UtfortTidRapportert": 2,
    "FravaerAnnullert": 3,
    "VedtakOpphort": 3,
    "VedtakAnnullert": 3,
}
KVART_TIME = Decimal("0.25")


@dataclass
class Endring:
    gjelder_fra: date
    felter: dict[str, Any]  # JSON-ready: tjenestekode / timer_per_uke / bemanningsfaktor
    slot: int  # KORREKSJON for a correction that reaches back


@dataclass
class Fravaer:
    fravaer_id: str
    fra: date
    til: date
    arsak: str
    annulleres: bool = False  # registered in error, annulled in the same batch


@dataclass(frozen=True)
class Rapportering:
    """How the provider reports delivered time for this vedtak (audit, regelverk 5)."""

    profil: str  # normal | lav | ingen | hull | over
    grad: Decimal  # delivered / decided, before monthly noise
    frø: int


@dataclass
class VedtakPlan:
    kommunenummer: str
    vedtak_id: str
    bruker_ref: str
    gruppe: str
    tjenestekode: str
    gyldig_fra: date
    vedtaksdato: date
    gyldig_til: date | None = None
    timer_per_uke: Decimal | None = None
    bemanningsfaktor: int | None = None  # None: field left out (defaults to 1)
    utforer_id: str | None = None
    siste_dag: date | None = None  # sent as VedtakOpphort
    endringer: list[Endring] = field(default_factory=list)
    fravaer: list[Fravaer] = field(default_factory=list)
    annulleres: tuple[int, str] | None = None  # (slot, begrunnelse)
    sent_registrert: bool = False  # the whole history arrives in the correction slot
    laast: bool = False  # carries a scenario: the calibration must not cut it
    fornyes: bool = False  # a renewal follows when gyldig_til runs out
    rapportering: Rapportering | None = None

    @property
    def slutt(self) -> date | None:
        ender = [d for d in (self.gyldig_til, self.siste_dag) if d is not None]
        return min(ender) if ender else None

    @property
    def fattet_slot(self) -> int:
        return KORREKSJON if self.sent_registrert else slot_for(self.gyldig_fra)

    def _slot(self, d: date) -> int:
        return KORREKSJON if self.sent_registrert else max(self.fattet_slot, slot_for(d))

    def avslutt(self, siste_dag: date) -> None:
        """End early: drop what was planned after the new last day."""
        if self.fattet_slot == slot_for(siste_dag) and self.gyldig_til is not None:
            self.gyldig_til = siste_dag  # not sent yet: decide it shorter instead
            self.siste_dag = None
        else:
            self.siste_dag = siste_dag
        self.endringer = [e for e in self.endringer if e.gjelder_fra <= siste_dag]
        self.fravaer = [
            Fravaer(f.fravaer_id, f.fra, min(f.til, siste_dag), f.arsak, f.annulleres)
            for f in self.fravaer
            if f.fra <= siste_dag
        ]
        self.fornyes = False

    # -- events ---------------------------------------------------------------------

    def _fattet(self, base: Hendelse) -> Hendelse:
        """The VedtakFattet body; optional fields only when planned (absent, not null)."""
        fattet: Hendelse = {
            "type": "VedtakFattet",
            **base,
            "bruker_ref": self.bruker_ref,
            "tjenestekode": self.tjenestekode,
            "gyldig_fra": self.gyldig_fra.isoformat(),
        }
        if self.gyldig_til is not None:
            fattet["gyldig_til"] = self.gyldig_til.isoformat()
        if self.timer_per_uke is not None:
            fattet["timer_per_uke"] = str(self.timer_per_uke)
        if self.bemanningsfaktor is not None:
            fattet["bemanningsfaktor"] = self.bemanningsfaktor
        if self.utforer_id is not None:
            fattet["utforer_id"] = self.utforer_id
        fattet["vedtaksdato"] = self.vedtaksdato.isoformat()
        return fattet

    def _grunnlag(self) -> list[tuple[int, str, date, Hendelse]]:
        """(slot, type, business date, body) for everything but reports and annulment."""
        base = {"kommunenummer": self.kommunenummer, "vedtak_id": self.vedtak_id}
        ut: list[tuple[int, str, date, Hendelse]] = [
            (self.fattet_slot, "fattet", self.gyldig_fra, self._fattet(base))
        ]
        for i, e in enumerate(self.endringer):
            if e.gjelder_fra > SLUTTDATO:
                continue
            body = {"type": "VedtakEndret", **base, "gjelder_fra": e.gjelder_fra.isoformat()}
            slot = KORREKSJON if self.sent_registrert else e.slot
            ut.append((slot, f"endret/{i}", e.gjelder_fra, {**body, **e.felter}))
        for f in self.fravaer:
            if f.fra > SLUTTDATO:
                continue
            slot = self._slot(f.fra)
            ut.append(
                (
                    slot,
                    f"fravaer/{f.fravaer_id}",
                    f.fra,
                    {
                        "type": "FravaerRegistrert",
                        **base,
                        "fravaer_id": f.fravaer_id,
                        "fra": f.fra.isoformat(),
                        "til": f.til.isoformat(),
                        "arsak": f.arsak,
                    },
                )
            )
            if f.annulleres:
                ut.append(
                    (
                        slot,
                        f"fravaer/{f.fravaer_id}/annullert",
                        f.fra,
                        {"type": "FravaerAnnullert", **base, "fravaer_id": f.fravaer_id},
                    )
                )
        if self.siste_dag is not None and self.siste_dag <= SLUTTDATO:
            ut.append(
                (
                    self._slot(self.siste_dag),
                    "opphort",
                    self.siste_dag,
                    {"type": "VedtakOpphort", **base, "siste_dag": self.siste_dag.isoformat()},
                )
            )
        return ut

    def _nokkel(self, slot: int, dato: date, body: Hendelse, n: int) -> Nokkel:
        return (slot, _FASE[body["type"]], dato, _RANG[body["type"]], self.vedtak_id, n)

    def fakta(self) -> list[VedtakHendelse]:
        """The plan's state-shaping events in send order, as the regelverk reads them
        (annulment and reports left out: the simulation asks what the plan pays)."""
        rader = self._grunnlag()
        hs = sorted(
            (self._nokkel(slot, dato, body, n), body)
            for n, (slot, _, dato, body) in enumerate(rader)
        )
        return beregning.som_fakta(h for _, h in hs)

    def tilstand(self) -> Vedtakstilstand | None:
        """The final state as the settlement sees it (annulment ignored here)."""
        return beregning.tilstand(self.fakta())

    def _rapporter(self) -> list[tuple[int, str, date, Hendelse]]:
        r = self.rapportering
        t = self.tilstand()
        if r is None or r.profil == "ingen" or t is None or not t.perioder:
            return []
        rng = random.Random(r.frø)
        fra = max(self.gyldig_fra, STARTDATO)
        til = min(t.siste_dag or SLUTTDATO, SLUTTDATO)
        ut: list[tuple[int, str, date, Hendelse]] = []
        for m_fra, m_til in maaneder(fra, til):
            vedtatt = beregning.volum(t, m_fra, m_til)
            if vedtatt == 0 or (r.profil == "hull" and rng.random() < 0.35):
                continue
            grad = r.grad + Decimal(str(round(rng.uniform(-0.02, 0.02), 3)))
            if r.profil == "normal":
                grad = min(max(grad, Decimal("0.70")), Decimal(1))
            timer = Decimal(vedtatt.numerator) * grad / Decimal(vedtatt.denominator)
            timer = (timer / KVART_TIME).quantize(Decimal(1), ROUND_HALF_UP) * KVART_TIME
            timer = min(timer, Decimal(48 * antall_dager(m_fra, m_til)))
            ut.append(
                (
                    self._slot(m_til),
                    f"rapport/{m_fra.isoformat()}",
                    m_til,
                    {
                        "type": "UtfortTidRapportert",
                        "kommunenummer": self.kommunenummer,
                        "vedtak_id": self.vedtak_id,
                        "periode_fra": m_fra.isoformat(),
                        "periode_til": m_til.isoformat(),
                        "utforte_timer": str(timer),
                    },
                )
            )
        return ut

    def hendelser(self, ns: UUID, *, rapporter: bool = True) -> list[tuple[Nokkel, Hendelse]]:
        """The plan as contract events, each with its sort key and a uuid5 hendelse_id."""
        rader = self._grunnlag()
        if rapporter:
            rader += self._rapporter()
        if self.annulleres is not None:
            slot, begrunnelse = self.annulleres
            rader.append(
                (
                    slot,
                    "annullert",
                    self.gyldig_fra + timedelta(days=1),
                    {
                        "type": "VedtakAnnullert",
                        "kommunenummer": self.kommunenummer,
                        "vedtak_id": self.vedtak_id,
                        "begrunnelse": begrunnelse,
                    },
                )
            )
        ut: list[tuple[Nokkel, Hendelse]] = []
        for n, (slot, merke, dato, body) in enumerate(rader):
            hid = uuid5(ns, f"{self.kommunenummer}/{self.vedtak_id}/{merke}")
            ut.append((self._nokkel(slot, dato, body, n), {"hendelse_id": str(hid), **body}))
        ut.sort(key=lambda r: r[0])
        return ut
