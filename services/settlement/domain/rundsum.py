"""Rundsum, inntektspåslag and uttrekk per quarter (regelverk 4.5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from services.settlement.domain.avrunding import round_half_up
from services.settlement.domain.kvartal import antall_dager, dager_i_kvartal, kvartalsperiode


def aktive_dager(aar: int, kvartal: int, startdato: date | None) -> int:
    """Days of the quarter on or after the scheme's startdato (all days when absent)."""
    fra, til = kvartalsperiode(aar, kvartal)
    if startdato is not None and startdato > fra:
        fra = startdato
    return antall_dager(fra, til)


def kvartalsandel(arsbelop: Decimal, aar: int, kvartal: int, startdato: date | None) -> Decimal:
    """regelverk 4.5: round_half_up(annual x active_days / (4 x days_in_Q), 2).

    A full quarter gets exactly a quarter of the annual amount, whatever its length.
    """
    brok = Fraction(aktive_dager(aar, kvartal, startdato), 4 * dager_i_kvartal(aar, kvartal))
    return round_half_up(Fraction(arsbelop) * brok, 2)
