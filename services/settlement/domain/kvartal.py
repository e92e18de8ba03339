"""Calendar quarters and inclusive date ranges (regelverk 4: Q1 = 1 Jan - 31 Mar, ...)."""

from __future__ import annotations

from datetime import date


def _sjekk(kvartal: int) -> None:
    if kvartal not in (1, 2, 3, 4):
        raise ValueError(f"kvartal må være 1-4, ikke {kvartal!r}")


def kvartal_fra(aar: int, kvartal: int) -> date:
    """First day of the quarter."""
    _sjekk(kvartal)
    return date(aar, 3 * kvartal - 2, 1)


def kvartal_til(aar: int, kvartal: int) -> date:
    """Last day of the quarter (inclusive)."""
    _sjekk(kvartal)
    return date(aar, 3 * kvartal, 31 if kvartal in (1, 4) else 30)


def kvartalsperiode(aar: int, kvartal: int) -> tuple[date, date]:
    """The quarter as an inclusive range (fra, til)."""
    return kvartal_fra(aar, kvartal), kvartal_til(aar, kvartal)


def dager_i_kvartal(aar: int, kvartal: int) -> int:
    """90 or 91 for Q1 (leap years), 91 for Q2, 92 for Q3 and Q4."""
    return antall_dager(*kvartalsperiode(aar, kvartal))


def kvartal_for(dag: date) -> tuple[int, int]:
    """(aar, kvartal) that `dag` lies in."""
    return dag.year, (dag.month - 1) // 3 + 1


def antall_dager(fra: date, til: date) -> int:
    """Days in the inclusive range fra..til; 0 when til < fra."""
    return max(0, til.toordinal() - fra.toordinal() + 1)


def overlapp_dager(fra1: date, til1: date, fra2: date, til2: date) -> int:
    """Days two inclusive ranges have in common."""
    return antall_dager(max(fra1, fra2), min(til1, til2))
