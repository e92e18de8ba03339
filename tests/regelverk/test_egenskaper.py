"""Property tests: the segment implementation against a day-by-day reference, order
independence of different vedtak, and totals that add up (regelverk 4, 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.settlement.domain.avrunding import sum_belop
from services.settlement.domain.beregning import Kvartalsberegning, beregn_kvartal
from services.settlement.domain.fakta import Finansieringsgrunnlag, Kilde, Satstabell
from services.settlement.domain.revisjon import Revisjonsrapport, vedtatt_utfort

from . import referanse
from .fabrikk import Logg, grunnlag, kilde

KODER = ("HTAMDK", "PBAMDK", "HTAMN", "LOKO", "UK")
TIMEKODER = {"HTAMDK", "PBAMDK", "HTAMN"}

Op = tuple[str, dict[str, Any]]

innstillinger = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@dataclass
class Scenario:
    aar: int
    kvartal: int
    skript: list[list[Op]]  # per vedtak, its events in their own order
    satstabell: Satstabell | None
    grunnlag: Finansieringsgrunnlag | None

    def logg(self, rekkefolge: list[int] | None = None) -> Logg:
        """Events in log order; `rekkefolge` interleaves vedtak (each keeps its order)."""
        if rekkefolge is None:
            rekkefolge = [i for i, ops in enumerate(self.skript) for _ in ops]
        neste = [0] * len(self.skript)
        logg = Logg()
        for i in rekkefolge:
            navn, felt = self.skript[i][neste[i]]
            neste[i] += 1
            getattr(logg, navn)(f"V{i:02d}", **felt)
        return logg


timer = st.decimals(min_value=Decimal("0.25"), max_value=Decimal("168"), places=2)


def periode(lo: date, hi: date, maks_dager: int) -> st.SearchStrategy[tuple[date, date]]:
    return st.dates(lo, hi).flatmap(
        lambda fra: st.tuples(
            st.just(fra), st.dates(fra, min(hi, fra + timedelta(days=maks_dager)))
        )
    )


def _endring(draw: st.DrawFn, dato: st.SearchStrategy[date]) -> dict[str, Any]:
    """An endret naming some of the three fields (drawn in this order, each maybe)."""
    endring: dict[str, Any] = {"gjelder_fra": draw(dato)}
    if draw(st.booleans()):
        endring["tjenestekode"] = draw(st.sampled_from(KODER))
    if draw(st.booleans()):
        endring["timer_per_uke"] = draw(timer)
    if draw(st.booleans()):
        endring["bemanningsfaktor"] = draw(st.sampled_from([1, 2]))
    return endring


@st.composite
def vedtak_skript(draw: st.DrawFn, lo: date, hi: date) -> list[Op]:
    dato = st.dates(lo, hi)
    kode = draw(st.sampled_from(KODER))
    gyldig_fra = draw(dato)
    felt: dict[str, Any] = {
        "tjenestekode": kode,
        "gyldig_fra": gyldig_fra,
        "gyldig_til": draw(st.none() | st.dates(gyldig_fra, hi)),
    }
    if kode in TIMEKODER:
        felt["timer_per_uke"] = draw(timer)
        felt["bemanningsfaktor"] = draw(st.sampled_from([None, 1, 2]))
    ops: list[Op] = [("fattet", felt)]
    fravaer_ider = ["F1", "F2", "F3"]
    # A few shared, overlapping ranges make repeated report periods and overlapping
    # fravær likely; random ranges cover the rest.
    midt = lo + (hi - lo) / 2
    faste = [
        (midt - timedelta(days=10), midt + timedelta(days=5)),
        (midt, midt + timedelta(days=20)),
        (lo + timedelta(days=30), midt),
    ]
    for _ in range(draw(st.integers(0, 9))):
        hva = draw(
            st.sampled_from(
                [
                    "endret",
                    "endret",
                    "opphort",
                    "fravaer",
                    "fravaer",
                    "fravaer_annullert",
                    "utfort",
                    "utfort",
                ]
            )
        )
        if hva == "endret":
            ops.append(("endret", _endring(draw, dato)))
        elif hva == "opphort":
            ops.append(("opphort", {"siste_dag": draw(dato)}))
        elif hva == "fravaer":
            fra, til = draw(st.sampled_from(faste) | periode(lo, hi, 40))
            ops.append(
                (
                    "fravaer",
                    {"fravaer_id": draw(st.sampled_from(fravaer_ider)), "fra": fra, "til": til},
                )
            )
        elif hva == "fravaer_annullert":
            ops.append(("fravaer_annullert", {"fravaer_id": draw(st.sampled_from(fravaer_ider))}))
        else:
            fra, til = draw(st.sampled_from(faste) | periode(lo, hi, 100))
            ops.append(
                (
                    "utfort",
                    {
                        "periode_fra": fra,
                        "periode_til": til,
                        "utforte_timer": draw(st.decimals(0, 500, places=2)),
                    },
                )
            )
    if draw(st.integers(0, 9)) == 0:
        ops.append(("annullert", {}))
    return ops


@st.composite
def scenarier(draw: st.DrawFn, maks_vedtak: int = 6) -> Scenario:
    aar = draw(st.integers(2016, 2018))
    k = draw(st.integers(1, 4))
    q_fra, q_til = referanse.kvartal(aar, k)
    lo = max(date(2016, 1, 1), q_fra - timedelta(days=30))
    hi = min(date(2018, 12, 31), q_til + timedelta(days=30))
    skript = draw(st.lists(vedtak_skript(lo, hi), min_size=1, max_size=maks_vedtak))
    satser = draw(
        st.none()
        | st.dictionaries(st.sampled_from(KODER), st.decimals(1, 5000, places=2), max_size=5)
    )
    tabell = None if satser is None else Satstabell(aar, 1, satser, kilde(0, "SatserPublisert"))
    belop = st.decimals(0, 10**9, places=2).map(str)
    g = draw(
        st.none()
        | st.builds(
            grunnlag,
            aar=st.just(aar),
            uttrekk=belop,
            rundsum=belop,
            inntektspaslag=belop,
            startdato=st.none() | st.dates(q_fra - timedelta(days=20), q_til + timedelta(days=20)),
        )
    )
    return Scenario(aar, k, skript, tabell, g)


def beregn(s: Scenario, logg: Logg) -> Kvartalsberegning:
    return beregn_kvartal("0138", s.aar, s.kvartal, logg.hendelser, s.satstabell, s.grunnlag)


def revider(s: Scenario, logg: Logg) -> Revisjonsrapport[tuple[Kilde, ...]]:
    return vedtatt_utfort("0138", s.aar, s.kvartal, logg.hendelser)


def tall(b: Kvartalsberegning) -> dict[str, Any]:
    """Every figure of a settlement, without the log positions behind them."""
    return {
        "komponenter": (
            b.vedtakstilskudd,
            b.rundsumtilskudd,
            b.inntektspaslag,
            b.sum,
            b.uttrekk,
            b.differanse,
        ),
        "linjer": [
            (lj.tjenestekode, lj.volum, lj.sats, lj.belop, lj.antall_vedtak, lj.mangler_sats)
            for lj in b.linjer
        ],
        "vedtak": [
            (
                v.vedtak_id,
                v.tjenestekode,
                v.volum,
                v.belop,
                [(s.fra, s.til, s.dager, s.volum) for s in v.segmenter],
            )
            for v in b.vedtakslinjer
        ],
        "advarsler": b.advarsler,
    }


def revisjonstall(r: Revisjonsrapport[tuple[Kilde, ...]]) -> Any:
    return (
        [
            (x.vedtak_id, x.tjenestekode, x.vedtatte_timer, x.utforte_timer, x.andel, x.flagg)
            for x in r.vedtak
        ],
        r.tjenester,
    )


@innstillinger
@given(scenarier())
def test_segments_agree_with_day_by_day_reference(s: Scenario) -> None:
    logg = s.logg()
    b = beregn(s, logg)
    ref = referanse.oppgjor(
        s.aar, s.kvartal, logg.hendelser, s.satstabell.satser if s.satstabell else None, s.grunnlag
    )
    faktisk = {
        (v.vedtak_id, v.tjenestekode): (v.volum, Fraction(v.belop), v.mangler_sats)
        for v in b.vedtakslinjer
    }
    assert faktisk == ref["linjer"]
    for felt in (
        "vedtakstilskudd",
        "rundsumtilskudd",
        "inntektspaslag",
        "uttrekk",
        "sum",
        "differanse",
    ):
        assert Fraction(getattr(b, felt)) == ref[felt], felt


@innstillinger
@given(scenarier())
def test_audit_agrees_with_day_by_day_reference(s: Scenario) -> None:
    logg = s.logg()
    rapport = revider(s, logg)
    ref = referanse.revisjon(s.aar, s.kvartal, logg.hendelser, Fraction(9, 10))
    faktisk = {
        r.vedtak_id: (r.tjenestekode, r.vedtatte_timer, r.utforte_timer, r.andel, r.flagg)
        for r in rapport.vedtak
    }
    assert faktisk == ref


@innstillinger
@given(st.data())
def test_interleaving_of_independent_vedtak_changes_no_figure(data: st.DataObject) -> None:
    s = data.draw(scenarier())
    etiketter = [i for i, ops in enumerate(s.skript) for _ in ops]
    rekkefolge = data.draw(st.permutations(etiketter))
    a, b = s.logg(), s.logg(list(rekkefolge))
    assert tall(beregn(s, a)) == tall(beregn(s, b))
    assert revisjonstall(revider(s, a)) == revisjonstall(revider(s, b))


@innstillinger
@given(scenarier())
def test_lines_add_up_to_the_totals(s: Scenario) -> None:
    b = beregn(s, s.logg())
    assert b.vedtakstilskudd == sum_belop(v.belop for v in b.vedtakslinjer)
    assert [lj.tjenestekode for lj in b.linjer] == sorted({lj.tjenestekode for lj in b.linjer})
    for linje in b.linjer:
        assert linje.belop == sum_belop(v.belop for v in linje.vedtak)
        assert linje.volum == sum((v.volum for v in linje.vedtak), Fraction(0))
        assert linje.antall_vedtak == len(linje.vedtak) > 0
        assert [v.vedtak_id for v in linje.vedtak] == sorted(v.vedtak_id for v in linje.vedtak)
        for v in linje.vedtak:
            assert v.volum > 0
            assert v.volum == sum((seg.volum for seg in v.segmenter), Fraction(0))
            assert v.belop.as_tuple().exponent == -2
            if not v.mangler_sats:
                assert v.sats is not None
                assert abs(Fraction(v.belop) - v.volum * Fraction(v.sats)) <= Fraction(1, 200)
    assert b.sum == b.vedtakstilskudd + b.rundsumtilskudd + b.inntektspaslag
    assert b.differanse == b.vedtakstilskudd + b.rundsumtilskudd - b.uttrekk
    assert {a.tjenestekode for a in b.advarsler if a.kode == "mangler_sats"} == {
        lj.tjenestekode for lj in b.linjer if lj.mangler_sats
    }


@innstillinger
@given(scenarier())
def test_audit_totals_group_the_rows(s: Scenario) -> None:
    rapport = revider(s, s.logg())
    koder = sorted({r.tjenestekode for r in rapport.vedtak})
    assert [t.tjenestekode for t in rapport.tjenester] == koder
    for t in rapport.tjenester:
        rader = [r for r in rapport.vedtak if r.tjenestekode == t.tjenestekode]
        assert t.vedtatte_timer == sum((r.vedtatte_timer for r in rader), Fraction(0))
        assert t.utforte_timer == sum((r.utforte_timer for r in rader), Fraction(0))
        assert t.andel == (None if t.vedtatte_timer == 0 else t.utforte_timer / t.vedtatte_timer)
