"""CSV and XLSX from the three read endpoints: the JSON's figures, exactly."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from services.settlement.application.dokument import KOMPONENTER
from services.settlement.entrypoints.api import eksport
from services.settlement.entrypoints.api.eksport import CSV, XLSX
from shared.navn import FLAGG, GRUPPER, KOMMUNER
from shared.navn import KOMPONENTER as KOMPONENTNAVN
from tests.conftest import HDIR, Token
from tests.web.scenario import HDIR_SCOPES, Scenario

OPPGJOR = "/v1/kommuner/0138/oppgjor/2017/1"
NASJONALT = "/v1/oppgjor/2017/1"
REVISJON = "/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort"


def hent(klient: TestClient, url: str, hode: dict[str, str], **params: Any) -> Any:
    svar = klient.get(url, headers=hode, params=params)
    assert svar.status_code == 200, svar.text
    return svar


def csv_rader(svar: Any) -> list[dict[str, str]]:
    assert svar.headers["content-type"] == CSV
    assert svar.headers["content-disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(svar.content.decode("utf-8")), delimiter=";"))


def ark(svar: Any) -> dict[str, Worksheet]:
    assert svar.headers["content-type"] == XLSX
    bok = load_workbook(io.BytesIO(svar.content))
    return {navn: bok[navn] for navn in bok.sheetnames}


def som_dikt(blad: Worksheet) -> list[dict[str, Any]]:
    """Data rows as {header: cell}."""
    rader = list(blad.iter_rows())
    hode = [str(c.value) for c in rader[0]]
    return [{h: c for h, c in zip(hode, rad, strict=True)} for rad in rader[1:]]


def lik_tall(celle: Any, verdi: str | None, tallformat: str) -> None:
    """A real number cell, equal to the JSON string, with the right format."""
    if verdi is None:
        assert celle.value is None
        return
    assert celle.data_type == "n" and isinstance(celle.value, int | float), celle.value
    assert Decimal(str(celle.value)) == Decimal(verdi)
    assert celle.number_format == tallformat


def test_oppgjor_som_csv_og_xlsx(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    dok = hent(klient, OPPGJOR, hdir, detaljer="vedtak").json()
    per = dok["per"]
    linjer = csv_rader(hent(klient, OPPGJOR, hdir, per=per, format="csv"))
    assert [r["tjenestekode"] for r in linjer] == [linje["tjenestekode"] for linje in dok["linjer"]]
    for rad, linje in zip(linjer, dok["linjer"], strict=True):
        for felt in ("tjenestegruppe", "enhet", "volum", "sats", "belop"):
            assert rad[felt] == linje[felt]
        assert rad["antall_vedtak"] == str(linje["antall_vedtak"])
        assert rad["mangler_sats"] == "false"
    komponenter = csv_rader(hent(klient, OPPGJOR, hdir, per=per, format="csv", tabell="oppgjor"))
    assert {r["komponent"]: r["belop"] for r in komponenter} == {k: dok[k] for k in KOMPONENTER}
    assert {r["komponent"]: r["endring_siden_utstedt"] for r in komponenter} == dok[
        "endring_siden_utstedt"
    ]

    bok = ark(hent(klient, OPPGJOR, hdir, per=per, format="xlsx", detaljer="vedtak"))
    assert list(bok) == ["Oppgjør", "Linjer", "Vedtak", "Om"]
    navn = dict(KOMPONENTNAVN)
    komponenter_xlsx = som_dikt(bok["Oppgjør"])
    assert [c["Komponent"].value for c in komponenter_xlsx] == [navn[k] for k in KOMPONENTER]
    for celler, k in zip(komponenter_xlsx, KOMPONENTER, strict=True):
        lik_tall(celler["Beløp (kr)"], dok[k], eksport.BELOP)
        lik_tall(
            celler["Endring siden utstedt (kr)"], dok["endring_siden_utstedt"][k], eksport.BELOP
        )
    for celler, linje in zip(som_dikt(bok["Linjer"]), dok["linjer"], strict=True):
        assert celler["Tjenestekode"].value == linje["tjenestekode"]
        assert celler["Tjenestegruppe"].value == GRUPPER[linje["tjenestegruppe"]]
        assert celler["Enhet"].value == {"time": "timer", "dogn": "døgn"}[linje["enhet"]]
        lik_tall(celler["Volum"], linje["volum"], eksport.VOLUM)
        lik_tall(celler["Sats (kr)"], linje["sats"], eksport.BELOP)
        lik_tall(celler["Vedtakstilskudd (kr)"], linje["belop"], eksport.BELOP)
        lik_tall(celler["Antall vedtak"], str(linje["antall_vedtak"]), eksport.HELTALL)
        assert celler["Mangler sats"].value is False
    vedtak = [(linje["tjenestekode"], v) for linje in dok["linjer"] for v in linje["vedtak"]]
    for celler, (kode, v) in zip(som_dikt(bok["Vedtak"]), vedtak, strict=True):
        assert (celler["Tjenestekode"].value, celler["Vedtak-ID"].value) == (kode, v["vedtak_id"])
        lik_tall(celler["Volum"], v["volum"], eksport.VOLUM)
        lik_tall(celler["Vedtakstilskudd (kr)"], v["belop"], eksport.BELOP)
    om = {r["Felt"].value: r["Verdi"].value for r in som_dikt(bok["Om"])}
    assert om["Som kjent per"] == per and om["Kommunenummer"] == "0138 Hobøl"
    assert om["Utstedt versjon"] == 2
    for blad in bok.values():  # bold, frozen header; widths set
        assert all(c.font.b for c in blad[1])
        assert blad.freeze_panes == "A2"
        assert all(blad.column_dimensions[c.column_letter].width >= 8 for c in blad[1])


def test_nasjonalt_som_csv_og_xlsx(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    dok = hent(klient, NASJONALT, hdir).json()
    rader = csv_rader(hent(klient, NASJONALT, hdir, per=dok["per"], format="csv"))
    assert len(rader) == len(dok["kommuner"]) == 2
    for rad, fasit in zip(rader, dok["kommuner"], strict=True):
        for felt in ("kommunenummer", *KOMPONENTER):
            assert rad[felt] == fasit[felt]
        assert rad["korreksjon_ventende"] == ("true" if fasit["korreksjon_ventende"] else "false")
        assert rad["utstedt_sum"] == (fasit["utstedt_sum"] or "")
        assert rad["ventende_belop"] == (fasit["ventende_belop"] or "")
    totalt = csv_rader(hent(klient, NASJONALT, hdir, per=dok["per"], format="csv", tabell="totalt"))
    assert totalt == [dok["totalt"]]

    bok = ark(hent(klient, NASJONALT, hdir, per=dok["per"], format="xlsx"))
    assert list(bok) == ["Kommuner", "Totalt", "Om"]
    navn = dict(KOMPONENTNAVN)
    for celler, fasit in zip(som_dikt(bok["Kommuner"]), dok["kommuner"], strict=True):
        # Text: the leading zero is kept. The name stands beside the number.
        assert celler["Kommunenummer"].value == fasit["kommunenummer"]
        assert celler["Kommune"].value == KOMMUNER[fasit["kommunenummer"]]
        for k in KOMPONENTER:
            lik_tall(celler[f"{navn[k]} (kr)"], fasit[k], eksport.BELOP)
        lik_tall(celler["Utstedt sum (kr)"], fasit["utstedt_sum"], eksport.BELOP)
        lik_tall(celler["Ventende beløp (kr)"], fasit["ventende_belop"], eksport.BELOP)
    (sum_rad,) = som_dikt(bok["Totalt"])
    for k in KOMPONENTER:
        lik_tall(sum_rad[f"{navn[k]} (kr)"], dok["totalt"][k], eksport.BELOP)


def test_revisjon_som_csv_og_xlsx(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    dok = hent(klient, REVISJON, hdir, terskel="0.85").json()
    per = dok["per"]
    rader = csv_rader(hent(klient, REVISJON, hdir, per=per, terskel="0.85", format="csv"))
    for rad, v in zip(rader, dok["vedtak"], strict=True):
        assert rad["vedtak_id"] == v["vedtak_id"]
        for felt in ("tjenestekode", "vedtatte_timer", "utforte_timer"):
            assert rad[felt] == v[felt]
        assert rad["andel"] == (v["andel"] or "")
        assert rad["flagg"].split(",") == (v["flagg"] or [""])
        assert rad["antall_rapporter"] == str(len(v["rapporter"]))
    tjenester = csv_rader(
        hent(klient, REVISJON, hdir, per=per, terskel="0.85", format="csv", tabell="tjenester")
    )
    assert tjenester == [{k: v or "" for k, v in t.items()} for t in dok["tjenester"]]

    bok = ark(hent(klient, REVISJON, hdir, per=per, terskel="0.85", format="xlsx"))
    assert list(bok) == ["Tjenester", "Vedtak", "Om"]
    for celler, t in zip(som_dikt(bok["Tjenester"]), dok["tjenester"], strict=True):
        lik_tall(celler["Vedtatte timer"], t["vedtatte_timer"], eksport.VOLUM)
        lik_tall(celler["Utførte timer"], t["utforte_timer"], eksport.VOLUM)
        lik_tall(celler["Utført andel (%)"], t["andel"], "0.00%")  # a percentage, not 0.0000
    for celler, v in zip(som_dikt(bok["Vedtak"]), dok["vedtak"], strict=True):
        lik_tall(celler["Vedtatte timer"], v["vedtatte_timer"], eksport.VOLUM)
        lik_tall(celler["Utført andel (%)"], v["andel"], "0.00%")
        assert (celler["Flagg"].value or "") == ", ".join(FLAGG[f] for f in v["flagg"])


def test_xlsx_lagrer_eksakt_desimaltekst(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    """No binary float on the way: the sheet XML holds the API's own strings."""
    dok = hent(klient, OPPGJOR, hdir).json()
    svar = hent(klient, OPPGJOR, hdir, per=dok["per"], format="xlsx")
    with zipfile.ZipFile(io.BytesIO(svar.content)) as z:
        linjer = z.read("xl/worksheets/sheet2.xml").decode()
    tall = re.findall(r'<c r="F\d+" s="\d+" t="n"><v>([^<]+)</v>', linjer)
    assert tall == [linje["belop"] for linje in dok["linjer"]]


