"""Bounds on every decimal the service accepts, checked before any arithmetic (issue 7).

A decimal's exponent is free in Python: `1e-999999999` parses at once, but quantize,
addition or formatting then build a billion digits (the server froze for minutes), and
`1e-5000000` normalised to 0 and passed "> 0". So a decimal is checked by its exponent and
digit count, which cost nothing to read, before it is used:

- at most `MAKS_SIFFER` digits as written (trailing zeros count),
- at most `MAKS_DESIMALER` decimals as written (exponent notation allowed within that),
- less than 10^15 in absolute value.

Then integer digits (<= 15) plus decimals (<= 12) fit the default context's 28 digits, so
every later sum and formatting is exact. Fields may be stricter (whole øre for amounts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAKS_SIFFER = 30
MAKS_DESIMALER = 12
MAKS_HELTALLSSIFFER = 15  # |x| < 10^15: amounts < 10^15 NOK, hours < 10^6
MAKS_TEGN = 64  # a decimal string longer than this has more digits than allowed anyway

GRENSE_BESKRIVELSE = (
    f"Eksakt desimal (JSON-tall eller streng): høyst {MAKS_SIFFER} siffer og "
    f"{MAKS_DESIMALER} desimaler slik det er skrevet, og mindre enn 10^{MAKS_HELTALLSSIFFER} "
    "i absoluttverdi."
)
# For strings: a plain or exponent-notation decimal (the bounds above are checked besides).
DESIMAL_MONSTER = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?\s*$"


@dataclass(frozen=True)
class UtenforGrensene:
    """A JSON number too large to become a Decimal safely: its text, kept for the message.

    Parsing hands it on instead of a Decimal so that the field it stands in is named in
    the 422 (an `int` field refuses it too: it is neither number nor string)."""

    tekst: str


def innenfor_grensene(d: Decimal) -> str | None:
    """Why `d` is refused, or None. O(1): reads only the exponent and the digit count."""
    if not d.is_finite():
        return "må være et endelig tall"
    eksponent = int(d.as_tuple().exponent)
    siffer = d.adjusted() - eksponent + 1  # for 0 this is 1
    if eksponent < -MAKS_DESIMALER:
        return f"har mer enn {MAKS_DESIMALER} desimaler"
    if siffer > MAKS_SIFFER:
        return f"har mer enn {MAKS_SIFFER} siffer"
    if d.adjusted() >= MAKS_HELTALLSSIFFER:  # |d| >= 10^15 (or a zero like 0E+20)
        return f"må være mindre enn 10^{MAKS_HELTALLSSIFFER} i absoluttverdi"
    return None


# What a decimal in this contract looks like: ASCII digits only. Python's Decimal also reads
# "١٢" (Arabic-Indic twelve), "1_000", "NaN" and "Infinity"; none is a figure a case system
# or Hdir means to send.
_DESIMALTEKST = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def er_desimaltekst(tekst: str) -> bool:
    return _DESIMALTEKST.fullmatch(tekst) is not None


def tolk_desimal(tekst: str) -> Decimal:
    """A decimal string within the bounds, or ValueError saying why (for query parameters
    and files; the contract's `Desimal` type does the same for bodies)."""
    ren = tekst.strip()
    if len(ren) > MAKS_TEGN:
        raise ValueError(f"har mer enn {MAKS_TEGN} tegn")
    if not er_desimaltekst(ren):
        raise ValueError("er ikke et desimaltall")
    try:
        d = Decimal(ren)
    except InvalidOperation:
        raise ValueError("er ikke et desimaltall") from None
    grunn = innenfor_grensene(d)
    if grunn:
        raise ValueError(grunn)
    return d


def json_tall(tekst: str) -> Decimal | UtenforGrensene:
    """`parse_float` for request bodies: exact decimals, and no huge exponent gets through."""
    if len(tekst) > MAKS_TEGN:
        return UtenforGrensene(tekst[:MAKS_TEGN] + "…")
    d = Decimal(tekst)
    return UtenforGrensene(tekst) if innenfor_grensene(d) else d
