"""End to end in headless Chromium, the work itself: Hdir uploads a price table, sees the
difference and publishes it; issues a quarter after its preview; a late batch from a case
system makes a korreksjon pending; Hdir previews and issues it, registers a payment and
sees the balance. Every figure read from a page equals the API's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from services.settlement.application.dokument import KOMPONENTER
from shared.tilgang.token import lag_token
from tests.conftest import HDIR, HOBOL
from tests.hendelser import endret, fattet, rapport
from tests.server import Server
from tests.web.scenario import HDIR_SCOPES, VEDTAK_SKRIV
from tests.web.test_nettleser import (  # noqa: F401 (fixtures)
    _bare_lokalt,
    chromium,
    figurer,
    nettleser,
    server,
)

pytestmark = pytest.mark.browser

SATSFIL = "tjenestekode;sats_2017\nHTAMDK;724,00\nPBAMDK;520,00\nLOKO;2480,00\n"


def _ok(svar: httpx.Response, status: int = 200) -> Any:
    assert svar.status_code == status, svar.text
    return svar.json()


def _forbered(api: httpx.Client, hdir: dict[str, str], kommune: dict[str, str]) -> None:
    """What the case system and Hdir did before: a table without LOKO, a funding basis,
    and the municipality's vedtak."""
    gammel = [
        {"tjenestekode": "HTAMDK", "sats": "700.00"},
        {"tjenestekode": "PBAMDK", "sats": "520.00"},
    ]
    _ok(api.put("/v1/satser/2017", json={"satser": gammel}, headers=hdir))
    grunnlag = {"uttrekk": "101800000.00", "rundsum": "3600000.00", "inntektspaslag": "3600000.00"}
    _ok(api.put("/v1/kommuner/0138/grunnlag/2017", json=grunnlag, headers=hdir))
    hendelser = [
        fattet("V1"),
        fattet("V2", tjenestekode="PBAMDK", timer_per_uke="3"),
        fattet("V3", tjenestekode="LOKO", timer_per_uke=None),
        rapport("V1", "2017-01-01", "2017-03-31", "80"),
    ]
    _ok(api.post("/v1/hendelser", json={"hendelser": hendelser}, headers=kommune))


def _logg_inn(side: Page, url: str, token: str) -> None:
    side.goto(f"{url}/ui/handlinger")
    side.wait_for_url("**/ui/logg-inn?neste=*")
    side.get_by_label("Token").fill(token)
    side.get_by_role("button", name="Logg inn").click()
    side.wait_for_url(f"{url}/ui/handlinger")


def _publiser_satser(side: Page, api: httpx.Client, hdir: dict[str, str], tmp: Path) -> None:
    fil = tmp / "satser_2017.csv"
    fil.write_text(SATSFIL, encoding="utf-8")
    side.get_by_role("navigation", name="Handlinger").get_by_role(
        "link", name="Publiser satser"
    ).click()
    side.get_by_label("År").fill("2017")
    side.get_by_label("Satsfil (CSV eller XLSX)").set_input_files(str(fil))
    side.get_by_role("button", name="Forhåndsvis").click()
    side.wait_for_selector("table#lagt_til")
    assert figurer(side, "lagt_til") == {("LOKO", "gjeldende"): "", ("LOKO", "ny"): "2480.00"}
    assert figurer(side, "endret") == {
        ("HTAMDK", "gjeldende"): "700.00",
        ("HTAMDK", "ny"): "724.00",
    }
    assert figurer(side, "fjernet") == {}
    side.get_by_role("button", name="Publiser tabellen").click()
    side.wait_for_selector("#melding[data-status='ok']")
    tabell = _ok(api.get("/v1/satser/2017", headers=hdir))
    assert side.get_attribute("#versjon", "data-verdi") == str(tabell["versjon"]) == "2"
    assert {s["tjenestekode"]: s["sats"] for s in tabell["satser"]} == {
        "HTAMDK": "724.00",
        "PBAMDK": "520.00",
        "LOKO": "2480.00",
    }


