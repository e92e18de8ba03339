"""Reading payload fields as the contract dumps them (shared/events, mode="json").

Dates arrive as "YYYY-MM-DD" and decimals as strings; already-typed values are accepted
too so that callers holding model objects need not dump them first.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any


def dato(verdi: Any) -> date:
    if type(verdi) is str:  # the usual case, first: this runs for every event
        return date.fromisoformat(verdi)
    if isinstance(verdi, date):
        return verdi
    return date.fromisoformat(str(verdi))


def valgfri_dato(verdi: Any) -> date | None:
    return None if verdi is None else dato(verdi)


def desimal(verdi: Any) -> Decimal:
    # Never via float: str() of an int or Decimal is exact.
    if isinstance(verdi, Decimal):
        return verdi
    if isinstance(verdi, float):
        raise TypeError("binære flyttall godtas ikke som beløp eller timer")
    return Decimal(str(verdi))


def valgfri_desimal(verdi: Any) -> Decimal | None:
    return None if verdi is None else desimal(verdi)
