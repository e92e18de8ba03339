"""The export writers and the content negotiation as pure functions."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from services.settlement.entrypoints.api.eksport import (
    BELOP,
    VOLUM,
    Ark,
    Kolonne,
    skriv_arbeidsbok,
    skriv_csv,
    velg_format,
)
from shared.problem import Problem

ARK = Ark(
    "Beløp",
    ["navn", Kolonne("belop", BELOP), Kolonne("volum", VOLUM), "flagg", "ok"],
    [
        ("stor", "123456789012345.67", Decimal("1.2345"), ["a", "b"], True),
        ("negativ", Decimal("-0.01"), "0.0000", [], False),
        ("tom", None, None, None, None),
    ],
)


def test_csv_holder_strengene_eksakt() -> None:
    rader = list(csv.reader(io.StringIO(skriv_csv(ARK).decode()), delimiter=";"))
    assert rader == [
        ["navn", "belop", "volum", "flagg", "ok"],
        ["stor", "123456789012345.67", "1.2345", "a,b", "true"],
        ["negativ", "-0.01", "0.0000", "", "false"],
        ["tom", "", "", "", ""],
    ]


def test_arbeidsbok_har_tallceller_med_eksakt_tekst() -> None:
    data = skriv_arbeidsbok([ARK, Ark("Tomt", ["a"], [])])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    # 17 significant digits: more than a float holds, kept exactly.
    assert "<v>123456789012345.67</v>" in xml and "<v>-0.01</v>" in xml
    bok = load_workbook(io.BytesIO(data))
    blad = bok["Beløp"]
    assert blad["B2"].data_type == "n" and blad["B2"].number_format == BELOP
    assert blad["C2"].number_format == VOLUM and blad["C2"].value == pytest.approx(1.2345)
    assert blad["D2"].value == "a,b" and blad["E2"].value is True
    assert blad["B4"].value is None
    assert blad.freeze_panes == "A2" and blad["A1"].font.b
    assert bok.sheetnames == ["Beløp", "Tomt"]


def test_arbeidsbok_avviser_feil_form() -> None:
    with pytest.raises(ValueError):
        skriv_arbeidsbok([])
    with pytest.raises(ValueError):
        skriv_arbeidsbok([Ark("X", ["a", "b"], [("bare en",)])])
    with pytest.raises(ValueError):
        skriv_arbeidsbok([Ark("X", [Kolonne("a", BELOP)], [("ikke et tall",)])])


@pytest.mark.parametrize(
    ("accept", "forventet"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("application/*", "json"),
        ("text/csv", "csv"),
        ("TEXT/CSV; charset=utf-8", "csv"),
        (
            "text/csv;q=0.4, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0.6",
            "xlsx",
        ),
        ("application/json;q=0, */*", "csv"),
        ("text/csv;q=abc, application/json;q=0.1", "json"),
    ],
)
def test_velg_format(accept: str | None, forventet: str) -> None:
    assert velg_format(None, accept) == forventet


def test_velg_format_406() -> None:
    for accept in ("text/html", "application/xml, image/*", "*/*;q=0"):
        with pytest.raises(Problem) as feil:
            velg_format(None, accept)
        assert feil.value.status == 406
    assert velg_format("csv", "text/html") == "csv"  # ?format= wins