def _utsted(side: Page, url: str, api: httpx.Client, hdir: dict[str, str], versjon: int) -> None:
    side.goto(f"{url}/ui/handlinger")
    side.locator("#utsted-knr").select_option("0138")
    side.locator("#utsted-aar").fill("2017")
    side.locator("#utsted-kvartal").select_option("1")
    side.get_by_role("button", name="Forhåndsvis").first.click()
    side.wait_for_selector("table#komponenter")
    per = side.get_attribute("#per", "data-verdi")
    fasit = _ok(
        api.get(
            "/v1/kommuner/0138/oppgjor/2017/1",
            params={"per": per, "detaljer": "vedtak"},
            headers=hdir,
        )
    )
    vist = figurer(side, "komponenter")
    for k in KOMPONENTER:
        assert vist[(k, "belop")] == fasit[k]
    linjer = figurer(side, "linjer")
    for linje in fasit["linjer"]:
        assert linjer[(linje["tjenestekode"], "belop")] == linje["belop"]
    if versjon > 1:
        diff = figurer(side, "korreksjon")
        for k in KOMPONENTER:
            assert diff[(k, "differanse")] == fasit["endring_siden_utstedt"][k]
        assert fasit["endring_siden_utstedt"]["sum"] != "0.00"
    side.locator("#bekreft-utsted").click()
    side.wait_for_selector("#hash")
    utstedt = _ok(api.get("/v1/kommuner/0138/oppgjor/2017/1/versjoner", headers=hdir))
    siste = utstedt["versjoner"][-1]
    assert siste["versjon"] == versjon
    assert side.get_attribute("#hash", "data-verdi") == siste["hash"]
    assert side.locator("#hash").inner_text() == siste["hash"]
    assert side.locator("#avvik").count() == 0
    dok = figurer(side, "komponenter")
    for k in KOMPONENTER:
        assert dok[(k, "belop")] == siste[k] == fasit[k]


def _betal(side: Page, url: str, api: httpx.Client, hdir: dict[str, str]) -> None:
    side.goto(f"{url}/ui/kommuner/0138/saldo")
    side.get_by_label("År", exact=True).fill("2017")
    side.get_by_label("Kvartal", exact=True).select_option("1")
    side.get_by_label("Beløp (kr)").fill("1 000 000,00")
    side.get_by_label("Betalt dato").fill("2017-05-02")
    side.get_by_role("button", name="Registrer utbetalingen").click()
    side.wait_for_selector("#melding[data-status='ok']")
    per = side.get_attribute("#per", "data-verdi")
    saldo = _ok(api.get("/v1/kommuner/0138/saldo", params={"per": per}, headers=hdir))
    assert saldo["betalt"] == "1000000.00"
    vist = figurer(side, "saldo")
    for felt in ("utstedt", "betalt", "saldo"):
        assert vist[("totalt", felt)] == saldo[felt]
        assert vist[("2017-1", felt)] == saldo["kvartaler"][0][felt]
    assert vist[("2017-1", "utstedt_versjon")] == "2"


def test_hdir_gjor_jobben_i_nettleseren(
    server: Server,  # noqa: F811 (the browser test's fixture)
    nettleser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    def hode(org: str, scopes: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {lag_token(org, scopes, data_dir=server.data_dir)}"}

    hdir = hode(HDIR, HDIR_SCOPES)
    kommune = hode(HOBOL, VEDTAK_SKRIV)
    with httpx.Client(base_url=server.url, timeout=60) as api:
        _forbered(api, hdir, kommune)
        side = nettleser.new_page(locale="nb-NO")
        side.set_default_timeout(30_000)
        eksterne = _bare_lokalt(side, server.url)
        _logg_inn(side, server.url, hdir["Authorization"].removeprefix("Bearer "))
        _publiser_satser(side, api, hdir, tmp_path)
        _utsted(side, server.url, api, hdir, versjon=1)
        # A late batch from the case system: a retroactive change, a korreksjon pending.
        sent = {"hendelser": [endret("V1", "2017-02-01", timer_per_uke="10")]}
        _ok(api.post("/v1/hendelser", json=sent, headers=kommune))
        nasjonalt = _ok(api.get("/v1/oppgjor/2017/1", headers=hdir))
        assert nasjonalt["kommuner"][0]["korreksjon_ventende"] is True
        _utsted(side, server.url, api, hdir, versjon=2)
        _betal(side, server.url, api, hdir)
        assert eksterne == []
