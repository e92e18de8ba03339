"""The API documentation works offline: /docs and /redoc use only the service's own assets.

Headless Chromium loads both pages with every request outside the service refused, and
waits for each to render the document's title, so a page that needs a CDN fails here.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, Route

from tests.server import Server
from tests.web.test_nettleser import chromium, nettleser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_dokumentasjonen_bruker_bare_egne_filer(server: Server) -> None:  # noqa: F811
    for side in ("/docs", "/redoc"):
        html = httpx.get(server.url + side).text
        assert "cdn." not in html and "unpkg" not in html, side
    js = httpx.get(server.url + "/static-offline-docs/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000


@pytest.mark.parametrize(
    ("side", "tittel"),
    [("/docs", ".swagger-ui .info .title"), ("/redoc", "h1")],
)
def test_dokumentasjonen_vises_uten_nett(
    server: Server,  # noqa: F811
    nettleser: Browser,  # noqa: F811
    side: str,
    tittel: str,
) -> None:
    utenfor: list[str] = []

    def bare_tjenesten(route: Route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            utenfor.append(route.request.url)
            route.abort()

    page = nettleser.new_page()
    page.route("**/*", bare_tjenesten)
    page.goto(server.url + side)
    page.wait_for_selector(tittel, timeout=30_000)
    assert "Omsorgsoppgjør" in page.inner_text(tittel)
    # Nothing the page needs lies outside. Redoc asks for web fonts and its own footer logo,
    # and renders without them.
    pynt = ("https://fonts.", "https://cdn.redoc.ly/redoc/logo-mini.svg")
    assert [u for u in utenfor if not u.startswith(pynt)] == []
