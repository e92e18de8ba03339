"""Identities are never stored (regelverk 3): the one check every free-text field passes.

A case system or Hdir may only send pseudonymous references. Any free-text field of the
contract (ids, references, reasons, sources) is refused when it holds, anywhere inside it,
an 11-digit number that is a valid Norwegian personal identity:

- a fødselsnummer: DDMMYY + individual number + two mod-11 check digits;
- a D-number: the day plus 40;
- an H-number (help number): the month plus 40;
- an FH-number (felles hjelpenummer, used in the health and care services for persons
  without one of the above): first digit 8 or 9, no date, the same two check digits.

The check digits come from python-stdnum (`stdnum.no.fodselsnummer`). Its `is_valid` also
refuses birth dates in the future and FH-numbers; here both count as identities, so the
answer never depends on today's date.

What counts as "the number": the eleven digits written together (`fnr:01017010170`) or in
the printed grouping DDMMYY NNNNN with one space, dot, hyphen or no-break space between
the groups (`010170 10170`, `010170-10170`), not touching further digits on either side.
Other digits (Arabic-Indic, full-width) are read as the digits they are. A longer run of
digits (an account number, a KID) is another kind of number and is not taken apart.
"""

from __future__ import annotations

import re
import unicodedata

from stdnum.exceptions import ValidationError
from stdnum.no import fodselsnummer

# 6 + 5 digits, optionally in the printed grouping, with no digit touching either end.
_KANDIDAT = re.compile(r"(?<![0-9])([0-9]{6})[ .\-\u00a0]?([0-9]{5})(?![0-9])")

BESKJED = "inneholder et fødselsnummer, D-, H- eller FH-nummer; send en pseudonym referanse"


def _ascii_siffer(tekst: str) -> str:
    """Every decimal digit of any script as its ASCII digit, the rest unchanged."""
    if tekst.isascii():
        return tekst
    return "".join(
        str(unicodedata.decimal(tegn)) if tegn.isdecimal() and not tegn.isascii() else tegn
        for tegn in tekst
    )


def er_identitet(nummer: str) -> bool:
    """True for eleven ASCII digits that form a valid fødselsnummer, D-, H- or FH-number."""
    if len(nummer) != 11 or not nummer.isascii() or not nummer.isdigit():
        return False
    if nummer[9] != fodselsnummer.calc_check_digit1(nummer[:9]):
        return False
    if nummer[10] != fodselsnummer.calc_check_digit2(nummer[:10]):
        return False
    dag, maned = int(nummer[0:2]), int(nummer[2:4])
    if dag >= 80:
        return True  # FH-number: no birth date by design
    if dag > 40:
        dag -= 40  # D-number
    if maned > 40:
        maned -= 40  # H-number
    # The birth date with the day and month restored: the century rules are stdnum's.
    normalisert = f"{dag:02d}{maned:02d}{nummer[4:]}"
    try:
        fodselsnummer.get_birth_date(normalisert)
    except (ValidationError, ValueError):
        return False
    return True


def inneholder_identitet(tekst: str) -> bool:
    """True when a personal identity appears anywhere in the text (see the module doc)."""
    siffer = _ascii_siffer(tekst)
    return any(er_identitet(m.group(1) + m.group(2)) for m in _KANDIDAT.finditer(siffer))
