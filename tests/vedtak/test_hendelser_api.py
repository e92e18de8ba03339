"""POST /v1/hendelser driven as a case system would drive it, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from services.system.bootstrap import Tjenester
from tests.conftest import HDIR, HOBOL, LILLESAND, REVISJON, Token
from tests.hendelser import (
    annullert,
    endret,
    fattet,
    fravaer,
    fravaer_annullert,
    opphort,
    rapport,
)

SKRIV = "sio:vedtak.write"


def post(klient: TestClient, auth: Token, hendelser: list[dict[str, Any]], org: str = HOBOL) -> Any:
    return klient.post("/v1/hendelser", json={"hendelser": hendelser}, headers=auth(org, SKRIV))


def hode(t: Tjenester) -> int:
    return t.projektor.hode()


def test_gyldig_batch_lagres_og_gir_posisjon(
    klient: TestClient, auth: Token, tjenester: Tjenester
) -> None:
    batch = [fattet("V1"), fattet("V2", tjenestekode="LOKO", timer_per_uke=None)]
    batch += [
        endret("V1", "2017-02-01", timer_per_uke=10),
        rapport("V1", "2017-01-01", "2017-01-31", 30),
    ]
    svar = post(klient, auth, batch)
    assert svar.status_code == 200, svar.text
    kropp = svar.json()
    assert kropp == {"mottatt": 4, "nye": 4, "duplikater": 0, "posisjon": hode(tjenester)}
    assert kropp["posisjon"] >= 4

    neste = post(klient, auth, [opphort("V1", "2017-06-30")])
    assert neste.json()["posisjon"] > kropp["posisjon"]


def test_gjensending_er_idempotent(klient: TestClient, auth: Token, tjenester: Tjenester) -> None:
    batch = [fattet("V1"), rapport("V1", "2017-01-01", "2017-01-31", "12.5")]
    forste = post(klient, auth, batch).json()
    etter_forste = hode(tjenester)
    andre = post(klient, auth, batch)
    assert andre.status_code == 200
    assert andre.json() == {"mottatt": 2, "nye": 0, "duplikater": 2, "posisjon": etter_forste}
    assert hode(tjenester) == etter_forste == forste["posisjon"]


def test_samme_tall_som_streng_eller_tall_er_samme_innhold(klient: TestClient, auth: Token) -> None:
    h = fattet("V1", timer_per_uke="7.5")
    assert post(klient, auth, [h]).status_code == 200
    svar = post(klient, auth, [dict(h, timer_per_uke=7.50)])
    assert svar.status_code == 200
    assert svar.json()["duplikater"] == 1


def test_gjenbrukt_id_med_endret_innhold_er_409_og_ingenting_lagres(
    klient: TestClient, auth: Token, tjenester: Tjenester
) -> None:
    h = fattet("V1")
    post(klient, auth, [h])
    for_ = hode(tjenester)
    ny = fattet("V9")
    svar = post(klient, auth, [ny, dict(h, timer_per_uke="8")])
    assert svar.status_code == 409
    assert svar.headers["content-type"].startswith("application/problem+json")
    p = svar.json()
    assert p["status"] == 409 and p["type"] and p["title"] and p["detail"]
    assert [(e["index"], e["hendelse_id"], e["felt"]) for e in p["errors"]] == [
        (1, h["hendelse_id"], "hendelse_id")
    ]
    assert hode(tjenester) == for_
    # V9 was not stored: sending it alone makes it new.
    assert post(klient, auth, [ny]).json()["nye"] == 1


def test_konflikt_sjekkes_for_annen_validering(klient: TestClient, auth: Token) -> None:
    h = fattet("V1")
    post(klient, auth, [h])
    svar = post(klient, auth, [dict(h, timer_per_uke="500")])
    assert svar.status_code == 409


def test_fodselsnummer_som_bruker_ref_avvises(
    klient: TestClient, auth: Token, tjenester: Tjenester
) -> None:
    for_ = hode(tjenester)
    ok = fattet("V1")
    for ident in ("15076500565", "55076500559"):  # a fødselsnummer and a D-number
        svar = post(klient, auth, [ok, fattet("V2", bruker_ref=ident)])
        assert svar.status_code == 422, svar.text
        feil = svar.json()["errors"]
        assert [(e["index"], e["felt"]) for e in feil] == [(1, "bruker_ref")]
        assert ident not in svar.text  # the identity is not echoed back either
    assert hode(tjenester) == for_


def test_fodselsnummer_i_andre_identifikatorer_avvises(
    klient: TestClient, auth: Token, tjenester: Tjenester
) -> None:
    ider = [fattet("15076500565", bruker_ref="B-1"), fattet("V2", utforer_id="55076500559")]
    svar = post(klient, auth, ider)
    assert svar.status_code == 422
    assert [(e["index"], e["felt"]) for e in svar.json()["errors"]] == [
        (0, "vedtak_id"),
        (1, "utforer_id"),
    ]
    assert "15076500565" not in svar.text.replace('"vedtak_id"', "")  # not echoed in details
    assert hode(tjenester) == 0


def test_timer_over_168_avvises(klient: TestClient, auth: Token, tjenester: Tjenester) -> None:
    for verdi in ("168.01", 200, "0", "-1"):
        svar = post(klient, auth, [fattet("V1", timer_per_uke=verdi)])
        assert svar.status_code == 422, verdi
        assert svar.json()["errors"][0]["felt"] == "timer_per_uke"
    assert post(klient, auth, [fattet("V1", timer_per_uke="168")]).status_code == 200


def test_feil_kommune_er_403(klient: TestClient, auth: Token, tjenester: Tjenester) -> None:
    for_ = hode(tjenester)
    svar = post(klient, auth, [fattet("V1"), fattet("V2", knr="0926")])
    assert svar.status_code == 403
    assert svar.json()["errors"][0]["index"] == 1
    assert hode(tjenester) == for_
    assert post(klient, auth, [fattet("V2", knr="0926")], org=LILLESAND).status_code == 200


def test_uten_token_401_og_feil_scope_403(klient: TestClient, auth: Token) -> None:
    svar = klient.post("/v1/hendelser", json={"hendelser": [fattet("V1")]})
    assert svar.status_code == 401
    assert svar.headers["content-type"].startswith("application/problem+json")
    svar = klient.post(
        "/v1/hendelser",
        json={"hendelser": [fattet("V1")]},
        headers={"Authorization": "Bearer x.y.z"},
    )
    assert svar.status_code == 401
    for org, scope in (
        (HDIR, "sio:oppgjor.read"),
        (REVISJON, "sio:revisjon.read"),
        (HOBOL, "sio:oppgjor.read"),
    ):
        svar = klient.post(
            "/v1/hendelser", json={"hendelser": [fattet("V1")]}, headers=auth(org, scope)
        )
        assert svar.status_code == 403, (org, scope)


def test_alle_feil_i_batchen_listes(klient: TestClient, auth: Token, tjenester: Tjenester) -> None:
    batch = [
        fattet("V1"),
        fattet("V2", tjenestekode="LOKO"),  # timer_per_uke on a dogn code
        fattet("V3", tjenestekode="XXXX"),
        fattet("V4", gyldig_fra="2017-05-01", gyldig_til="2017-04-01"),
        endret("UKJENT", "2017-02-01", timer_per_uke=3),
        endret("V1", "2016-12-31", timer_per_uke=3),  # before gyldig_fra
        rapport("V1", "2017-01-01", "2017-01-01", 49),  # > 48 x 1 day
        fravaer("V1", "F1", "2017-03-02", "2017-03-01"),
        fravaer_annullert("V1", "F-ukjent"),
        {"hendelse_id": "ikke-uuid", "type": "VedtakFattet"},
        {"type": "Ukjent", "hendelse_id": "7d0b4f8e-3f6f-4d4e-9a3c-111111111111"},
    ]
    # One answer lists every error: shape errors and regelverk errors together (issue 10).
    svar = post(klient, auth, batch)
    assert svar.status_code == 422, svar.text
    feil = [(e["index"], e["felt"]) for e in svar.json()["errors"]]
    assert feil == sorted(feil, key=lambda f: f[0])  # in batch order
    assert set(feil) == {
        (1, "timer_per_uke"),
        (2, "tjenestekode"),
        (3, "gyldig_til"),
        (4, "vedtak_id"),
        (5, "gjelder_fra"),
        (6, "utforte_timer"),
        (7, "til"),
        (8, "fravaer_id"),
        (9, "hendelse_id"),
        (9, "kommunenummer"),
        (9, "vedtak_id"),
        (9, "bruker_ref"),
        (9, "tjenestekode"),
        (9, "gyldig_fra"),
        (9, "vedtaksdato"),
        (10, None),
    }
    assert tjenester.projektor.hode() == 0


def test_livslop_i_samme_batch_og_annullert_vedtak(klient: TestClient, auth: Token) -> None:
    batch = [
        fattet("V1", bemanningsfaktor=2),
        fravaer("V1", "F1", "2017-02-01", "2017-02-10"),
        fravaer_annullert("V1", "F1"),
        endret("V1", "2017-03-01", tjenestekode="PBAMDK"),
        opphort("V1", "2017-06-30"),
        annullert("V1"),
    ]
    assert post(klient, auth, batch).status_code == 200
    svar = post(klient, auth, [rapport("V1", "2017-01-01", "2017-01-31", 3)])
    assert svar.status_code == 422
    assert "annullert" in svar.json()["errors"][0]["detail"]
    # fattet must not reuse a vedtak_id, annulled or not.
    assert post(klient, auth, [fattet("V1")]).status_code == 422


def test_omkoding_til_dogn_krever_at_timer_fjernes(klient: TestClient, auth: Token) -> None:
    post(klient, auth, [fattet("V1")])
    assert (
        post(
            klient, auth, [endret("V1", "2017-02-01", tjenestekode="LOKO", timer_per_uke=5)]
        ).status_code
        == 422
    )
    assert post(klient, auth, [endret("V1", "2017-02-01", tjenestekode="LOKO")]).status_code == 200
    # Back to an hour code from a day code: the hours must be given.
    assert (
        post(klient, auth, [endret("V1", "2017-03-01", tjenestekode="HTAMDK")]).status_code == 422
    )
    assert (
        post(
            klient, auth, [endret("V1", "2017-03-01", tjenestekode="HTAMDK", timer_per_uke=4)]
        ).status_code
        == 200
    )


def test_absurde_tall_er_422_ikke_500(klient: TestClient, auth: Token) -> None:
    for verdi in ("1E+30", 1e300, "NaN", "Infinity", "-1e999999"):
        svar = post(klient, auth, [fattet("V1", timer_per_uke=verdi)])
        assert svar.status_code == 422, (verdi, svar.text)
        assert svar.json()["errors"][0]["felt"] == "timer_per_uke"
    hdir = auth("983544622", "sio:oppgjor.write")
    for sats in ("1E+30", "724.001", "-1"):
        kropp = {"satser": [{"tjenestekode": "HTAMDK", "sats": sats}]}
        assert klient.put("/v1/satser/2017", json=kropp, headers=hdir).status_code == 422, sats


def test_ugyldig_json_og_for_stor_batch(klient: TestClient, auth: Token) -> None:
    h = auth(HOBOL, SKRIV)
    svar = klient.post(
        "/v1/hendelser", content=b"{ikke json", headers={**h, "content-type": "application/json"}
    )
    assert svar.status_code == 400
    assert svar.json()["status"] == 400
    assert klient.post("/v1/hendelser", json={"feil": []}, headers=h).status_code == 422
    svar = klient.post(
        "/v1/hendelser", json={"hendelser": [fattet(f"V{i}") for i in range(1001)]}, headers=h
    )
    assert svar.status_code == 422


def test_flere_feil_i_en_hendelse_kommer_i_samme_svar(klient: TestClient, auth: Token) -> None:
    batch = [
        fattet("V5", tjenestekode="LOKO", gyldig_fra="2017-05-01", gyldig_til="2017-04-01"),
        {"hendelse_id": "7d0b4f8e-3f6f-4d4e-9a3c-222222222222", "type": "VedtakOpphort"},
    ]
    svar = post(klient, auth, batch)
    assert svar.status_code == 422
    assert [(e["index"], e["felt"]) for e in svar.json()["errors"]] == [
        (0, "gyldig_til"),
        (0, "timer_per_uke"),
        (1, "kommunenummer"),
        (1, "vedtak_id"),
        (1, "siste_dag"),
    ]
