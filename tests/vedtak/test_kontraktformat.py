"""Strict formats (issue 7, finding 10): ASCII kommunenummer and `YYYY-MM-DD` dates only.

Python's and pydantic's `\\d` match Arabic-Indic and other digits, and pydantic's lax date
parsing takes numbers and timestamps: "0" became 1970-01-01, and "٠١٣٨" a phantom
municipality in the national view. Both stores.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from services.system.bootstrap import Tjenester
from shared.tilgang.register import Organisasjon, RegisterFeil
from tests.conftest import HDIR, HOBOL, Token
from tests.hendelser import fattet, fravaer, opphort, rapport

HDIR_SCOPES = "sio:oppgjor.read sio:oppgjor.write sio:revisjon.read"
SKRIV = "sio:vedtak.write"
GRUNNLAG = {"uttrekk": "1000.00", "rundsum": "100.00", "inntektspaslag": "10.00"}
UNICODE_KNR = ["٠١٣٨", "۰۱۳۸", "０１３８", "0138\n", "१२३४"]
IKKE_DATOER: list[Any] = [
    "0",
    0,
    1483228800,
    "1483228800",
    "2017-01-01T00:00:00",
    "2017-01-01T00:00:00Z",
    "20170101",
    "2017-1-1",
    "٢٠١٧-٠١-٠١",
    "2017-02-30",
    " 2017-01-01",
]


def _post(klient: TestClient, auth: Token, hendelser: list[dict[str, Any]]) -> Any:
    return klient.post("/v1/hendelser", json={"hendelser": hendelser}, headers=auth(HOBOL, SKRIV))


@pytest.mark.parametrize("knr", UNICODE_KNR)
def test_kommunenummer_er_ascii_siffer(
    klient: TestClient, auth: Token, tjenester: Tjenester, knr: str
) -> None:
    svar = _post(klient, auth, [fattet("V1", knr=knr)])
    assert svar.status_code == 422, svar.text
    assert [e["felt"] for e in svar.json()["errors"]] == ["kommunenummer"]

    hdir = auth(HDIR, HDIR_SCOPES)
    svar = klient.put(f"/v1/kommuner/{quote(knr)}/grunnlag/2017", json=GRUNNLAG, headers=hdir)
    assert svar.status_code == 422, svar.text
    svar = klient.get("/v1/revisjon/innsyn", params={"kommunenummer": knr}, headers=hdir)
    assert svar.status_code == 422, svar.text
    assert tjenester.projektor.hode() == 0

    # No phantom municipality in the national view; a real one still appears.
    ok = klient.put("/v1/kommuner/0138/grunnlag/2017", json=GRUNNLAG, headers=hdir)
    assert ok.status_code == 200, ok.text
    nasjonalt = klient.get("/v1/oppgjor/2017/1", headers=hdir).json()
    assert [k["kommunenummer"] for k in nasjonalt["kommuner"]] == ["0138"]


@pytest.mark.parametrize("knr", UNICODE_KNR)
def test_registeret_godtar_bare_ascii_kommunenummer(knr: str) -> None:
    with pytest.raises(RegisterFeil):
        Organisasjon("910138006", "Hobøl", "kommune", frozenset({knr}))


@pytest.mark.parametrize("verdi", IKKE_DATOER)
def test_datoer_er_yyyy_mm_dd(
    klient: TestClient, auth: Token, tjenester: Tjenester, verdi: Any
) -> None:
    assert _post(klient, auth, [fattet("V0")]).status_code == 200
    for_ = tjenester.projektor.hode()
    batch = [
        fattet("V1", gyldig_fra=verdi),
        fattet("V2", gyldig_til=verdi),
        fattet("V3", vedtaksdato=verdi),
        opphort("V0", verdi),
        fravaer("V0", "F1", verdi, "2017-02-01"),
        rapport("V0", "2017-01-01", verdi, "1"),
    ]
    svar = _post(klient, auth, batch)
    assert svar.status_code == 422, svar.text
    assert [(e["index"], e["felt"]) for e in svar.json()["errors"]] == [
        (0, "gyldig_fra"),
        (1, "gyldig_til"),
        (2, "vedtaksdato"),
        (3, "siste_dag"),
        (4, "fra"),
        (5, "periode_til"),
    ]
    assert tjenester.projektor.hode() == for_

    hdir = auth(HDIR, HDIR_SCOPES)
    svar = klient.put(
        "/v1/kommuner/0138/grunnlag/2017", json={**GRUNNLAG, "startdato": verdi}, headers=hdir
    )
    assert svar.status_code == 422, svar.text
    assert [e["felt"] for e in svar.json()["errors"]] == ["startdato"]
    betaling = {"aar": 2017, "kvartal": 1, "belop": "1.00", "betalt_dato": verdi}
    svar = klient.post("/v1/kommuner/0138/utbetalinger", json=betaling, headers=hdir)
    assert svar.status_code == 422, svar.text
    assert [e["felt"] for e in svar.json()["errors"]] == ["betalt_dato"]
    assert tjenester.projektor.hode() == for_


def test_gyldige_datoer_lagres_som_sendt(klient: TestClient, auth: Token) -> None:
    svar = _post(klient, auth, [fattet("V1", gyldig_fra="2016-02-29", gyldig_til="2017-12-31")])
    assert svar.status_code == 200, svar.text
    hdir = auth(HDIR, HDIR_SCOPES)
    svar = klient.put(
        "/v1/kommuner/0138/grunnlag/2016",
        json={**GRUNNLAG, "startdato": "2016-05-01"},
        headers=hdir,
    )
    assert svar.status_code == 200, svar.text
    assert svar.json()["startdato"] == "2016-05-01"
