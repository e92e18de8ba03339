"""End to end in headless Chromium: a real `oppgjor serve`, the scenario loaded over HTTP,
login by pasting a token, and clicks from the national view down to the audit view.

Debian's chromium only (/usr/bin/chromium), installed by the project's set-up
(`make systempakker`, which `make test` depends on); never a browser download, never an
install from a test. Without it the test skips locally and fails under CI=true.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from services.settlement.application.dokument import KOMPONENTER
from shared.tilgang.token import lag_token
from tests.conftest import HDIR
from tests.server import Server
from tests.web.scenario import HDIR_SCOPES, last_scenario

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGUMENTER = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _uten_nettleser(melding: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(melding)
    pytest.skip(melding)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium, as `make systempakker` installs it."""
    if not CHROMIUM.exists():
        _uten_nettleser(
            f"{CHROMIUM} finnes ikke; kjør make systempakker (apt-get install chromium)"
        )
    return CHROMIUM


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    tjener = Server(tmp_path / "server", f"sqlite:///{tmp_path / 'e2e.db'}")
    tjener.start()
    try:
        yield tjener
    finally:
        tjener.stopp()


@pytest.fixture
def nettleser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=ARGUMENTER)
        try:
            yield browser
        finally:
            browser.close()


def figurer(page: Page, tabell: str) -> dict[tuple[str, str], str]:
    """(row, field) -> the raw API string of every figure cell in a table."""
    rader: list[dict[str, str]] = page.eval_on_selector_all(
        f"table#{tabell} [data-felt][data-verdi]",
        """els => els.map(e => ({
            rad: e.closest('[data-rad]') ? e.closest('[data-rad]').dataset.rad : '',
            felt: e.dataset.felt, verdi: e.dataset.verdi }))""",
    )
    return {(r["rad"], r["felt"]): r["verdi"] for r in rader}


# The API's answer to a GET, as known at `per` when given: the page must show exactly this.
Fasit = Callable[..., Any]


