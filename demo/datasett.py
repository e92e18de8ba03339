"""The demo data set: the four trial municipalities, May 2016 - December 2017.

`lag_datasett()` returns the ordered steps a runner executes against the API: publish
rates and funding basis, then per quarter send that quarter's events and issue the
quarter for every municipality, and at the end send the Q4 2017 corrections that reach
back and re-issue the quarters they change (korreksjonsoppgjør).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from demo import beregning, grunnlag, kilder
from demo.kalender import KORREKSJON, PERIODER
from demo.korreksjoner import KROKER
from demo.simulering import Simulering
from demo.steg import (
    PubliserGrunnlag,
    PubliserSatser,
    SendHendelser,
    Steg,
    UtstedKvartal,
)
from demo.vedtaksplan import Hendelse, Nokkel

MAKS_BATCH = 1000  # api.md: at most 1000 hendelser per POST


@dataclass(frozen=True)
class Datasett:
    seed: int
    steg: list[Steg]
    antall_vedtak: dict[str, int]  # per kommunenummer, annulled ones included
    antall_hendelser: dict[str, int]  # per kommunenummer
    hendelser_per_type: dict[str, int]
    korreksjoner: list[tuple[str, int, int]]  # re-issued (kommunenummer, aar, kvartal)
    # What the simulation planned: vedtakstilskudd per (kommunenummer, quarter slot) of the
    # final plans, summed as it calibrated them (the issued figures must be exactly these).
    planlagt: dict[tuple[str, int], Decimal]

    def hendelser(self, *, til_og_med_slot: int = KORREKSJON) -> Iterator[Hendelse]:
        """All events in send order (optionally only up to a slot, e.g. before Q4 fixes)."""
        for s in self.steg:
            if isinstance(s, SendHendelser) and _slot(s.periode) <= til_og_med_slot:
                yield from s.hendelser

    @property
    def antall_hendelser_totalt(self) -> int:
        return sum(self.antall_hendelser.values())


def _periode(slot: int) -> str:
    return "korreksjon" if slot == KORREKSJON else str(PERIODER[slot])


def _slot(periode: str) -> int:
    return KORREKSJON if periode == "korreksjon" else [str(k) for k in PERIODER].index(periode)


def navnerom(seed: int) -> UUID:
    """The uuid5 namespace of one data set: same seed, same hendelse_id."""
    return uuid5(NAMESPACE_URL, f"https://omsorgsoppgjor.no/demo/datasett/{seed}")


def simuler(kommunenummer: str, seed: int) -> Simulering:
    sim = Simulering(
        kommunenummer=kommunenummer,
        rng=random.Random(f"{seed}/{kommunenummer}"),
        maal=grunnlag.maal(kommunenummer),
        kroker=list(KROKER),
    )
    sim.kjor()
    return sim


def _batcher(kommunenummer: str, slot: int, rader: list[tuple[Nokkel, Hendelse]]) -> list[Steg]:
    ut: list[Steg] = []
    for fase in (1, 2, 3):
        hs = [h for n, h in rader if n[0] == slot and n[1] == fase]
        for i in range(0, len(hs), MAKS_BATCH):
            ut.append(SendHendelser(kommunenummer, _periode(slot), fase, hs[i : i + MAKS_BATCH]))
    return ut


def _korrigerte_kvartaler(
    rader: dict[str, list[tuple[Nokkel, Hendelse]]],
) -> list[tuple[str, int, int]]:
    """The quarters whose vedtak lines the corrections change: exactly those are re-issued.

    Only a vedtak the correction slot sends events for can change, so only those vedtak
    are settled before and after (the product's regelverk decides what changed).
    """
    berort = {
        (knr, h["vedtak_id"]) for knr, rs in rader.items() for n, h in rs if n[0] == KORREKSJON
    }
    rorte = [(n, h) for knr, rs in rader.items() for n, h in rs if (knr, h["vedtak_id"]) in berort]
    foer = beregning.fingeravtrykk(h for n, h in rorte if n[0] < KORREKSJON)
    etter = beregning.fingeravtrykk(h for _, h in rorte)
    return [
        (knr, kv.aar, kv.nr)
        for kv in PERIODER
        for knr in kilder.KOMMUNER
        if foer.get((knr, kv), frozenset()) != etter.get((knr, kv), frozenset())
    ]


def lag_datasett(seed: int = 2017) -> Datasett:
    ns = navnerom(seed)
    steg: list[Steg] = [PubliserSatser(aar, grunnlag.satser_body(aar)) for aar in (2016, 2017)]
    steg += [
        PubliserGrunnlag(knr, aar, grunnlag.grunnlag_body(knr, aar))
        for knr in kilder.KOMMUNER
        for aar in (2016, 2017)
    ]
    rader: dict[str, list[tuple[Nokkel, Hendelse]]] = {}
    antall_vedtak: dict[str, int] = {}
    planlagt: dict[tuple[str, int], Decimal] = {}
    for knr in kilder.KOMMUNER:
        sim = simuler(knr, seed)
        rader[knr] = sorted(
            (r for plan in sim.planer.values() for r in plan.hendelser(ns)), key=lambda r: r[0]
        )
        antall_vedtak[knr] = len(sim.planer)
        for (slot, _), belop in sim.summer.items():
            planlagt[(knr, slot)] = planlagt.get((knr, slot), Decimal(0)) + belop

    for slot, kv in enumerate(PERIODER):
        for knr in kilder.KOMMUNER:
            steg += _batcher(knr, slot, rader[knr])
        steg += [UtstedKvartal(knr, kv.aar, kv.nr) for knr in kilder.KOMMUNER]
    for knr in kilder.KOMMUNER:
        steg += _batcher(knr, KORREKSJON, rader[knr])

    korreksjoner = _korrigerte_kvartaler(rader)
    steg += [UtstedKvartal(knr, aar, nr, korreksjon=True) for knr, aar, nr in korreksjoner]

    alle: list[Hendelse] = [h for knr in kilder.KOMMUNER for _, h in rader[knr]]
    typer: Counter[str] = Counter(str(h["type"]) for h in alle)
    return Datasett(
        seed=seed,
        steg=steg,
        antall_vedtak=antall_vedtak,
        antall_hendelser={knr: len(rader[knr]) for knr in kilder.KOMMUNER},
        hendelser_per_type=dict(sorted(typer.items())),
        korreksjoner=korreksjoner,
        planlagt=planlagt,
    )


def oppsummering(datasett: Datasett) -> dict[str, Any]:
    """A short JSON-ready summary for logs and the runner's report."""
    return {
        "seed": datasett.seed,
        "steg": len(datasett.steg),
        "vedtak": datasett.antall_vedtak,
        "hendelser": datasett.antall_hendelser,
        "hendelser_totalt": datasett.antall_hendelser_totalt,
        "per_type": datasett.hendelser_per_type,
        "korreksjonsoppgjor": [f"{k} {a}-K{n}" for k, a, n in datasett.korreksjoner],
    }