@pytest.mark.parametrize(
    ("accept", "format_", "forventet"),
    [
        (None, None, "application/json"),
        ("*/*", None, "application/json"),
        ("application/json", None, "application/json"),
        ("text/csv", None, CSV),
        ("text/csv, */*;q=0.1", None, CSV),
        ("text/*", None, CSV),
        (XLSX, None, XLSX),
        ("text/csv;q=0.5, application/json", None, "application/json"),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            None,
            "application/json",
        ),
        ("text/csv", "json", "application/json"),
        ("application/json", "xlsx", XLSX),
        ("text/html", "csv", CSV),
    ],
)
def test_formatvalg(
    klient: TestClient, auth: Token, accept: str | None, format_: str | None, forventet: str
) -> None:
    hode = auth(HDIR, HDIR_SCOPES)
    if accept is not None:
        hode["Accept"] = accept
    params = {} if format_ is None else {"format": format_}
    for url in (NASJONALT, OPPGJOR, REVISJON):
        svar = klient.get(url, headers=hode, params=params)
        assert svar.status_code == 200, (url, svar.text)
        assert svar.headers["content-type"] == forventet, url


def test_ukjent_format_er_406_eller_422(klient: TestClient, hdir: dict[str, str]) -> None:
    for url in (NASJONALT, OPPGJOR, REVISJON):
        svar = klient.get(url, headers={**hdir, "Accept": "text/html"})
        assert svar.status_code == 406
        assert svar.headers["content-type"].startswith("application/problem+json")
        assert svar.json()["status"] == 406
        assert klient.get(url, headers=hdir, params={"format": "pdf"}).status_code == 422
        ukjent = klient.get(url, headers=hdir, params={"format": "csv", "tabell": "ingen"})
        assert ukjent.status_code == 422


