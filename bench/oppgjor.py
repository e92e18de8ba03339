"""Settlement speed on PostgreSQL, through the HTTP API of a real `oppgjor serve`.

1. One municipality-quarter with 5,000 active vedtak, settled as known at a past instant
   (later corrections exist but must be ignored). Target: under 300 ms.
2. A national quarter: 356 municipalities, about 400,000 vedtak. Target: under 60 s.

The data go in through the real write side (validation, aggregates, receipts) in batches
of 1000 and through the projector, as in production; only HTTP is skipped for loading.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from bench.felles import ny_postgres, server, skriv, tjenester
from services.system.bootstrap import Tjenester
from services.system.cli import les_satsfil
from shared.events import SatsLinje
from shared.tilgang.token import lag_token

SATSFIL = Path(__file__).resolve().parents[1] / "shared" / "events" / "tjenestekoder.csv"
TIMEKODER = ("HTAMDK", "PBAMDK", "HTBODK", "POAMDK", "BPADK", "AUI", "DA1")
DOGNKODER = ("LOKO", "TUKO", "TAKO")
HDIR = "983544622"


def _vedtak(knr: str, nr: int, rnd: random.Random) -> list[dict[str, Any]]:
    """A vedtak's history: fattet, often endret, sometimes fravær, reports, an end."""
    vid = f"V{nr:07d}"
    # Every vedtak is in force in Q1 2017, the quarter the benchmark settles.
    fra = date(2016, 5, 1) + timedelta(days=rnd.randrange(300))
    time_ = rnd.random() < 0.8

    def h(type_: str, **felt: Any) -> dict[str, Any]:
        return {
            "hendelse_id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
            "type": type_,
            "kommunenummer": knr,
            "vedtak_id": vid,
            **felt,
        }

    ut = [
        h(
            "VedtakFattet",
            bruker_ref=f"B{nr}",
            tjenestekode=rnd.choice(TIMEKODER if time_ else DOGNKODER),
            gyldig_fra=fra.isoformat(),
            vedtaksdato=fra.isoformat(),
            **({"timer_per_uke": str(rnd.choice([2, 3.5, 7.5, 10, 14, 21]))} if time_ else {}),
        )
    ]
    if rnd.random() < 0.5:
        felt: dict[str, Any] = (
            {"timer_per_uke": "9.5"} if time_ else {"tjenestekode": rnd.choice(DOGNKODER)}
        )
        ut.append(
            h(
                "VedtakEndret",
                gjelder_fra=(fra + timedelta(days=rnd.randrange(1, 200))).isoformat(),
                **felt,
            )
        )
    if rnd.random() < 0.2:
        f = fra + timedelta(days=rnd.randrange(100))
        ut.append(
            h(
                "FravaerRegistrert",
                fravaer_id="F1",
                fra=f.isoformat(),
                til=(f + timedelta(days=9)).isoformat(),
                arsak="ferie",
            )
        )
    if time_ and rnd.random() < 0.5:
        ut.append(
            h(
                "UtfortTidRapportert",
                # Within its validity: the month after it starts (or January 2017).
                periode_fra=max(fra, date(2017, 1, 1)).isoformat(),
                periode_til=(max(fra, date(2017, 1, 1)) + timedelta(days=30)).isoformat(),
                utforte_timer="40",
            )
        )
    if rnd.random() < 0.2:
        ut.append(
            h(
                "VedtakOpphort",
                siste_dag=(date(2017, 4, 1) + timedelta(days=rnd.randrange(300))).isoformat(),
            )
        )
    return ut


def _last(t: Tjenester, knr: str, antall: int, rnd: random.Random, start: int = 0) -> int:
    historier = [_vedtak(knr, start + i, rnd) for i in range(antall)]
    # Batches in phases, as a case system sends them: all fattet, then the rest.
    forste = [h[0] for h in historier]
    resten = [x for h in historier for x in h[1:]]
    for serie in (forste, resten):
        for i in range(0, len(serie), 1000):
            t.mottak.motta(serie[i : i + 1000], None)
    return len(forste) + len(resten)


def _grunnlag(t: Tjenester, knr: str) -> None:
    t.publisering.publiser_grunnlag(
        knr, 2017, Decimal("100000000.00"), Decimal("3600000.00"), Decimal("3600000.00"), None
    )


def _tid(
    klient: httpx.Client, sti: str, params: dict[str, str], ganger: int
) -> tuple[float, float, Any]:
    tider, svar = [], None
    for _ in range(ganger):
        start = time.perf_counter()
        r = klient.get(sti, params=params)
        tider.append(time.perf_counter() - start)
        r.raise_for_status()
        svar = r.json()
    return min(tider), statistics.median(tider), svar


