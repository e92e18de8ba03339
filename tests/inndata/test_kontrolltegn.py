"""Issue 7, finding 1: NUL and other control characters never reach a store (both stores).

PostgreSQL cannot keep U+0000 in text or JSONB; one such event once made every read answer
500 for everyone. The edge refuses them (422 naming the field), and the projector copes
with a log that already holds one (written before the edge checked).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.system.bootstrap import Tjenester
from services.vedtak.application.batch import lagringsform
from services.vedtak.domain.vedtak import Vedtak
from shared.events import HendelseAdapter
from shared.lagring.logg import naa
from tests.conftest import HOBOL, Token
from tests.hendelser import annullert, fattet
from tests.settlement.scenario import Aktorer

SKRIV = "sio:vedtak.write"


@pytest.fixture
def a(klient: TestClient, auth: Token) -> Aktorer:
    aktorer = Aktorer(klient, auth)
    aktorer.satser(2017)
    aktorer.grunnlag()
    return aktorer


def _send(klient: TestClient, auth: Token, *hendelser: dict[str, Any]) -> Any:
    # json.dumps escapes as ASCII, so a lone surrogate travels as the JSON escape "\ud800".
    return klient.post(
        "/v1/hendelser",
        content=json.dumps({"hendelser": list(hendelser)}).encode(),
        headers=auth(HOBOL, SKRIV) | {"Content-Type": "application/json"},
    )


@pytest.mark.parametrize(
    ("felt", "verdi"),
    [
        ("bruker_ref", "x\u0000y"),
        ("bruker_ref", "x\u0007y"),
        ("bruker_ref", "x\u007fy"),
        ("bruker_ref", "x\u0085y"),
        ("bruker_ref", "x\ud800y"),
        ("vedtak_id", "V\u00001"),
        ("utforer_id", "U\u0000"),
        ("tjenestekode", "HTAMDK\u0000"),
    ],
)
def test_kontrolltegn_i_tekstfelt_avvises_med_feltnavn(
    a: Aktorer, klient: TestClient, auth: Token, felt: str, verdi: str
) -> None:
    svar = _send(klient, auth, fattet("V1") | {felt: verdi})
    assert svar.status_code == 422, svar.text
    feil = svar.json()["errors"]
    assert [f["felt"] for f in feil] == [felt]
    assert "kontrolltegn" in feil[0]["detail"]
    # Nothing stored, and the store still answers everyone.
    assert a.oppgjor()["vedtakstilskudd"] == "0.00"


def test_begrunnelse_tillater_linjeskift_men_ikke_nul(
    a: Aktorer, klient: TestClient, auth: Token
) -> None:
    a.send(fattet("V1"))
    med_nul = annullert("V1") | {"begrunnelse": "feil\u0000registrert"}
    svar = _send(klient, auth, med_nul)
    assert svar.status_code == 422, svar.text
    assert [f["felt"] for f in svar.json()["errors"]] == ["begrunnelse"]
    med_linjeskift = annullert("V1") | {"begrunnelse": "feil\r\nregistrert\tved en feil"}
    assert _send(klient, auth, med_linjeskift).status_code == 200
    assert a.oppgjor()["vedtakstilskudd"] == "0.00"


def test_kilde_og_referanse_fra_hdir_avvises_med_nul(a: Aktorer, klient: TestClient) -> None:
    svar = klient.put(
        "/v1/satser/2018",
        json={"satser": [{"tjenestekode": "HTAMDK", "sats": "700"}], "kilde": "x\u0000y"},
        headers=a.hdir,
    )
    assert svar.status_code == 422, svar.text
    assert [f["felt"] for f in svar.json()["errors"]] == ["kilde"]
    svar = klient.post(
        "/v1/kommuner/0138/utbetalinger",
        json={
            "aar": 2017,
            "kvartal": 1,
            "belop": "10.00",
            "betalt_dato": "2017-04-01",
            "referanse": "r\u0000",
        },
        headers=a.hdir,
    )
    assert svar.status_code == 422, svar.text
    assert [f["felt"] for f in svar.json()["errors"]] == ["referanse"]
    svar = klient.post(
        "/v1/kommuner/0138/aar/2016/las", json={"begrunnelse": "b\u0000"}, headers=a.hdir
    )
    assert svar.status_code == 422, svar.text
    assert [f["felt"] for f in svar.json()["errors"]] == ["begrunnelse"]
    assert a.oppgjor()["vedtakstilskudd"] == "0.00"


@pytest.mark.parametrize(
    ("sti", "felt"),
    [
        ("/v1/kommuner/0138/oppgjor/2017/1/vedtak/V%001", "vedtak_id"),
        ("/v1/revisjon/kommuner/0138/hendelser?vedtak_id=%00", "vedtak_id"),
        ("/v1/revisjon/kommuner/0138/hendelser?vedtak_id=a%C2%85", "vedtak_id"),
        ("/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort?terskel=0.9%00", "terskel"),
        ("/v1/kommuner/0138/oppgjor/2017/1?per=2017-01-01T00:00:00Z%00", "per"),
    ],
)
def test_kontrolltegn_i_sti_og_sporring_gir_422(
    a: Aktorer, klient: TestClient, sti: str, felt: str
) -> None:
    svar = klient.get(sti, headers=a.hdir)
    assert svar.status_code == 422, svar.text
    assert svar.headers["content-type"] == "application/problem+json"
    kropp = svar.json()
    assert felt in kropp["detail"] + " ".join(str(f.get("felt")) for f in kropp.get("errors") or [])


def test_logg_med_nul_fra_for_rettelsen_forgifter_ikke_lesemodellen(
    a: Aktorer, tjenester: Tjenester
) -> None:
    """An event written before the edge checked: straight into the log, past validation."""
    a.send(fattet("V0"))
    h = HendelseAdapter.validate_python(fattet("V1"))
    data = lagringsform(h) | {"bruker_ref": "x\u0000y", "utforer_id": "u\u0000"}
    with tjenester.lager.transaksjon():
        tjenester.vedtak.save(Vedtak.fatt(data, naa()))
    # Every read still answers, and the vedtak counts as any other.
    o = a.oppgjor(detaljer="vedtak")
    assert o["vedtakstilskudd"] == "139628.58"  # 2 x round(7.5 h x 90 d / 7 x 724)
    assert a.utsted().status_code == 201
    rader = a.k.get(
        "/v1/revisjon/kommuner/0138/hendelser", params={"vedtak_id": "V1"}, headers=a.hdir
    )
    assert rader.status_code == 200, rader.text
    [rad] = rader.json()["hendelser"]
    # The read model shows the character escaped; the log keeps the event as it was.
    assert rad["data"]["bruker_ref"] == "x\\u0000y"
    [logget] = list(tjenester.vedtak.events.get(Vedtak.create_id(data)))
    assert isinstance(logget, Vedtak.Fattet)
    assert logget.hendelse["bruker_ref"] == "x\u0000y"
