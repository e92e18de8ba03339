"""No identity in, none echoed out (issue 7, finding 9), on SQLite and PostgreSQL.

Every free-text field of the contract, of Hdir's bodies and of the year lock refuses a
fødselsnummer, D-, H- or FH-number anywhere inside it (422, nothing stored). No error
`detail`, `errors[].detail`, log line or access-log `ressurs` carries such a number.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.system.bootstrap import Tjenester
from shared.lagring.tabeller import innsynslogg
from tests.conftest import HDIR, HOBOL, REVISJON, Token
from tests.hendelser import annullert, fattet, fravaer, rapport

SKRIV = "sio:vedtak.write"
HDIR_SCOPES = "sio:oppgjor.read sio:oppgjor.write sio:revisjon.read"
FNR, D_NUMMER, H_NUMMER = "01017010170", "41017010164", "01417010153"
IDENTITETER = [FNR, D_NUMMER, H_NUMMER, f"fnr:{FNR}", "010170 10170", "010170.10170"]


def _post(klient: TestClient, auth: Token, hendelser: list[dict[str, Any]]) -> Any:
    return klient.post("/v1/hendelser", json={"hendelser": hendelser}, headers=auth(HOBOL, SKRIV))


def _uten_identitet(svar: Any) -> None:
    for nummer in (FNR, D_NUMMER, H_NUMMER, "010170 10170", "010170.10170", "10170"):
        assert nummer not in svar.text, svar.text


@pytest.mark.parametrize("ident", IDENTITETER)
def test_identitet_i_fritekst_i_hendelser_avvises(
    klient: TestClient, auth: Token, tjenester: Tjenester, ident: str
) -> None:
    assert _post(klient, auth, [fattet("V1")]).status_code == 200
    for_ = tjenester.projektor.hode()
    batch = [
        dict(annullert("V1"), begrunnelse=ident),
        dict(annullert("V1"), begrunnelse=f"feil bruker ({ident})"),
        fattet(f"V-{ident}", bruker_ref="B-2"),
        fattet("V3", bruker_ref=f"ref {ident}"),
        fattet("V4", utforer_id=f"utforer:{ident}"),
        fravaer("V1", f"F{ident}", "2017-02-01", "2017-02-03"),
        dict(fattet("V5"), tjenestekode=ident),
    ]
    svar = _post(klient, auth, batch)
    assert svar.status_code == 422, svar.text
    feil = [(e["index"], e["felt"]) for e in svar.json()["errors"]]
    assert feil == [
        (0, "begrunnelse"),
        (1, "begrunnelse"),
        (2, "vedtak_id"),
        (3, "bruker_ref"),
        (4, "utforer_id"),
        (5, "fravaer_id"),
        (6, "tjenestekode"),
    ]
    _uten_identitet(svar)
    assert tjenester.projektor.hode() == for_


def test_tall_som_ikke_er_identiteter_godtas(klient: TestClient, auth: Token) -> None:
    svar = _post(
        klient,
        auth,
        [
            fattet("V-901017010170", bruker_ref="B-01017010171"),  # 12 digits; bad checksum
            dict(annullert("V-901017010170"), begrunnelse="sak 2017/0101 7010170"),
        ],
    )
    assert svar.status_code == 200, svar.text


@pytest.mark.parametrize("ident", IDENTITETER)
def test_identitet_i_hdirs_fritekst_avvises(
    klient: TestClient, auth: Token, tjenester: Tjenester, ident: str
) -> None:
    hdir = auth(HDIR, HDIR_SCOPES)
    satser = {"satser": [{"tjenestekode": "HTAMDK", "sats": "724.00"}], "kilde": f"fil {ident}"}
    svar = klient.put("/v1/satser/2017", json=satser, headers=hdir)
    assert svar.status_code == 422, svar.text
    assert [e["felt"] for e in svar.json()["errors"]] == ["kilde"]
    _uten_identitet(svar)

    betaling = {"aar": 2017, "kvartal": 1, "belop": "10.00", "betalt_dato": "2017-04-01"}
    svar = klient.post(
        "/v1/kommuner/0138/utbetalinger", json={**betaling, "referanse": ident}, headers=hdir
    )
    assert svar.status_code == 422, svar.text
    assert [e["felt"] for e in svar.json()["errors"]] == ["referanse"]
    _uten_identitet(svar)

    for handling in ("las", "gjenapne"):
        svar = klient.post(
            f"/v1/kommuner/0138/aar/2016/{handling}",
            json={"begrunnelse": f"attestert for {ident}"},
            headers=hdir,
        )
        assert svar.status_code == 422, svar.text
        assert [e["felt"] for e in svar.json()["errors"]] == ["begrunnelse"]
        _uten_identitet(svar)
    assert tjenester.projektor.hode() == 0  # nothing of it was stored

    # The same calls without the identity go through.
    satser["kilde"] = "nasjonale satser"
    assert klient.put("/v1/satser/2017", json=satser, headers=hdir).status_code == 200
    las = klient.post("/v1/kommuner/0138/aar/2016/las", json={"begrunnelse": "ok"}, headers=hdir)
    assert las.status_code == 200


def test_feilmeldinger_gjentar_ikke_verdien(klient: TestClient, auth: Token) -> None:
    """Errors name the field that is wrong, not the value that was sent."""
    hemmelig = "HEMMELIG-VERDI-7"
    assert _post(klient, auth, [fattet("V1")]).status_code == 200
    svar = _post(
        klient,
        auth,
        [
            fattet("V2", tjenestekode=hemmelig),
            rapport(hemmelig, "2017-01-01", "2017-01-31", "1"),
            fattet("V1"),  # vedtak_id already used
            dict(fattet("V3"), timer_per_uke=hemmelig),
            dict(fattet("V4"), type=hemmelig),
        ],
    )
    assert svar.status_code == 422, svar.text
    typer = (
        "'VedtakFattet', 'VedtakEndret', 'VedtakOpphort', 'VedtakAnnullert', "
        "'FravaerRegistrert', 'FravaerAnnullert', 'UtfortTidRapportert'"
    )
    assert [(e["index"], e["felt"], e["detail"]) for e in svar.json()["errors"]] == [
        (0, "tjenestekode", "ukjent tjenestekode"),
        (1, "vedtak_id", "ukjent vedtak i kommune 0138"),
        (2, "vedtak_id", "vedtak_id er allerede brukt"),
        (3, "timer_per_uke", "Value error, er ikke et desimaltall"),
        (4, None, f"ukjent type; forventet en av {typer}"),
    ]
    assert hemmelig not in svar.text

    hdir = auth(HDIR, HDIR_SCOPES)
    svar = klient.put(
        "/v1/satser/2017",
        json={"satser": [{"tjenestekode": hemmelig, "sats": "1.00"}]},
        headers=hdir,
    )
    assert svar.status_code == 422 and hemmelig not in svar.text
    assert svar.json()["errors"][0]["detail"] == "ukjent tjenestekode"
    revisjon = "/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort"
    svar = klient.get(revisjon, params={"terskel": hemmelig}, headers=hdir)
    assert svar.status_code == 422 and hemmelig not in svar.text
    svar = klient.get("/v1/kommuner/0138/oppgjor/2017/1", params={"per": hemmelig}, headers=hdir)
    assert svar.status_code == 422 and hemmelig not in svar.text


def test_ukjent_vedtak_med_identitet_i_stien(
    klient: TestClient,
    auth: Token,
    tjenester: Tjenester,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The 404 does not echo the id; the access log and the log lines mask it."""
    hdir = auth(HDIR, HDIR_SCOPES)
    caplog.set_level(logging.DEBUG)
    for ident in (FNR, "010170 10170"):
        svar = klient.get(f"/v1/kommuner/0138/oppgjor/2017/1/vedtak/{ident}", headers=hdir)
        assert svar.status_code == 404, svar.text
        assert svar.json()["detail"].startswith("vedtaket finnes ikke i kommune 0138 per ")
        _uten_identitet(svar)
    with tjenester.lager.transaksjon() as s:
        ressurser = list(s.execute(select(innsynslogg.c.ressurs)).scalars())
    assert ressurser == ["oppgjor/2017/1/vedtak/[skjult]"] * 2
    revisor = auth(REVISJON, "sio:revisjon.read")
    innsyn = klient.get("/v1/revisjon/innsyn", params={"kommunenummer": "0138"}, headers=revisor)
    assert [r["ressurs"] for r in innsyn.json()["innsyn"]] == ["oppgjor/2017/1/vedtak/[skjult]"] * 2
    logget = "\n".join(r.getMessage() for r in caplog.records)
    assert "oppgjor/2017/1/vedtak/[skjult]" in logget
    assert FNR not in logget and "010170 10170" not in logget
