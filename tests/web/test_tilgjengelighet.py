"""axe-core finds no WCAG 2.2 AA violation on any page type, wide and at 375 px, and no page
is wider than a 375 px window (wide tables scroll inside their own frame).

axe-core comes from npm, pinned in tests/web/axe/package-lock.json and installed by
`make npmpakker` (which `make test` depends on); the test injects that local file, so
nothing is fetched. Without it (or without chromium) the test skips locally and fails
under CI=true, as the browser test does.

To add a page type, add a line to SIDETYPER: a name and a path (with its query). Pages
reached only by POST (the previews and what a confirmation shows) are driven through their
forms in `test_ingen_wcag_brudd_pa_sider_etter_post`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from shared.tilgang.token import lag_token
from tests.conftest import HDIR, HOBOL
from tests.hendelser import endret
from tests.server import Server
from tests.web.scenario import HDIR_SCOPES, VEDTAK_SKRIV, last_scenario
from tests.web.test_nettleser import (  # noqa: F401  (fixtures)
    _uten_nettleser,
    chromium,
    nettleser,
    server,
)

pytestmark = pytest.mark.browser

AXE = Path(__file__).with_name("axe") / "node_modules" / "axe-core" / "axe.min.js"
TAGGER = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BREDDER = (1400, 375)

# name -> path: one of each page type, in the scenario of tests/web/scenario.py.
SIDETYPER: dict[str, str] = {
    "start": "/ui?per=2001-01-01T00:00:00Z",  # before anything was issued: the chooser
    "nasjonalt": "/ui/oppgjor/2017/1",
    "tidsreise": "/ui/oppgjor/2017/1?per=2030-01-01T12:00",
    "kommune_aar": "/ui/kommuner/0138/2017",
    "kvartalslinjer": "/ui/kommuner/0138/oppgjor/2017/1?detaljer=vedtak",
    "vedtakslinjer_filtrert": (
        "/ui/kommuner/0138/oppgjor/2017/1?detaljer=vedtak&tjenestekode=HTAMDK"
        "&sorter=belop&retning=synkende"
    ),
    "forklaring": "/ui/kommuner/0138/oppgjor/2017/1/vedtak/V1",
    "hendelser": "/ui/kommuner/0138/vedtak/V1/hendelser?aar=2017&kvartal=1",
    "revisjon": "/ui/revisjon/kommuner/0138/2017/1?flagg=flagget&sorter=andel",
    "versjoner": "/ui/kommuner/0138/oppgjor/2017/1/versjoner?fra=1&til=2",
    "logg_inn": "/ui/logg-inn",
    "feil_ukjent_kommune": "/ui/kommuner/9999/2017",
    "feil_ukjent_side": "/ui/finnes/ikke",
    "feil_ugyldig_per": "/ui/oppgjor/2017/1?per=igår",
    # The workplace's action pages (issue 10).
    "handlinger": "/ui/handlinger",
    "utsted_forhandsvisning": "/ui/kommuner/0138/oppgjor/2017/1/utsted",
    "dokument_utskrift": "/ui/kommuner/0138/oppgjor/2017/1/dokument/1",
    "saldo": "/ui/kommuner/0138/saldo",
    "satser": "/ui/satser",
    "grunnlag": "/ui/kommuner/0138/grunnlag/2017",
    "aarslas": "/ui/kommuner/0138/aar/2017/las",
    "innsynslogg": "/ui/revisjon/innsyn",
}


@pytest.fixture(scope="session")
def axe() -> str:
    if not AXE.exists():
        _uten_nettleser(f"{AXE} finnes ikke; kjør make npmpakker (npm ci --prefix tests/web/axe)")
    return AXE.read_text(encoding="utf-8")


def _brudd(side: Page, axe: str) -> list[str]:
    """axe's violations on the loaded page, one line each with where."""
    side.add_script_tag(content=axe)
    resultat: dict[str, Any] = side.evaluate(
        """async tagger => await axe.run(document, {runOnly: {type: 'tag', values: tagger}})""",
        TAGGER,
    )
    kjort = {
        r["id"] for n in ("passes", "violations", "incomplete", "inapplicable") for r in resultat[n]
    }
    assert "target-size" in kjort and "color-contrast" in kjort, "axe kjørte ikke WCAG 2.2-reglene"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} @ "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in resultat["violations"]
    ]


def _logg_inn(side: Page, url: str, token: str) -> None:
    side.goto(f"{url}/ui/logg-inn")
    side.get_by_label("Token").fill(token)
    side.get_by_role("button", name="Logg inn").click()
    side.wait_for_url(f"{url}/ui**")


