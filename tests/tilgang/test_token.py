from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc.jwk import RSAKey

from shared.tilgang.jwks import JwksFeil, JwksUrl
from shared.tilgang.nokler import JWKS_FIL, offentlig_jwks
from shared.tilgang.token import (
    MAKS_LEVETID_S,
    STANDARD_AUDIENCE,
    Claims,
    TokenFeil,
    TokenVerifiserer,
    lag_token,
    verifiser_token,
)

from .conftest import HDIR, HOBOL, ISSUER, claims, signer, usignert_token


def verifiser(token: str, data_dir: Path) -> Claims:
    return verifiser_token(token, data_dir=data_dir, issuer=ISSUER)


def test_lag_og_verifiser(data_dir: Path) -> None:
    token = lag_token(HDIR, ["sio:oppgjor.read", "sio:oppgjor.write"], data_dir=data_dir)

    c = verifiser_token(token, data_dir=data_dir)

    assert c.organisasjonsnummer == HDIR
    assert c.scopes == {"sio:oppgjor.read", "sio:oppgjor.write"}
    assert c.iss == "oppgjor-lokal"
    assert c.exp - (c.iat or 0) == 3600
    assert c.claims["consumer"] == {"authority": "iso6523-actorid-upis", "ID": f"0192:{HDIR}"}
    assert c.claims["scope"] == "sio:oppgjor.read sio:oppgjor.write"


