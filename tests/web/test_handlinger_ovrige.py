"""Funding basis, year lock, access log, the printable document and its PDF, and the
menu by role, from the pages. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from services.settlement.application.dokument import KOMPONENTER
from services.settlement.entrypoints.web.tabell import PER_SIDE
from services.system.bootstrap import Tjenester
from tests.conftest import HDIR, HOBOL, REVISJON, Token
from tests.hendelser import fattet
from tests.web.html import les
from tests.web.scenario import VEDTAK_SKRIV, Scenario
from tests.web.skjema import api, csrf, hent, post

GRUNNLAG = "/ui/kommuner/0138/grunnlag/2017"


def test_grunnlag_forhandsvises_og_publiseres(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    skjema = hent(klient, GRUNNLAG, hdir)
    assert les(skjema.text).ider["gjeldende"]["data-verdi"] == "1"
    nytt = {"uttrekk": "101 900 000,00", "rundsum": "3600000", "inntektspaslag": "3600000.00"}
    vis = post(klient, GRUNNLAG + "/forhandsvisning", hdir, nytt, csrf(skjema.text))
    assert vis.status_code == 200, vis.text
    s = les(vis.text)
    assert s.rad("grunnlag", "uttrekk") == {
        "gjeldende": "101800000.00",
        "ny": "101900000.00",
        "endret": "ja",
    }
    assert s.rad("grunnlag", "rundsum")["endret"] == "nei"
    assert api(klient, "/v1/kommuner/0138/grunnlag/2017", hdir)["versjon"] == 1
    felt = {n: s.rad("grunnlag", n)["ny"] for n in ("uttrekk", "rundsum", "inntektspaslag")}
    assert post(klient, GRUNNLAG + "/publiser", hdir, felt, None).status_code == 403
    ok = post(klient, GRUNNLAG + "/publiser", hdir, felt, csrf(vis.text))
    assert ok.status_code == 200
    assert "versjon 2" in les(ok.text).tekst
    fasit = api(klient, "/v1/kommuner/0138/grunnlag/2017", hdir)
    assert (fasit["versjon"], fasit["uttrekk"]) == (2, "101900000.00")
    # A start date outside the year is the API's 422, shown beside the form.
    feil = post(
        klient, GRUNNLAG + "/publiser", hdir, {**felt, "startdato": "2018-01-01"}, csrf(vis.text)
    )
    assert feil.status_code == 422
    assert "startdato" in les(feil.text).tekst
    assert api(klient, "/v1/kommuner/0138/grunnlag/2017", hdir)["versjon"] == 2


def test_aar_laases_og_gjenapnes_med_begrunnelse(
    klient: TestClient, hdir: dict[str, str], auth: Token, scenario: Scenario
) -> None:
    url = "/ui/kommuner/0138/aar/2017/las"
    forst = hent(klient, url, hdir).text
    assert les(forst).ider["laas-status"]["data-last"] == "nei"
    token = csrf(forst)
    begrunnelse = {"begrunnelse": "Årsregnskapet er attestert"}
    assert post(klient, url + "/las", hdir, begrunnelse, None).status_code == 403
    kommune = auth(HOBOL, f"{VEDTAK_SKRIV} sio:oppgjor.read")
    ny = {"hendelser": [fattet("V9", knr="0138")]}

    def send() -> int:
        return int(klient.post("/v1/hendelser", json=ny, headers=kommune).status_code)

    ok = post(klient, url + "/las", hdir, begrunnelse, token)
    assert ok.status_code == 200
    assert les(ok.text).ider["melding"]["data-status"] == "ok"
    # The page says the year is locked now, on the answer and when opened afresh.
    for html in (ok.text, hent(klient, url, hdir).text):
        status = les(html).ider["laas-status"]
        assert (status["data-last"], status["data-endringer"]) == ("ja", "1")
        assert "Årsregnskapet er attestert" in les(html).tekst
    assert (
        les(hent(klient, "/ui/kommuner/0138/aar/2018/las", hdir).text).ider["laas-status"][
            "data-last"
        ]
        == "nei"
    )  # another year of the same municipality stays open
    assert send() == 409  # the lock holds for ingestion
    igjen = post(klient, url + "/las", hdir, begrunnelse, token)
    assert igjen.status_code == 409
    assert "allerede låst" in les(igjen.text).tekst
    apnet = post(klient, url + "/gjenapne", hdir, {"begrunnelse": "Feil"}, token)
    assert apnet.status_code == 200
    assert les(apnet.text).ider["laas-status"]["data-last"] == "nei"
    assert les(hent(klient, url, hdir).text).ider["laas-status"]["data-endringer"] == "2"
    assert send() == 200
    assert hent(klient, url, kommune, status=403)


def test_innsynslogg_for_revisor_filtrert(
    klient: TestClient, hdir: dict[str, str], auth: Token, scenario: Scenario
) -> None:
    # A person-level read to find: the lines page with vedtak.
    hent(klient, "/ui/kommuner/0138/oppgjor/2017/1?detaljer=vedtak", hdir)
    revisor = auth(REVISJON, "sio:revisjon.read")
    # The page reads a date in Norwegian time: between midnight in Oslo and midnight UTC
    # the UTC date is already yesterday there.
    idag = datetime.now(ZoneInfo("Europe/Oslo")).date().isoformat()
    s = les(
        hent(klient, f"/ui/revisjon/innsyn?kommunenummer=0138&fra={idag}&til={idag}", revisor).text
    )
    fasit = api(
        klient,
        "/v1/revisjon/innsyn",
        revisor,
        kommunenummer="0138",
        fra=s.ider["periode"]["data-fra"],
        til=s.ider["periode"]["data-til"],
    )
    assert fasit["innsyn"]
    vist = [s.rad("innsyn", str(i + 1)) for i in range(len(s.rader("innsyn")))]
    assert vist == [{**r, "kommunenummer": r["kommunenummer"] or ""} for r in fasit["innsyn"]]
    assert any(r["ressurs"] == "oppgjor/2017/1?detaljer=vedtak" for r in vist)
    # Another municipality's reads: none. A period before: none.
    assert (
        les(hent(klient, "/ui/revisjon/innsyn?kommunenummer=0926", revisor).text).rader("innsyn")
        == []
    )
    tidlig = les(hent(klient, "/ui/revisjon/innsyn?til=2001-01-01", revisor).text)
    assert tidlig.rader("innsyn") == []
    # The municipality has no revisjon.read: no access log.
    assert hent(klient, "/ui/revisjon/innsyn", auth(HOBOL, "sio:oppgjor.read"), status=403)


def test_innsynslogg_blas_i_sider_pa_serveren(
    klient: TestClient, tjenester: Tjenester, auth: Token
) -> None:
    """More rows than one page: each page is the API's rows at those places, and the
    page links carry the filters (no stop at a fixed number of rows)."""
    for i in range(PER_SIDE * 2 + 7):
        tjenester.lesing.innsynslogg.registrer(HDIR, "hdir", "0138", f"test/{i}")
    tjenester.lesing.innsynslogg.registrer(HDIR, "hdir", "0926", "test/annen")
    revisor = auth(REVISJON, "sio:revisjon.read")
    fasit = api(klient, "/v1/revisjon/innsyn", revisor, kommunenummer="0138")["innsyn"]
    assert len(fasit) == PER_SIDE * 2 + 7
    url = "/ui/revisjon/innsyn?kommunenummer=0138&per=2030-01-01T12:00"
    forste = les(hent(klient, url, revisor).text)
    assert forste.ider["innsyn-antall"]["data-totalt"] == str(len(fasit))
    assert len(forste.rader("innsyn")) == PER_SIDE
    neste = [a for a in forste.lenker if "side=3" in a]
    assert neste, forste.lenker
    assert "kommunenummer=0138" in neste[0] and "per=2030" in neste[0]
    tredje = les(hent(klient, neste[0], revisor).text)
    vist = [tredje.rad("innsyn", str(PER_SIDE * 2 + i + 1)) for i in range(7)]
    assert len(tredje.rader("innsyn")) == 7
    assert [r["ressurs"] for r in vist] == [r["ressurs"] for r in fasit[PER_SIDE * 2 :]]
    assert hent(klient, url + "&side=4", revisor, status=404)


def test_dokument_for_utskrift_og_pdf(
    klient: TestClient, hdir: dict[str, str], auth: Token, scenario: Scenario
) -> None:
    versjoner = api(klient, "/v1/kommuner/0138/oppgjor/2017/1/versjoner", hdir)["versjoner"]
    v2 = versjoner[1]
    url = "/ui/kommuner/0138/oppgjor/2017/1/dokument/2"
    s = les(hent(klient, url, hdir).text)
    assert s.ider["hash"]["data-verdi"] == v2["hash"]
    assert s.ider["forrige_hash"]["data-verdi"] == versjoner[0]["hash"] == v2["forrige_hash"]
    # The metadata list sits outside any table: its fields have no table and no row.
    assert s.rad("", "")["utstedt"] == v2["utstedt"]
    for k in KOMPONENTER:
        assert s.rad("komponenter", k)["belop"] == v2[k]
        assert s.rad("korreksjon", k)["differanse"] == v2["korreksjon"][k]
    for linje in v2["linjer"]:
        assert s.rad("linjer", linje["tjenestekode"])["belop"] == linje["belop"]
    pdf = klient.get(url + "/pdf", headers=hdir)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    innhold = pdf.content
    assert innhold.startswith(b"%PDF-") and innhold.rstrip().endswith(b"%%EOF")
    tekst = innhold.decode("latin-1")
    assert v2["hash"] in tekst and v2["forrige_hash"] in tekst
    assert re.search(r"Korreksjon mot versjon 1", tekst)
    # Versions not issued, and another municipality's documents, are error pages.
    assert hent(klient, "/ui/kommuner/0138/oppgjor/2017/1/dokument/9", hdir, status=404)
    lillesand = auth("910926004", "sio:oppgjor.read")
    assert hent(klient, url, lillesand, status=403)
    assert klient.get(url + "/pdf", headers=lillesand).status_code == 403


def test_meny_etter_rolle(
    klient: TestClient, hdir: dict[str, str], auth: Token, scenario: Scenario
) -> None:
    def lenker(hode: dict[str, str]) -> set[str]:
        return {
            lenke
            for lenke in les(hent(klient, "/ui/handlinger", hode).text).lenker
            if lenke.startswith(("/ui/handlinger#", "/ui/satser", "/ui/revisjon/innsyn"))
        }

    assert {"/ui/handlinger#utsted", "/ui/satser", "/ui/handlinger#las"} <= lenker(hdir)
    kommune = lenker(auth(HOBOL, "sio:oppgjor.read"))
    assert kommune == {"/ui/handlinger#saldo"}
    revisor = lenker(auth(REVISJON, "sio:revisjon.read"))
    assert revisor == {"/ui/revisjon/innsyn"}
    # The municipality's actions page links its own balance only.
    side = les(hent(klient, "/ui/handlinger", auth(HOBOL, "sio:oppgjor.read")).text)
    assert [x for x in side.lenker if x.endswith("/saldo")] == ["/ui/kommuner/0138/saldo"]


def test_handlingssidene_er_tilgjengelige(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    for url in (
        "/ui/handlinger",
        "/ui/kommuner/0138/oppgjor/2017/1/utsted",
        "/ui/kommuner/0138/oppgjor/2017/1/dokument/2",
        "/ui/kommuner/0138/saldo",
        "/ui/satser",
        GRUNNLAG,
        "/ui/kommuner/0138/aar/2017/las",
        "/ui/revisjon/innsyn",
    ):
        html = hent(klient, url, hdir).text
        s = les(html)
        ider = re.findall(r'\sid="([^"]+)"', html)
        assert len(ider) == len(set(ider)), (url, sorted(i for i in ider if ider.count(i) > 1))
        assert s.html_lang == "nb", url
        assert s.elementer.get("main") == 1, url
        assert s.overskrifter[0] == 1 and s.overskrifter.count(1) == 1, url
        trinn = zip(s.overskrifter, s.overskrifter[1:], strict=False)
        assert all(b <= a + 1 for a, b in trinn), (url, s.overskrifter)
        assert s.elementer.get("caption", 0) == s.tabeller, url
        assert s.th_uten_scope == 0, url
        for kontroll in s.kontroller:  # every form control has a label
            assert kontroll.get("id") in s.etiketter, (url, kontroll)
    css = klient.get("/ui/static/handlinger.css")
    assert css.status_code == 200 and "@media print" in css.text
