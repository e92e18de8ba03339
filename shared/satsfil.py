"""Reading a price table from the national rates file (CSV) or a spreadsheet (XLSX).

One parser for every way in: `oppgjor satser import` reads a path, the pages an upload.
Every file it cannot read raises `Satsfilfeil` with a sentence a person can act on.
"""

from __future__ import annotations

import csv
import io
from zipfile import BadZipFile

from shared.events.tall import tolk_desimal

XLSX_ENDELSER = (".xlsx", ".xlsm")


class Satsfilfeil(ValueError):
    """The file cannot be read as a price table; the message says why and what to do."""


def er_xlsx(navn: str, innhold: bytes) -> bool:
    """By name, or by the ZIP signature every XLSX starts with (an upload may lack a name)."""
    return navn.lower().endswith(XLSX_ENDELSER) or innhold[:4] == b"PK\x03\x04"


def les_satser(navn: str, innhold: bytes, aar: int) -> list[dict[str, str]]:
    """The rows `{"tjenestekode", "sats"}` of the year's column (`sats_{aar}` or `sats`).

    `navn` only names the file in messages.
    """
    poster = _les_xlsx(navn, innhold) if er_xlsx(navn, innhold) else _les_csv(navn, innhold)
    if not poster:
        raise Satsfilfeil(f"{navn} har ingen rader under overskriften")
    if "tjenestekode" not in poster[0]:
        raise Satsfilfeil(f"{navn} mangler kolonnen 'tjenestekode' i overskriften")
    kolonne = next((k for k in (f"sats_{aar}", "sats") if k in poster[0]), None)
    if kolonne is None:
        raise Satsfilfeil(f"fant verken kolonnen 'sats_{aar}' eller 'sats' i {navn}")
    ut = []
    for nr, post in enumerate(poster, start=2):
        verdi = (post.get(kolonne) or "").strip().replace(",", ".")
        if not verdi:
            continue  # blank: the code is not in use that year
        try:
            # Exact, and bounded before any arithmetic: publishing refuses anything but
            # whole øre, but `1e-999999999` must not reach a computation at all.
            sats = tolk_desimal(verdi)
        except ValueError as e:
            raise Satsfilfeil(f"rad {nr}: {verdi!r} er ikke en sats ({e})") from None
        if not sats.is_finite() or abs(sats.as_tuple().exponent) > 10:  # type: ignore[arg-type]
            raise Satsfilfeil(f"rad {nr}: {verdi!r} er ikke en sats i kroner og øre")
        ut.append(
            {"tjenestekode": (post.get("tjenestekode") or "").strip(), "sats": format(sats, "f")}
        )
    return ut


def _les_csv(navn: str, innhold: bytes) -> list[dict[str, str]]:
    try:
        tekst = innhold.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Satsfilfeil(f"{navn} er ikke UTF-8-tekst; lagre den som «CSV UTF-8»") from None
    linjer = tekst.splitlines()
    if not linjer or not linjer[0].strip():
        raise Satsfilfeil(f"{navn} er tom; første linje skal være overskriften")
    try:
        dialekt = csv.Sniffer().sniff(linjer[0], delimiters=",;\t")
    except csv.Error:
        raise Satsfilfeil(
            f"fant ikke skilletegnet i overskriften til {navn}; bruk komma, semikolon eller tabulator"
        ) from None
    return list(csv.DictReader(linjer, dialect=dialekt))


def _les_xlsx(navn: str, innhold: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        ark = load_workbook(io.BytesIO(innhold), read_only=True, data_only=True).active
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise Satsfilfeil(f"{navn} er ikke en gyldig XLSX-fil") from None
    if ark is None:
        raise Satsfilfeil(f"{navn} har ikke noe regneark")
    rader = list(ark.iter_rows(values_only=True))
    if not rader:
        raise Satsfilfeil(f"{navn} er tom; første rad skal være overskriften")
    hode = [str(c).strip() if c is not None else "" for c in rader[0]]
    return [
        {h: ("" if v is None else str(v)) for h, v in zip(hode, rad, strict=False)}
        for rad in rader[1:]
    ]
