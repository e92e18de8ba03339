"""Exact rounding and display of money, volumes and shares (regelverk 4.4, 4.5; api.md).

Everything here works on integers underneath: a binary float never touches an amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, Inexact, localcontext
from fractions import Fraction

Tall = Fraction | Decimal | int

NULL_KRONER = Decimal("0.00")


def _som_brok(x: Tall) -> tuple[int, int]:
    if type(x) is Fraction:  # the common case first: an audit shows 75,000 of them
        return x.numerator, x.denominator
    if isinstance(x, Decimal):
        if not x.is_finite():
            raise ValueError(f"kan ikke runde {x!r}")
        return x.as_integer_ratio()
    if isinstance(x, int):
        return x, 1
    return x.numerator, x.denominator


def _avrundet(x: Tall, places: int) -> tuple[str, int]:
    """(sign, |x| x 10^places rounded half up, ties away from zero) as an integer."""
    if places < 0:
        raise ValueError("places må være >= 0")
    teller, nevner = _som_brok(x)
    q, r = divmod(abs(teller) * 10**places, nevner)
    if 2 * r >= nevner:
        q += 1
    return ("-" if teller < 0 and q else ""), q


def round_half_up(x: Tall, places: int = 2) -> Decimal:
    """`x` rounded exactly to `places` decimals, ties away from zero (regelverk 4.4, 4.5).

    Ties away from zero is Decimal's ROUND_HALF_UP; only differences (never rounded
    themselves) can be negative, so for the regelverk's amounts this is plain "half up".
    """
    fortegn, q = _avrundet(x, places)
    return Decimal(f"{fortegn}{q}E-{places}")


def _vis(x: Tall, places: int) -> str:
    """format(round_half_up(x, places), "f") written from the integers directly, without
    a Decimal in between: an audit of a large municipality shows 75,000 figures."""
    fortegn, q = _avrundet(x, places)
    # The digits of q with the point set `places` from the right (places >= 1): string
    # slicing, at half the cost of divmod and a nested format spec.
    siffer = str(q).rjust(places + 1, "0")
    return f"{fortegn}{siffer[:-places]}.{siffer[-places:]}"


def sum_belop(belop: Iterable[Decimal]) -> Decimal:
    """Exact sum of amounts in øre (regelverk 4.4: totals are exact sums of rounded lines).

    Decimal's default 28-digit context would round silently past that; here any
    inexact step raises instead.
    """
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.traps[Inexact] = True
        total = NULL_KRONER
        for b in belop:
            total += b
    return total


def vis_belop(belop: Tall) -> str:
    """Money as the API shows it: exactly two decimals, e.g. "724.00"."""
    return _vis(belop, 2)


def vis_volum(volum: Tall) -> str:
    """Hours or days with four decimals, half up; for display only (api.md)."""
    return _vis(volum, 4)


def vis_andel(andel: Tall | None) -> str | None:
    """An audit share with four decimals, or None when undefined (regelverk 5)."""
    return None if andel is None else _vis(andel, 4)
