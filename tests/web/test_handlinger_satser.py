"""Publishing a price table by upload: preview of added, removed and changed codes;
removal needs a tick; an equal table makes no version. CSV and XLSX, both stores."""

from __future__ import annotations

import html
import io
import json

from fastapi.testclient import TestClient
from openpyxl import Workbook

from tests.conftest import HOBOL, Token
from tests.web.html import les
from tests.web.scenario import Scenario
from tests.web.skjema import api, csrf, hent, post

CSV_NY = "tjenestekode;sats_2017\nHTAMDK;724,00\nPBAMDK;530,00\nHTAMN;1020,00\n"


def _versjon(klient: TestClient, hdir: dict[str, str]) -> int:
    return int(api(klient, "/v1/satser/2017", hdir)["versjon"])


def _forhandsvis(
    klient: TestClient, hdir: dict[str, str], navn: str, innhold: bytes, type_: str
) -> str:
    token = csrf(hent(klient, "/ui/satser", hdir).text)
    svar = post(
        klient,
        "/ui/satser/forhandsvisning",
        hdir,
        {"aar": "2017"},
        token,
        filer={"fil": (navn, innhold, type_)},
    )
    assert svar.status_code == 200, svar.text
    return svar.text


def _tabell(side: str) -> str:
    """The parsed table the preview carries to its publish form."""
    start = side.index('name="tabell" value="') + len('name="tabell" value="')
    return html.unescape(side[start : side.index('"', start)])


def test_forhandsvisning_lister_endringer_og_fjerning_krever_bekreftelse(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    assert _versjon(klient, hdir) == 1
    html = _forhandsvis(klient, hdir, "satser.csv", CSV_NY.encode(), "text/csv")
    s = les(html)
    assert s.rader("lagt_til") == ["HTAMN"] and s.rad("lagt_til", "HTAMN")["ny"] == "1020.00"
    assert s.rader("fjernet") == ["LOKO"]
    assert s.rad("fjernet", "LOKO")["gjeldende"] == "2480.00"
    assert s.rader("endret") == ["PBAMDK"]
    assert s.rad("endret", "PBAMDK") == {"gjeldende": "520.00", "ny": "530.00"}
    # The figures are the API's preview of the same table.
    fasit = klient.post(
        "/v1/satser/2017/forhandsvisning", json={"satser": json.loads(_tabell(html))}, headers=hdir
    ).json()
    assert [r["tjenestekode"] for r in fasit["fjernet"]] == s.rader("fjernet")
    assert "bekreft_fjerning" in s.ider
    # Without the tick: refused, shown on the page, nothing published.
    data = {"tabell": _tabell(html), "kilde": "opplasting"}
    nekt = post(klient, "/ui/satser/2017/publiser", hdir, data, csrf(html))
    assert nekt.status_code == 409
    assert les(nekt.text).ider["melding"]["data-status"] == "feil"
    assert "bekreft fjerningen" in les(nekt.text).tekst
    assert _versjon(klient, hdir) == 1
    # Without a CSRF token: refused, nothing published.
    assert post(klient, "/ui/satser/2017/publiser", hdir, data, None).status_code == 403
    assert _versjon(klient, hdir) == 1
    # With the tick: version 2, and LOKO is gone.
    ok = post(
        klient, "/ui/satser/2017/publiser", hdir, {**data, "bekreft_fjerning": "ja"}, csrf(html)
    )
    assert ok.status_code == 200, ok.text
    assert les(ok.text).ider["versjon"]["data-ny"] == "ja"
    assert _versjon(klient, hdir) == 2
    koder = {r["tjenestekode"]: r["sats"] for r in api(klient, "/v1/satser/2017", hdir)["satser"]}
    assert koder == {"HTAMDK": "724.00", "PBAMDK": "530.00", "HTAMN": "1020.00"}


def test_lik_tabell_gir_ingen_ny_versjon(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    bok = Workbook()
    ark = bok.active
    assert ark is not None
    ark.append(["tjenestekode", "sats"])
    for kode, sats in (("HTAMDK", "724.00"), ("PBAMDK", "520.00"), ("LOKO", "2480")):
        ark.append([kode, sats])
    fil = io.BytesIO()
    bok.save(fil)
    html = _forhandsvis(klient, hdir, "satser.xlsx", fil.getvalue(), "application/octet-stream")
    s = les(html)
    assert "ingen-endring" in s.ider
    assert s.rader("lagt_til") == s.rader("fjernet") == s.rader("endret") == []
    svar = post(klient, "/ui/satser/2017/publiser", hdir, {"tabell": _tabell(html)}, csrf(html))
    assert svar.status_code == 200
    side = les(svar.text)
    assert side.ider["versjon"]["data-ny"] == "nei"
    assert "ingen ny versjon" in side.tekst
    assert _versjon(klient, hdir) == 1


def test_ulesbar_fil_og_kommune_avvises(
    klient: TestClient, hdir: dict[str, str], auth: Token, scenario: Scenario
) -> None:
    token = csrf(hent(klient, "/ui/satser", hdir).text)
    svar = post(
        klient,
        "/ui/satser/forhandsvisning",
        hdir,
        {"aar": "2017"},
        token,
        filer={"fil": ("tom.csv", b"", "text/csv")},
    )
    assert svar.status_code == 422
    assert "Filen kan ikke leses" in les(svar.text).tekst
    kommune = auth(HOBOL, "sio:oppgjor.read")
    assert hent(klient, "/ui/satser", kommune, status=403)
    nekt = post(
        klient,
        "/ui/satser/2017/publiser",
        kommune,
        {"tabell": '[{"tjenestekode":"HTAMDK","sats":"1.00"}]', "bekreft_fjerning": "ja"},
        token,
    )
    assert nekt.status_code == 403
    assert _versjon(klient, hdir) == 1