def test_json_er_uendret_med_format_json(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    for url in (NASJONALT, OPPGJOR, REVISJON):
        per = hent(klient, url, hdir).json()["per"]
        uten = hent(klient, url, hdir, per=per)
        med = hent(klient, url, hdir, per=per, format="json")
        assert med.content == uten.content
        assert uten.headers["content-type"] == "application/json"


def test_autentisering_gjelder_eksport_ogsa(klient: TestClient, auth: Token) -> None:
    assert klient.get(NASJONALT, params={"format": "csv"}).status_code == 401
    hobol = auth("910138006", "sio:oppgjor.read")
    svar = klient.get("/v1/kommuner/0926/oppgjor/2017/1", headers=hobol, params={"format": "xlsx"})
    assert svar.status_code == 403


def test_sidene_laster_ned_samme_eksport(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    for side, api_url in (
        ("/ui/oppgjor/2017/1", NASJONALT),
        ("/ui/kommuner/0138/oppgjor/2017/1", OPPGJOR),
        ("/ui/revisjon/kommuner/0138/2017/1", REVISJON),
    ):
        per = hent(klient, api_url, hdir).json()["per"]
        fra_side = hent(klient, side, hdir, per=per, format="csv")
        fra_api = hent(klient, api_url, hdir, per=per, format="csv")
        assert fra_side.content == fra_api.content
        assert fra_side.headers["content-type"] == CSV


def test_openapi_dokumenterer_formatene(klient: TestClient) -> None:
    spec = klient.get("/openapi.json").json()
    for sti in (
        "/v1/oppgjor/{aar}/{kvartal}",
        "/v1/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}",
        "/v1/revisjon/kommuner/{kommunenummer}/{aar}/{kvartal}/vedtatt-utfort",
    ):
        get = spec["paths"][sti]["get"]
        assert {"application/json", "text/csv", XLSX} <= get["responses"]["200"]["content"].keys()
        assert "406" in get["responses"]
        assert {"format", "tabell"} <= {p["name"] for p in get["parameters"]}
    assert not any(sti.startswith("/ui") for sti in spec["paths"])


def excel_rader(svar: Any) -> list[dict[str, str]]:
    """excel-csv: UTF-8 with BOM, `;`-separated, Norwegian headers."""
    assert svar.headers["content-type"] == CSV
    assert svar.headers["content-disposition"].endswith('_excel.csv"')
    assert svar.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(svar.content.decode("utf-8-sig")), delimiter=";"))


