"""The pages as a workplace: big tables paged, sorted, searched and filtered on the server;
drill-down from the national figure to a vedtak's events; time travel with a date-time
field; a municipality's landing; Norwegian 404 pages. On SQLite and PostgreSQL.

Every expectation is computed from the API's own answer, never written down by hand.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient

from services.settlement.entrypoints.web.tabell import PER_SIDE
from services.system.bootstrap import Tjenester
from tests.conftest import HOBOL, Token
from tests.hendelser import fattet, rapport
from tests.web.html import Side, les
from tests.web.scenario import VEDTAK_SKRIV, Scenario
from tests.web.test_sider import api, innsyn, side

MANGE = 2 * PER_SIDE + 7  # three pages of vedtak lines, the last one short
OPPGJOR = "/ui/kommuner/0138/oppgjor/2017/1"
REVISJON = "/ui/revisjon/kommuner/0138/2017/1"


def _id(i: int) -> str:
    return f"M{i:03d}"


@pytest.fixture
def mange(klient: TestClient, auth: Token, scenario: Scenario) -> Scenario:
    """The scenario plus MANGE vedtak in 0138, of two codes, some reported short."""
    hendelser: list[dict[str, Any]] = []
    for i in range(MANGE):
        kode = "PBAMDK" if i % 3 == 0 else "HTAMDK"
        hendelser.append(fattet(_id(i), tjenestekode=kode, timer_per_uke=str(1 + i % 9)))
        if i % 4 == 0:
            hendelser.append(rapport(_id(i), "2017-01-01", "2017-03-31", str(i % 50)))
    svar = klient.post(
        "/v1/hendelser", json={"hendelser": hendelser}, headers=auth(HOBOL, VEDTAK_SKRIV)
    )
    assert svar.status_code == 200, svar.text
    return scenario


def _alle_sider(klient: TestClient, url: str, hode: dict[str, str], tabell: str) -> list[Side]:
    """Every page of a table, following its own page links."""
    forste = side(klient, url, hode)
    totalt = int(forste.ider[f"{tabell}-antall"]["data-totalt"])
    antall = max(1, -(-totalt // PER_SIDE))
    sider = [forste]
    for nr in range(2, antall + 1):
        lenke = next(
            u for u in forste.lenker if parse_qs(urlsplit(u).query).get("side") == [str(nr)]
        )
        sider.append(side(klient, lenke, hode))
    return sider


def _vedtakslinjer(dok: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**v, "tjenestekode": linje["tjenestekode"], "tjenestegruppe": linje["tjenestegruppe"]}
        for linje in dok["linjer"]
        for v in linje["vedtak"]
    ]


def test_vedtakslinjer_pages_sorteres_sokes_og_filtreres(
    klient: TestClient, hdir: dict[str, str], mange: Scenario
) -> None:
    url = OPPGJOR + "?detaljer=vedtak"
    forste = side(klient, url, hdir)
    fasit = _vedtakslinjer(
        api(klient, "/v1/kommuner/0138/oppgjor/2017/1", hdir, per=forste.per, detaljer="vedtak")
    )
    assert len(fasit) > 2 * PER_SIDE
    # Paging: PER_SIDE rows a page, every line exactly once over the pages, in the API's order.
    sider = _alle_sider(klient, url + f"&per={forste.per}", hdir, "vedtakslinjer")
    assert (
        len(sider) == -(-len(fasit) // PER_SIDE)
        and len(sider[0].rader("vedtakslinjer")) == PER_SIDE
    )
    vist = [r for s in sider for r in s.rader("vedtakslinjer")]
    assert vist == [f"{v['tjenestekode']}/{v['vedtak_id']}" for v in fasit]
    # Sorting by amount, largest first: the API's lines in that order (a stable sort).
    sortert = side(klient, url + f"&per={forste.per}&sorter=belop&retning=synkende", hdir)
    forventet = sorted(fasit, key=lambda v: Decimal(v["belop"]), reverse=True)[:PER_SIDE]
    assert sortert.rader("vedtakslinjer") == [
        f"{v['tjenestekode']}/{v['vedtak_id']}" for v in forventet
    ]
    assert sortert.ider  # the header says which column sorts, for screen readers
    assert (
        'aria-sort="descending"'
        in klient.get(url + "&sorter=belop&retning=synkende", headers=hdir).text
    )
    # Search by vedtak id, and the code and group filters.
    for query, passer in (
        ("sok=m01", lambda v: "m01" in v["vedtak_id"].casefold()),
        ("tjenestekode=PBAMDK", lambda v: v["tjenestekode"] == "PBAMDK"),
        ("tjenestegruppe=praktisk_bistand", lambda v: v["tjenestegruppe"] == "praktisk_bistand"),
    ):
        filtrert = side(klient, url + f"&per={forste.per}&{query}", hdir)
        forventet_ider = [f"{v['tjenestekode']}/{v['vedtak_id']}" for v in fasit if passer(v)]
        assert forventet_ider, query
        assert filtrert.rader("vedtakslinjer") == forventet_ider[:PER_SIDE], query
        assert int(filtrert.ider["vedtakslinjer-antall"]["data-totalt"]) == len(forventet_ider)


def test_revisjonstabellen_filtreres_pa_flagg_og_sorteres(
    klient: TestClient, hdir: dict[str, str], mange: Scenario
) -> None:
    forste = side(klient, REVISJON, hdir)
    fasit = api(klient, "/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort", hdir, per=forste.per)[
        "vedtak"
    ]
    filtre: list[tuple[str, Callable[[dict[str, Any]], bool]]] = [
        ("flagget", lambda v: bool(v["flagg"])),
        ("ingen", lambda v: not v["flagg"]),
        ("under_terskel", lambda v: "under_terskel" in v["flagg"]),
        ("ingen_rapport", lambda v: "ingen_rapport" in v["flagg"]),
    ]
    for flagg, passer in filtre:
        url = f"{REVISJON}?per={forste.per}&flagg={flagg}&sorter=andel&retning=stigende"
        forventet = sorted(
            (v for v in fasit if passer(v)),
            key=lambda v: (0, Decimal(0)) if v["andel"] is None else (1, Decimal(v["andel"])),
        )
        vist = [r for s in _alle_sider(klient, url, hdir, "vedtak") for r in s.rader("vedtak")]
        assert vist == [v["vedtak_id"] for v in forventet], flagg
    # The older checkbox still means "only flagged".
    gammel = side(klient, f"{REVISJON}?per={forste.per}&kun_flagget=true", hdir)
    assert int(gammel.ider["vedtak-antall"]["data-totalt"]) == sum(1 for v in fasit if v["flagg"])


def _celler(svar: Any) -> list[str]:
    assert svar.status_code == 200, svar.text
    tekst = svar.content.decode("utf-8-sig")
    skille = ";" if tekst.split("\n", 1)[0].count(";") else ","
    return [c for rad in csv.reader(io.StringIO(tekst), delimiter=skille) for c in rad]


def test_eksporten_har_sidens_filtre_og_sortering(
    klient: TestClient, hdir: dict[str, str], mange: Scenario
) -> None:
    per = side(klient, REVISJON, hdir).per
    fasit = api(klient, "/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort", hdir, per=per)
    alle_ider = {v["vedtak_id"] for v in fasit["vedtak"]}
    query = f"per={per}&tjenestekode=HTAMDK&flagg=flagget&sorter=utforte_timer&retning=synkende"
    # The page's own download link carries the filters (not the page number).
    s = side(klient, f"{REVISJON}?{query}&side=1", hdir)
    csv_lenke = next(u for u in s.lenker if "format=csv" in u)
    assert "tjenestekode=HTAMDK" in csv_lenke and "flagg=flagget" in csv_lenke
    assert "side=" not in csv_lenke
    celler = _celler(klient.get(csv_lenke, headers=hdir))
    forventet = sorted(
        (v for v in fasit["vedtak"] if v["tjenestekode"] == "HTAMDK" and v["flagg"]),
        key=lambda v: Decimal(v["utforte_timer"]),
        reverse=True,
    )
    assert [c for c in celler if c in alle_ider] == [v["vedtak_id"] for v in forventet]
    # The quarter's vedtak lines: the search and the code filter.
    dok = api(klient, "/v1/kommuner/0138/oppgjor/2017/1", hdir, per=per, detaljer="vedtak")
    linjer = _vedtakslinjer(dok)
    eksport = klient.get(
        f"{OPPGJOR}?per={per}&detaljer=vedtak&sok=M0&tjenestekode=PBAMDK&format=csv&tabell=vedtak",
        headers=hdir,
    )
    ider = {v["vedtak_id"] for v in linjer}
    assert [c for c in _celler(eksport) if c in ider] == [
        v["vedtak_id"]
        for v in linjer
        if v["tjenestekode"] == "PBAMDK" and "m0" in v["vedtak_id"].casefold()
    ]


def test_ugyldige_tabellvalg_gir_norsk_feilside(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    for url, status in (
        (OPPGJOR + "?detaljer=vedtak&sorter=hemmelig", 422),
        (OPPGJOR + "?detaljer=vedtak&retning=opp", 422),
        (OPPGJOR + "?detaljer=vedtak&side=0", 422),
        (OPPGJOR + "?detaljer=vedtak&side=99", 404),
        (REVISJON + "?sok=" + "x" * 500, 422),
    ):
        svar = klient.get(url, headers=hdir)
        assert svar.status_code == status, url
        assert svar.headers["content-type"].startswith("text/html"), url
        assert les(svar.text).ider["feilmelding"], url


def test_drilldown_fra_nasjonalt_til_vedtakets_hendelser(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario, tjenester: Tjenester
) -> None:
    per = side(klient, "/ui/oppgjor/2017/1", hdir).per
    # Known at one instant, carried by every link down the path.
    nasjonalt = side(klient, "/ui/oppgjor/2017/1?" + urlencode({"per": per}), hdir)
    kommune = side(
        klient, next(u for u in nasjonalt.lenker if u.startswith("/ui/kommuner/0138/2017")), hdir
    )
    linjer_url = next(u for u in kommune.lenker if u.startswith(OPPGJOR) and "versjoner" not in u)
    linjer = side(klient, linjer_url, hdir)
    dok = api(klient, "/v1/kommuner/0138/oppgjor/2017/1", hdir, per=linjer.per)
    kode = dok["linjer"][0]["tjenestekode"]
    # A code's line leads to its vedtak lines, each vedtak id to its explanation.
    kode_url = next(u for u in linjer.lenker if f"tjenestekode={kode}" in u)
    vedtakslinjer = side(klient, kode_url, hdir)
    assert vedtakslinjer.rader("vedtakslinjer")
    assert all(r.startswith(f"{kode}/") for r in vedtakslinjer.rader("vedtakslinjer"))
    vedtak_id = vedtakslinjer.rader("vedtakslinjer")[0].split("/", 1)[1]
    forklar_url = next(u for u in vedtakslinjer.lenker if f"/vedtak/{vedtak_id}" in u)
    for_ = innsyn(tjenester)
    forklaring = side(klient, forklar_url, hdir)
    assert innsyn(tjenester) == for_ + 1  # a person-level read, logged
    fasit = api(
        klient, f"/v1/kommuner/0138/oppgjor/2017/1/vedtak/{vedtak_id}", hdir, per=forklaring.per
    )
    assert fasit["linjer"]
    for n, linje in enumerate(fasit["linjer"], start=1):
        vist = forklaring.rad(f"linje-{n}", "linje")
        assert (vist["volum"], vist["sats"], vist["belop"]) == (
            linje["volum"],
            linje["sats"] or "",
            linje["belop"],
        )
        assert vist["satstabell_versjon"] == str(linje["satstabell"]["versjon"])
        for s in linje["segmenter"]:
            assert forklaring.rad(f"segmenter-{n}", s["fra"]) == {
                "dager": str(s["dager"]),
                "fravaersdager": str(s["fravaersdager"]),
                "timer_per_uke": s["timer_per_uke"] or "",
                "bemanningsfaktor": ""
                if s["bemanningsfaktor"] is None
                else str(s["bemanningsfaktor"]),
                "volum": s["volum"],
            }
    # On to the vedtak's events as known at the same instant.
    for_ = innsyn(tjenester)
    hendelser = side(klient, forklaring.ider["til-hendelser"]["href"], hdir)
    assert innsyn(tjenester) == for_ + 1
    logg = api(
        klient, "/v1/revisjon/kommuner/0138/hendelser", hdir, per=hendelser.per, vedtak_id=vedtak_id
    )
    assert hendelser.per == forklaring.per == per
    assert hendelser.rader("hendelser") == [str(h["posisjon"]) for h in logg["hendelser"]]
    for h in logg["hendelser"]:
        assert hendelser.rad("hendelser", str(h["posisjon"])) == {
            "posisjon": str(h["posisjon"]),
            "registrert": h["registrert"],
            "type": h["type"],
            "hendelse_id": h["hendelse_id"],
        }
    # An audit row links to the same vedtak page.
    revisjon = side(klient, f"{REVISJON}?" + urlencode({"per": per}), hdir)
    assert any(urlsplit(u).path == urlsplit(forklar_url).path for u in revisjon.lenker)


def test_ukjent_vedtak_kommune_og_side_gir_norsk_404(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    for url in (
        "/ui/kommuner/9999/2017",
        "/ui/kommuner/9999/oppgjor/2017/1",
        "/ui/revisjon/kommuner/9999/2017/1",
        OPPGJOR + "/vedtak/FINNES-IKKE",
        "/ui/finnes/ikke",
        "/ui/oppgjor/2017/1/tull",
    ):
        svar = klient.get(url, headers=hdir)
        assert svar.status_code == 404, url
        assert svar.headers["content-type"].startswith("text/html"), url
        s = les(svar.text)
        assert s.html_lang == "nb" and "Finnes ikke" in s.tekst, url
        assert "0,00" not in s.tekst, url  # not a page of zeros


def test_kommune_lander_pa_egen_kommuneside(
    klient: TestClient, auth: Token, scenario: Scenario
) -> None:
    hobol = auth(HOBOL, "sio:oppgjor.read")
    svar = klient.get("/ui", headers=hobol, follow_redirects=False)
    assert svar.status_code == 303
    assert svar.headers["location"] == "/ui/kommuner/0138/2017"
    svar = klient.get("/ui?per=2017-06-01T12:00", headers=hobol, follow_redirects=False)
    assert svar.headers["location"].startswith("/ui/kommuner/0138/")
    assert "per=2017-06-01T12%3A00" in svar.headers["location"]


def test_per_feltet_tur_retur(klient: TestClient, hdir: dict[str, str], scenario: Scenario) -> None:
    naa = side(klient, "/ui/oppgjor/2017/1", hdir)
    assert naa.ider["per-felt"]["type"] == "datetime-local"
    assert "kjent-per" not in naa.ider  # now: no banner
    # A local date and time, as the field sends it, is Norwegian time.
    lokal = "2030-01-01T12:00:05"
    s = side(klient, f"/ui/oppgjor/2017/1?per={lokal}", hdir)
    assert s.ider["per-felt"]["value"] == lokal
    assert "Slik det var kjent 01.01.2030 kl. 12:00:05" in s.tekst
    assert s.per == api(klient, "/v1/oppgjor/2017/1", hdir, per="2030-01-01T12:00:05+01:00")["per"]
    # Every link inside the pages keeps the instant, but the one back to now.
    naa_lenke = next(u for u in s.lenker if "per=" not in u and u.startswith("/ui/oppgjor/2017/1"))
    assert naa_lenke == "/ui/oppgjor/2017/1"
    for lenke in s.lenker:
        if lenke.startswith("/ui/") and lenke != naa_lenke and "logg-inn" not in lenke:
            assert parse_qs(urlsplit(lenke).query).get("per") == [lokal], lenke
    # An ISO instant with offset works as in the API, and the field shows it in local time.
    iso = side(klient, "/ui/kommuner/0138/2017?per=2017-05-01T10:00:00Z", hdir)
    assert iso.ider["per-felt"]["value"] == "2017-05-01T12:00:00"
    assert (
        iso.per
        == api(klient, "/v1/kommuner/0138/oppgjor/2017/1", hdir, per="2017-05-01T10:00:00Z")["per"]
    )
    # The form keeps the page's other choices.
    skjult = {
        a["name"]: a["value"]
        for a in _skjulte(klient, f"{REVISJON}?terskel=0,85&flagg=flagget", hdir)
    }
    assert skjult == {"terskel": "0,85", "flagg": "flagget"}
    for ugyldig in ("2017-02-30T12:00", "igår", "2017-13-01T00:00"):
        svar = klient.get(f"/ui/oppgjor/2017/1?per={ugyldig}", headers=hdir)
        assert svar.status_code == 422, ugyldig
        assert svar.headers["content-type"].startswith("text/html")
        assert "per er ikke" in les(svar.text).tekst, ugyldig


def _skjulte(klient: TestClient, url: str, hode: dict[str, str]) -> list[dict[str, str]]:
    """The hidden fields of the time-travel form."""
    from html.parser import HTMLParser

    felt: list[dict[str, str]] = []

    class Leser(HTMLParser):
        inne = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {k: v or "" for k, v in attrs}
            if tag == "form":
                self.inne = "tidsreise" in a.get("class", "")
            elif tag == "input" and self.inne and a.get("type") == "hidden":
                felt.append(a)

        def handle_endtag(self, tag: str) -> None:
            if tag == "form":
                self.inne = False

    Leser().feed(klient.get(url, headers=hode).text)
    return felt


def test_korreksjonens_vedtak_lenker_til_forklaringen(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    s = side(klient, OPPGJOR + "/versjoner", hdir)
    fasit = api(klient, "/v1/kommuner/0138/oppgjor/2017/1/versjoner", hdir, per=s.per)
    endrede = {v["vedtak_id"] for v in fasit["versjoner"][1]["korreksjon"]["vedtak"]}
    assert endrede
    lenker = {u.split("?")[0].rsplit("/", 1)[1] for u in s.lenker if "/vedtak/" in u}
    assert lenker == endrede
    for u in (u for u in s.lenker if "/vedtak/" in u):
        assert klient.get(u, headers=hdir).status_code == 200, u


def test_kommunesidens_gruppetall_forer_til_vedtakslinjene(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    s = side(klient, "/ui/kommuner/0138/2017", hdir)
    lenker = [u for u in s.lenker if "tjenestegruppe=" in u]
    assert lenker
    for lenke in lenker:
        gruppe = parse_qs(urlsplit(lenke).query)["tjenestegruppe"][0]
        kvartal = int(urlsplit(lenke).path.rsplit("/", 1)[1])
        vist = side(klient, lenke, hdir)
        dok = api(
            klient,
            f"/v1/kommuner/0138/oppgjor/2017/{kvartal}",
            hdir,
            per=vist.per,
            detaljer="vedtak",
        )
        forventet = [v for v in _vedtakslinjer(dok) if v["tjenestegruppe"] == gruppe]
        assert (
            vist.rader("vedtakslinjer")
            == [f"{v['tjenestekode']}/{v['vedtak_id']}" for v in forventet][:PER_SIDE]
        )
        # The figure on the year page is the sum of the lines it leads to.
        assert Decimal(s.rad("grupper", gruppe)[f"K{kvartal}"]) == sum(
            (Decimal(v["belop"]) for v in forventet), Decimal(0)
        )


def test_sider_uten_nedlasting_avviser_format_med_ord(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    for url in (
        OPPGJOR + "/vedtak/V1?format=csv",
        "/ui/kommuner/0138/vedtak/V1/hendelser?format=xlsx",
    ):
        svar = klient.get(url, headers=hdir)
        assert svar.status_code == 406, url
        assert "kan ikke lastes ned" in les(svar.text).tekst, url
