"""Folding a vedtak's events into value periods and segments (regelverk 4.1-4.3)."""

from decimal import Decimal
from fractions import Fraction

from services.settlement.domain.vedtakstilstand import folde_vedtak
from services.settlement.domain.volum import segmenter

from .fabrikk import Logg, d


def test_fattet_gives_one_open_period() -> None:
    logg = Logg()
    fattet = logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7.5")
    tilstand = folde_vedtak(logg.hendelser)
    assert tilstand is not None
    assert tilstand.gyldig_fra == d("2017-01-01")
    assert tilstand.siste_dag is None
    assert len(tilstand.perioder) == 1
    periode = tilstand.perioder[0]
    assert (periode.fra, periode.til, periode.tjenestekode) == (d("2017-01-01"), None, "HTAMDK")
    assert periode.timer_per_uke == Decimal("7.5")
    assert periode.bemanningsfaktor is None
    assert periode.kilder == (fattet.kilde,)


def test_endret_replaces_only_named_fields_from_gjelder_fra() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7.5")
    endret = logg.endret("V1", "2017-02-01", bemanningsfaktor=2)
    tilstand = folde_vedtak(logg.hendelser)
    assert tilstand is not None
    assert [(p.fra, p.til, p.timer_per_uke, p.bemanningsfaktor) for p in tilstand.perioder] == [
        (d("2017-01-01"), d("2017-01-31"), Decimal("7.5"), None),
        (d("2017-02-01"), None, Decimal("7.5"), 2),
    ]
    assert endret.kilde in tilstand.perioder[1].kilder


def test_later_endret_with_earlier_gjelder_fra_overrides_later_days() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7.5")
    logg.endret("V1", "2017-03-01", timer_per_uke="14")
    logg.endret("V1", "2017-02-01", timer_per_uke="10")
    tilstand = folde_vedtak(logg.hendelser)
    assert tilstand is not None
    assert [(p.fra, p.timer_per_uke) for p in tilstand.perioder] == [
        (d("2017-01-01"), Decimal("7.5")),
        (d("2017-02-01"), Decimal("10")),
    ]


def test_earlier_endret_of_another_field_survives_a_later_retroactive_one() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.endret("V1", "2017-03-01", timer_per_uke="14")
    logg.endret("V1", "2017-02-01", tjenestekode="PBAMDK")
    tilstand = folde_vedtak(logg.hendelser)
    assert tilstand is not None
    assert [(p.fra, p.tjenestekode, p.timer_per_uke) for p in tilstand.perioder] == [
        (d("2017-01-01"), "HTAMDK", Decimal("7")),
        (d("2017-02-01"), "PBAMDK", Decimal("7")),
        (d("2017-03-01"), "PBAMDK", Decimal("14")),
    ]


def test_opphort_sets_last_day_and_latest_wins() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", "2017-12-31", timer_per_uke="7")
    logg.opphort("V1", "2017-03-15")
    siste = logg.opphort("V1", "2017-01-31")
    tilstand = folde_vedtak(logg.hendelser)
    assert tilstand is not None
    assert tilstand.siste_dag == d("2017-01-31")
    assert tilstand.siste_dag_kilde == siste.kilde
    assert tilstand.perioder[-1].til == d("2017-01-31")


def test_annullert_and_missing_fattet_give_no_state() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.endret("V1", "2017-02-01", timer_per_uke="10")
    logg.annullert("V1")
    assert folde_vedtak(logg.hendelser) is None
    assert folde_vedtak(logg.hendelser[1:2]) is None


def test_fravaer_replaced_by_same_id_and_removed_by_annullert() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.fravaer("V1", "F1", "2017-01-10", "2017-01-19")
    logg.fravaer("V1", "F2", "2017-02-01", "2017-02-02")
    logg.fravaer("V1", "F1", "2017-01-10", "2017-01-14")
    logg.fravaer_annullert("V1", "F2")
    tilstand = folde_vedtak(logg.hendelser)
    assert tilstand is not None
    assert [(f.fravaer_id, f.fra, f.til) for f in tilstand.fravaer] == [
        ("F1", d("2017-01-10"), d("2017-01-14"))
    ]


def test_reports_are_not_state() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.utfort("V1", "2017-01-01", "2017-01-31", "30")
    tilstand = folde_vedtak(logg.hendelser)
    assert tilstand is not None
    assert len(tilstand.kilder) == 1


def test_segments_split_on_value_changes_and_count_fravaer_and_sources() -> None:
    logg = Logg()
    fattet = logg.fattet("V1", "HTAMDK", "2016-06-01", timer_per_uke="7")
    endret = logg.endret("V1", "2017-02-15", tjenestekode="LOKO")
    fravaer = logg.fravaer("V1", "F1", "2017-01-30", "2017-02-20")
    opphort = logg.opphort("V1", "2017-03-10")
    tilstand = folde_vedtak(logg.hendelser)
    assert tilstand is not None
    segs = segmenter(tilstand, d("2017-01-01"), d("2017-03-31"))
    assert [(s.fra, s.til, s.dager, s.fravaersdager, s.tjenestekode) for s in segs] == [
        (d("2017-01-01"), d("2017-02-14"), 45 - 16, 16, "HTAMDK"),
        (d("2017-02-15"), d("2017-03-10"), 24, 0, "LOKO"),  # a held place counts
    ]
    assert segs[0].volum == Fraction(29)
    assert segs[1].volum == Fraction(24)
    assert segs[0].kilder == (fattet.kilde, fravaer.kilde)
    assert segs[1].kilder == (fattet.kilde, endret.kilde, opphort.kilde)
    assert (segs[1].timer_per_uke, segs[1].bemanningsfaktor) == (None, None)


def test_overlapping_fravaer_is_not_subtracted_twice() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-01-01", timer_per_uke="7")
    logg.fravaer("V1", "F1", "2017-01-10", "2017-01-20")
    logg.fravaer("V1", "F2", "2017-01-15", "2017-01-25")
    logg.fravaer("V1", "F3", "2017-01-26", "2017-01-26")
    tilstand = folde_vedtak(logg.hendelser)
    assert tilstand is not None
    (seg,) = segmenter(tilstand, d("2017-01-01"), d("2017-01-31"))
    assert seg.fravaersdager == 17  # 10..26 January
    assert seg.dager == 14


def test_no_segments_outside_validity() -> None:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2017-04-01", "2017-06-30", timer_per_uke="7")
    tilstand = folde_vedtak(logg.hendelser)
    assert tilstand is not None
    assert segmenter(tilstand, d("2017-01-01"), d("2017-03-31")) == []
    assert segmenter(tilstand, d("2017-07-01"), d("2017-09-30")) == []
