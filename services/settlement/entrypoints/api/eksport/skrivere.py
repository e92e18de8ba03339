"""Writers: a sheet as machine CSV or as CSV for Norwegian Excel, sheets as an XLSX workbook.

The machine CSV is for programs: JSON field names, decimal point, UTF-8 without BOM, and
only the columns the JSON has. The two renderings for people (XLSX and excel-csv) carry
Norwegian headers and the columns added for people (a municipality's name beside its
number). Text that could start a formula is neutralised in all three (see `formler`)."""

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
from services.settlement.entrypoints.api.eksport.typer import (
    ANDEL,
    BELOP,
    SKILLETEGN,
    Ark,
    Kolonne,
    Verdi,
)

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with the byte order mark
HUNDRE = Decimal(100)
_HELE_PROSENT = Decimal("0.01")


def _kolonne(k: Kolonne | str) -> Kolonne:
    return k if isinstance(k, Kolonne) else Kolonne(k)


def _utvalg(ark: Ark, *, menneske: bool) -> tuple[list[Kolonne], list[list[Verdi]]]:
    """The columns (and each row's cells) the machine CSV or a human rendering shows."""
    utelatt = "maskin" if menneske else "menneske"
    kolonner = [_kolonne(k) for k in ark.kolonner]
    valgt = [i for i, k in enumerate(kolonner) if k.synlig != utelatt]
    return [kolonner[i] for i in valgt], [[rad[i] for i in valgt] for rad in ark.rader]


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
    kolonner, rader = _utvalg(ark, menneske=False)
    ut = io.StringIO()
    skriver = csv.writer(ut, delimiter=SKILLETEGN, lineterminator="\r\n")
    skriver.writerow([k.navn for k in kolonner])
    for rad in rader:
        skriver.writerow([_csv_celle(v) for v in rad])
    return ut.getvalue().encode("utf-8")


def _prosent(andel: Decimal) -> str:
    """A share as Excel reads a percentage: 0.8512 -> "85,12%" (exact; no digit is lost)."""
    prosent = andel * HUNDRE
    if prosent == prosent.quantize(_HELE_PROSENT):
        prosent = prosent.quantize(_HELE_PROSENT)
    return format(prosent, "f").replace(".", ",") + "%"


def _excel_celle(verdi: Verdi, kolonne: Kolonne) -> str:
    if isinstance(verdi, bool):
        return "Ja" if verdi else "Nei"
    tekst = _som_tekst(verdi)
    if kolonne.tallformat is not None and er_tall(tekst):
        # Norwegian Excel reads "1234,56" as a number and "1234.56" as text or a date.
        if kolonne.tallformat == ANDEL:
            return _prosent(Decimal(tekst))
        return tekst.replace(".", ",")
    return noytraliser_tekst(tekst)


def skriv_excel_csv(ark: Ark) -> bytes:
    """One table for Norwegian Excel: `;`, decimal comma, UTF-8 with BOM, Norwegian headers.

    Only figures in number columns get the comma: a text such as a vedtak_id is left as
    sent (behind a single quote when it could start a formula)."""
    _sjekk_form(ark)
    kolonner, rader = _utvalg(ark, menneske=True)
    ut = io.StringIO()
    skriver = csv.writer(ut, delimiter=SKILLETEGN, lineterminator="\r\n")
    skriver.writerow([noytraliser_tekst(k.tittel) for k in kolonner])
    for rad in rader:
        skriver.writerow([_excel_celle(v, k) for v, k in zip(rad, kolonner, strict=True)])
    return (BOM + ut.getvalue()).encode("utf-8")


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
    """A column wide enough for its header and (the first 500 of) its cells."""
    lengste = max([len(kolonne.tittel), *(len(_som_tekst(r[i])) for r in rader[:500])])
    ekstra = 3 if kolonne.tallformat == BELOP else 1  # room for thousands separators
    return min(max(lengste + ekstra, 8), 60)


def skriv_arbeidsbok(ark: Sequence[Ark]) -> bytes:
    """An XLSX workbook, one sheet per table: bold frozen header in Norwegian words, widths,
    filter, numbers (shares as percentages).

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
        kolonner, rader = _utvalg(tabell, menneske=True)
        blad = bok.create_sheet(tabell.navn[:31])  # Excel's limit on sheet names
        for j, kolonne in enumerate(kolonner, start=1):
            celle = blad.cell(row=1, column=j)
            _sett_tekst(celle, kolonne.tittel)
            celle.font = fet
            blad.column_dimensions[get_column_letter(j)].width = _bredde(kolonne, rader, j - 1)
        for i, rad in enumerate(rader, start=2):
            for j, (verdi, kolonne) in enumerate(zip(rad, kolonner, strict=True), start=1):
                _sett(blad.cell(row=i, column=j), verdi, kolonne)
        blad.freeze_panes = "A2"
        if tabell.rader:
            blad.auto_filter.ref = blad.dimensions
    ut = io.BytesIO()
    bok.save(ut)
    return ut.getvalue()
