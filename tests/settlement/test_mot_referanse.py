"""The whole pipeline against an independent day-by-day reading of regelverk v1.

Random case-system histories go in through POST /v1/hendelser, in several batches, with
price tables and funding basis re-published in between. At every captured instant the
API's settlement and audit must equal tests/regelverk/referanse.py applied to exactly the
facts known then. Issuing and correcting must give korreksjon = the difference.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from services.settlement.domain.avrunding import vis_andel, vis_belop, vis_volum
from services.settlement.domain.fakta import Finansieringsgrunnlag, Kilde, VedtakHendelse
from services.system.app import lag_app
from services.system.bootstrap import Tjenester, bygg
from services.system.cli import les_satsfil
from shared.events import HendelseAdapter
from shared.tilgang.token import lag_token
from tests.conftest import ny_pg_database
from tests.regelverk import referanse
from tests.settlement.scenario import SATSFIL

TESTORG, HDIR = "974760673", "983544622"
TIMEKODER = ("HTAMDK", "PBAMDK", "HTAMN")
DOGNKODER = ("LOKO", "TRKO")
KOMMUNER = itertools.count(5001)
_UTC = UTC


@dataclass
class Vedtak:
    vedtak_id: str
    fra: date
    siste: date | None
    time: bool
    fravaer: list[str] = field(default_factory=list)
    annullert: bool = False


class Historie:
    """Builds valid hendelser for one municipality, tracking what validation needs."""

    def __init__(self, knr: str, rnd: random.Random) -> None:
        self.knr, self.rnd, self.n = knr, rnd, 0
        self.vedtak: list[Vedtak] = []

    def _h(self, type_: str, v: Vedtak, **felt: Any) -> dict[str, Any]:
        self.n += 1
        return {
            "hendelse_id": f"00000000-0000-4000-8000-{int(self.knr):04d}{self.n:08d}",
            "type": type_,
            "kommunenummer": self.knr,
            "vedtak_id": v.vedtak_id,
            **felt,
        }

    def _dag(self, fra: date, til: date | None, spenn: int = 200) -> date:
        til = til or fra + timedelta(days=spenn)
        return fra + timedelta(days=self.rnd.randrange((til - fra).days + 1))

    def ny(self) -> dict[str, Any]:
        time = self.rnd.random() < 0.75
        fra = date(2016, 12, 1) + timedelta(days=self.rnd.randrange(180))
        til = None if self.rnd.random() < 0.5 else fra + timedelta(days=self.rnd.randrange(200))
        v = Vedtak(f"V{len(self.vedtak)}", fra, til, time)
        self.vedtak.append(v)
        felt: dict[str, Any] = {
            "bruker_ref": f"B{v.vedtak_id}",
            "gyldig_fra": fra.isoformat(),
            "vedtaksdato": "2016-11-30",
        }
        if til:
            felt["gyldig_til"] = til.isoformat()
        if time:
            felt |= {
                "tjenestekode": self.rnd.choice(TIMEKODER),
                "timer_per_uke": str(
                    self.rnd.choice(
                        [Decimal("7.5"), Decimal("3.25"), Decimal("14"), Decimal("0.5")]
                    )
                ),
            }
            if self.rnd.random() < 0.3:
                felt["bemanningsfaktor"] = self.rnd.choice([1, 2])
        else:
            felt["tjenestekode"] = self.rnd.choice(DOGNKODER)
        return self._h("VedtakFattet", v, **felt)

    def _endret(self, v: Vedtak) -> dict[str, Any]:
        felt: dict[str, Any] = {"gjelder_fra": self._dag(v.fra, v.siste).isoformat()}
        if v.time:
            if self.rnd.random() < 0.5:
                felt["timer_per_uke"] = str(
                    self.rnd.choice([Decimal("2"), Decimal("10.25"), Decimal("21")])
                )
            if self.rnd.random() < 0.4:
                felt["tjenestekode"] = self.rnd.choice(TIMEKODER)  # recoding
            if self.rnd.random() < 0.3 or len(felt) == 1:
                felt["bemanningsfaktor"] = self.rnd.choice([1, 2])  # 2:1 staffing
        else:
            felt["tjenestekode"] = self.rnd.choice(DOGNKODER)
        return self._h("VedtakEndret", v, **felt)

    def endring(self) -> dict[str, Any] | None:
        levende = [v for v in self.vedtak if not v.annullert]
        if not levende:
            return None
        v = self.rnd.choice(levende)
        valg = self.rnd.random()
        if valg < 0.35:
            return self._endret(v)
        if valg < 0.5:
            v.siste = self._dag(v.fra, v.siste)
            return self._h("VedtakOpphort", v, siste_dag=v.siste.isoformat())
        if valg < 0.7:
            fra = self._dag(v.fra, v.siste)
            fid = f"F{len(v.fravaer)}"
            v.fravaer.append(fid)
            return self._h(
                "FravaerRegistrert",
                v,
                fravaer_id=fid,
                fra=fra.isoformat(),
                til=(fra + timedelta(days=self.rnd.randrange(20))).isoformat(),
                arsak="sykehus",
            )
        if valg < 0.75 and v.fravaer:
            return self._h("FravaerAnnullert", v, fravaer_id=v.fravaer.pop(0))
        if valg < 0.78:
            v.annullert = True
            return self._h("VedtakAnnullert", v, begrunnelse="feilregistrert")
        fra = self._dag(v.fra - timedelta(days=10), v.siste)
        til = fra + timedelta(days=self.rnd.choice([0, 13, 30, 45]))
        if til < v.fra:
            til = v.fra
        dager = (til - fra).days + 1
        timer = Decimal(self.rnd.randrange(0, 48 * dager * 4)) / 4
        return self._h(
            "UtfortTidRapportert",
            v,
            periode_fra=fra.isoformat(),
            periode_til=til.isoformat(),
            utforte_timer=str(timer),
        )


class Fasit:
    """What the system has been told, with the instants between the tellings."""

    def __init__(self) -> None:
        self.hendelser: list[tuple[datetime, VedtakHendelse]] = []
        self.satser: list[tuple[datetime, dict[str, Decimal]]] = []
        self.grunnlag: list[tuple[datetime, Finansieringsgrunnlag]] = []

    def kjent(
        self, per: datetime
    ) -> tuple[list[VedtakHendelse], dict[str, Decimal] | None, Finansieringsgrunnlag | None]:
        satser = [s for t, s in self.satser if t <= per]
        grunnlag = [g for t, g in self.grunnlag if t <= per]
        return (
            [h for t, h in self.hendelser if t <= per],
            satser[-1] if satser else None,
            grunnlag[-1] if grunnlag else None,
        )


def naa() -> datetime:
    return datetime.now(_UTC)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def lager(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('referanse-db') / 'oppgjor.db'}"
        return
    with ny_pg_database("oppgjor_ref") as url:
        yield url


@pytest.fixture(scope="module")
def miljo(
    lager: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:
    """One store for all examples; each example is a municipality of its own."""
    data = tmp_path_factory.mktemp("referanse")
    kommuner = [str(k) for k in range(5001, 5400)]
    (data / "organisasjoner.json").write_text(
        json.dumps(
            [
                {
                    "organisasjonsnummer": TESTORG,
                    "navn": "Testkommuner",
                    "rolle": "kommune",
                    "kommuner": kommuner,
                },
                {
                    "organisasjonsnummer": HDIR,
                    "navn": "Hdir",
                    "rolle": "hdir",
                    "kommuner": kommuner,
                },
            ]
        )
    )
    t: Tjenester = bygg(lager)
    with TestClient(lag_app(t, data_dir=data, bakgrunnsprojektor=False)) as k:
        yield (
            k,
            {
                "Authorization": "Bearer "
                + lag_token(TESTORG, "sio:vedtak.write sio:oppgjor.read", data_dir=data)
            },
            {
                "Authorization": "Bearer "
                + lag_token(
                    HDIR, "sio:oppgjor.read sio:oppgjor.write sio:revisjon.read", data_dir=data
                )
            },
        )
    t.lukk()


_SATSER = {s["tjenestekode"]: Decimal(s["sats"]) for s in les_satsfil(SATSFIL, 2017)}


def _publiser_satser(k: TestClient, hdir: dict[str, str], rnd: random.Random, fasit: Fasit) -> None:
    satser = dict(_SATSER)
    satser["HTAMDK"] = Decimal(rnd.choice(["724.00", "731.50", "700.00"]))
    if rnd.random() < 0.25:
        del satser["PBAMDK"]  # a code without a rate: mangler_sats
    kropp = {"satser": [{"tjenestekode": kode, "sats": str(s)} for kode, s in satser.items()]}
    # A code may go (PBAMDK): confirmed, as the API requires for dropping codes in force.
    svar = k.put("/v1/satser/2017", json=kropp, headers=hdir, params={"tillat_fjerning": "true"})
    assert svar.status_code == 200
    fasit.satser.append((naa(), satser))


def _publiser_grunnlag(
    k: TestClient, hdir: dict[str, str], knr: str, rnd: random.Random, fasit: Fasit
) -> None:
    start = rnd.choice([None, date(2017, 1, 1), date(2017, 2, 14), date(2017, 5, 1)])
    belop = {
        navn: Decimal(rnd.randrange(10**6, 10**8)) / 100
        for navn in ("uttrekk", "rundsum", "inntektspaslag")
    }
    kropp = {navn: str(b) for navn, b in belop.items()} | (
        {"startdato": start.isoformat()} if start else {}
    )
    assert k.put(f"/v1/kommuner/{knr}/grunnlag/2017", json=kropp, headers=hdir).status_code == 200
    kilde = Kilde(0, naa(), None, "GrunnlagPublisert")
    fasit.grunnlag.append(
        (
            kilde.registrert,
            Finansieringsgrunnlag(knr, 2017, 1, startdato=start, kilde=kilde, **belop),
        )
    )


def _send(
    k: TestClient, kommune: dict[str, str], batch: list[dict[str, Any]], fasit: Fasit
) -> None:
    svar = k.post("/v1/hendelser", json={"hendelser": batch}, headers=kommune)
    assert svar.status_code == 200, svar.text
    tid = naa()  # after the answer: the batch is known from here on
    for h in batch:
        data = HendelseAdapter.validate_python(h).model_dump(mode="json")
        fasit.hendelser.append(
            (
                tid,
                VedtakHendelse(
                    Kilde(len(fasit.hendelser) + 1, tid, h["hendelse_id"], h["type"]), data
                ),
            )
        )


def _sammenlign(
    k: TestClient, hdir: dict[str, str], knr: str, kvartal: int, per: datetime, fasit: Fasit
) -> dict[str, Any]:
    svar = k.get(
        f"/v1/kommuner/{knr}/oppgjor/2017/{kvartal}",
        params={"per": per.isoformat(), "detaljer": "vedtak"},
        headers=hdir,
    )
    assert svar.status_code == 200, svar.text
    o = svar.json()
    hendelser, satser, grunnlag = fasit.kjent(per)
    ref = referanse.oppgjor(2017, kvartal, hendelser, satser, grunnlag)
    for komponent in (
        "vedtakstilskudd",
        "rundsumtilskudd",
        "inntektspaslag",
        "sum",
        "uttrekk",
        "differanse",
    ):
        assert o[komponent] == vis_belop(
            Decimal(ref[komponent].numerator) / Decimal(ref[komponent].denominator)
        ), komponent
    api = {
        (v["vedtak_id"], linje["tjenestekode"]): (v["volum"], v["belop"], v["mangler_sats"])
        for linje in o["linjer"]
        for v in linje["vedtak"]
    }
    forventet = {
        n: (vis_volum(vol), vis_belop(Decimal(b.numerator) / Decimal(b.denominator)), mangler)
        for n, (vol, b, mangler) in ref["linjer"].items()
    }
    assert api == forventet
    # Code lines are exact sums of the rounded vedtak lines (4.4).
    for linje in o["linjer"]:
        assert Decimal(linje["belop"]) == sum(Decimal(v["belop"]) for v in linje["vedtak"])
    assert Decimal(o["vedtakstilskudd"]) == sum(Decimal(linje["belop"]) for linje in o["linjer"])

    r = k.get(
        f"/v1/revisjon/kommuner/{knr}/2017/{kvartal}/vedtatt-utfort",
        params={"per": per.isoformat()},
        headers=hdir,
    ).json()
    ref_rev = referanse.revisjon(2017, kvartal, hendelser, Fraction(9, 10))
    assert {
        v["vedtak_id"]: (
            v["tjenestekode"],
            v["vedtatte_timer"],
            v["utforte_timer"],
            v["andel"],
            tuple(v["flagg"]),
        )
        for v in r["vedtak"]
    } == {
        vid: (kode, vis_volum(vt), vis_volum(ut), vis_andel(a), flagg)
        for vid, (kode, vt, ut, a, flagg) in ref_rev.items()
    }
    return dict(o)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1), batcher=st.integers(1, 4), storrelse=st.integers(3, 25))
@example(seed=3738, batcher=1, storrelse=3)  # a correction bringing a code without a rate
def test_api_er_lik_referansen_per_tidspunkt(
    miljo: Any, seed: int, batcher: int, storrelse: int
) -> None:
    k, kommune, hdir = miljo
    knr, rnd, fasit = str(next(KOMMUNER)), random.Random(seed), Fasit()
    historie = Historie(knr, rnd)
    _publiser_satser(k, hdir, rnd, fasit) if rnd.random() < 0.3 or not fasit.satser else None
    if not fasit.satser:
        fasit.satser.append((naa() - timedelta(days=1), _gjeldende_satser(k, hdir)))
    if rnd.random() < 0.85:
        _publiser_grunnlag(k, hdir, knr, rnd, fasit)
    tidspunkter = [naa()]
    for _ in range(batcher):
        batch = [historie.ny() for _ in range(max(1, storrelse // 3))]
        batch += [h for _ in range(storrelse) if (h := historie.endring()) is not None]
        _send(k, kommune, batch, fasit)
        if rnd.random() < 0.3:
            _publiser_satser(k, hdir, rnd, fasit)
        if rnd.random() < 0.2:
            _publiser_grunnlag(k, hdir, knr, rnd, fasit)
        tidspunkter.append(naa())
    for per in tidspunkter:
        for kvartal in (1, 2):
            _sammenlign(k, hdir, knr, kvartal, per, fasit)

    # Issue, correct, issue again: the korreksjon is the difference of the two versions.
    v1 = k.post(f"/v1/kommuner/{knr}/oppgjor/2017/1/utsted", headers=hdir)
    if v1.status_code == 409:
        o = k.get(f"/v1/kommuner/{knr}/oppgjor/2017/1", headers=hdir).json()
        assert fasit.kjent(naa())[2] is None or any(linje["mangler_sats"] for linje in o["linjer"])
        return
    assert v1.status_code == 201, v1.text
    batch = [h for _ in range(storrelse) if (h := historie.endring()) is not None] or [
        historie.ny()
    ]
    _send(k, kommune, batch, fasit)
    v2 = k.post(f"/v1/kommuner/{knr}/oppgjor/2017/1/utsted", headers=hdir)
    if v2.status_code == 409:
        _sjekk_ingen_korreksjon(v1.json(), v2.json(), _sammenlign(k, hdir, knr, 1, naa(), fasit))
        return
    _sjekk_korreksjon(v1.json(), v2.json())


def _sjekk_ingen_korreksjon(
    d1: dict[str, Any], problem: dict[str, Any], naa_: dict[str, Any]
) -> None:
    """A 409 on re-issue: a new line without a rate, or figures that are still v1's."""
    if any(linje["mangler_sats"] for linje in naa_["linjer"]):
        assert "mangler sats" in problem["detail"]  # a new line without a rate
    else:  # nothing that changes figures: then the figures are v1's
        assert "Ingenting er endret" in problem["detail"]
        assert naa_["vedtakstilskudd"] == d1["vedtakstilskudd"]
        assert naa_["linjer"] == d1["linjer"]


