"""End to end in headless Chromium, the other two roles (issue 10):

- a municipality logs in, lands on its own municipality page, follows its links, and gets
  the Norwegian 403/404 page, never figures, for every page of another municipality; its
  action menu offers nothing of Hdir's;
- an auditor opens the audit page, filters to flagged rows, follows a flagged row's vedtak
  to its explanation and on to the vedtak's events. Every figure read equals the API's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page

from services.settlement.application.dokument import KOMPONENTER
from shared.tilgang.token import lag_token
from tests.conftest import HOBOL, REVISJON
from tests.server import Server
from tests.web.scenario import last_scenario
from tests.web.test_nettleser import (  # noqa: F401 (fixtures)
    _bare_lokalt,
    chromium,
    figurer,
    nettleser,
    server,
)

pytestmark = pytest.mark.browser

KOMMUNE_LES = "sio:oppgjor.read"
REVISJON_LES = "sio:revisjon.read"

# Every page type of another municipality (0926, Lillesand, in the scenario).
ANDRES_SIDER = (
    "/ui/kommuner/0926/2017",
    "/ui/kommuner/0926/oppgjor/2017/1",
    "/ui/kommuner/0926/oppgjor/2017/1?detaljer=vedtak",
    "/ui/kommuner/0926/oppgjor/2017/1/versjoner",
    "/ui/revisjon/kommuner/0926/2017/1",
    "/ui/kommuner/0926/saldo",
    "/ui/kommuner/0926/oppgjor/2017/1/vedtak/L1",
    "/ui/kommuner/0926/vedtak/L1/hendelser?aar=2017&kvartal=1",
    "/ui/kommuner/0926/grunnlag/2017",
    "/ui/kommuner/0926/aar/2017/las",
    "/ui/kommuner/0926/oppgjor/2017/1/dokument/1",
)
# Hdir's action pages, for the municipality's own figures too.
HDIR_SIDER = (
    "/ui/satser",
    "/ui/kommuner/0138/oppgjor/2017/1/utsted",
    "/ui/kommuner/0138/grunnlag/2017",
    "/ui/kommuner/0138/aar/2017/las",
)


class Api:
    """The API's answer to the same person, as known at the page's `per`."""

    def __init__(self, klient: httpx.Client, token: str) -> None:
        self.klient = klient
        self.hode = {"Authorization": f"Bearer {token}"}

    def __call__(self, url: str, **params: Any) -> Any:
        svar = self.klient.get(url, headers=self.hode, params=params)
        assert svar.status_code == 200, f"{url}: {svar.text}"
        return svar.json()


def _logg_inn(side: Page, url: str, start: str, token: str) -> None:
    side.goto(url + start)
    side.wait_for_url("**/ui/logg-inn?neste=*")
    side.get_by_label("Token").fill(token)
    side.get_by_role("button", name="Logg inn").click()


def _feilside(side: Page, url: str, sti: str) -> str:
    """Open a page that must be refused: the Norwegian error page, and no figure on it."""
    svar = side.goto(url + sti)
    assert svar is not None
    assert svar.status in (403, 404), f"{sti}: {svar.status}"
    assert svar.headers["content-type"].startswith("text/html"), sti
    assert side.locator("h1").inner_text() in ("Ingen tilgang", "Finnes ikke"), sti
    assert side.locator("html").get_attribute("lang") == "nb"
    assert side.locator("[data-verdi], table").count() == 0, sti  # never figures
    assert "kr" not in side.locator("main").inner_text().split(), sti
    return side.locator("h1").inner_text()


def _egne_lenker(side: Page, url: str) -> list[str]:
    hrefs: list[str] = side.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)")
    return sorted(
        {h.split("#")[0] for h in hrefs if h.startswith(url + "/ui/") and "/logg-" not in h}
    )


def _kommunens_side(side: Page, url: str, api: Api) -> None:
    side.wait_for_url(f"{url}/ui/kommuner/0138/2017")
    side.wait_for_selector("table#kvartaler tr[data-rad='K1']")
    assert side.locator("h1").inner_text().count("Hobøl") == 1
    per = side.get_attribute("#per", "data-verdi")
    vist = figurer(side, "kvartaler")
    for kvartal in (1, 2, 3, 4):
        dok = api(f"/v1/kommuner/0138/oppgjor/2017/{kvartal}", per=per)
        for k in KOMPONENTER:
            assert vist[(f"K{kvartal}", k)] == dok[k]
    assert "0926" not in side.locator("main").inner_text()


def _folg_lenkene(side: Page, url: str, api: Api) -> None:
    """Every link on the municipality's page opens (its own pages), none to another's."""
    lenker = _egne_lenker(side, url)
    assert any("/ui/kommuner/0138/oppgjor/2017/1" in lenke for lenke in lenker), lenker
    for lenke in lenker:
        sti = urlsplit(lenke).path
        assert "/0926" not in sti and "/1243" not in sti, lenke
        svar = side.goto(lenke)
        assert svar is not None and svar.status == 200, f"{lenke}: {svar and svar.status}"
    # The quarter's lines: the figures are the API's for the municipality itself.
    side.goto(f"{url}/ui/kommuner/0138/oppgjor/2017/1")
    side.wait_for_selector("table#linjer tbody tr[data-rad]")
    per = side.get_attribute("#per", "data-verdi")
    dok = api("/v1/kommuner/0138/oppgjor/2017/1", per=per)
    vist = figurer(side, "linjer")
    for linje in dok["linjer"]:
        assert vist[(linje["tjenestekode"], "belop")] == linje["belop"]
    # The balance: its own, as the API says.
    side.goto(f"{url}/ui/kommuner/0138/saldo")
    side.wait_for_selector("table#saldo")
    saldo = api("/v1/kommuner/0138/saldo", per=side.get_attribute("#per", "data-verdi"))
    assert figurer(side, "saldo")[("totalt", "utstedt")] == saldo["utstedt"]


def _handlingsmeny(side: Page, url: str) -> None:
    side.goto(f"{url}/ui/handlinger")
    main = side.locator("main")
    for hdir_tittel in ("Utsted et kvartal", "Satser", "Finansieringsgrunnlag"):
        assert main.get_by_role("heading", name=hdir_tittel).count() == 0
    assert side.get_by_role("link", name="Publiser satser").count() == 0
    assert side.locator("form[action='/ui/handlinger/ga'] input[value='utsted']").count() == 0
    assert side.get_by_role("link", name="Saldo for 0138 Hobøl").count() == 1
    for sti in HDIR_SIDER:
        assert _feilside(side, url, sti) == "Ingen tilgang", sti


def test_kommunen_ser_bare_sine_egne_sider(
    server: Server,  # noqa: F811 (the browser test's fixture)
    nettleser: Browser,  # noqa: F811
) -> None:
    def hode(org: str, scopes: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {lag_token(org, scopes, data_dir=server.data_dir)}"}

    token = lag_token(HOBOL, KOMMUNE_LES, data_dir=server.data_dir)
    with httpx.Client(base_url=server.url, timeout=60) as klient:
        last_scenario(klient, hode)
        api = Api(klient, token)
        side = nettleser.new_page(locale="nb-NO")
        side.set_default_timeout(30_000)
        eksterne = _bare_lokalt(side, server.url)
        _logg_inn(side, server.url, "/ui", token)
        _kommunens_side(side, server.url, api)
        _folg_lenkene(side, server.url, api)
        for sti in ANDRES_SIDER:
            _feilside(side, server.url, sti)
        _handlingsmeny(side, server.url)
        assert eksterne == []


def _revisjonsside(side: Page, url: str, api: Api) -> dict[str, Any]:
    side.wait_for_url(f"{url}/ui/revisjon/kommuner/0138/2017/1")
    side.wait_for_selector("table#vedtak tbody tr[data-rad]")
    side.get_by_label("Flagg", exact=True).select_option(label="Bare flaggede")
    side.get_by_role("button", name="Oppdater").click()
    side.wait_for_url("**/revisjon/kommuner/0138/2017/1?*flagg=flagget*")
    per = side.get_attribute("#per", "data-verdi")
    revisjon = api("/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort", per=per)
    flaggede = [v for v in revisjon["vedtak"] if v["flagg"]]
    assert flaggede, "scenarioet skal ha flaggede vedtak"
    vist = figurer(side, "vedtak")
    assert {rad for rad, _ in vist} == {v["vedtak_id"] for v in flaggede}
    for v in flaggede:
        for felt in ("vedtatte_timer", "utforte_timer"):
            assert vist[(v["vedtak_id"], felt)] == v[felt]
        assert vist[(v["vedtak_id"], "andel")] == (v["andel"] or "")
        assert vist[(v["vedtak_id"], "flagg")] == " ".join(v["flagg"])
    return dict(flaggede[0])


def _forklaring(side: Page, url: str, api: Api, vedtak_id: str) -> str:
    side.locator(f"table#vedtak tr[data-rad='{vedtak_id}'] a[href*='/vedtak/']").first.click()
    side.wait_for_url(f"{url}/ui/kommuner/0138/oppgjor/2017/1/vedtak/{vedtak_id}**")
    side.wait_for_selector("table#linje-1")
    per = side.get_attribute("#per", "data-verdi")
    assert per
    fasit = api(f"/v1/kommuner/0138/oppgjor/2017/1/vedtak/{vedtak_id}", per=per)
    assert fasit["linjer"]
    for n, linje in enumerate(fasit["linjer"], start=1):
        vist = figurer(side, f"linje-{n}")
        assert vist[("linje", "volum")] == linje["volum"]
        assert vist[("linje", "sats")] == (linje["sats"] or "")
        assert vist[("linje", "belop")] == linje["belop"]
        assert vist[("linje", "satstabell_versjon")] == str(linje["satstabell"]["versjon"])
        segmenter = figurer(side, f"segmenter-{n}")
        for s in linje["segmenter"]:
            assert segmenter[(s["fra"], "dager")] == str(s["dager"])
            assert segmenter[(s["fra"], "fravaersdager")] == str(s["fravaersdager"])
            assert segmenter[(s["fra"], "volum")] == s["volum"]
    return per


def _hendelser(side: Page, url: str, api: Api, vedtak_id: str, forklart: str) -> None:
    side.locator("#til-hendelser").click()
    side.wait_for_url(f"{url}/ui/kommuner/0138/vedtak/{vedtak_id}/hendelser**")
    side.wait_for_selector("table#hendelser tbody tr[data-rad]")
    # Both pages read "now" (no `per` chosen): each is read at its own instant, this one later.
    per = side.get_attribute("#per", "data-verdi")
    assert per and per >= forklart
    logg = api("/v1/revisjon/kommuner/0138/hendelser", per=per, vedtak_id=vedtak_id)
    assert logg["hendelser"]
    vist = figurer(side, "hendelser")
    assert {rad for rad, _ in vist} == {str(h["posisjon"]) for h in logg["hendelser"]}
    for h in logg["hendelser"]:
        rad = str(h["posisjon"])
        assert vist[(rad, "registrert")] == h["registrert"]
        assert vist[(rad, "type")] == h["type"]
        assert vist[(rad, "hendelse_id")] == h["hendelse_id"]


def test_revisor_fra_flagget_rad_til_forklaring_og_hendelser(
    server: Server,  # noqa: F811
    nettleser: Browser,  # noqa: F811
) -> None:
    def hode(org: str, scopes: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {lag_token(org, scopes, data_dir=server.data_dir)}"}

    token = lag_token(REVISJON, REVISJON_LES, data_dir=server.data_dir)
    with httpx.Client(base_url=server.url, timeout=60) as klient:
        last_scenario(klient, hode)
        api = Api(klient, token)
        side = nettleser.new_page(locale="nb-NO")
        side.set_default_timeout(30_000)
        eksterne = _bare_lokalt(side, server.url)
        _logg_inn(side, server.url, "/ui/revisjon/kommuner/0138/2017/1", token)
        flagget = _revisjonsside(side, server.url, api)
        per = _forklaring(side, server.url, api, flagget["vedtak_id"])
        _hendelser(side, server.url, api, flagget["vedtak_id"], per)
        assert eksterne == []