def test_ingen_wcag_brudd_pa_noen_sidetype(
    server: Server,  # noqa: F811
    nettleser: Browser,  # noqa: F811
    axe: str,
) -> None:
    def hode(org: str, scopes: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {lag_token(org, scopes, data_dir=server.data_dir)}"}

    hdir = hode(HDIR, HDIR_SCOPES)
    with httpx.Client(base_url=server.url, timeout=60) as api:
        last_scenario(api, hode)
    funn: list[str] = []
    for bredde in BREDDER:
        side = nettleser.new_page(locale="nb-NO", viewport={"width": bredde, "height": 900})
        side.set_default_timeout(30_000)
        _logg_inn(side, server.url, hdir["Authorization"].removeprefix("Bearer "))
        for navn, sti in SIDETYPER.items():
            svar = side.goto(server.url + sti)
            assert svar is not None and svar.headers["content-type"].startswith("text/html"), navn
            assert side.locator("h1").count() == 1, navn
            funn += [f"{navn} @ {bredde}px: {b}" for b in _brudd(side, axe)]
            if bredde == 375:
                bredder = side.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                if bredder[0] != bredder[1]:
                    funn.append(f"{navn} @ 375px: siden er {bredder[0]} px bred")
        side.close()
    assert funn == [], "\n".join(funn)


def _funn(side: Page, navn: str, bredde: int, axe: str) -> list[str]:
    """What is wrong with the loaded page: axe's violations, and its width at 375 px."""
    assert side.locator("h1").count() == 1, navn
    funn = [f"{navn} @ {bredde}px: {b}" for b in _brudd(side, axe)]
    if bredde == 375:
        bredder = side.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if bredder[0] != bredder[1]:
            funn.append(f"{navn} @ 375px: siden er {bredder[0]} px bred")
    return funn


# Per width, a table that adds, changes and drops codes: the preview shows all three
# tables and the removal's confirmation. HTST is published before, so 1400 px can drop it.
SATSFILER = {
    1400: "tjenestekode;sats_2017\nHTAMDK;730,00\nPBAMDK;520,00\nLOKO;2480,00\nHTAMN;610,00\n",
    375: "tjenestekode;sats_2017\nHTAMDK;735,00\nPBAMDK;520,00\nLOKO;2480,00\nHTBON;400,00\n",
}


def _satser(side: Page, url: str, bredde: int, fil: Path, axe: str) -> list[str]:
    fil.write_text(SATSFILER[bredde], encoding="utf-8")
    side.goto(f"{url}/ui/satser")
    side.get_by_label("År").fill("2017")
    side.get_by_label("Satsfil (CSV eller XLSX)").set_input_files(str(fil))
    side.locator("#forhandsvis-satser").click()
    side.wait_for_selector("table#fjernet tbody tr[data-rad]")
    assert side.locator("table#lagt_til tbody tr[data-rad]").count() == 1
    funn = _funn(side, "satser_forhandsvisning", bredde, axe)
    side.locator("#bekreft_fjerning").check()
    side.locator("#publiser-satser").click()
    side.wait_for_selector("#melding[data-status='ok']")
    return funn + _funn(side, "satser_publisert", bredde, axe)


def _grunnlag(side: Page, url: str, bredde: int, axe: str) -> list[str]:
    side.goto(f"{url}/ui/kommuner/0138/grunnlag/2017")
    side.locator("#uttrekk").fill(f"{101_800_000 + bredde}")
    side.locator("#forhandsvis-grunnlag").click()
    side.wait_for_selector("table#grunnlag")
    funn = _funn(side, "grunnlag_forhandsvisning", bredde, axe)
    side.locator("#publiser-grunnlag").click()
    side.wait_for_selector("#melding[data-status='ok']")
    return funn + _funn(side, "grunnlag_publisert", bredde, axe)


def _korreksjon(side: Page, url: str, bredde: int, axe: str) -> list[str]:
    side.goto(f"{url}/ui/kommuner/0138/oppgjor/2017/1/utsted")
    side.wait_for_selector("table#korreksjon")
    funn = _funn(side, "utsted_korreksjon", bredde, axe)
    side.locator("#bekreft-utsted").click()
    side.wait_for_selector("#hash")
    return funn + _funn(side, "utstedt_versjon", bredde, axe)


def test_ingen_wcag_brudd_pa_sider_etter_post(
    server: Server,  # noqa: F811
    nettleser: Browser,  # noqa: F811
    axe: str,
    tmp_path: Path,
) -> None:
    def hode(org: str, scopes: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {lag_token(org, scopes, data_dir=server.data_dir)}"}

    hdir = hode(HDIR, HDIR_SCOPES)
    funn: list[str] = []
    with httpx.Client(base_url=server.url, timeout=60) as api:
        last_scenario(api, hode)
        tabell = api.get("/v1/satser/2017", headers=hdir).json()["satser"]
        tabell.append({"tjenestekode": "HTST", "sats": "650.00"})
        svar = api.put("/v1/satser/2017", json={"satser": tabell}, headers=hdir)
        assert svar.status_code == 200, svar.text
        for bredde, timer in zip(BREDDER, ("11", "12"), strict=True):
            # A late batch from the case system: a korreksjon is pending for the quarter.
            sent = {"hendelser": [endret("V1", "2017-03-15", timer_per_uke=timer)]}
            svar = api.post("/v1/hendelser", json=sent, headers=hode(HOBOL, VEDTAK_SKRIV))
            assert svar.status_code == 200, svar.text
            side = nettleser.new_page(locale="nb-NO", viewport={"width": bredde, "height": 900})
            side.set_default_timeout(30_000)
            _logg_inn(side, server.url, hdir["Authorization"].removeprefix("Bearer "))
            funn += _korreksjon(side, server.url, bredde, axe)
            funn += _grunnlag(side, server.url, bredde, axe)
            funn += _satser(side, server.url, bredde, tmp_path / f"satser_{bredde}.csv", axe)
            side.close()
        versjoner = api.get("/v1/kommuner/0138/oppgjor/2017/1/versjoner", headers=hdir).json()
        assert len(versjoner["versjoner"]) == 4  # the scenario's two, and one per width
    assert funn == [], "\n".join(funn)
