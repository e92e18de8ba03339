"""Hand-computed settlements, one rule at a time (regelverk 4.1-4.5)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from services.settlement.domain.avrunding import vis_belop, vis_volum
from services.settlement.domain.beregning import (
    MANGLER_GRUNNLAG,
    MANGLER_SATS,
    Advarsel,
    Kvartalsberegning,
    beregn_kvartal,
    hovedgruppe_sum,
    tjenestegruppe_sum,
)
from services.settlement.domain.fakta import Finansieringsgrunnlag, Satstabell

from .fabrikk import Logg, grunnlag, satstabell


def beregn(
    logg: Logg,
    aar: int = 2017,
    kvartal: int = 1,
    satser: Satstabell | None = None,
    grunnlaget: Finansieringsgrunnlag | None = None,
    *,
    uten_satser: bool = False,
    uten_grunnlag: bool = False,
) -> Kvartalsberegning:
    return beregn_kvartal(
        "0138",
        aar,
        kvartal,
        logg.hendelser,
        None if uten_satser else (satser or satstabell(aar)),
        None if uten_grunnlag else (grunnlaget or grunnlag(aar)),
    )


def test_full_quarter_7_5_hours_htamdk() -> None:
    # regelverk 4.3, 4.4: 7.5 x 90 / 7 = 96.428571... h; x 724 = 69814.2857... -> 69814.29
    logg = Logg()
    fattet = logg.fattet("V1", "HTAMDK", "2016-11-01", timer_per_uke="7.5")
    b = beregn(logg)
    (linje,) = b.linjer
    assert linje.volum == Fraction(675, 7)
    assert vis_volum(linje.volum) == "96.4286"
    assert linje.sats == Decimal("724")
    assert linje.belop == Decimal("69814.29")
    assert (linje.tjenestegruppe, linje.enhet, linje.antall_vedtak) == (
        "helsetjenester_i_hjemmet",
        "time",
        1,
    )
    (vl,) = linje.vedtak
    assert (vl.vedtak_id, vl.belop, vl.kilder) == ("V1", Decimal("69814.29"), (fattet.kilde,))
    assert b.vedtakstilskudd == Decimal("69814.29")
    assert b.advarsler == ()


def test_two_to_one_staffing_is_rounded_once() -> None:
    # 7.5 x 2 x 90 / 7 = 192.857142... h; x 724 = 139628.5714... -> 139628.57 (not 2 x 69814.29)
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7.5", bemanningsfaktor=2)
    (linje,) = beregn(logg).linjer
    assert linje.volum == Fraction(1350, 7)
    assert linje.belop == Decimal("139628.57")


def test_rounding_is_per_vedtak_line() -> None:
    # Two identical vedtak: each line rounds 69814.2857 -> 69814.29; the code line sums them.
    logg = Logg()
    logg.fattet("V2", "HTAMDK", "2017-01-01", timer_per_uke="7.5")
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7.5")
    (linje,) = beregn(logg).linjer
    assert [v.vedtak_id for v in linje.vedtak] == ["V1", "V2"]
    assert linje.volum == Fraction(1350, 7)
    assert linje.belop == Decimal("139628.58")
    assert linje.antall_vedtak == 2


def test_retroactive_endret() -> None:
    # Jan at 7.5 h/week, Feb-Mar (59 days) at 10: (31 x 7.5 + 59 x 10) / 7 = 117.5 h
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7.5")
    uten_endring = beregn(logg)
    logg.endret("V1", "2017-02-01", timer_per_uke="10")
    (linje,) = beregn(logg).linjer
    assert uten_endring.vedtakstilskudd == Decimal("69814.29")
    assert linje.volum == Fraction("117.5")
    assert linje.belop == Decimal("85070.00")


def test_later_recorded_endret_with_earlier_date_wins_for_all_later_days() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7.5")
    logg.endret("V1", "2017-03-01", timer_per_uke="14")
    logg.endret("V1", "2017-02-01", timer_per_uke="10")
    assert beregn(logg).vedtakstilskudd == Decimal("85070.00")


def test_endret_in_date_order_applies_each_from_its_date() -> None:
    # (31 x 7.5 + 28 x 10 + 31 x 14) / 7 = 946.5 / 7 h; x 724 = 97895.1428... -> 97895.14
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7.5")
    logg.endret("V1", "2017-02-01", timer_per_uke="10")
    logg.endret("V1", "2017-03-01", timer_per_uke="14")
    (linje,) = beregn(logg).linjer
    assert linje.volum == Fraction("946.5") / 7
    assert linje.belop == Decimal("97895.14")
    assert [s.timer_per_uke for s in linje.vedtak[0].segmenter] == [
        Decimal("7.5"),
        Decimal("10"),
        Decimal("14"),
    ]


def test_endret_of_staffing_keeps_hours() -> None:
    # 2:1 recorded later, from 1 March: (59 x 7 + 31 x 14) / 7 = 121 h x 724 = 87604.00
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.endret("V1", "2017-03-01", bemanningsfaktor=2)
    assert beregn(logg).vedtakstilskudd == Decimal("87604.00")


def test_recoding_mid_quarter_gives_two_lines() -> None:
    # HTAMDK 1 Jan - 14 Feb (45 days) = 45 h x 724; PBAMDK 15 Feb - 31 Mar (45 days) x 494
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.endret("V1", "2017-02-15", tjenestekode="PBAMDK")
    b = beregn(logg)
    assert [(linj.tjenestekode, linj.volum, linj.belop) for linj in b.linjer] == [
        ("HTAMDK", Fraction(45), Decimal("32580.00")),
        ("PBAMDK", Fraction(45), Decimal("22230.00")),
    ]
    assert b.vedtakstilskudd == Decimal("54810.00")
    assert tjenestegruppe_sum(b) == {
        "helsetjenester_i_hjemmet": Decimal("32580.00"),
        "praktisk_bistand": Decimal("22230.00"),
    }
    assert hovedgruppe_sum(b) == {"helsetjenester_og_praktisk_bistand": Decimal("54810.00")}


def test_recoding_from_time_to_dogn_switches_unit() -> None:
    # HTAMDK 7 h/week in January (31 h x 724), then LOKO 59 days x 2284
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.endret("V1", "2017-02-01", tjenestekode="LOKO")
    b = beregn(logg)
    assert [(linj.tjenestekode, linj.enhet, linj.volum, linj.belop) for linj in b.linjer] == [
        ("HTAMDK", "time", Fraction(31), Decimal("22444.00")),
        ("LOKO", "dogn", Fraction(59), Decimal("134756.00")),
    ]
    assert hovedgruppe_sum(b) == {
        "helsetjenester_og_praktisk_bistand": Decimal("22444.00"),
        "institusjon": Decimal("134756.00"),
    }


def test_opphort_and_gyldig_til_are_the_last_counted_day() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.opphort("V1", "2017-01-31")
    logg.fattet("V2", "LOKO", "2017-03-01", "2017-03-10")  # discharged 11 March: 10 nights
    b = beregn(logg)
    assert [(linj.tjenestekode, linj.volum, linj.belop) for linj in b.linjer] == [
        ("HTAMDK", Fraction(31), Decimal("22444.00")),
        ("LOKO", Fraction(10), Decimal("22840.00")),
    ]


def test_latest_recorded_opphort_wins() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.opphort("V1", "2017-01-31")
    logg.opphort("V1", "2017-01-10")
    assert beregn(logg).linjer[0].volum == Fraction(10)


def test_annullert_vedtak_leaves_no_line() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.fattet("V2", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.annullert("V1")
    (linje,) = beregn(logg).linjer
    assert [v.vedtak_id for v in linje.vedtak] == ["V2"]
    assert linje.belop == Decimal("65160.00")  # 90 h x 724


def test_fravaer_reduces_time_codes() -> None:
    # 10 days in hospital: 80 counted days x 7/7 h = 80 h x 724 = 57920.00
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.fravaer("V1", "F1", "2017-01-10", "2017-01-19")
    assert beregn(logg).vedtakstilskudd == Decimal("57920.00")
    logg.fravaer("V1", "F1", "2017-01-10", "2017-01-14")  # corrected to 5 days
    assert beregn(logg).vedtakstilskudd == Decimal("61540.00")
    logg.fravaer_annullert("V1", "F1")
    assert beregn(logg).vedtakstilskudd == Decimal("65160.00")


def test_fravaer_does_not_reduce_dogn_codes() -> None:
    logg = Logg()
    logg.fattet("V1", "LOKO", "2017-01-01")
    logg.fravaer("V1", "F1", "2017-01-10", "2017-01-19", arsak="sykehus")
    (linje,) = beregn(logg).linjer
    assert (linje.volum, linje.belop) == (Fraction(90), Decimal("205560.00"))


def test_fravaer_whole_quarter_gives_no_line() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.fravaer("V1", "F1", "2016-12-20", "2017-04-05", arsak="institusjon")
    b = beregn(logg)
    assert b.linjer == ()
    assert b.vedtakstilskudd == Decimal("0.00")


def test_startdato_cuts_settled_days_and_scales_rundsum() -> None:
    # Q2 2016, scheme start 1 May: 61 of 91 days. Vedtak from 1 April: 61 h x 706 = 43066.00.
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2016-04-01", timer_per_uke="7")
    g = grunnlag(2016, startdato=date(2016, 5, 1))
    b = beregn(logg, 2016, 2, grunnlaget=g)
    (linje,) = b.linjer
    assert (linje.volum, linje.sats, linje.belop) == (
        Fraction(61),
        Decimal("706"),
        Decimal("43066.00"),
    )
    assert linje.vedtak[0].segmenter[0].fra == date(2016, 5, 1)
    assert b.rundsumtilskudd == Decimal("603296.70")  # 3 600 000 x 61 / 364
    assert b.inntektspaslag == Decimal("603296.70")
    assert b.uttrekk == Decimal("17059890.11")  # 101 800 000 x 61 / 364 = 17059890.1098...
    q1 = beregn(logg, 2016, 1, grunnlaget=g)
    assert (q1.linjer, q1.rundsumtilskudd, q1.sum) == ((), Decimal("0.00"), Decimal("0.00"))


def test_components_sum_and_differanse() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7.5")
    b = beregn(logg)
    assert b.rundsumtilskudd == Decimal("900000.00")
    assert b.inntektspaslag == Decimal("900000.00")
    assert b.uttrekk == Decimal("25450000.00")
    assert b.sum == Decimal("1869814.29")
    assert b.differanse == Decimal("-24480185.71")  # vedtak + rundsum - uttrekk
    for belop in (
        b.vedtakstilskudd,
        b.rundsumtilskudd,
        b.inntektspaslag,
        b.sum,
        b.uttrekk,
        b.differanse,
    ):
        assert belop.as_tuple().exponent == -2


def test_missing_sats_for_a_code() -> None:
    # D1 had no 2014 rate (report table V.1): its line is mangler_sats with amount 0.
    logg = Logg()
    logg.fattet("V1", "D1", "2014-01-01", timer_per_uke="7")
    logg.fattet("V2", "HTAMDK", "2014-01-01", timer_per_uke="7")
    b = beregn_kvartal("0138", 2014, 1, logg.hendelser, satstabell(2014), grunnlag(2014))
    d1, htamdk = b.linjer
    assert (d1.tjenestekode, d1.sats, d1.belop, d1.mangler_sats) == (
        "D1",
        None,
        Decimal("0.00"),
        True,
    )
    assert d1.volum == Fraction(90)
    assert d1.vedtak[0].mangler_sats
    assert (htamdk.belop, htamdk.mangler_sats) == (Decimal("59310.00"), False)  # 90 h x 659
    assert b.vedtakstilskudd == Decimal("59310.00")
    assert b.mangler_sats
    assert [(a.kode, a.tjenestekode) for a in b.advarsler] == [(MANGLER_SATS, "D1")]
    assert "D1" in b.advarsler[0].detail


def test_no_price_table_makes_every_line_mangler_sats() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.fattet("V2", "LOKO", "2017-01-01")
    b = beregn(logg, uten_satser=True)
    assert all(linj.mangler_sats and linj.belop == Decimal("0.00") for linj in b.linjer)
    assert [a.tjenestekode for a in b.advarsler] == ["HTAMDK", "LOKO"]
    assert b.vedtakstilskudd == Decimal("0.00")
    assert b.satstabell is None


def test_missing_grunnlag() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7.5")
    b = beregn(logg, uten_grunnlag=True)
    assert (b.rundsumtilskudd, b.inntektspaslag, b.uttrekk) == (Decimal("0.00"),) * 3
    assert b.sum == b.differanse == Decimal("69814.29")
    assert [a.kode for a in b.advarsler] == [MANGLER_GRUNNLAG]
    assert isinstance(b.advarsler[0], Advarsel)
    assert b.advarsler[0].tjenestekode is None


def test_reports_and_vedtak_outside_the_quarter_are_ignored() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.utfort("V1", "2017-01-01", "2017-03-31", "500")
    logg.fattet("V2", "HTAMDK", "2017-04-01", timer_per_uke="7")
    logg.fattet("V3", "HTAMDK", "2016-01-01", "2016-12-31", timer_per_uke="7")
    (linje,) = beregn(logg).linjer
    assert [v.vedtak_id for v in linje.vedtak] == ["V1"]
    assert linje.vedtak[0].kilder == (logg.hendelser[0].kilde,)


def test_segment_sources_explain_the_line() -> None:
    logg = Logg()
    fattet = logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    endret = logg.endret("V1", "2017-03-01", timer_per_uke="14")
    fravaer = logg.fravaer("V1", "F1", "2017-03-05", "2017-03-06")
    opphort = logg.opphort("V1", "2017-03-20")
    (vl,) = beregn(logg).vedtakslinjer
    assert [(s.fra, s.til, s.dager) for s in vl.segmenter] == [
        (date(2017, 1, 1), date(2017, 2, 28), 59),
        (date(2017, 3, 1), date(2017, 3, 20), 18),
    ]
    assert vl.segmenter[0].kilder == (fattet.kilde,)
    assert vl.segmenter[1].kilder == (fattet.kilde, endret.kilde, fravaer.kilde, opphort.kilde)
    assert vl.kilder == (fattet.kilde, endret.kilde, fravaer.kilde, opphort.kilde)
    assert vl.volum == Fraction(59 + 36)
    assert vis_belop(vl.belop) == "68780.00"


def test_wrong_year_inputs_are_refused() -> None:
    logg = Logg()
    with pytest.raises(ValueError):
        beregn_kvartal("0138", 2017, 1, logg.hendelser, satstabell(2016), None)
    with pytest.raises(ValueError):
        beregn_kvartal("0138", 2017, 1, logg.hendelser, None, grunnlag(2016))
    with pytest.raises(ValueError):
        beregn_kvartal("0926", 2017, 1, logg.hendelser, None, grunnlag(2017))


def test_empty_quarter() -> None:
    b = beregn(Logg())
    assert b.linjer == ()
    assert format(b.vedtakstilskudd, "f") == "0.00"
    assert b.sum == Decimal("1800000.00")
