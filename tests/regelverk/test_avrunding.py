"""Exact rounding and display (regelverk 4.4, 4.5; api.md conventions)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.settlement.domain.avrunding import (
    round_half_up,
    sum_belop,
    vis_andel,
    vis_belop,
    vis_volum,
)
from services.settlement.domain.volum import sum_volum


@pytest.mark.parametrize(
    ("x", "places", "forventet"),
    [
        (Decimal("0.005"), 2, "0.01"),  # half up, not banker's (would give 0.00)
        (Decimal("0.015"), 2, "0.02"),
        (Decimal("0.025"), 2, "0.03"),  # banker's would give 0.02
        (Decimal("0.0049999"), 2, "0.00"),
        (Decimal("-0.005"), 2, "-0.01"),  # ties away from zero, like Decimal ROUND_HALF_UP
        (Decimal("-0.004"), 2, "0.00"),  # never "-0.00"
        (Fraction(488700, 7), 2, "69814.29"),  # 96.428571... h x 724
        (Fraction(1, 3), 4, "0.3333"),
        (Fraction(2, 3), 4, "0.6667"),
        (Fraction(1, 8), 2, "0.13"),
        (7, 2, "7.00"),
        (Decimal("123456789012345678901234567890.125"), 2, "123456789012345678901234567890.13"),
    ],
)
def test_round_half_up(x: Decimal | Fraction | int, places: int, forventet: str) -> None:
    resultat = round_half_up(x, places)
    assert isinstance(resultat, Decimal)
    assert format(resultat, "f") == forventet
    assert resultat.as_tuple().exponent == -places


def test_round_half_up_refuses_non_finite_and_negative_places() -> None:
    with pytest.raises(ValueError):
        round_half_up(Decimal("NaN"))
    with pytest.raises(ValueError):
        round_half_up(Decimal(1), -1)


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=6, min_value=-(10**9), max_value=10**9
    )
)
def test_round_half_up_agrees_with_decimal_quantize(x: Decimal) -> None:
    assert round_half_up(x, 2) == x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(st.fractions(min_value=0, max_value=10**7, max_denominator=10**6))
def test_round_half_up_of_fraction_is_nearest_with_ties_up(x: Fraction) -> None:
    r = Fraction(round_half_up(x, 2))
    assert abs(r - x) <= Fraction(1, 200)
    if abs(r - x) == Fraction(1, 200):
        assert r > x


@given(
    st.one_of(
        st.fractions(min_value=-(10**9), max_value=10**9, max_denominator=10**7),
        st.decimals(
            allow_nan=False, allow_infinity=False, places=6, min_value=-(10**9), max_value=10**9
        ),
        st.integers(min_value=-(10**12), max_value=10**12),
    )
)
def test_display_is_the_rounded_decimal_formatted(x: Fraction | Decimal | int) -> None:
    # The display functions write the rounded integers directly; they must give exactly
    # what formatting round_half_up's Decimal gives, sign and zero padding included.
    assert vis_belop(x) == format(round_half_up(x, 2), "f")
    assert vis_volum(x) == format(round_half_up(x, 4), "f")
    assert vis_andel(x) == format(round_half_up(x, 4), "f")


def test_display() -> None:
    assert vis_belop(Decimal("724")) == "724.00"
    assert vis_belop(Decimal("69814.29")) == "69814.29"
    assert vis_belop(Decimal("0")) == "0.00"
    assert vis_volum(Fraction(675, 7)) == "96.4286"
    assert vis_volum(Fraction(90)) == "90.0000"
    assert vis_volum(Fraction(1, 20000)) == "0.0001"  # 0.00005 rounds half up
    assert vis_andel(None) is None
    assert vis_andel(Fraction(8, 9)) == "0.8889"
    assert vis_andel(Fraction(0)) == "0.0000"
    assert vis_volum(Fraction(-1, 20000)) == "-0.0001"
    assert vis_volum(Fraction(-1, 30000)) == "0.0000"  # never "-0.0000"
    assert vis_belop(Decimal("-1234.565")) == "-1234.57"


def test_sum_belop_is_exact_and_keeps_two_decimals() -> None:
    assert format(sum_belop([]), "f") == "0.00"
    assert sum_belop([Decimal("0.10")] * 3) == Decimal("0.30")
    huge = Decimal("9" * 35 + ".99")
    assert sum_belop([huge, Decimal("0.01")]) == Decimal("1" + "0" * 35 + ".00")


@given(
    st.lists(
        st.fractions(max_denominator=10**6)
        | st.integers(-(10**12), 10**12).map(Fraction)
        | st.sampled_from([Fraction(63, 2), Fraction(480, 7), Fraction(1, 31)]),
        max_size=40,
    )
)
def test_sum_volum_is_the_exact_sum(volumer: list[Fraction]) -> None:
    """The sum over the least common denominator, in integers, is Fraction's own sum."""
    resultat = sum_volum(volumer)
    assert resultat == sum(volumer, Fraction(0))
    assert type(resultat) is Fraction
    assert sum_volum(iter(volumer)) == resultat  # a generator is summed the same way