def test_klikk_fra_nasjonalt_til_revisjon(
    server: Server, nettleser: Browser, tmp_path: Path
) -> None:
    def hode(org: str, scopes: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {lag_token(org, scopes, data_dir=server.data_dir)}"}

    hdir = hode(HDIR, HDIR_SCOPES)
    with httpx.Client(base_url=server.url, timeout=60) as api:
        last_scenario(api, hode)

        def fasit(url: str, **params: Any) -> Any:
            svar = api.get(url, headers=hdir, params=params)
            assert svar.status_code == 200, svar.text
            return svar.json()

        side = nettleser.new_page(locale="nb-NO")
        side.set_default_timeout(30_000)
        eksterne = _bare_lokalt(side, server.url)

        _logg_inn(side, server.url, hdir["Authorization"].removeprefix("Bearer "))
        _nasjonalt(side, fasit, tmp_path)
        _kommune(side, server.url, fasit, tmp_path)
        _revisjon(side, server.url, fasit, tmp_path)
        _oppgjor(side, server.url, fasit, tmp_path)
        _versjoner(side, fasit, tmp_path)
        assert eksterne == []


def _bare_lokalt(side: Page, url: str) -> list[str]:
    """Everything works offline: nothing leaves; the list collects what tried to."""
    eksterne: list[str] = []
    vert = urlsplit(url).netloc

    def rute(route: Any) -> None:
        if urlsplit(route.request.url).netloc != vert:
            eksterne.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    side.route("**/*", rute)
    return eksterne


def _logg_inn(side: Page, url: str, token: str) -> None:
    # Not logged in: the national view sends us to the login form.
    side.goto(f"{url}/ui/oppgjor/2017/1")
    side.wait_for_url("**/ui/logg-inn?neste=*")
    side.get_by_label("Token").fill(token)
    side.get_by_role("button", name="Logg inn").click()
    side.wait_for_url(f"{url}/ui/oppgjor/2017/1")
    side.wait_for_selector("table#kommuner tbody tr[data-rad='0138']")
    assert side.locator("html").get_attribute("lang") == "nb"

    # The first Tab reaches the skip link.
    side.keyboard.press("Tab")
    assert side.evaluate("document.activeElement.textContent") == "Hopp til hovedinnholdet"


def _nasjonalt(side: Page, fasit: Fasit, tmp_path: Path) -> None:
    per = side.get_attribute("#per", "data-verdi")
    assert per
    nasjonalt = fasit("/v1/oppgjor/2017/1", per=per)
    vist = figurer(side, "kommuner")
    for r in nasjonalt["kommuner"]:
        for k in KOMPONENTER:
            assert vist[(r["kommunenummer"], k)] == r[k]
    for k in KOMPONENTER:
        assert vist[("totalt", k)] == nasjonalt["totalt"][k]
    rundsum = side.locator("tr[data-rad='0138'] [data-felt='rundsumtilskudd']")
    assert rundsum.inner_text() == "900\u00a0000,00\u00a0kr"
    side.screenshot(path=tmp_path / "nasjonalt.png", full_page=True)


def _kommune(side: Page, url: str, fasit: Fasit, tmp_path: Path) -> None:
    # Click through to the municipality.
    side.get_by_role("link", name="0138 Hobøl", exact=True).click()
    side.wait_for_url(f"{url}/ui/kommuner/0138/2017")
    side.wait_for_selector("table#kvartaler tr[data-rad='K1']")
    per = side.get_attribute("#per", "data-verdi")
    vist = figurer(side, "kvartaler")
    for kvartal in (1, 2, 3, 4):
        dok = fasit(f"/v1/kommuner/0138/oppgjor/2017/{kvartal}", per=per)
        for k in KOMPONENTER:
            assert vist[(f"K{kvartal}", k)] == dok[k]
    assert side.locator("svg#tilskudd-diagram[role='img'] rect").count() > 0
    assert side.locator("svg#timer-diagram[role='img'] rect").count() == 8
    side.screenshot(path=tmp_path / "kommune.png", full_page=True)


def _revisjon(side: Page, url: str, fasit: Fasit, tmp_path: Path) -> None:
    # On to the quarter's audit view, then filter with a threshold.
    side.locator("table#kvartaler tr[data-rad='K1'] a.revisjon").click()
    side.wait_for_url(f"{url}/ui/revisjon/kommuner/0138/2017/1")
    side.wait_for_selector("table#vedtak tbody tr[data-rad]")
    side.get_by_label("Terskel for andel utført").fill("0,85")
    side.get_by_label("Flagg", exact=True).select_option(label="Bare flaggede")
    side.get_by_role("button", name="Oppdater").click()
    side.wait_for_url("**/revisjon/kommuner/0138/2017/1?terskel=0%2C85&sok=&*flagg=flagget")
    side.wait_for_selector("#terskel-brukt[data-verdi='0.85']")
    per = side.get_attribute("#per", "data-verdi")
    revisjon = fasit("/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort", per=per, terskel="0.85")
    vist = figurer(side, "vedtak")
    flaggede = [v for v in revisjon["vedtak"] if v["flagg"]]
    assert {rad for rad, _ in vist} == {v["vedtak_id"] for v in flaggede}
    for v in flaggede:
        assert vist[(v["vedtak_id"], "vedtatte_timer")] == v["vedtatte_timer"]
        assert vist[(v["vedtak_id"], "utforte_timer")] == v["utforte_timer"]
        assert vist[(v["vedtak_id"], "andel")] == (v["andel"] or "")
        assert vist[(v["vedtak_id"], "flagg")] == " ".join(v["flagg"])
    vist = figurer(side, "tjenester")
    for t in revisjon["tjenester"]:
        assert vist[(t["tjenestekode"], "vedtatte_timer")] == t["vedtatte_timer"]
        assert vist[(t["tjenestekode"], "utforte_timer")] == t["utforte_timer"]
    side.screenshot(path=tmp_path / "revisjon.png", full_page=True)


def _oppgjor(side: Page, url: str, fasit: Fasit, tmp_path: Path) -> None:
    # And the quarter's settlement.
    side.get_by_role("link", name="kvartalets oppgjør", exact=True).click()
    side.wait_for_url(f"{url}/ui/kommuner/0138/oppgjor/2017/1")
    side.wait_for_selector("table#linjer tbody tr[data-rad]")
    per = side.get_attribute("#per", "data-verdi")
    dok = fasit("/v1/kommuner/0138/oppgjor/2017/1", per=per)
    vist = figurer(side, "linjer")
    for linje in dok["linjer"]:
        for felt in ("volum", "sats", "belop"):
            assert vist[(linje["tjenestekode"], felt)] == linje[felt]
    vist = figurer(side, "komponenter")
    for k in KOMPONENTER:
        assert vist[(k, "belop")] == dok[k]
    side.screenshot(path=tmp_path / "oppgjor.png", full_page=True)


def _versjoner(side: Page, fasit: Fasit, tmp_path: Path) -> None:
    side.get_by_role("link", name="Utstedte versjoner", exact=True).click()
    side.wait_for_selector("table#versjoner tr[data-rad='2']")
    versjoner = fasit("/v1/kommuner/0138/oppgjor/2017/1/versjoner")["versjoner"]
    vist = figurer(side, "versjoner")
    for v in versjoner:
        assert vist[(str(v["versjon"]), "hash")] == v["hash"]
    assert figurer(side, "korreksjon-2")[("sum", "differanse")] == versjoner[1]["korreksjon"]["sum"]
    side.screenshot(path=tmp_path / "versjoner.png", full_page=True)
