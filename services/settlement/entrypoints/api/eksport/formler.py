"""Formula injection: text from case systems must never become a formula in a spreadsheet.

A `vedtak_id` such as `=HYPERLINK("https://…","klikk")` is free text chosen by a case
system, yet Hdir and auditors open the exports in Excel or LibreOffice. Following OWASP's
CSV-injection guidance, a text cell that starts with `=`, `+`, `-`, `@`, TAB or CR (and LF,
which some spreadsheets also strip before parsing) is neutralised:

- CSV has no types, so the text gets a leading single quote: every spreadsheet shows it as
  text and none evaluates it.
- XLSX has types: the cell is written as a string cell (never the formula type openpyxl
  infers from a leading `=`) with the `quotePrefix` style, so Excel keeps it text even when
  someone edits the cell. The stored text stays exactly what was sent.

Numbers are not text: a negative amount stays a number and is never prefixed.
"""

from __future__ import annotations

import re

FARLIGE_START = ("=", "+", "-", "@", "\t", "\r", "\n")

# A plain decimal as the documents write figures ("-38061.72", "0.0000"): a number, not text.
_DESIMALTALL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def er_tall(tekst: str) -> bool:
    """True when the text is a plain decimal figure (no exponent, no sign but a minus)."""
    return _DESIMALTALL.fullmatch(tekst) is not None


def er_formelfarlig(tekst: str) -> bool:
    """True for text a spreadsheet could take for a formula (or DDE) when it opens the file."""
    return tekst.startswith(FARLIGE_START)


def noytraliser_tekst(tekst: str) -> str:
    """CSV: a leading single quote in front of text that could start a formula."""
    return "'" + tekst if er_formelfarlig(tekst) else tekst