def _sjekk_korreksjon(d1: dict[str, Any], d2: dict[str, Any]) -> None:
    """Version 2 is a korreksjon: the difference to version 1 per component and line."""
    assert d2["type"] == "korreksjonsoppgjor" and d2["forrige_hash"] == d1["hash"]
    for komponent in (
        "vedtakstilskudd",
        "rundsumtilskudd",
        "inntektspaslag",
        "sum",
        "uttrekk",
        "differanse",
    ):
        assert Decimal(d2["korreksjon"][komponent]) == Decimal(d2[komponent]) - Decimal(
            d1[komponent]
        )
    gamle = {linje["tjenestekode"]: Decimal(linje["belop"]) for linje in d1["linjer"]}
    nye = {linje["tjenestekode"]: Decimal(linje["belop"]) for linje in d2["linjer"]}
    for linje in d2["korreksjon"]["linjer"]:
        kode = linje["tjenestekode"]
        assert Decimal(linje["belop"]) == nye.get(kode, Decimal(0)) - gamle.get(kode, Decimal(0))
    assert sum(Decimal(linje["belop"]) for linje in d2["korreksjon"]["linjer"]) == Decimal(
        d2["korreksjon"]["vedtakstilskudd"]
    )


def _gjeldende_satser(k: TestClient, hdir: dict[str, str]) -> dict[str, Decimal]:
    svar = k.get("/v1/satser/2017", headers=hdir)
    if svar.status_code == 404:
        raise AssertionError("ingen satser publisert")
    return {s["tjenestekode"]: Decimal(s["sats"]) for s in svar.json()["satser"]}


