"""Rundsum, inntektspåslag and uttrekk per quarter (regelverk 4.5)."""

from datetime import date
from decimal import Decimal

from services.settlement.domain.rundsum import aktive_dager, kvartalsandel


def test_full_quarter_is_a_quarter_of_the_annual_amount() -> None:
    for kvartal in (1, 2, 3, 4):
        assert kvartalsandel(Decimal("3600000.00"), 2017, kvartal, None) == Decimal("900000.00")


def test_startdato_2016_05_01_gives_61_of_91_days_in_q2() -> None:
    assert aktive_dager(2016, 2, date(2016, 5, 1)) == 61
    # 3 600 000 x 61 / (4 x 91) = 603 296.7032...
    assert kvartalsandel(Decimal("3600000"), 2016, 2, date(2016, 5, 1)) == Decimal("603296.70")
    assert kvartalsandel(Decimal("3600000"), 2016, 1, date(2016, 5, 1)) == Decimal("0.00")
    assert kvartalsandel(Decimal("3600000"), 2016, 3, date(2016, 5, 1)) == Decimal("900000.00")


def test_startdato_before_the_quarter_changes_nothing() -> None:
    assert aktive_dager(2017, 1, date(2016, 5, 1)) == 90


def test_rounding_is_half_up() -> None:
    # 0.10 / 4 = 0.025 -> 0.03 (banker's rounding would give 0.02)
    assert kvartalsandel(Decimal("0.10"), 2017, 1, None) == Decimal("0.03")
