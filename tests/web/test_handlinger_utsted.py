"""Issuing a quarter from the pages: preview, confirm, the issued version with its hash;
CSRF, scopes and 409 as pages. On SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient

from services.settlement.application.dokument import KOMPONENTER
from tests.conftest import HDIR, HOBOL, Token
from tests.web.html import les
from tests.web.scenario import Scenario
from tests.web.skjema import api, csrf, hent, post

UTSTED = "/ui/kommuner/0138/oppgjor/2017/1/utsted"
VERSJONER = "/v1/kommuner/0138/oppgjor/2017/1/versjoner"


def _antall(klient: TestClient, hode: dict[str, str]) -> int:
    return len(api(klient, VERSJONER, hode)["versjoner"])


def test_forhandsvisning_viser_korreksjonen_og_utstedes_etter_bekreftelse(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    svar = hent(klient, UTSTED, hdir)
    s = les(svar.text)
    assert s.ider["type"]["data-verdi"] == "korreksjonsoppgjor"
    fasit = api(klient, "/v1/kommuner/0138/oppgjor/2017/1", hdir, per=s.per, detaljer="vedtak")
    for k in KOMPONENTER:
        assert s.rad("komponenter", k)["belop"] == fasit[k]
    for linje in fasit["linjer"]:
        assert s.rad("linjer", linje["tjenestekode"])["belop"] == linje["belop"]
    # The difference against version 2, per component, line and vedtak line.
    assert s.rad("korreksjon", "sum")["differanse"] == fasit["endring_siden_utstedt"]["sum"]
    assert Decimal(fasit["endring_siden_utstedt"]["sum"]) != 0
    assert s.rad("korreksjon-vedtak", "PBAMDK/V2")["belop"] != "0.00"
    assert _antall(klient, hdir) == 2

    utstedt = post(klient, UTSTED, hdir, {"forventet_sum": fasit["sum"]}, csrf(svar.text))
    assert utstedt.status_code == 303, utstedt.text
    sted = utstedt.headers["location"]
    assert sted.startswith("/ui/kommuner/0138/oppgjor/2017/1/dokument/3?utstedt=1")
    assert "avvik" not in sted
    versjoner = api(klient, VERSJONER, hdir)["versjoner"]
    assert len(versjoner) == 3
    v3 = versjoner[-1]
    d = les(hent(klient, sted, hdir).text)
    assert d.ider["hash"]["data-verdi"] == v3["hash"] and len(v3["hash"]) == 64
    assert d.ider["forrige_hash"]["data-verdi"] == versjoner[1]["hash"]
    assert d.ider["melding"]["data-status"] == "ok"
    assert v3["hash"] in d.tekst
    for k in KOMPONENTER:
        assert d.rad("komponenter", k)["belop"] == v3[k]
        assert d.rad("korreksjon", k)["differanse"] == v3["korreksjon"][k]


def test_ingenting_endret_gir_409_som_melding(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    assert klient.post(UTSTED.replace("/ui/", "/v1/"), headers=hdir).status_code == 201
    svar = hent(klient, UTSTED, hdir)
    assert "uendret" in les(svar.text).ider
    nekt = post(klient, UTSTED, hdir, {"forventet_sum": "0"}, csrf(svar.text))
    assert nekt.status_code == 409
    assert nekt.headers["content-type"].startswith("text/html")
    s = les(nekt.text)
    assert s.ider["melding"]["data-status"] == "feil"
    assert "Ingenting er endret siden versjon 3" in s.tekst
    assert _antall(klient, hdir) == 3


def test_post_uten_eller_med_feil_csrf_avvises_og_endrer_ingenting(
    klient: TestClient, hdir: dict[str, str], auth: Token, scenario: Scenario
) -> None:
    # A token from another login (same organisation, another token) is no token here.
    annen = auth(HDIR, "sio:oppgjor.read sio:oppgjor.write")
    annens = csrf(hent(klient, UTSTED, annen).text)
    assert annens != csrf(hent(klient, UTSTED, hdir).text)
    for token in (None, "", "0" * 64, annens):
        svar = post(klient, UTSTED, hdir, {"forventet_sum": "0"}, token)
        assert svar.status_code == 403
        assert svar.headers["content-type"].startswith("text/html")
        assert "sikkerhetstoken" in les(svar.text).tekst
    assert _antall(klient, hdir) == 2
    # Another site's form is refused by its Origin even with the right token.
    riktig = csrf(hent(klient, UTSTED, hdir).text)
    fremmed = klient.post(
        UTSTED,
        headers={**hdir, "Origin": "https://angriper.example"},
        data={"_csrf": riktig},
        follow_redirects=False,
    )
    assert fremmed.status_code == 403
    assert _antall(klient, hdir) == 2


def test_kommunen_kan_ikke_utstede(
    klient: TestClient, auth: Token, hdir: dict[str, str], scenario: Scenario
) -> None:
    kommune = auth(HOBOL, "sio:oppgjor.read")
    side = hent(klient, UTSTED, kommune, status=403)
    assert side.headers["content-type"].startswith("text/html")
    assert "sio:oppgjor.write" in les(side.text).tekst
    token = csrf(hent(klient, UTSTED, hdir).text)
    svar = post(klient, UTSTED, kommune, {"forventet_sum": "0"}, token)
    assert svar.status_code == 403
    assert _antall(klient, hdir) == 2


def test_manglende_sats_gir_409_og_forste_versjon_er_kvartalsoppgjor(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    url = "/ui/kommuner/0926/oppgjor/2017/1/utsted"
    svar = hent(klient, url, hdir)
    s = les(svar.text)
    assert s.ider["type"]["data-verdi"] == "kvartalsoppgjor"
    utstedt = post(klient, url, hdir, {"forventet_sum": "0"}, csrf(svar.text))
    assert utstedt.status_code == 303
    assert "avvik=1" in utstedt.headers["location"]  # the form's sum was not the figure
    d = les(hent(klient, utstedt.headers["location"], hdir).text)
    assert d.ider["forrige_hash"]["data-verdi"] == ""
    # A table without LOKO (0138 has a LOKO vedtak): the issue is refused, shown on the page.
    uten_loko = [
        {"tjenestekode": "HTAMDK", "sats": "724.00"},
        {"tjenestekode": "PBAMDK", "sats": "520.00"},
    ]
    fjern = {"tillat_fjerning": "true"}
    uten = klient.put("/v1/satser/2017", json={"satser": uten_loko}, headers=hdir, params=fjern)
    assert uten.is_success
    svar = hent(klient, UTSTED, hdir)
    assert "LOKO" in les(svar.text).ider["mangler"]["id"] + les(svar.text).tekst
    nekt = post(klient, UTSTED, hdir, {"forventet_sum": "0"}, csrf(svar.text))
    assert nekt.status_code == 409
    assert "mangler sats for LOKO" in les(nekt.text).tekst
    assert _antall(klient, hdir) == 2
