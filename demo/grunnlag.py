"""Hdir's publications for the demo, and the quarter targets the vedtak are grown to.

The report's 2016 figures cover May-December. The settlement pays rundsum and
inntektspåslag per quarter as annual x active_days / (4 x days_in_Q) (regelverk 4.5),
so with startdato 1 May 2016 it pays 61/364 + 1/4 + 1/4 = 243/364 of the annual
amount in 2016. The annual amount published is chosen so that the three rounded
quarters add up to the report's figure: exactly where an øre-precise annual amount
can do it, otherwise one øre off (the quarter roundings can jump over the figure).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from demo import kalender, kilder
from demo.kalender import PERIODER, STARTDATO, Kvartal
from services.settlement.domain.kvartal import dager_i_kvartal
from services.settlement.domain.rundsum import aktive_dager, kvartalsandel

ORE = Decimal("0.01")
# 2016 grows towards the 2017 level: daily amount per quarter relative to Q1 2017,
# scaled so that May-December adds up to the report's 2016 vedtakstilskudd.
VEKST_2016 = {2: Fraction(55, 100), 3: Fraction(67, 100), 4: Fraction(83, 100)}


def _kr(verdi: Fraction) -> Decimal:
    return (Decimal(verdi.numerator) / Decimal(verdi.denominator)).quantize(ORE, ROUND_HALF_UP)


def kvartalsbelop(aarlig: Decimal, kv: Kvartal, startdato: date | None) -> Decimal:
    """The quarter's share of an annual amount, as the product pays it (regelverk 4.5)."""
    return kvartalsandel(aarlig, kv.aar, kv.nr, startdato)


def aarsbelop_2016(mai_til_des: Decimal) -> Decimal:
    """The annual amount whose 2016 quarters (from 1 May) come closest to `mai_til_des`."""
    kvartaler = [kv for kv in PERIODER if kv.aar == 2016]

    def utbetalt(aarlig: Decimal) -> Decimal:
        return sum((kvartalsbelop(aarlig, kv, STARTDATO) for kv in kvartaler), Decimal(0))

    # The share of the annual amount the year pays, from the product's own rule 4.5 terms.
    andel = sum(
        (
            Fraction(aktive_dager(kv.aar, kv.nr, STARTDATO), 4 * dager_i_kvartal(kv.aar, kv.nr))
            for kv in kvartaler
        ),
        Fraction(0),
    )
    start = _kr(Fraction(mai_til_des) / andel)
    # Each øre on the annual amount moves the sum by 0, 1 or 2 øre: search nearby.
    naermest = start
    for steg in range(200):
        for fortegn in (1, -1):
            kandidat = start + fortegn * steg * ORE
            if utbetalt(kandidat) == mai_til_des:
                return kandidat
            if abs(utbetalt(kandidat) - mai_til_des) < abs(utbetalt(naermest) - mai_til_des):
                naermest = kandidat
    return naermest


def grunnlag_body(kommunenummer: str, aar: int) -> dict[str, Any]:
    """PUT /v1/kommuner/{knr}/grunnlag/{aar}: full-year amounts as published (3.2)."""
    p = kilder.publiserte_aar()[(kommunenummer, aar)]
    if aar == 2016:
        body: dict[str, Any] = {
            "uttrekk": str(aarsbelop_2016(p.uttrekk)),
            "rundsum": str(aarsbelop_2016(p.rundsum)),
            "inntektspaslag": str(aarsbelop_2016(p.inntektspaslag)),
            "startdato": STARTDATO.isoformat(),
        }
    else:
        body = {
            "uttrekk": str(p.uttrekk.quantize(ORE)),
            "rundsum": str(p.rundsum.quantize(ORE)),
            "inntektspaslag": str(p.inntektspaslag.quantize(ORE)),
        }
    return body


def satser_body(aar: int) -> dict[str, Any]:
    """PUT /v1/satser/{aar}: every code with a rate that year (blank cells skipped)."""
    return {
        "satser": [
            {"tjenestekode": kode, "sats": str(sats.quantize(ORE))}
            for kode, sats in kilder.satser()[aar].items()
        ],
        "kilde": f"Helsedirektoratet: nasjonale enhetspriser {aar} "
        "(SINTEF R9272-03, vedlegg tabell V.1)",
    }


def maal(kommunenummer: str) -> dict[tuple[int, str], Decimal]:
    """Vedtakstilskudd target per (slot, gruppe), NOK.

    2017: report table 4.3, moved half-way towards table 3.2: the two tables disagree
    (Hobøl's 4.3 rows add up to 106.2 MNOK, 3.2 says 107.8), so both are met with the
    same margin. 2016: the Q1 2017 daily level per group, scaled down by VEKST_2016 and
    then together so that May-December meets table 3.2 for 2016.
    """
    tabell = kilder.kvartalstall_2017()
    rader = {k: v for k, v in tabell.items() if k[0] == kommunenummer}
    aar_2017 = Fraction(kilder.publiserte_aar()[(kommunenummer, 2017)].vedtakstilskudd)
    mot_aar = (1 + aar_2017 / sum((Fraction(v) for v in rader.values()), Fraction(0))) / 2
    ut: dict[tuple[int, str], Decimal] = {}
    raa: dict[tuple[int, str], Fraction] = {}
    for slot, kv in enumerate(PERIODER):
        for gruppe in kilder.GRUPPER:
            if kv.aar == 2017:
                ut[(slot, gruppe)] = _kr(Fraction(rader[(kommunenummer, gruppe, kv.nr)]) * mot_aar)
            else:
                per_dag = Fraction(tabell[(kommunenummer, gruppe, 1)]) / Kvartal(2017, 1).dager
                dager = kalender.antall_dager(*kalender.telte_dager(kv))
                raa[(slot, gruppe)] = per_dag * VEKST_2016[kv.nr] * dager
    skala = Fraction(kilder.publiserte_aar()[(kommunenummer, 2016)].vedtakstilskudd) / sum(
        raa.values(), Fraction(0)
    )
    for nokkel, verdi in raa.items():
        ut[nokkel] = _kr(verdi * skala)
    return ut
