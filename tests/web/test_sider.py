"""The pages under /ui show exactly the API's figures, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.settlement.application.dokument import KOMPONENTER
from services.settlement.application.korreksjon import differanse
from services.system.bootstrap import Tjenester
from shared.lagring.tabeller import innsynslogg
from tests.conftest import HOBOL, REVISJON, Token
from tests.web.html import Side, les
from tests.web.scenario import Scenario


def side(klient: TestClient, url: str, hode: dict[str, str]) -> Side:
    svar = klient.get(url, headers=hode)
    assert svar.status_code == 200, svar.text
    assert svar.headers["content-type"].startswith("text/html")
    assert svar.headers["cache-control"] == "no-store"
    return les(svar.text)


def api(klient: TestClient, url: str, hode: dict[str, str], **params: Any) -> Any:
    svar = klient.get(url, headers=hode, params=params)
    assert svar.status_code == 200, svar.text
    return svar.json()


def innsyn(t: Tjenester) -> int:
    with t.lager.les() as s:
        return int(s.execute(select(func.count()).select_from(innsynslogg)).scalar_one())


def test_nasjonal_side_viser_api_tallene(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    s = side(klient, "/ui/oppgjor/2017/1", hdir)
    fasit = api(klient, "/v1/oppgjor/2017/1", hdir, per=s.per)
    assert fasit["per"] == s.per
    assert s.rader("kommuner") == [r["kommunenummer"] for r in fasit["kommuner"]] + ["totalt"]
    for r in fasit["kommuner"]:
        vist = s.rad("kommuner", r["kommunenummer"])
        for k in KOMPONENTER:
            assert vist[k] == r[k]
        assert vist["utstedt_versjon"] == (
            "" if r["utstedt_versjon"] is None else str(r["utstedt_versjon"])
        )
        assert vist["korreksjon_ventende"] == ("true" if r["korreksjon_ventende"] else "false")
        if r["korreksjon_ventende"]:
            assert vist["ventende_belop"] == r["ventende_belop"]
            assert vist["utstedt_sum"] == r["utstedt_sum"]
    assert s.rad("kommuner", "totalt") == fasit["totalt"]
    # The story: 0138 issued twice and changed since, 0926 never issued.
    assert s.rad("kommuner", "0138")["utstedt_versjon"] == "2"
    assert s.rad("kommuner", "0138")["korreksjon_ventende"] == "true"
    assert s.rad("kommuner", "0926")["utstedt_versjon"] == ""
    assert "/ui/kommuner/0138/2017" in s.lenker
    assert "/ui/oppgjor/2016/4" in s.lenker and "/ui/oppgjor/2017/2" in s.lenker
    # Money the Norwegian way, from the same strings.
    assert "900\u00a0000,00\u00a0kr" in s.raatekst  # rundsum 3 600 000 / 4
    assert "\u221224\u00a0" in s.raatekst  # a negative differanse, with a real minus sign


def test_start_sender_til_siste_utstedte_kvartal(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    svar = klient.get("/ui", headers=hdir, follow_redirects=False)
    assert svar.status_code == 303
    assert svar.headers["location"] == "/ui/oppgjor/2017/1"


def test_start_uten_utstedte_kvartaler_viser_valg(klient: TestClient, hdir: dict[str, str]) -> None:
    s = side(klient, "/ui", hdir)
    assert {"aar", "kvartal"} <= s.ider.keys()
    svar = klient.get("/ui/oppgjor?aar=2017&kvartal=3", headers=hdir, follow_redirects=False)
    assert svar.status_code == 303 and svar.headers["location"] == "/ui/oppgjor/2017/3"


def test_kommuneside_viser_api_tallene_per_kvartal(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    s = side(klient, "/ui/kommuner/0138/2017", hdir)
    aarssum: dict[str, Decimal] = defaultdict(Decimal)
    grupper: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for k in (1, 2, 3, 4):
        dok = api(klient, f"/v1/kommuner/0138/oppgjor/2017/{k}", hdir, per=s.per)
        vist = s.rad("kvartaler", f"K{k}")
        for komponent in KOMPONENTER:
            assert vist[komponent] == dok[komponent]
            aarssum[komponent] += Decimal(dok[komponent])
        assert vist["utstedt_versjon"] == (
            "" if dok["utstedt_versjon"] is None else str(dok["utstedt_versjon"])
        )
        assert s.rad("grupper", "vedtakstilskudd")[f"K{k}"] == dok["vedtakstilskudd"]
        for linje in dok["linjer"]:
            grupper[(linje["tjenestegruppe"], k)] += Decimal(linje["belop"])
        revisjon = api(
            klient, f"/v1/revisjon/kommuner/0138/2017/{k}/vedtatt-utfort", hdir, per=s.per
        )
        timer = s.rad("timer", f"K{k}")
        assert Decimal(timer["vedtatte_timer"]) == sum(
            (Decimal(t["vedtatte_timer"]) for t in revisjon["tjenester"]), Decimal(0)
        )
        assert Decimal(timer["utforte_timer"]) == sum(
            (Decimal(t["utforte_timer"]) for t in revisjon["tjenester"]), Decimal(0)
        )
    assert {k: Decimal(v) for k, v in s.rad("kvartaler", "aar").items()} == aarssum
    for (gruppe, k), belop in grupper.items():
        assert Decimal(s.rad("grupper", gruppe)[f"K{k}"]) == belop
    assert set(s.rader("grupper")) == {g for g, _ in grupper} | {"vedtakstilskudd"}
    # Two charts, each an image with a title, each beside its table.
    assert [a.get("id") for a in s.svg] == ["tilskudd-diagram", "timer-diagram"]
    for a in s.svg:
        assert a["role"] == "img" and a["aria-labelledby"].startswith(a["id"] + "-tittel")
        assert a["id"] + "-tittel" in s.ider
    for lenke in ("/ui/kommuner/0138/oppgjor/2017/1", "/ui/revisjon/kommuner/0138/2017/1"):
        assert lenke in s.lenker
    assert "/ui/kommuner/0138/oppgjor/2017/1/versjoner" in s.lenker


def test_oppgjorsside_viser_linjene_og_ventende_korreksjon(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario, tjenester: Tjenester
) -> None:
    for_ = innsyn(tjenester)
    s = side(klient, "/ui/kommuner/0138/oppgjor/2017/1", hdir)
    assert innsyn(tjenester) == for_  # no vedtak rows shown: no innsyn entry
    dok = api(klient, "/v1/kommuner/0138/oppgjor/2017/1", hdir, per=s.per)
    for k in KOMPONENTER:
        assert s.rad("komponenter", k) == {
            "belop": dok[k],
            "endring_siden_utstedt": dok["endring_siden_utstedt"][k],
        }
    assert s.rader("linjer") == [linje["tjenestekode"] for linje in dok["linjer"]] + ["sum"]
    for linje in dok["linjer"]:
        vist = s.rad("linjer", linje["tjenestekode"])
        assert vist == {
            "volum": linje["volum"],
            "sats": linje["sats"],
            "belop": linje["belop"],
            "antall_vedtak": str(linje["antall_vedtak"]),
            "mangler_sats": "false",
        }
    assert s.ider["status"]["data-verdi"] == "2"
    status = s.rad("", "")  # the status line above the tables
    assert status["ventende_belop"] == dok["endring_siden_utstedt"]["sum"] != "0.00"

    detaljert = side(klient, "/ui/kommuner/0138/oppgjor/2017/1?detaljer=vedtak", hdir)
    assert innsyn(tjenester) == for_ + 1  # person-level read: logged like the API
    dok = api(
        klient, "/v1/kommuner/0138/oppgjor/2017/1", hdir, per=detaljert.per, detaljer="vedtak"
    )
    for linje in dok["linjer"]:
        for v in linje["vedtak"]:
            assert detaljert.rad("vedtakslinjer", f"{linje['tjenestekode']}/{v['vedtak_id']}") == {
                "volum": v["volum"],
                "belop": v["belop"],
            }


def test_versjonsside_viser_korreksjonen_og_sammenligner(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    url = "/ui/kommuner/0138/oppgjor/2017/1/versjoner"
    s = side(klient, url, hdir)
    fasit = api(klient, "/v1/kommuner/0138/oppgjor/2017/1/versjoner", hdir, per=s.per)["versjoner"]
    assert [v["versjon"] for v in fasit] == [1, 2]
    for v in fasit:
        vist = s.rad("versjoner", str(v["versjon"]))
        assert (
            vist["type"] == v["type"]
            and vist["sum"] == v["sum"]
            and vist["utstedt"] == v["utstedt"]
        )
        assert vist["hash"] == v["hash"] and vist["forrige_hash"] == (v["forrige_hash"] or "")
    assert s.rad("versjoner", "2")["forrige_hash"] == fasit[0]["hash"]
    korreksjon = fasit[1]["korreksjon"]
    assert s.rad("versjoner", "2")["til_betaling"] == korreksjon["sum"]
    for k in KOMPONENTER:
        assert s.rad("korreksjon-2", k) == {"differanse": korreksjon[k]}
    for linje in korreksjon["linjer"]:
        assert s.rad("korreksjon-2-linjer", linje["tjenestekode"]) == {
            "volum": linje["volum"],
            "belop": linje["belop"],
        }
    for v in korreksjon["vedtak"]:
        vist = s.rad("korreksjon-2-vedtak", f"{v['tjenestekode']}/{v['vedtak_id']}")
        assert vist == {"volum": v["volum"], "belop": v["belop"]}
    assert "sammenligning" not in {t for t, _, _ in s.tall}

    sammenlignet = side(klient, url + "?fra=2&til=1", hdir)
    forventet = differanse(fasit[0], fasit[1])
    for k in KOMPONENTER:
        assert sammenlignet.rad("sammenligning", k) == {"differanse": forventet[k]}
    for linje in forventet["linjer"]:
        assert sammenlignet.rad("sammenligning-linjer", linje["tjenestekode"]) == {
            "volum": linje["volum"],
            "belop": linje["belop"],
        }
    assert sammenlignet.ider["fra"] and "Versjon 1 minus versjon 2" in sammenlignet.tekst

    ukjent = klient.get(url + "?fra=1&til=7", headers=hdir)
    assert ukjent.status_code == 404 and "Versjon 7" in ukjent.text


def test_revisjonsside_viser_flaggene_og_logger_innsyn(
    klient: TestClient, auth: Token, scenario: Scenario, tjenester: Tjenester
) -> None:
    revisor = auth(REVISJON, "sio:revisjon.read")
    for_ = innsyn(tjenester)
    s = side(klient, "/ui/revisjon/kommuner/0138/2017/1?terskel=0,85", revisor)
    assert innsyn(tjenester) == for_ + 1
    fasit = api(
        klient,
        "/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort",
        revisor,
        per=s.per,
        terskel="0.85",
    )
    assert s.ider["terskel-brukt"]["data-verdi"] == fasit["terskel"] == "0.85"
    for t in fasit["tjenester"]:
        assert s.rad("tjenester", t["tjenestekode"]) == {
            "vedtatte_timer": t["vedtatte_timer"],
            "utforte_timer": t["utforte_timer"],
            "andel": t["andel"] or "",
        }
    assert s.rader("vedtak") == [v["vedtak_id"] for v in fasit["vedtak"]]
    for v in fasit["vedtak"]:
        assert s.rad("vedtak", v["vedtak_id"]) == {
            "vedtatte_timer": v["vedtatte_timer"],
            "utforte_timer": v["utforte_timer"],
            "andel": v["andel"] or "",
            "flagg": " ".join(v["flagg"]),
        }
    assert "ingen_rapport" in s.rad("vedtak", "V2")["flagg"]
    assert s.rad("vedtak", "V4")["flagg"] == ""
    assert s.ider["terskel"]["value"] == "0,85"

    flagget = side(
        klient, "/ui/revisjon/kommuner/0138/2017/1?terskel=0.85&kun_flagget=true", revisor
    )
    assert flagget.rader("vedtak") == [v["vedtak_id"] for v in fasit["vedtak"] if v["flagg"]]
    assert "V4" not in flagget.rader("vedtak") and "V2" in flagget.rader("vedtak")
    assert "flagg" in flagget.ider  # the older kun_flagget=true is the flagg filter "flagget"


def test_feil_verdier_gir_feilside(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    for url in (
        "/ui/kommuner/0138/oppgjor/2017/9",
        "/ui/revisjon/kommuner/0138/2017/1?terskel=abc",
        "/ui/revisjon/kommuner/0138/2017/1?terskel=NaN",
        "/ui/oppgjor/2017/1?per=igår",
        "/ui/kommuner/138/2017",
    ):
        svar = klient.get(url, headers=hdir)
        assert svar.status_code == 422, url
        assert svar.headers["content-type"].startswith("text/html")
        assert les(svar.text).ider["feilmelding"] is not None


def test_kommune_ser_bare_egen_kommune(klient: TestClient, auth: Token, scenario: Scenario) -> None:
    hobol = auth(HOBOL, "sio:oppgjor.read")
    svar = klient.get("/ui/kommuner/0926/2017", headers=hobol)
    assert svar.status_code == 403
    s = les(svar.text)
    assert "Ingen tilgang" in s.tekst and s.overskrifter == [1]
    for url in ("/ui/kommuner/0926/oppgjor/2017/1", "/ui/revisjon/kommuner/0926/2017/1"):
        assert klient.get(url, headers=hobol).status_code == 403
    nasjonalt = side(klient, "/ui/oppgjor/2017/1", hobol)
    assert nasjonalt.rader("kommuner") == ["0138", "totalt"]
    assert side(klient, "/ui/kommuner/0138/2017", hobol).rad("kvartaler", "K1")


def test_uten_lesescope_er_403(klient: TestClient, auth: Token, scenario: Scenario) -> None:
    svar = klient.get("/ui/oppgjor/2017/1", headers=auth(HOBOL, "sio:vedtak.write"))
    assert svar.status_code == 403 and "sio:oppgjor.read" in svar.text


def test_api_og_revisjon_er_fortsatt_problem_json(klient: TestClient, hdir: dict[str, str]) -> None:
    svar = klient.get("/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort?terskel=NaN", headers=hdir)
    assert svar.status_code == 422
    assert svar.headers["content-type"].startswith("application/problem+json")


def test_sidene_er_tilgjengelige(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    for url in (
        "/ui/oppgjor/2017/1",
        "/ui/kommuner/0138/2017",
        "/ui/kommuner/0138/oppgjor/2017/1?detaljer=vedtak",
        "/ui/kommuner/0138/oppgjor/2017/1/versjoner?fra=1&til=2",
        "/ui/revisjon/kommuner/0138/2017/1",
        "/ui/logg-inn",
    ):
        s = side(klient, url, hdir)
        assert s.html_lang == "nb", url
        assert s.elementer.get("main") == 1, url
        assert s.ider["innhold"] and "#innhold" in s.lenker, url  # skip link to <main>
        assert s.overskrifter[0] == 1 and s.overskrifter.count(1) == 1, url
        trinn = zip(s.overskrifter, s.overskrifter[1:], strict=False)
        assert all(b <= a + 1 for a, b in trinn), (url, s.overskrifter)
        assert s.elementer.get("caption", 0) == s.tabeller, url
        assert s.th_uten_scope == 0, url
        for kontroll in s.kontroller:  # every form control has a label
            assert kontroll.get("id") in s.etiketter, (url, kontroll)
    css = klient.get("/ui/static/stil.css")
    assert css.status_code == 200 and ":focus-visible" in css.text
