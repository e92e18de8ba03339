"""Helpers for the action forms: read a page, take its CSRF token, post a form."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from tests.web.html import Side, les

CSRF = re.compile(r'name="_csrf" value="([0-9a-f]*)"')


def hent(klient: TestClient, url: str, hode: dict[str, str], status: int = 200) -> Response:
    svar: Response = klient.get(url, headers=hode, follow_redirects=False)
    assert svar.status_code == status, svar.text
    return svar


def side(klient: TestClient, url: str, hode: dict[str, str]) -> Side:
    return les(hent(klient, url, hode).text)


def csrf(html: str) -> str:
    funnet = CSRF.findall(html)
    assert funnet and funnet[0], "siden har ikke noe skjema med CSRF-token"
    assert len(set(funnet)) == 1
    return str(funnet[0])


def post(
    klient: TestClient,
    url: str,
    hode: dict[str, str],
    data: dict[str, Any],
    token: str | None,
    filer: dict[str, Any] | None = None,
) -> Response:
    felt = dict(data)
    if token is not None:
        felt["_csrf"] = token
    svar: Response = klient.post(url, headers=hode, data=felt, files=filer, follow_redirects=False)
    return svar


def api(klient: TestClient, url: str, hode: dict[str, str], **params: Any) -> Any:
    svar = klient.get(url, headers=hode, params=params)
    assert svar.status_code == 200, svar.text
    return svar.json()
