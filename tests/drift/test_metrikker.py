"""/metrics in Prometheus format: latency by route template, batches and events by status,
projector lag and issued settlements. No label holds an id from a path."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import Token
from tests.hendelser import fattet, rapport
from tests.settlement.scenario import Aktorer


def _verdier(klient: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    svar = klient.get("/metrics")
    assert svar.status_code == 200
    assert svar.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (p.name, tuple(sorted(p.labels.items()))): p.value
        for familie in text_string_to_metric_families(svar.text)
        for p in familie.samples
    }


def test_metrikker_teller_batcher_hendelser_etterslep_og_utstedelser(
    klient: TestClient, auth: Token
) -> None:
    a = Aktorer(klient, auth)
    a.satser(2017)
    a.grunnlag()
    a.send(fattet("V-HEMMELIG-1"), rapport("V-HEMMELIG-1", "2017-01-01", "2017-01-31", 20))
    avvist = klient.post(
        "/v1/hendelser",
        json={"hendelser": [fattet("V-2", timer_per_uke="0"), fattet("V-3"), fattet("V-4")]},
        headers=a.kommune,
    )
    assert avvist.status_code == 422
    innen = _verdier(klient)  # no read has caught the projection up yet
    assert innen[("oppgjor_batcher_total", (("status", "200"),))] == 1
    assert innen[("oppgjor_batcher_total", (("status", "422"),))] == 1
    assert innen[("oppgjor_hendelser_total", (("status", "200"),))] == 2
    assert innen[("oppgjor_hendelser_total", (("status", "422"),))] == 3
    hode = innen[("oppgjor_logg_hode", ())]
    assert (
        innen[("oppgjor_projeksjon_etterslep", ())]
        == hode - innen[("oppgjor_projeksjon_posisjon", ())]
    )
    assert innen[("oppgjor_projeksjon_etterslep", ())] == klient.get("/health").json()["etterslep"]

    vedtak = klient.get("/v1/kommuner/0138/oppgjor/2017/1/vedtak/V-HEMMELIG-1", headers=a.hdir)
    assert vedtak.status_code == 200
    assert a.utsted().status_code == 201
    a.oppgjor()  # a read catches the projection up with the log, issue included
    etter = _verdier(klient)
    assert etter[("oppgjor_utstedte_oppgjor_total", ())] == 1
    assert etter[("oppgjor_projeksjon_etterslep", ())] == 0
    assert etter[("oppgjor_logg_hode", ())] > hode  # the issue is in the log
    rute = "/v1/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}/vedtak/{vedtak_id}"
    noekkel = (
        "oppgjor_http_foresporsel_sekunder_count",
        (("metode", "GET"), ("rute", rute), ("status", "200")),
    )
    assert etter[noekkel] == 1
    assert "V-HEMMELIG" not in klient.get("/metrics").text


def test_ukjente_stier_blir_en_fast_etikett(klient: TestClient) -> None:
    assert klient.get("/finnes/ikke/01017010170").status_code == 404
    tekst = klient.get("/metrics").text
    assert "01017010170" not in tekst
    assert 'rute="(ukjent)",status="404"' in tekst


def test_request_id_tas_imot_eller_lages(klient: TestClient) -> None:
    svar = klient.get("/health/live", headers={"X-Request-ID": "spor-1234abcd"})
    assert svar.headers["x-request-id"] == "spor-1234abcd"
    # Not a sane token (or an identity): replaced by a fresh one, never echoed.
    for daarlig in ("01017010170", "a b c d e f g h", "kort", "x" * 200):
        svar = klient.get("/health/live", headers={"X-Request-ID": daarlig})
        assert svar.headers["x-request-id"] != daarlig
        assert len(svar.headers["x-request-id"]) == 32
    uten = klient.get("/health/live")
    assert len(uten.headers["x-request-id"]) == 32
