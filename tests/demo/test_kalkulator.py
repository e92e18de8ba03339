"""The demo's own exact calculator on hand-computed cases (regelverk 4.1-4.4)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from services.settlement.demo.kalender import Kvartal
from services.settlement.demo.kalibrering import Kalkulator, Linje, avrund_ore

_n = 0


def _h(type_: str, **felt: Any) -> dict[str, Any]:
    global _n
    _n += 1
    return {
        "hendelse_id": f"00000000-0000-0000-0000-{_n:012d}",
        "type": type_,
        "kommunenummer": "0138",
        "vedtak_id": "V1",
        **felt,
    }


def _fattet(**felt: Any) -> dict[str, Any]:
    return _h("VedtakFattet", bruker_ref="B-0138-000001", vedtaksdato="2016-12-01", **felt)


def _linjer(*hendelser: dict[str, Any]) -> dict[tuple[Kvartal, str], Linje]:
    return {(li.kvartal, li.tjenestekode): li for li in Kalkulator().beregn(hendelser).linjer}


Q1 = Kvartal(2017, 1)


def test_time_code_counts_hours_per_day_and_skips_absence() -> None:
    linjer = _linjer(
        _fattet(
            tjenestekode="HTAMDK",
            gyldig_fra="2017-01-01",
            gyldig_til="2017-01-31",
            timer_per_uke="7",
            bemanningsfaktor=2,
        ),
        _h(
            "FravaerRegistrert",
            fravaer_id="F1",
            fra="2017-01-10",
            til="2017-01-19",
            arsak="sykehus",
        ),
    )
    li = linjer[(Q1, "HTAMDK")]
    assert li.volum == 21 * 2  # 31 days - 10 absent, 2 hours a day
    assert li.belop == Decimal(42 * 724)


def test_dogn_code_ignores_absence_and_counts_the_last_day() -> None:
    linjer = _linjer(
        _fattet(tjenestekode="LOKO", gyldig_fra="2017-03-30"),
        _h(
            "FravaerRegistrert",
            fravaer_id="F1",
            fra="2017-03-31",
            til="2017-04-05",
            arsak="sykehus",
        ),
        _h("VedtakOpphort", siste_dag="2017-04-02"),
    )
    assert linjer[(Q1, "LOKO")].belop == Decimal(2 * 2284)
    assert linjer[(Kvartal(2017, 2), "LOKO")].volum == 2


def test_retro_change_recorded_later_wins_for_its_days_only_for_named_fields() -> None:
    linjer = _linjer(
        _fattet(tjenestekode="HTAMDK", gyldig_fra="2017-01-01", timer_per_uke="7"),
        _h("VedtakEndret", gjelder_fra="2017-03-01", timer_per_uke="14"),
        _h("VedtakEndret", gjelder_fra="2017-02-01", tjenestekode="PBAMDK"),
    )
    assert linjer[(Q1, "HTAMDK")].volum == 31
    assert linjer[(Q1, "PBAMDK")].volum == 28 + 31 * 2
    assert linjer[(Q1, "PBAMDK")].belop == Decimal((28 + 62) * 494)


def test_annulled_vedtak_and_annulled_absence() -> None:
    assert (
        _linjer(
            _fattet(tjenestekode="LOKO", gyldig_fra="2017-01-01"),
            _h("VedtakAnnullert", begrunnelse="feil"),
        )
        == {}
    )
    linjer = _linjer(
        _fattet(
            tjenestekode="OL", gyldig_fra="2017-01-01", gyldig_til="2017-01-07", timer_per_uke="3.5"
        ),
        _h("FravaerRegistrert", fravaer_id="F1", fra="2017-01-02", til="2017-01-03", arsak="ferie"),
        _h("FravaerAnnullert", fravaer_id="F1"),
    )
    assert linjer[(Q1, "OL")].volum == Fraction(7, 2)


def test_days_before_the_scheme_start_are_not_counted() -> None:
    linjer = _linjer(_fattet(tjenestekode="LOKO", gyldig_fra="2016-01-01", gyldig_til="2016-05-02"))
    assert {k for k in linjer} == {(Kvartal(2016, 2), "LOKO")}
    assert linjer[(Kvartal(2016, 2), "LOKO")].volum == 2


def test_rounding_is_once_per_line_half_up() -> None:
    assert avrund_ore(Fraction(1, 200)) == Decimal("0.01")
    assert avrund_ore(Fraction(1, 201)) == Decimal("0.00")
    linjer = _linjer(
        _fattet(
            tjenestekode="SK01", gyldig_fra="2017-01-01", gyldig_til="2017-01-01", timer_per_uke="1"
        )
    )
    assert linjer[(Q1, "SK01")].belop == Decimal("7.86")  # 55/7 = 7.857...
