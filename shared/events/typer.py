"""Field types shared by the contract: exact decimals, kommunenummer, plain dates, and
the rule that no free text holds an identity.

Decimals are bounded by `shared.events.tall` before any arithmetic (issue 7).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from shared.events.identitet import BESKJED, inneholder_identitet
from shared.events.tall import (
    DESIMAL_MONSTER,
    GRENSE_BESKRIVELSE,
    MAKS_TEGN,
    UtenforGrensene,
    er_desimaltekst,
    innenfor_grensene,
)

# No figure in this domain comes near: amounts are < 10^15 NOK, hours < 10^6. The bound keeps
# absurd input out of every later computation.
MAKS_TALL = Decimal(10) ** 15


def _som_decimal(verdi: Any) -> Decimal:
    """JSON numbers or decimal strings, exactly; never via binary float. Not yet bounded."""
    if isinstance(verdi, bool):
        raise ValueError("må være et tall")
    if isinstance(verdi, UtenforGrensene):
        raise ValueError(f"{verdi.tekst} er utenfor grensene: {GRENSE_BESKRIVELSE}")
    if isinstance(verdi, Decimal):
        return verdi
    if isinstance(verdi, int):
        return Decimal(verdi)
    if isinstance(verdi, float):
        # Only reached when a caller parsed JSON without parse_float=Decimal;
        # repr() is the shortest string that round-trips, so "10.25" stays 10.25.
        return Decimal(repr(verdi))
    if isinstance(verdi, str):
        if len(verdi) > MAKS_TEGN:
            raise ValueError(f"har mer enn {MAKS_TEGN} tegn")
        if not er_desimaltekst(verdi.strip()):
            raise ValueError("er ikke et desimaltall")
        try:
            return Decimal(verdi.strip())
        except InvalidOperation:
            # The value is not echoed: it is free text and might hold an identity.
            raise ValueError("er ikke et desimaltall") from None
    raise ValueError("må være et tall eller en desimalstreng")


def _til_desimal(verdi: Any) -> Decimal:
    """Accept JSON numbers or decimal strings, exactly, within the bounds of tall.py."""
    d = _som_decimal(verdi)
    grunn = innenfor_grensene(d)  # before abs() or anything else that computes
    if grunn:
        raise ValueError(f"{grunn} ({GRENSE_BESKRIVELSE})")
    if abs(d) >= MAKS_TALL:
        raise ValueError(f"må være mindre enn {MAKS_TALL:,.0f} i absoluttverdi".replace(",", " "))
    return d


def _som_tekst(d: Decimal) -> str:
    # Normalised, so "7.50", 7.5 and "7.5" serialise alike: same number, same content.
    # format(..., "f") writes every digit of any exponent without rounding.
    return format(d.normalize() + 0, "f")  # + 0 turns -0 into 0


# Serialised as a string so that no JSON consumer ever sees a binary float.
Desimal = Annotated[
    Decimal,
    BeforeValidator(_til_desimal),
    PlainSerializer(_som_tekst, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": DESIMAL_MONSTER, "maxLength": MAKS_TEGN},
            ],
            "description": GRENSE_BESKRIVELSE,
        }
    ),
]

MAKS_BELOP = Decimal(10) ** 15  # NOK; far above any municipality's annual grant


def er_kronebelop(d: Decimal, *, negativ_tillatt: bool = False) -> bool:
    """Whole øre within ±10^15 NOK. Checked by digits, not by quantize(), which raises on
    huge values instead of answering."""
    if not d.is_finite() or abs(d) >= MAKS_BELOP:
        return False
    if d < 0 and not negativ_tillatt:
        return False
    eksponent = d.as_tuple().exponent
    return isinstance(eksponent, int) and (eksponent >= -2 or d == d.quantize(Decimal("0.01")))


# [0-9], not \d: pydantic's regex reads \d as any Unicode digit, and "٠١٣٨" is no municipality.
Kommunenummer = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]

_DATO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _til_dato(verdi: Any) -> date:
    """api.md: dates are `YYYY-MM-DD` strings. Pydantic's lax parsing would also take
    numbers, Unix timestamps ("0" is 1970-01-01) and datetimes; none of those is a date."""
    if isinstance(verdi, date) and not isinstance(verdi, datetime):
        return verdi  # built in code, not parsed from a sender
    if not isinstance(verdi, str) or _DATO.fullmatch(verdi) is None:
        raise PydanticCustomError("dato", "må være en dato på formen YYYY-MM-DD")
    try:
        return date.fromisoformat(verdi)
    except ValueError:
        raise PydanticCustomError("dato", "er ikke en gyldig dato") from None


# Every date field of the contract and of Hdir's bodies.
Dato = Annotated[date, BeforeValidator(_til_dato)]
Aar = Annotated[int, "calendar year"]


def _uten_identitet(tekst: str) -> str:
    if inneholder_identitet(tekst):
        # A custom error: the message is exactly this, and never carries the value.
        raise PydanticCustomError("identitet", BESKJED)
    return tekst


# Every free-text field of the contract: ids, references, reasons, sources (regelverk 3:
# identities are never stored). See shared/events/identitet.py for what is refused.
# A field with length limits puts them before UTEN_IDENTITET, so they are checked first.
UTEN_IDENTITET = AfterValidator(_uten_identitet)
