"""Audit view vedtatt vs utført (regelverk 5)."""

from decimal import Decimal
from fractions import Fraction

from services.settlement.domain.avrunding import vis_andel
from services.settlement.domain.fakta import Kilde
from services.settlement.domain.revisjon import (
    INGEN_RAPPORT,
    OVER_VEDTAK,
    UNDER_TERSKEL,
    Revisjonsrad,
    Revisjonsrapport,
    vedtatt_utfort,
)

from .fabrikk import Logg


def revisjon(
    logg: Logg, aar: int = 2017, kvartal: int = 1, terskel: Decimal = Decimal("0.90")
) -> Revisjonsrapport[tuple[Kilde, ...]]:
    return vedtatt_utfort("0138", aar, kvartal, logg.hendelser, terskel)


def rad(logg: Logg, terskel: Decimal = Decimal("0.90")) -> Revisjonsrad[tuple[Kilde, ...]]:
    (r,) = revisjon(logg, terskel=terskel).vedtak
    return r


def ett_vedtak(utforte: str | None) -> Logg:
    """7 h/week through Q1 2017: 90 decided hours."""
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2016-12-01", timer_per_uke="7")
    if utforte is not None:
        logg.utfort("V1", "2017-01-01", "2017-03-31", utforte)
    return logg


def test_below_threshold() -> None:
    r = rad(ett_vedtak("80"))
    assert (r.vedtatte_timer, r.utforte_timer, r.andel) == (
        Fraction(90),
        Fraction(80),
        Fraction(8, 9),
    )
    assert vis_andel(r.andel) == "0.8889"
    assert r.flagg == (UNDER_TERSKEL,)


def test_exactly_at_the_limits_is_not_flagged() -> None:
    assert rad(ett_vedtak("81")).flagg == ()  # andel exactly 0.90
    assert rad(ett_vedtak("99")).flagg == ()  # andel exactly 1.10


def test_above_vedtak() -> None:
    r = rad(ett_vedtak("99.01"))
    assert r.flagg == (OVER_VEDTAK,)


def test_threshold_is_chosen_per_request() -> None:
    assert rad(ett_vedtak("80"), terskel=Decimal("0.85")).flagg == ()
    assert rad(ett_vedtak("80"), terskel=Decimal("0.90")).flagg == (UNDER_TERSKEL,)
    assert revisjon(ett_vedtak("80"), terskel=Decimal("0.85")).terskel == Decimal("0.85")


def test_no_report_has_andel_0_and_both_flags() -> None:
    r = rad(ett_vedtak(None))
    assert (r.utforte_timer, r.andel) == (Fraction(0), Fraction(0))
    assert r.flagg == (INGEN_RAPPORT, UNDER_TERSKEL)
    assert r.rapporter == ()


def test_report_of_zero_hours_is_a_report() -> None:
    r = rad(ett_vedtak("0"))
    assert r.flagg == (UNDER_TERSKEL,)


def test_report_across_the_quarter_boundary_is_split_by_days() -> None:
    # 17 Mar - 13 Apr is 28 days, 15 in Q1 and 13 in Q2: 56 h -> 30 h + 26 h.
    logg = ett_vedtak(None)
    rapport = logg.utfort("V1", "2017-03-17", "2017-04-13", "56")
    q1 = rad(logg)
    (q2,) = revisjon(logg, kvartal=2).vedtak
    assert q1.utforte_timer == Fraction(30)
    assert q2.utforte_timer == Fraction(26)
    assert q1.rapporter == q2.rapporter == (rapport.kilde,)
    assert q1.flagg == (UNDER_TERSKEL,)  # a report overlapping the quarter: not ingen_rapport


def test_split_is_exact() -> None:
    logg = ett_vedtak(None)
    logg.utfort("V1", "2017-03-31", "2017-04-02", "10")  # 1 of 3 days in Q1
    assert rad(logg).utforte_timer == Fraction(10, 3)


def test_later_report_for_the_same_period_supersedes() -> None:
    logg = ett_vedtak("80")
    retting = logg.utfort("V1", "2017-01-01", "2017-03-31", "90")
    r = rad(logg)
    assert (r.utforte_timer, r.andel, r.flagg) == (Fraction(90), Fraction(1), ())
    assert r.rapporter == (retting.kilde,)