def komma(tall: str | None) -> str:
    return "" if tall is None else tall.replace(".", ",")


def test_excel_csv_for_norsk_excel(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    dok = hent(klient, NASJONALT, hdir).json()
    rader = excel_rader(hent(klient, NASJONALT, hdir, per=dok["per"], format="excel-csv"))
    navn = dict(KOMPONENTNAVN)
    assert list(rader[0])[:3] == ["Kommunenummer", "Kommune", "Vedtakstilskudd (kr)"]
    for rad, fasit in zip(rader, dok["kommuner"], strict=True):
        assert rad["Kommunenummer"] == fasit["kommunenummer"]
        assert rad["Kommune"] == KOMMUNER[fasit["kommunenummer"]]
        for k in KOMPONENTER:
            assert rad[f"{navn[k]} (kr)"] == komma(fasit[k])
            assert "." not in rad[f"{navn[k]} (kr)"]
        assert rad["Korreksjon venter"] == ("Ja" if fasit["korreksjon_ventende"] else "Nei")

    oppgjor = hent(klient, OPPGJOR, hdir).json()
    linjer = excel_rader(hent(klient, OPPGJOR, hdir, per=oppgjor["per"], format="excel-csv"))
    assert list(linjer[0]) == [
        "Tjenestekode",
        "Tjenestegruppe",
        "Enhet",
        "Volum",
        "Sats (kr)",
        "Vedtakstilskudd (kr)",
        "Antall vedtak",
        "Mangler sats",
    ]
    for rad, linje in zip(linjer, oppgjor["linjer"], strict=True):
        assert rad["Vedtakstilskudd (kr)"] == komma(linje["belop"])
        assert rad["Volum"] == komma(linje["volum"])

    rev = hent(klient, REVISJON, hdir, terskel="0.85").json()
    vedtak = excel_rader(
        hent(klient, REVISJON, hdir, per=rev["per"], terskel="0.85", format="excel-csv")
    )
    for rad, v in zip(vedtak, rev["vedtak"], strict=True):
        # A share as Excel reads a percentage: 0.8512 -> 85,12%.
        forventet = "" if v["andel"] is None else komma(f"{Decimal(v['andel']) * 100:.2f}") + "%"
        assert rad["Utført andel (%)"] == forventet
        assert rad["Flagg"] == ", ".join(FLAGG[f] for f in v["flagg"])
    assert any(r["Utført andel (%)"].endswith("%") for r in vedtak)


def test_maskin_csv_er_uendret(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    """The machine CSV keeps its exact form: field names, decimal point, no BOM, no names."""
    svar = hent(klient, NASJONALT, hdir, format="csv")
    assert svar.content.startswith(
        b"kommunenummer;vedtakstilskudd;rundsumtilskudd;inntektspaslag;sum;uttrekk;differanse;"
        b"utstedt_versjon;utstedt_sum;korreksjon_ventende;ventende_belop;advarsler\r\n"
    )
    om = hent(klient, OPPGJOR, hdir, format="csv", tabell="om").content.decode()
    assert om.startswith("felt;verdi\r\nvisning;kvartalsoppgjor\r\nkommunenummer;0138\r\n")
    assert "Hobøl" not in om


@pytest.mark.parametrize(
    "side",
    [
        "/ui/oppgjor/2017/1",
        "/ui/kommuner/0138/oppgjor/2017/1",
        "/ui/revisjon/kommuner/0138/2017/1",
    ],
)
def test_sidene_laster_ned_excel_csv_og_avviser_ukjent_format(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario, side: str
) -> None:
    assert excel_rader(hent(klient, side, hdir, format="excel-csv"))
    ukjent = klient.get(side, headers=hdir, params={"format": "pdf"})
    assert ukjent.status_code == 422 and "text/html" in ukjent.headers["content-type"]
    assert "csv" in ukjent.text and "xlsx" in ukjent.text


@pytest.mark.parametrize(
    "sti",
    [
        "/ui/kommuner/0138/2017",
        "/ui/kommuner/0138/oppgjor/2017/1/versjoner",
        "/v1/kommuner/0138/saldo",
        "/v1/kommuner/0138/oppgjor/2017/1/versjoner",
    ],
)
def test_format_avvises_der_det_ikke_finnes(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario, sti: str
) -> None:
    """`?format=` is never silently ignored: a view without exports refuses it in Norwegian."""
    svar = klient.get(sti, headers=hdir, params={"format": "csv"})
    assert svar.status_code == 406, svar.text
    if sti.startswith("/ui"):
        assert "text/html" in svar.headers["content-type"]
    else:
        assert svar.headers["content-type"].startswith("application/problem+json")
    assert "kan ikke lastes ned" in svar.text
    # json is what an API view gives anyway: asking for it is answered, not refused.
    if sti.startswith("/v1"):
        assert klient.get(sti, headers=hdir, params={"format": "json"}).status_code == 200
