"""Logging in to the pages with the API's tokens: cookie, redirects, refusals."""

from __future__ import annotations

from fastapi.testclient import TestClient

from services.settlement.entrypoints.web import KAKE
from tests.conftest import HDIR, HOBOL, Token
from tests.web.html import les
from tests.web.scenario import HDIR_SCOPES


def token(hode: dict[str, str]) -> str:
    return hode["Authorization"].removeprefix("Bearer ")


def test_uten_token_sendes_til_innlogging(klient: TestClient) -> None:
    svar = klient.get("/ui/oppgjor/2017/1?per=2017-06-01T00:00:00Z", follow_redirects=False)
    assert svar.status_code == 303
    assert svar.headers["location"] == (
        "/ui/logg-inn?neste=%2Fui%2Foppgjor%2F2017%2F1%3Fper%3D2017-06-01T00%3A00%3A00Z"
    )
    side = les(klient.get(svar.headers["location"]).text)
    assert side.ider["token"] and "token" in side.etiketter
    assert "oppgjor token --org 983544622" in side.tekst
    assert side.ider  # the hidden field carries where to go next
    assert any(k.get("name") == "token" for k in side.kontroller)


def test_innlogging_setter_sikker_kake_og_sender_videre(klient: TestClient, auth: Token) -> None:
    jwt = token(auth(HDIR, HDIR_SCOPES))
    svar = klient.post(
        "/ui/logg-inn",
        data={"token": f"Bearer {jwt}\n", "neste": "/ui/oppgjor/2017/1"},
        follow_redirects=False,
    )
    assert svar.status_code == 303 and svar.headers["location"] == "/ui/oppgjor/2017/1"
    kake = svar.headers["set-cookie"]
    assert kake.startswith(f"{KAKE}={jwt};")
    assert "HttpOnly" in kake and "SameSite=strict" in kake and "Path=/ui" in kake
    # The client keeps the cookie: pages now open without a header.
    side = klient.get("/ui/oppgjor/2017/1")
    assert side.status_code == 200 and "Innlogget som Helsedirektoratet" in side.text
    ut = klient.post("/ui/logg-ut", follow_redirects=False)
    assert ut.status_code == 303 and f'{KAKE}=""' in ut.headers["set-cookie"]
    klient.cookies.clear()
    assert klient.get("/ui/oppgjor/2017/1", follow_redirects=False).status_code == 303


def test_ugyldig_token_gir_feilmelding_i_skjemaet(klient: TestClient, auth: Token) -> None:
    for verdi, status, tekst in (
        ("", 400, "Lim inn et token"),
        ("ikke.et.token", 401, "Tokenet ble ikke godtatt"),
        (token(auth(HOBOL, "sio:vedtak.write")), 403, "mangler scope"),
    ):
        svar = klient.post("/ui/logg-inn", data={"token": verdi}, follow_redirects=False)
        assert svar.status_code == status, verdi
        side = les(svar.text)
        assert side.ider["feil"]["role"] == "alert" and tekst in side.tekst
        assert side.ider["token"]["aria-invalid"] == "true"
        assert "set-cookie" not in svar.headers


def test_utlopt_kake_slettes_og_sier_ifra(klient: TestClient) -> None:
    klient.cookies.set(KAKE, "utlopt.token.her", path="/ui")
    svar = klient.get("/ui/kommuner/0138/2017", follow_redirects=False)
    assert svar.status_code == 303 and svar.headers["location"].endswith("&utlopt=1")
    assert f'{KAKE}=""' in svar.headers["set-cookie"]
    assert "utløpt" in klient.get(svar.headers["location"]).text


def test_ingen_apen_videresending(klient: TestClient, auth: Token) -> None:
    jwt = token(auth(HDIR, HDIR_SCOPES))
    for neste in ("https://ond.example/ui", "//ond.example/ui", "/v1/oppgjor/2017/1", "/ui\\@ond"):
        svar = klient.post(
            "/ui/logg-inn", data={"token": jwt, "neste": neste}, follow_redirects=False
        )
        assert svar.headers["location"] == "/ui", neste


def test_skjema_fra_annet_nettsted_avvises(klient: TestClient, auth: Token) -> None:
    jwt = token(auth(HDIR, HDIR_SCOPES))
    svar = klient.post(
        "/ui/logg-inn",
        data={"token": jwt},
        headers={"Origin": "https://ond.example"},
        follow_redirects=False,
    )
    assert svar.status_code == 403 and "set-cookie" not in svar.headers
    egen = klient.post(
        "/ui/logg-inn",
        data={"token": jwt},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert egen.status_code == 303