def en_kommune(url: str, antall: int) -> None:
    rnd = random.Random(1)
    t = tjenester(url)
    t.publisering.publiser_satser(
        2017, [SatsLinje.model_validate(s) for s in les_satsfil(SATSFIL, 2017)], "bench"
    )
    _grunnlag(t, "0138")
    hendelser = _last(t, "0138", antall, rnd)
    t.projektor.ta_igjen()
    per = datetime.now(UTC)
    time.sleep(0.01)
    # Later corrections that the past instant must not see.
    senere = _last(t, "0138", 500, rnd, start=antall)
    t.projektor.ta_igjen()
    t.lukk()
    data = Path(tempfile.mkdtemp(prefix="oppgjor-bench-"))
    token = lag_token(HDIR, "sio:oppgjor.read", data_dir=data)
    with (
        server(url, data, projektor=False) as adresse,
        httpx.Client(
            base_url=adresse, headers={"Authorization": f"Bearer {token}"}, timeout=120
        ) as k,
    ):
        beste, median, svar = _tid(
            k, "/v1/kommuner/0138/oppgjor/2017/1", {"per": per.isoformat()}, 7
        )
        aktive = sum(linje["antall_vedtak"] for linje in svar["linjer"])
        skriv(
            f"one quarter, {aktive} active vedtak, as known at a past instant",
            beste * 1000,
            "ms",
            f"(median {median * 1000:.0f} ms; {hendelser} events before, {senere} after)",
        )
        beste, median, _ = _tid(
            k, "/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort", {"per": per.isoformat()}, 5
        )
        skriv(
            "the same quarter's vedtatt-utfort audit",
            beste * 1000,
            "ms",
            f"(median {median * 1000:.0f} ms)",
        )


def nasjonalt(url: str, kommuner: int, vedtak: int) -> None:
    rnd = random.Random(2)
    t = tjenester(url)
    t.publisering.publiser_satser(
        2017, [SatsLinje.model_validate(s) for s in les_satsfil(SATSFIL, 2017)], "bench"
    )
    start = time.perf_counter()
    totalt = 0
    per_kommune = vedtak // kommuner
    for i in range(kommuner):
        knr = f"{3000 + i:04d}"
        _grunnlag(t, knr)
        totalt += _last(t, knr, per_kommune, rnd, start=i * per_kommune)
    lastet = time.perf_counter() - start
    start = time.perf_counter()
    t.projektor.ta_igjen()
    projisert = time.perf_counter() - start
    t.lukk()
    skriv(
        f"national load: {kommuner} municipalities, {per_kommune * kommuner} vedtak",
        totalt / lastet,
        "events/s",
        f"({totalt} events in {lastet:.0f} s, projected in {projisert:.0f} s)",
    )
    data = Path(tempfile.mkdtemp(prefix="oppgjor-bench-"))
    register = [
        {
            "organisasjonsnummer": HDIR,
            "navn": "Hdir",
            "rolle": "hdir",
            "kommuner": [f"{3000 + i:04d}" for i in range(kommuner)],
        }
    ]
    (data / "organisasjoner.json").write_text(json.dumps(register))
    token = lag_token(HDIR, "sio:oppgjor.read", data_dir=data)
    with (
        server(url, data, projektor=False) as adresse,
        httpx.Client(
            base_url=adresse, headers={"Authorization": f"Bearer {token}"}, timeout=600
        ) as k,
    ):
        beste, _, svar = _tid(k, "/v1/oppgjor/2017/1", {}, 2)
        skriv(
            f"national quarter, {len(svar['kommuner'])} municipalities",
            beste,
            "s",
            f"(total vedtakstilskudd {svar['totalt']['vedtakstilskudd']} NOK)",
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--vedtak", type=int, default=5000, help="vedtak in the one-municipality case")
    p.add_argument("--kommuner", type=int, default=356)
    p.add_argument("--nasjonale-vedtak", type=int, default=400_000)
    p.add_argument("--uten-nasjonal", action="store_true")
    a = p.parse_args()
    print("Settlement on PostgreSQL (over HTTP)")
    with ny_postgres("oppgjor_bench_en") as url:
        en_kommune(url, a.vedtak)
    if not a.uten_nasjonal:
        with ny_postgres("oppgjor_bench_nasjonal") as url:
            nasjonalt(url, a.kommuner, a.nasjonale_vedtak)


if __name__ == "__main__":
    main()
