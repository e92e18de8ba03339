"""Which format a request asks for (`?format=`, then `Accept`), and the response."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from fastapi import Response
from pydantic import BaseModel

from services.settlement.entrypoints.api.eksport.skrivere import (
    skriv_arbeidsbok,
    skriv_csv,
    skriv_excel_csv,
)
from services.settlement.entrypoints.api.eksport.typer import CSV, XLSX, Ark, Format
from shared.problem import PROBLEM_JSON, Problem

_TILBUD: tuple[tuple[Format, str], ...] = (
    ("json", "application/json"),
    ("csv", "text/csv"),
    ("xlsx", XLSX),
)


_QVERDI = re.compile(r"0(\.\d{0,3})?|1(\.0{0,3})?")


def _medieomrader(accept: str) -> list[tuple[str, Decimal]]:
    omrader = []
    for del_ in accept.split(","):
        type_, *parametre = (p.strip() for p in del_.split(";"))
        if not type_:
            continue
        vekt = Decimal(1)
        for p in parametre:
            navn, _, verdi = p.partition("=")
            if navn.strip().lower() == "q":
                # RFC 9110 12.4.2: qvalue = 0..1 with at most three decimals. Anything else
                # (NaN, 1e-999999999) is malformed and counts as "not acceptable".
                tekst = verdi.strip()
                vekt = Decimal(tekst) if _QVERDI.fullmatch(tekst) else Decimal(0)
        omrader.append((type_.lower(), vekt))
    return omrader


def _treff(omrade: str, medietype: str) -> int:
    """How specifically a media range matches a type: 3 exact, 2 type/*, 1 */*, 0 not."""
    if omrade == medietype:
        return 3
    hoved = medietype.split("/")[0]
    if omrade == f"{hoved}/*":
        return 2
    return 1 if omrade == "*/*" else 0


def velg_format(format_: Format | None, accept: str | None) -> Format:
    """`?format=` wins; else the Accept header (RFC 9110 12.5.1); none or `*/*` is JSON.

    Among equally weighted offers, one the client named explicitly beats a wildcard
    (`text/csv, */*` is CSV); a remaining tie goes to JSON, then CSV.
    """
    if format_ is not None:
        return format_
    if accept is None or not accept.strip():
        return "json"
    omrader = _medieomrader(accept)
    beste: tuple[Decimal, int, int] | None = None
    valgt: Format | None = None
    for rekkefolge, (fmt, medietype) in enumerate(_TILBUD):
        treff = [(_treff(o, medietype), q) for o, q in omrader if _treff(o, medietype)]
        if not treff:
            continue
        spesifisitet, vekt = max(treff)  # the most specific matching range sets the weight
        if vekt <= 0:
            continue
        nokkel = (vekt, spesifisitet, -rekkefolge)
        if beste is None or nokkel > beste:
            beste, valgt = nokkel, fmt
    if valgt is None:
        raise Problem(
            406,
            f"Kan ikke levere {accept!r}; velg application/json, text/csv eller {XLSX} "
            "(eller ?format=json|csv|xlsx)",
        )
    return valgt


def svar(ark: Sequence[Ark], format_: Format, filnavn: str, tabell: str | None = None) -> Response:
    """The download: CSV of one table (`tabell`, default the first), machine or for Excel,
    or the whole workbook."""
    if format_ == "xlsx":
        return Response(
            skriv_arbeidsbok(ark),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{filnavn}.xlsx"'},
        )
    if format_ not in ("csv", "excel-csv"):
        raise ValueError(f"svar() lager bare csv, excel-csv og xlsx, ikke {format_}")
    valgt = ark[0] if tabell is None else next((a for a in ark if a.tabellnavn == tabell), None)
    if valgt is None:
        gyldige = ", ".join(a.tabellnavn for a in ark)
        raise Problem(422, f"tabell={tabell!r} finnes ikke her; velg en av {gyldige}")
    navn = filnavn if tabell is None else f"{filnavn}_{valgt.tabellnavn}"
    if format_ == "excel-csv":
        navn += "_excel"
    return Response(
        skriv_csv(valgt) if format_ == "csv" else skriv_excel_csv(valgt),
        media_type=CSV,
        headers={"Content-Disposition": f'attachment; filename="{navn}.csv"'},
    )


def openapi_svar(modell: type[BaseModel], tabeller: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` documenting the JSON answer (`modell`), the CSV/XLSX alternatives
    and the 406."""
    return {
        200: {
            "model": modell,
            "description": (
                "JSON som standard. `?format=csv|excel-csv|xlsx` eller `Accept: text/csv` / "
                f"`Accept: {XLSX}` gir regneark. `csv` er én tabell for maskiner (`;`-skilt, "
                "UTF-8 uten BOM, desimalpunktum som i JSON, feltnavn som overskrifter). "
                "`excel-csv` er samme tabell for norsk Excel (`;`-skilt, UTF-8 med BOM, "
                "desimalkomma, andeler i prosent, norske overskrifter og kommunenavn). "
                f"`?tabell=` velger blant {tabeller}. XLSX har alle tabellene som ark med "
                "norske overskrifter, kommunenavn og tallceller (andeler i prosentformat)."
            ),
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        406: {
            "description": "Accept-headeren ber om et format tjenesten ikke kan levere",
            "content": {PROBLEM_JSON: {}},
        },
    }