def test_reports_for_different_periods_add_up() -> None:
    logg = ett_vedtak(None)
    logg.utfort("V1", "2017-01-01", "2017-01-31", "30")
    logg.utfort("V1", "2017-02-01", "2017-02-28", "28")
    logg.utfort("V1", "2017-01-01", "2017-01-31", "31")  # supersedes only January
    logg.utfort("V1", "2016-12-01", "2016-12-31", "31")  # outside the quarter
    r = rad(logg)
    assert r.utforte_timer == Fraction(59)
    assert len(r.rapporter) == 2


def test_decided_time_includes_staffing_and_excludes_fravaer_but_ignores_startdato() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2016-04-01", timer_per_uke="7", bemanningsfaktor=2)
    logg.fravaer("V1", "F1", "2016-04-01", "2016-04-10")
    # Q2 2016 (scheme start 1 May is not applied here): (91 - 10) days x 2 h
    r = rad_for(logg, 2016, 2)
    assert r.vedtatte_timer == Fraction(162)


def rad_for(logg: Logg, aar: int, kvartal: int) -> Revisjonsrad[tuple[Kilde, ...]]:
    (r,) = revisjon(logg, aar, kvartal).vedtak
    return r


def test_absent_whole_quarter_still_shows_with_zero() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.fravaer("V1", "F1", "2016-12-15", "2017-04-15")
    r = rad(logg)
    assert (r.vedtatte_timer, r.andel, r.flagg) == (Fraction(0), None, ())
    logg.utfort("V1", "2017-01-01", "2017-01-31", "3")
    r = rad(logg)
    assert (r.utforte_timer, r.andel, r.flagg) == (Fraction(3), None, (OVER_VEDTAK,))
    (tjeneste,) = revisjon(logg).tjenester
    assert tjeneste.andel is None


def test_only_time_codes_and_no_annulled_or_inactive_vedtak() -> None:
    logg = Logg()
    logg.fattet("V1", "LOKO", "2017-01-01")
    logg.fattet("V2", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.annullert("V2")
    logg.fattet("V3", "HTAMDK", "2017-04-01", timer_per_uke="7")
    logg.utfort("V3", "2017-03-01", "2017-04-30", "60")
    logg.fattet("V4", "HTAMDK", "2016-01-01", timer_per_uke="7")
    logg.opphort("V4", "2016-12-31")
    rapport = revisjon(logg)
    assert rapport.vedtak == ()
    assert rapport.tjenester == ()


def test_row_code_is_the_code_on_the_last_day_in_force_and_totals_group_by_it() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.endret("V1", "2017-02-15", tjenestekode="PBAMDK")
    logg.utfort("V1", "2017-01-01", "2017-03-31", "90")
    logg.fattet("V2", "PBAMDK", "2017-01-01", timer_per_uke="14")
    logg.opphort("V2", "2017-01-31")
    logg.utfort("V2", "2017-01-01", "2017-01-31", "31")
    logg.fattet("V3", "HTAMN", "2017-01-01", timer_per_uke="3.5")
    logg.utfort("V3", "2017-01-01", "2017-03-31", "50")
    rapport = revisjon(logg)
    assert [
        (r.vedtak_id, r.tjenestekode, r.vedtatte_timer, r.andel, r.flagg) for r in rapport.vedtak
    ] == [
        ("V1", "PBAMDK", Fraction(90), Fraction(1), ()),
        ("V2", "PBAMDK", Fraction(62), Fraction(1, 2), (UNDER_TERSKEL,)),
        ("V3", "HTAMN", Fraction(45), Fraction(10, 9), (OVER_VEDTAK,)),
    ]
    assert [
        (t.tjenestekode, t.vedtatte_timer, t.utforte_timer, t.andel) for t in rapport.tjenester
    ] == [
        ("HTAMN", Fraction(45), Fraction(50), Fraction(10, 9)),
        ("PBAMDK", Fraction(152), Fraction(121), Fraction(121, 152)),
    ]


def test_time_code_recoded_to_dogn_counts_only_the_time_days() -> None:
    # In force with a time code for January: one row, 31 decided hours. Its code on the
    # last day in force in the quarter is LOKO (regelverk 5 as written).
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.endret("V1", "2017-02-01", tjenestekode="LOKO")
    r = rad(logg)
    assert (r.tjenestekode, r.vedtatte_timer) == ("LOKO", Fraction(31))


def test_rows_sorted_by_vedtak_id() -> None:
    logg = Logg()
    for vedtak_id in ("V3", "V1", "V2"):
        logg.fattet(vedtak_id, "HTAMDK", "2017-01-01", timer_per_uke="7")
    assert [r.vedtak_id for r in revisjon(logg).vedtak] == ["V1", "V2", "V3"]