def test_issuer_fra_miljo(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPPGJOR_ISSUER", "https://test.maskinporten.no/")
    token = lag_token(HOBOL, "sio:vedtak.write", data_dir=data_dir)

    assert verifiser_token(token, data_dir=data_dir).iss == "https://test.maskinporten.no/"


def test_utlopt_token_avvises(data_dir: Path) -> None:
    token = lag_token(HOBOL, ["sio:oppgjor.read"], data_dir=data_dir, naa=int(time.time()) - 4000)

    with pytest.raises(TokenFeil, match="utløpt"):
        verifiser(token, data_dir)


def test_litt_klokkeavvik_tolereres(data_dir: Path) -> None:
    token = lag_token(
        HOBOL, ["sio:oppgjor.read"], levetid_s=60, data_dir=data_dir, naa=int(time.time()) - 70
    )

    assert verifiser(token, data_dir)


def test_token_signert_med_annen_nokkel_avvises(
    data_dir: Path, nokkel: RSAKey, fremmed_nokkel: RSAKey
) -> None:
    # Claiming the trusted kid does not help: the signature does not match.
    med_lånt_kid = signer(claims(), fremmed_nokkel, kid=nokkel.kid)
    with pytest.raises(TokenFeil, match="signatur"):
        verifiser(med_lånt_kid, data_dir)

    med_egen_kid = signer(claims(), fremmed_nokkel)
    with pytest.raises(TokenFeil, match="kid"):
        verifiser(med_egen_kid, data_dir)


def test_manipulert_innhold_avvises(data_dir: Path, nokkel: RSAKey) -> None:
    header, _, signatur = signer(claims(scope="sio:oppgjor.read"), nokkel).split(".")
    andre = signer(claims(scope="sio:oppgjor.write"), nokkel).split(".")[1]

    with pytest.raises(TokenFeil, match="signatur"):
        verifiser(f"{header}.{andre}.{signatur}", data_dir)


def test_alg_none_avvises(data_dir: Path, nokkel: RSAKey) -> None:
    with pytest.raises(TokenFeil, match="RS256"):
        verifiser(usignert_token(claims(), "none"), data_dir)


def test_hs256_med_offentlig_nokkel_som_hemmelighet_avvises(data_dir: Path, nokkel: RSAKey) -> None:
    # The classic algorithm-confusion attack: HMAC keyed with the public key.
    for hemmelighet in (nokkel.as_pem(private=False), (data_dir / JWKS_FIL).read_bytes()):
        with pytest.raises(TokenFeil, match="RS256"):
            verifiser(usignert_token(claims(), "HS256", hemmelighet), data_dir)


def test_feil_utsteder_avvises(data_dir: Path) -> None:
    token = lag_token(HOBOL, ["sio:oppgjor.read"], data_dir=data_dir, issuer="noen-andre")

    with pytest.raises(TokenFeil, match="iss"):
        verifiser(token, data_dir)


@pytest.mark.parametrize(
    ("overstyr", "melding"),
    [
        ({"consumer": None}, "consumer"),
        ({"consumer": "0192:910138006"}, "consumer"),
        ({"consumer": {"authority": "annen", "ID": f"0192:{HOBOL}"}}, "authority"),
        ({"consumer": {"authority": "iso6523-actorid-upis", "ID": HOBOL}}, "0192"),
        ({"consumer": {"authority": "iso6523-actorid-upis", "ID": "0192:910138007"}}, "ugyldig"),
        ({"exp": None}, "exp"),
        ({"iss": None}, "iss"),
        ({"scope": None}, "scope"),
        ({"scope": ["sio:oppgjor.read"]}, "scope"),
        ({"exp": "i morgen"}, "exp"),
        ({"nbf": int(time.time()) + 3600}, "nbf"),
    ],
)
def test_ugyldige_claims_avvises(
    data_dir: Path, nokkel: RSAKey, overstyr: dict[str, Any], melding: str
) -> None:
    with pytest.raises(TokenFeil, match=melding):
        verifiser(signer(claims(**overstyr), nokkel), data_dir)


@pytest.mark.parametrize("soppel", ["", "abc", "a.b.c", "ø.ø.ø", "a.b", "e30.e30.e30.e30.e30"])
def test_soppel_avvises(data_dir: Path, nokkel: RSAKey, soppel: str) -> None:
    with pytest.raises(TokenFeil):
        verifiser(soppel, data_dir)


def test_jwks_fra_filsti(tmp_path: Path, fremmed_nokkel: RSAKey) -> None:
    # An external issuer whose public keys are in some file of our choosing.
    sti = tmp_path / "utsteder-jwks.json"
    sti.write_text(json.dumps(offentlig_jwks(fremmed_nokkel)))
    token = signer(claims(iss="https://utsteder.example/"), fremmed_nokkel)

    c = verifiser_token(token, jwks=str(sti), issuer="https://utsteder.example/")

    assert c.organisasjonsnummer == HOBOL


def test_manglende_jwks_fil_er_serverfeil(tmp_path: Path, nokkel: RSAKey) -> None:
    with pytest.raises(JwksFeil):
        verifiser_token(signer(claims(), nokkel), jwks=str(tmp_path / "finnes-ikke.json"))


def test_jwks_fra_url_caches_og_hentes_igjen_ved_ny_kid(
    nokkel: RSAKey, fremmed_nokkel: RSAKey
) -> None:
    publisert = [nokkel]
    kall: list[str] = []

    def svar(request: httpx.Request) -> httpx.Response:
        kall.append(str(request.url))
        return httpx.Response(200, json={"keys": [offentlig_jwks(k)["keys"][0] for k in publisert]})

    kilde = JwksUrl(
        "https://utsteder.example/jwks",
        min_intervall_s=0,
        klient=httpx.Client(transport=httpx.MockTransport(svar)),
    )
    verifiserer = TokenVerifiserer(ISSUER, kilde)

    verifiserer.verifiser(signer(claims(), nokkel))
    verifiserer.verifiser(signer(claims(), nokkel))
    assert len(kall) == 1  # cached

    publisert.append(fremmed_nokkel)  # the issuer rotates in a new key
    assert verifiserer.verifiser(signer(claims(), fremmed_nokkel)).organisasjonsnummer == HOBOL
    assert len(kall) == 2


def test_jwks_url_som_ikke_svarer_er_serverfeil(nokkel: RSAKey) -> None:
    kilde = JwksUrl(
        "https://utsteder.example/jwks",
        klient=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(500))),
    )
    with pytest.raises(JwksFeil):
        TokenVerifiserer(ISSUER, kilde).verifiser(signer(claims(), nokkel))