def test_rekkefolgen_av_uavhengige_vedtak_endrer_ingen_tall(miljo: Any) -> None:
    """The same vedtak histories, interleaved differently, in two municipalities."""
    k, kommune, hdir = miljo
    rnd = random.Random(7)
    a, b = str(next(KOMMUNER)), str(next(KOMMUNER))
    historie = Historie(a, rnd)
    hendelser = [historie.ny() for _ in range(12)] + [
        h for _ in range(60) if (h := historie.endring())
    ]
    for knr in (a, b):
        k.put(
            f"/v1/kommuner/{knr}/grunnlag/2017",
            json={"uttrekk": "1000000.00", "rundsum": "400000.00", "inntektspaslag": "40000.00"},
            headers=hdir,
        )
    per_vedtak: dict[str, list[dict[str, Any]]] = {}
    for h in hendelser:
        per_vedtak.setdefault(h["vedtak_id"], []).append(h)
    # Another interleaving: round-robin over a shuffled order of vedtak, each vedtak's own order kept.
    rekkefolge = list(per_vedtak)
    rnd.shuffle(rekkefolge)
    annen: list[dict[str, Any]] = []
    koer = {v: list(hs) for v, hs in per_vedtak.items()}
    while any(koer.values()):
        for v in rekkefolge:
            if koer[v]:
                annen.append(koer[v].pop(0))
    for knr, serie in ((a, hendelser), (b, annen)):
        for i in range(0, len(serie), 17):
            batch = [
                dict(
                    h,
                    kommunenummer=knr,
                    hendelse_id=h["hendelse_id"][:-12] + f"{int(knr):04d}" + h["hendelse_id"][-8:],
                )
                for h in serie[i : i + 17]
            ]
            assert (
                k.post("/v1/hendelser", json={"hendelser": batch}, headers=kommune).status_code
                == 200
            )
    for kvartal in (1, 2, 3):
        oa = k.get(
            f"/v1/kommuner/{a}/oppgjor/2017/{kvartal}", params={"detaljer": "vedtak"}, headers=hdir
        ).json()
        ob = k.get(
            f"/v1/kommuner/{b}/oppgjor/2017/{kvartal}", params={"detaljer": "vedtak"}, headers=hdir
        ).json()
        for felt in ("vedtakstilskudd", "rundsumtilskudd", "sum", "differanse", "linjer"):
            assert oa[felt] == ob[felt], felt
