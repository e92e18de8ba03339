"""Field types shared by the contract: exact decimals, kommunenummer, plain dates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, StringConstraints


def _til_desimal(verdi: Any) -> Decimal:
    """Accept JSON numbers or decimal strings, exactly; never via binary float."""
    if isinstance(verdi, bool):
        raise ValueError("må være et tall")
    if isinstance(verdi, Decimal):
        d = verdi
    elif isinstance(verdi, int):
        d = Decimal(verdi)
    elif isinstance(verdi, float):
        # Only reached when a caller parsed JSON without parse_float=Decimal;
        # repr() is the shortest string that round-trips, so "10.25" stays 10.25.
        d = Decimal(repr(verdi))
    elif isinstance(verdi, str):
        try:
            d = Decimal(verdi.strip())
        except InvalidOperation:
            raise ValueError(f"{verdi!r} er ikke et desimaltall") from None
    else:
        raise ValueError("må være et tall eller en desimalstreng")
    if not d.is_finite():
        raise ValueError("må være et endelig tall")
    return d


def _som_tekst(d: Decimal) -> str:
    # Normalised, so "7.50", 7.5 and "7.5" serialise alike: same number, same content.
    return format(d.normalize(), "f") if d != d.to_integral_value() else format(d.quantize(1), "f")


# Serialised as a string so that no JSON consumer ever sees a binary float.
Desimal = Annotated[
    Decimal,
    BeforeValidator(_til_desimal),
    PlainSerializer(_som_tekst, return_type=str, when_used="json"),
]

Kommunenummer = Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
Aar = Annotated[int, "calendar year"]
