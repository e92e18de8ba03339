"""The dependencies on a tiny app, with real tokens and the demo registry.

An unknown organisation (valid token, number not in the registry) gets 401: it is
not authenticated *here*, as opposed to a known one that lacks a right (403).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from shared.tilgang.avhengigheter import (
    Tilgang,
    TilgangsKontroll,
    krev_scope,
)
from shared.tilgang.register import Organisasjonsregister
from shared.tilgang.scopes import OPPGJOR_READ, OPPGJOR_WRITE, REVISJON_READ, VEDTAK_WRITE
from shared.tilgang.token import lag_token

from .conftest import HDIR, HOBOL, ISSUER, REVISJON, UKJENT_GYLDIG, claims, signer


def lag_app(kontroll: TilgangsKontroll) -> FastAPI:
    app = FastAPI()
    app.state.tilgang = kontroll

    @app.put("/v1/satser/{aar}")
    def publiser(aar: int, tilgang: Tilgang = Depends(krev_scope(OPPGJOR_WRITE))) -> dict[str, str]:
        return {"org": tilgang.organisasjonsnummer}

    @app.get("/v1/kommuner/{kommunenummer}/oppgjor")
    def les(
        kommunenummer: str, tilgang: Tilgang = Depends(krev_scope(OPPGJOR_READ))
    ) -> dict[str, object]:
        tilgang.krev_kommune(kommunenummer)
        return {"org": tilgang.organisasjonsnummer, "scopes": sorted(tilgang.scopes)}

    @app.get("/v1/revisjon/kommuner/{kommunenummer}")
    def revisjon(
        kommunenummer: str,
        tilgang: Tilgang = Depends(krev_scope(REVISJON_READ, OPPGJOR_READ)),
    ) -> dict[str, str]:
        tilgang.krev_kommune(kommunenummer)
        return {"rolle": tilgang.rolle}

    return app


@pytest.fixture
def klient(kontroll: TilgangsKontroll) -> TestClient:
    return TestClient(lag_app(kontroll))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_gyldig_token_gir_tilgang(klient: TestClient, data_dir: Path) -> None:
    token = lag_token(HOBOL, [OPPGJOR_READ, VEDTAK_WRITE], data_dir=data_dir)

    svar = klient.get("/v1/kommuner/0138/oppgjor", headers=bearer(token))

    assert svar.status_code == 200
    assert svar.json() == {"org": HOBOL, "scopes": [OPPGJOR_READ, VEDTAK_WRITE]}


@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"]
)
def test_manglende_eller_feil_skjema_gir_401(klient: TestClient, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}

    svar = klient.get("/v1/kommuner/0138/oppgjor", headers=headers)

    assert svar.status_code == 401
    assert svar.headers["WWW-Authenticate"] == "Bearer"


def test_ugyldig_token_gir_401_med_invalid_token(klient: TestClient) -> None:
    svar = klient.get("/v1/kommuner/0138/oppgjor", headers=bearer("ikke.et.token"))

    assert svar.status_code == 401
    assert svar.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_utlopt_token_gir_401(klient: TestClient, data_dir: Path) -> None:
    token = lag_token(HOBOL, [OPPGJOR_READ], data_dir=data_dir, naa=int(time.time()) - 7200)

    svar = klient.get("/v1/kommuner/0138/oppgjor", headers=bearer(token))

    assert svar.status_code == 401
    assert "utløpt" in svar.json()["detail"]


def test_fremmed_signatur_gir_401(klient: TestClient, fremmed_nokkel: RSAKey) -> None:
    svar = klient.get("/v1/kommuner/0138/oppgjor", headers=bearer(signer(claims(), fremmed_nokkel)))

    assert svar.status_code == 401


def test_feil_utsteder_gir_401(klient: TestClient, data_dir: Path) -> None:
    token = lag_token(HOBOL, [OPPGJOR_READ], data_dir=data_dir, issuer="en-annen")

    assert klient.get("/v1/kommuner/0138/oppgjor", headers=bearer(token)).status_code == 401


def test_manglende_consumer_gir_401(klient: TestClient, nokkel: RSAKey) -> None:
    token = signer(claims(consumer=None), nokkel)

    assert klient.get("/v1/kommuner/0138/oppgjor", headers=bearer(token)).status_code == 401


def test_ukjent_organisasjon_gir_401(klient: TestClient, data_dir: Path) -> None:
    token = lag_token(UKJENT_GYLDIG, [OPPGJOR_READ], data_dir=data_dir)

    svar = klient.get("/v1/kommuner/0138/oppgjor", headers=bearer(token))

    assert svar.status_code == 401
    assert "organisasjonsregisteret" in svar.json()["detail"]


def test_manglende_scope_gir_403(klient: TestClient, data_dir: Path) -> None:
    token = lag_token(HOBOL, [VEDTAK_WRITE], data_dir=data_dir)

    svar = klient.get("/v1/kommuner/0138/oppgjor", headers=bearer(token))

    assert svar.status_code == 403
    assert "insufficient_scope" in svar.headers["WWW-Authenticate"]


def test_scope_rollen_ikke_kan_ha_teller_ikke(klient: TestClient, data_dir: Path) -> None:
    # A municipality's token claiming Hdir's write scope still cannot publish satser.
    kommune = lag_token(HOBOL, [OPPGJOR_WRITE], data_dir=data_dir)
    hdir = lag_token(HDIR, [OPPGJOR_WRITE], data_dir=data_dir)

    assert klient.put("/v1/satser/2017", headers=bearer(kommune)).status_code == 403
    assert klient.put("/v1/satser/2017", headers=bearer(hdir)).json() == {"org": HDIR}


def test_annen_kommune_gir_403(klient: TestClient, data_dir: Path) -> None:
    token = lag_token(HOBOL, [OPPGJOR_READ], data_dir=data_dir)

    svar = klient.get("/v1/kommuner/0926/oppgjor", headers=bearer(token))

    assert svar.status_code == 403
    assert "0926" in svar.json()["detail"]


def test_hdir_er_nasjonal_revisjon_begrenses_til_sine_kommuner(
    klient: TestClient, data_dir: Path
) -> None:
    hdir = bearer(lag_token(HDIR, [OPPGJOR_READ], data_dir=data_dir))
    revisor = bearer(lag_token(REVISJON, [REVISJON_READ], data_dir=data_dir))

    for knr in ("0138", "0926", "1243", "1714"):
        assert klient.get(f"/v1/kommuner/{knr}/oppgjor", headers=hdir).status_code == 200
        assert klient.get(f"/v1/revisjon/kommuner/{knr}", headers=revisor).status_code == 200
    # Hdir runs the national scheme: a municipality outside its list is still its business.
    assert klient.get("/v1/kommuner/0301/oppgjor", headers=hdir).status_code == 200
    assert klient.get("/v1/revisjon/kommuner/0301", headers=revisor).status_code == 403


def test_ett_av_flere_scopes_holder(klient: TestClient, data_dir: Path) -> None:
    hdir = bearer(lag_token(HDIR, [OPPGJOR_READ], data_dir=data_dir))

    assert klient.get("/v1/revisjon/kommuner/0138", headers=hdir).json() == {"rolle": "hdir"}


def test_revisjon_kan_ikke_lese_oppgjor(klient: TestClient, data_dir: Path) -> None:
    revisor = bearer(lag_token(REVISJON, [REVISJON_READ, OPPGJOR_READ], data_dir=data_dir))

    assert klient.get("/v1/kommuner/0138/oppgjor", headers=revisor).status_code == 403


def test_apper_med_ulike_data_dir_stoler_ikke_paa_hverandre(tmp_path: Path) -> None:
    register = Organisasjonsregister.demo()
    app_a = TestClient(lag_app(TilgangsKontroll(tmp_path / "a", None, ISSUER, register)))
    TilgangsKontroll(tmp_path / "b", None, ISSUER, register)
    token_b = lag_token(HOBOL, [OPPGJOR_READ], data_dir=tmp_path / "b")

    assert app_a.get("/v1/kommuner/0138/oppgjor", headers=bearer(token_b)).status_code == 401


def test_fra_miljo(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPPGJOR_DATA_DIR", str(data_dir))
    monkeypatch.setenv("OPPGJOR_ISSUER", "lokal-test")
    monkeypatch.setenv("OPPGJOR_AUDIENCE", "https://oppgjor.example/")
    klient = TestClient(lag_app(TilgangsKontroll.fra_miljo()))
    token = lag_token(HOBOL, [OPPGJOR_READ], data_dir=data_dir)

    assert klient.get("/v1/kommuner/0138/oppgjor", headers=bearer(token)).status_code == 200
    annen = lag_token(HOBOL, [OPPGJOR_READ], data_dir=data_dir, audience="omsorgsoppgjor")
    assert klient.get("/v1/kommuner/0138/oppgjor", headers=bearer(annen)).status_code == 401


def test_jwks_som_ikke_kan_leses_gir_503(tmp_path: Path, nokkel: RSAKey) -> None:
    kontroll = TilgangsKontroll(
        tmp_path, str(tmp_path / "mangler.json"), ISSUER, Organisasjonsregister.demo()
    )
    klient = TestClient(lag_app(kontroll))

    svar = klient.get("/v1/kommuner/0138/oppgjor", headers=bearer(signer(claims(), nokkel)))

    assert svar.status_code == 503


def test_ukjent_scope_i_rutedefinisjon_feiler_straks() -> None:
    with pytest.raises(ValueError, match="ukjente scopes"):
        krev_scope("sio:oppgjor.reed")
    with pytest.raises(ValueError):
        krev_scope()


def test_openapi_viser_bearer_skjema(klient: TestClient) -> None:
    skjema = klient.get("/openapi.json").json()

    assert skjema["components"]["securitySchemes"]["Maskinporten"]["scheme"] == "bearer"


@pytest.mark.parametrize(
    "overstyr",
    [{"exp": 10**40}, {"exp": 1e308}, {"aud": None}, {"aud": "noe-annet"}, {"iat": -(10**40)}],
)
def test_evig_token_eller_feil_aud_gir_401(
    klient: TestClient, nokkel: RSAKey, overstyr: dict[str, Any]
) -> None:
    svar = klient.get(
        "/v1/kommuner/0138/oppgjor", headers=bearer(signer(claims(**overstyr), nokkel))
    )
    assert svar.status_code == 401, svar.text
    assert svar.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