@pytest.mark.parametrize(
    ("org", "scopes"),
    [("910138007", ["sio:oppgjor.read"]), ("12345", ["sio:oppgjor.read"]), (HOBOL, [])],
)
def test_lag_token_avviser_ugyldig_input(data_dir: Path, org: str, scopes: list[str]) -> None:
    with pytest.raises(ValueError):
        lag_token(org, scopes, data_dir=data_dir)


# --- aud and the longest lifetime (issue 7, finding 10) ---

# "Seconds from now" in the parameters, resolved when the test runs, not when collected.
OM = 10**12


def _fra_naa(overstyr: dict[str, Any]) -> dict[str, Any]:
    naa = int(time.time())
    return {
        k: naa + v - OM if isinstance(v, int) and OM // 2 < v < 2 * OM else v
        for k, v in overstyr.items()
    }


@pytest.mark.parametrize(
    ("overstyr", "melding"),
    [
        ({"aud": None}, "aud"),
        ({"aud": "en-annen-tjeneste"}, "aud"),
        ({"aud": ["en-annen-tjeneste", "en-tredje"]}, "aud"),
        ({"aud": 7}, "aud"),
        ({"exp": 10**40}, "lever for lenge"),
        ({"exp": 1e308}, "lever for lenge"),
        ({"exp": float("nan")}, "exp"),
        ({"exp": float("inf")}, "exp"),
        ({"iat": -(10**40)}, "lever for lenge"),
        ({"iat": float("-inf")}, "iat"),
        ({"iat": None, "exp": OM + 2 * 86400}, "lever for lenge"),
        ({"exp": OM + MAKS_LEVETID_S + 3600}, "lever for lenge"),
    ],
)
def test_feil_aud_og_for_lang_levetid_avvises(
    data_dir: Path, nokkel: RSAKey, overstyr: dict[str, Any], melding: str
) -> None:
    with pytest.raises(TokenFeil, match=melding):
        verifiser(signer(claims(**_fra_naa(overstyr)), nokkel), data_dir)


@pytest.mark.parametrize(
    "overstyr",
    [
        {"aud": STANDARD_AUDIENCE},
        {"aud": ["en-annen-tjeneste", STANDARD_AUDIENCE]},
        {"exp": OM + MAKS_LEVETID_S - 60},
        {"iat": None, "exp": OM + 120},  # Maskinporten-like, without iat
    ],
)
def test_riktig_aud_og_levetid_godtas(
    data_dir: Path, nokkel: RSAKey, overstyr: dict[str, Any]
) -> None:
    token = signer(claims(**_fra_naa(overstyr)), nokkel)
    assert verifiser(token, data_dir).organisasjonsnummer == HOBOL


def test_lokale_token_har_konfigurert_aud(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = lag_token(HOBOL, ["sio:oppgjor.read"], data_dir=data_dir)
    assert verifiser(token, data_dir).claims["aud"] == STANDARD_AUDIENCE

    monkeypatch.setenv("OPPGJOR_AUDIENCE", "https://oppgjor.example/")
    annen = lag_token(HOBOL, ["sio:oppgjor.read"], data_dir=data_dir)
    assert verifiser(annen, data_dir).claims["aud"] == "https://oppgjor.example/"
    with pytest.raises(TokenFeil, match="aud"):
        verifiser(token, data_dir)  # minted for the default audience


def test_lag_token_avviser_levetid_over_maks(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="levetid"):
        lag_token(HOBOL, ["sio:oppgjor.read"], data_dir=data_dir, levetid_s=MAKS_LEVETID_S + 1)
    token = lag_token(HOBOL, ["sio:oppgjor.read"], data_dir=data_dir, levetid_s=MAKS_LEVETID_S)
    c = verifiser(token, data_dir)
    assert c.exp - (c.iat or 0) == MAKS_LEVETID_S
