"""Writers: a sheet as CSV bytes, sheets as an XLSX workbook (numbers as real cells).

Text that could start a formula is neutralised in both (see `formler`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from services.settlement.entrypoints.api.eksport.formler import (
    er_formelfarlig,
    er_tall,
    noytraliser_tekst,
)
from services.settlement.entrypoints.api.eksport.typer import BELOP, SKILLETEGN, Ark, Kolonne, Verdi


def _kolonne(k: Kolonne | str) -> Kolonne:
    return k if isinstance(k, Kolonne) else Kolonne(k)


def _som_tekst(verdi: Verdi) -> str:
    if verdi is None:
        return ""
    if isinstance(verdi, bool):
        return "true" if verdi else "false"  # as in the JSON
    if isinstance(verdi, Decimal):
        return format(verdi, "f")
    if isinstance(verdi, str | int):
        return str(verdi)
    return ",".join(verdi)


def _sjekk_form(ark: Ark) -> None:
    for i, rad in enumerate(ark.rader, start=2):
        if len(rad) != len(ark.kolonner):
            raise ValueError(
                f"ark {ark.navn!r} rad {i}: {len(rad)} verdier for {len(ark.kolonner)} kolonner"
            )


def _csv_celle(verdi: Verdi) -> str:
    tekst = _som_tekst(verdi)
    # A plain decimal (a negative amount too) is a number, which no spreadsheet evaluates.
    return tekst if er_tall(tekst) else noytraliser_tekst(tekst)


def skriv_csv(ark: Ark) -> bytes:
    """One table as `;`-separated UTF-8 with a header row; figures exactly as in the JSON,
    text that could start a formula behind a single quote."""
    _sjekk_form(ark)
    ut = io.StringIO()
    skriver = csv.writer(ut, delimiter=SKILLETEGN, lineterminator="\r\n")
    skriver.writerow([_kolonne(k).navn for k in ark.kolonner])
    for rad in ark.rader:
        skriver.writerow([_csv_celle(v) for v in rad])
    return ut.getvalue().encode("utf-8")


def _tall(verdi: Verdi) -> Decimal | None:
    if verdi is None or verdi == "":
        return None
    if isinstance(verdi, bool):
        raise TypeError("en sannhetsverdi er ikke et tall")
    if isinstance(verdi, Decimal | int):
        return Decimal(verdi)
    if not isinstance(verdi, str):
        raise TypeError(f"{verdi!r} er ikke et tall")
    try:
        return Decimal(verdi)
    except InvalidOperation:
        raise ValueError(f"{verdi!r} er ikke et desimaltall") from None


def _sett_tall(celle: Cell, tall: Decimal, tallformat: str) -> None:
    celle.value = tall  # marks the cell numeric ("n")
    # openpyxl would write a Decimal through "%.16g" (a float); store the exact text instead.
    celle._value = format(tall, "f")
    celle.number_format = tallformat


def _sett_tekst(celle: Cell, tekst: str) -> None:
    celle.value = tekst
    # openpyxl turns any text starting with "=" into a formula cell; text is text.
    celle.data_type = "s"
    if er_formelfarlig(tekst) and not er_tall(tekst):
        celle.quotePrefix = True  # Excel keeps it text even when the cell is edited


def _sett(celle: Cell, verdi: Verdi, kolonne: Kolonne) -> None:
    if kolonne.tallformat is not None and (tall := _tall(verdi)) is not None:
        _sett_tall(celle, tall, kolonne.tallformat)
    elif isinstance(verdi, Decimal):
        _sett_tall(celle, verdi, "General")
    elif isinstance(verdi, str):
        _sett_tekst(celle, verdi)
    elif verdi is None or isinstance(verdi, int | bool):
        celle.value = verdi
    else:
        _sett_tekst(celle, ",".join(verdi))


def _bredde(kolonne: Kolonne, rader: Sequence[Sequence[Verdi]], i: int) -> float:
    lengste = max([len(kolonne.navn), *(len(_som_tekst(r[i])) for r in rader[:500])])
    ekstra = 3 if kolonne.tallformat == BELOP else 1  # room for thousands separators
    return min(max(lengste + ekstra, 8), 60)


def skriv_arbeidsbok(ark: Sequence[Ark]) -> bytes:
    """An XLSX workbook, one sheet per table: bold frozen header, widths, filter, numbers.

    Reusable for any tables (the demo writes its yearly summary with it): a column with a
    `tallformat` takes decimal strings, Decimals or ints and stores them as numbers.
    """
    if not ark:
        raise ValueError("en arbeidsbok trenger minst ett ark")
    bok = Workbook()
    standard = bok.active
    assert standard is not None
    bok.remove(standard)
    fet = Font(bold=True)
    for tabell in ark:
        _sjekk_form(tabell)
        kolonner = [_kolonne(k) for k in tabell.kolonner]
        blad = bok.create_sheet(tabell.navn[:31])  # Excel's limit on sheet names
        for j, kolonne in enumerate(kolonner, start=1):
            celle = blad.cell(row=1, column=j, value=kolonne.navn)
            celle.font = fet
            blad.column_dimensions[get_column_letter(j)].width = _bredde(
                kolonne, tabell.rader, j - 1
            )
        for i, rad in enumerate(tabell.rader, start=2):
            for j, (verdi, kolonne) in enumerate(zip(rad, kolonner, strict=True), start=1):
                _sett(blad.cell(row=i, column=j), verdi, kolonne)
        blad.freeze_panes = "A2"
        if tabell.rader:
            blad.auto_filter.ref = blad.dimensions
    ut = io.BytesIO()
    bok.save(ut)
    return ut.getvalue()
