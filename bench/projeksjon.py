"""The settlement projection on PostgreSQL, over HTTP against a real `oppgjor serve` (issue 9).

1. History does not matter: two municipalities with the same number of vedtak in force,
   one with ten years of history and monthly delivered-time reports, one with one year.
   Prints the ratio of the latest quarter's time and of its audit (target: <= 1.3 each).
2. A large municipality (default 30,000 vedtak in force, monthly reports): one quarter now
   and as known at a past instant (< 300 ms), its audit (< 500 ms).
3. The national quarter (default 356 municipalities, 400,000 vedtak): now and as known at a
   past instant (< 2 s).
4. Freshness: while case systems send 2,000 events/s, the time from a batch's 200 to the
   first settlement read that includes it (p99 <= 1 s), and the slowest read.

The data go in through the real write side (validation, aggregates, receipts) in batches
of 1000, as in production; the projector then catches up (its rate is printed).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import threading
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
SISTE_AAR = 2017  # the latest quarter is Q4 of this year


def _hid(rnd: random.Random) -> str:
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


def _maaneder(fra_aar: int) -> list[date]:
    return [date(a, m, 1) for a in range(fra_aar, SISTE_AAR + 1) for m in range(1, 13)]


def historie(knr: str, i_kraft: int, aar: int, rnd: random.Random, rapporter: bool = True) -> Any:
    """A municipality's events in time order, month by month over `aar` years: about
    `i_kraft` vedtak in force throughout (a fifth end each year and are replaced), some
    endret and fravær, and each `time` vedtak's delivered hours reported every month."""
    fra_aar = SISTE_AAR - aar + 1
    nr = 0
    aktive: dict[str, tuple[date, bool]] = {}  # vedtak_id -> (gyldig_fra, time)

    def h(type_: str, vid: str, **felt: Any) -> dict[str, Any]:
        return {
            "hendelse_id": _hid(rnd),
            "type": type_,
            "kommunenummer": knr,
            "vedtak_id": vid,
            **felt,
        }

    def ny(dag: date) -> dict[str, Any]:
        nonlocal nr
        nr += 1
        vid = f"V{knr}-{nr:07d}"
        time_ = rnd.random() < 0.8
        aktive[vid] = (dag, time_)
        return h(
            "VedtakFattet",
            vid,
            bruker_ref=f"B{nr}",
            tjenestekode=rnd.choice(TIMEKODER if time_ else DOGNKODER),
            gyldig_fra=dag.isoformat(),
            vedtaksdato=dag.isoformat(),
            **({"timer_per_uke": str(rnd.choice([2, 3.5, 7.5, 10, 14, 21]))} if time_ else {}),
        )

    maaneder = _maaneder(fra_aar)
    for i, start in enumerate(maaneder):
        slutt = (maaneder[i + 1] if i + 1 < len(maaneder) else date(SISTE_AAR + 1, 1, 1)) - (
            timedelta(days=1)
        )
        ut: list[dict[str, Any]] = []
        if i == 0:
            ut += [ny(start + timedelta(days=rnd.randrange(28))) for _ in range(i_kraft)]
        else:
            # A fifth of the vedtak end each year, spread over its months, and are replaced.
            for vid in rnd.sample(list(aktive), k=max(1, i_kraft // 60)):
                gyldig_fra, _ = aktive.pop(vid)
                siste = max(start, gyldig_fra) + timedelta(days=rnd.randrange(20))
                ut.append(h("VedtakOpphort", vid, siste_dag=siste.isoformat()))
                ut.append(ny(siste + timedelta(days=1)))
        ut += _endringer(h, aktive, start, i_kraft, rnd)
        if rapporter:
            ut += _maanedsrapporter(h, aktive, start, slutt, rnd)
        yield from ut


def _endringer(
    h: Any, aktive: dict[str, tuple[date, bool]], start: date, i_kraft: int, rnd: random.Random
) -> list[dict[str, Any]]:
    """Some vedtak change hours or are away for a week this month."""
    ut = []
    for vid in rnd.sample(list(aktive), k=max(1, i_kraft // 40)):
        gyldig_fra, time_ = aktive[vid]
        dag = max(start, gyldig_fra) + timedelta(days=rnd.randrange(20))
        if rnd.random() < 0.5 and time_:
            ut.append(h("VedtakEndret", vid, gjelder_fra=dag.isoformat(), timer_per_uke="9.5"))
        else:
            ut.append(
                h(
                    "FravaerRegistrert",
                    vid,
                    fravaer_id=f"F{start.isoformat()}",
                    fra=dag.isoformat(),
                    til=(dag + timedelta(days=6)).isoformat(),
                    arsak="sykehus",
                )
            )
    return ut


def _maanedsrapporter(
    h: Any, aktive: dict[str, tuple[date, bool]], start: date, slutt: date, rnd: random.Random
) -> list[dict[str, Any]]:
    """Each `time` vedtak in force the whole month reports its delivered hours."""
    return [
        h(
            "UtfortTidRapportert",
            vid,
            periode_fra=start.isoformat(),
            periode_til=slutt.isoformat(),
            utforte_timer=str(rnd.choice([20, 30, 31.5, 40])),
        )
        for vid, (gyldig_fra, time_) in aktive.items()
        if time_ and gyldig_fra <= start
    ]


def last(t: Tjenester, hendelser: Any) -> tuple[int, float]:
    """Through the write side in batches of 1000; returns (events, seconds)."""
    start, antall, batch = time.perf_counter(), 0, []
    for h in hendelser:
        batch.append(h)
        if len(batch) == 1000:
            t.mottak.motta(batch, None)
            antall, batch = antall + len(batch), []
    if batch:
        t.mottak.motta(batch, None)
        antall += len(batch)
    return antall, time.perf_counter() - start


def hdir_data(t: Tjenester, kommuner: list[str], startaar: int) -> None:
    satser = [SatsLinje.model_validate(s) for s in les_satsfil(SATSFIL, 2017)]
    for aar in range(startaar, SISTE_AAR + 1):
        t.publisering.publiser_satser(aar, satser, "bench")
    for knr in kommuner:
        t.publisering.publiser_grunnlag(
            knr,
            SISTE_AAR,
            Decimal("100000000.00"),
            Decimal("3600000.00"),
            Decimal("3600000.00"),
            None,
        )


def projiser(t: Tjenester, antall: int) -> None:
    start = time.perf_counter()
    t.projektor.ta_igjen()
    tid = time.perf_counter() - start
    skriv(
        "projector catch-up (journal + settlement projection)",
        antall / tid,
        "events/s",
        f"({antall} events in {tid:.1f} s)",
    )


def _klient(adresse: str, data: Path, kommuner: list[str], scope: str) -> httpx.Client:
    token = lag_token(HDIR, scope, data_dir=data)
    return httpx.Client(base_url=adresse, headers={"Authorization": f"Bearer {token}"}, timeout=600)


def _data(kommuner: list[str]) -> Path:
    data = Path(tempfile.mkdtemp(prefix="oppgjor-bench-"))
    register = [
        {"organisasjonsnummer": HDIR, "navn": "Hdir", "rolle": "hdir", "kommuner": kommuner}
    ]
    (data / "organisasjoner.json").write_text(json.dumps(register))
    return data


def kald(k: httpx.Client, sti: str, params: dict[str, str]) -> float:
    """The first read after the data changed: nothing kept yet (ADR 14)."""
    start = time.perf_counter()
    k.get(sti, params=params).raise_for_status()
    return time.perf_counter() - start


def tid(k: httpx.Client, sti: str, params: dict[str, str], ganger: int) -> tuple[float, Any]:
    """Best of `ganger` (after one warm-up) and the answer."""
    k.get(sti, params=params).raise_for_status()
    tider, svar = [], None
    for _ in range(ganger):
        start = time.perf_counter()
        r = k.get(sti, params=params)
        tider.append(time.perf_counter() - start)
        r.raise_for_status()
        svar = r.json()
    return min(tider), svar


def historieforhold(url: str, i_kraft: int) -> None:
    rnd = random.Random(9)
    lang, kort = "1101", "1102"
    t = tjenester(url)
    hdir_data(t, [lang, kort], SISTE_AAR - 9)
    n1, s1 = last(t, historie(lang, i_kraft, 10, rnd))
    n2, s2 = last(t, historie(kort, i_kraft, 1, rnd))
    skriv(
        "ingest through the write side (batches of 1000)",
        (n1 + n2) / (s1 + s2),
        "events/s",
        f"({n1} events ten years, {n2} one year)",
    )
    projiser(t, n1 + n2 + 10)
    t.lukk()
    data = _data([lang, kort])
    # A new server's very first reads, the ten-year municipality's first: what a client
    # that comes first sees (the server warms itself before it is ready, ADR 20).
    with (
        server(url, data, projektor=False) as adresse,
        _klient(adresse, data, [lang, kort], "sio:oppgjor.read") as k,
    ):
        q_lang = kald(k, f"/v1/kommuner/{lang}/oppgjor/{SISTE_AAR}/4", {})
        q_kort = kald(k, f"/v1/kommuner/{kort}/oppgjor/{SISTE_AAR}/4", {})
        skriv(
            "a new server's first two reads, ten years then one year",
            q_lang / q_kort,
            "x",
            f"({q_lang * 1000:.1f} / {q_kort * 1000:.1f} ms; target <= 1.3)",
        )
    with (
        server(url, data, projektor=False) as adresse,
        _klient(adresse, data, [lang, kort], "sio:oppgjor.read sio:revisjon.read") as k,
    ):
        # The server's own first requests (code paths, compiled statements) are paid on
        # another quarter, so neither municipality's first read carries them.
        for knr in (lang, kort):
            kald(k, f"/v1/kommuner/{knr}/oppgjor/{SISTE_AAR}/1", {})
            kald(k, f"/v1/revisjon/kommuner/{knr}/{SISTE_AAR}/1/vedtatt-utfort", {})
        forste: dict[str, tuple[float, float]] = {}
        for knr, navn in ((lang, "ten years"), (kort, "one year")):
            q = kald(k, f"/v1/kommuner/{knr}/oppgjor/{SISTE_AAR}/4", {})
            r = kald(k, f"/v1/revisjon/kommuner/{knr}/{SISTE_AAR}/4/vedtatt-utfort", {})
            forste[knr] = (q, r)
            skriv(f"{navn}: first read after the data changed: quarter", q * 1000, "ms")
            skriv(f"{navn}: first read after the data changed: audit", r * 1000, "ms")
        for i, hva in ((0, "quarter"), (1, "audit")):
            skriv(
                f"first-read ratio ten years / one year: {hva}",
                forste[lang][i] / forste[kort][i],
                "x",
                "(target <= 1.3)",
            )
        # Interleaved and best of many: on a shared machine the load changes by the second.
        beste: dict[str, list[float]] = {lang: [9e9, 9e9], kort: [9e9, 9e9]}
        aktive: dict[str, int] = {}
        for _ in range(15):
            for knr in (lang, kort):
                q, svar = tid(k, f"/v1/kommuner/{knr}/oppgjor/{SISTE_AAR}/4", {}, 1)
                r, _ = tid(k, f"/v1/revisjon/kommuner/{knr}/{SISTE_AAR}/4/vedtatt-utfort", {}, 1)
                beste[knr] = [min(beste[knr][0], q), min(beste[knr][1], r)]
                aktive[knr] = sum(linje["antall_vedtak"] for linje in svar["linjer"])
        tider = {knr: (b[0], b[1], aktive[knr]) for knr, b in beste.items()}
        for knr, navn in ((lang, "ten years"), (kort, "one year")):
            q, r, antall = tider[knr]
            skriv(f"{navn}: quarter ({antall} vedtak lines)", q * 1000, "ms")
            skriv(f"{navn}: its vedtatt-utfort audit", r * 1000, "ms")
        skriv(
            "ratio ten years / one year: quarter",
            tider[lang][0] / tider[kort][0],
            "x",
            "(target <= 1.3)",
        )
        skriv(
            "ratio ten years / one year: audit",
            tider[lang][1] / tider[kort][1],
            "x",
            "(target <= 1.3)",
        )


def stor_kommune(url: str, i_kraft: int, aar: int) -> None:
    rnd = random.Random(3)
    knr = "0301"
    t = tjenester(url)
    hdir_data(t, [knr], SISTE_AAR - aar + 1)
    hendelser = list(historie(knr, i_kraft, aar, rnd))
    # The last month's reports and changes come after the past instant.
    n1, s1 = last(t, hendelser[:-i_kraft])
    per = datetime.now(UTC)
    time.sleep(0.01)
    n2, s2 = last(t, hendelser[-i_kraft:])
    skriv(
        "ingest through the write side (batches of 1000)",
        (n1 + n2) / (s1 + s2),
        "events/s",
        f"({n1 + n2} events, {aar} years)",
    )
    projiser(t, n1 + n2 + 10)
    t.lukk()
    data = _data([knr])
    with (
        server(url, data, projektor=False) as adresse,
        _klient(adresse, data, [knr], "sio:oppgjor.read sio:revisjon.read") as k,
    ):
        sti = f"/v1/kommuner/{knr}/oppgjor/{SISTE_AAR}/4"
        revisjon = f"/v1/revisjon/kommuner/{knr}/{SISTE_AAR}/4/vedtatt-utfort"
        skriv("large municipality: first quarter read", kald(k, sti, {}) * 1000, "ms")
        skriv("large municipality: first audit read", kald(k, revisjon, {}) * 1000, "ms")
        q, svar = tid(k, sti, {}, 5)
        aktive = sum(linje["antall_vedtak"] for linje in svar["linjer"])
        skriv(
            f"large municipality: quarter now ({aktive} vedtak lines)",
            q * 1000,
            "ms",
            "(target < 300 ms)",
        )
        q, _ = tid(k, sti, {"per": per.isoformat()}, 5)
        skriv(
            "large municipality: quarter as known at a past instant",
            q * 1000,
            "ms",
            "(target < 300 ms)",
        )
        r, _ = tid(k, revisjon, {}, 5)
        skriv("large municipality: its vedtatt-utfort audit", r * 1000, "ms", "(target < 500 ms)")
        # A case system corrects one report of the quarter while the server runs: the
        # first audit read after it recomputes that vedtak's row only.
        siste = next(
            h
            for h in reversed(hendelser)
            if h["type"] == "UtfortTidRapportert" and h["periode_fra"] >= f"{SISTE_AAR}-10-01"
        )
        retting = {**siste, "hendelse_id": _hid(rnd), "utforte_timer": "1.25"}
        skriver = tjenester(url)
        skriver.mottak.motta([retting], None)
        skriver.lukk()
        skriv(
            "large municipality: first audit read after one corrected report",
            kald(k, revisjon, {}) * 1000,
            "ms",
            "(target < 500 ms)",
        )
    # The first reads again, in a server without the audit's helper process (ADR 19): the
    # ratio of the two first audit reads is what the helper buys on this machine.
    with (
        server(url, data, projektor=False, miljo={"OPPGJOR_REVISJONSHJELPER": "0"}) as adresse,
        _klient(adresse, data, [knr], "sio:oppgjor.read sio:revisjon.read") as k,
    ):
        kald(k, sti, {})
        skriv(
            "large municipality: first audit read, one process (no helper)",
            kald(k, revisjon, {}) * 1000,
            "ms",
        )


def nasjonalt(url: str, kommuner: int, vedtak: int) -> None:
    rnd = random.Random(4)
    knrer = [f"{3000 + i:04d}" for i in range(kommuner)]
    t = tjenester(url)
    hdir_data(t, knrer, SISTE_AAR)
    totalt, sek = 0, 0.0
    per: datetime | None = None
    for i, knr in enumerate(knrer):
        n, s = last(t, historie(knr, vedtak // kommuner, 1, rnd, rapporter=False))
        totalt, sek = totalt + n, sek + s
        if i == kommuner // 2:
            per = datetime.now(UTC)
    skriv(
        "ingest through the write side (batches of 1000)",
        totalt / sek,
        "events/s",
        f"({totalt} events)",
    )
    projiser(t, totalt + 2 * kommuner)
    t.lukk()
    data = _data(knrer)
    assert per is not None
    with (
        server(url, data, projektor=False) as adresse,
        _klient(adresse, data, knrer, "sio:oppgjor.read") as k,
    ):
        nasjonal = f"/v1/oppgjor/{SISTE_AAR}/4"
        skriv("national quarter: first read", kald(k, nasjonal, {}), "s")
        skriv(
            "national quarter: first read as known at a past instant",
            kald(k, nasjonal, {"per": per.isoformat()}),
            "s",
        )
        q, svar = tid(k, f"/v1/oppgjor/{SISTE_AAR}/4", {}, 3)
        skriv(
            f"national quarter now ({len(svar['kommuner'])} municipalities)",
            q,
            "s",
            f"(target < 2 s; vedtakstilskudd {svar['totalt']['vedtakstilskudd']})",
        )
        q, svar = tid(k, f"/v1/oppgjor/{SISTE_AAR}/4", {"per": per.isoformat()}, 3)
        skriv(
            f"national quarter as known at a past instant ({len(svar['kommuner'])})",
            q,
            "s",
            "(target < 2 s)",
        )


def ferskhet(url: str, sekunder: float, rate: int) -> None:
    """Send `rate` events/s in batches of 1000 over HTTP; a reader polls the quarter."""
    knr = "0138"  # the default register lets 910138006 send for it and Hdir read it
    t = tjenester(url)
    hdir_data(t, [knr], SISTE_AAR)
    t.lukk()
    data = Path(tempfile.mkdtemp(prefix="oppgjor-bench-"))
    rnd = random.Random(5)
    with server(url, data, projektor=True) as adresse:
        skrivetoken = lag_token("910138006", "sio:vedtak.write", data_dir=data)
        skriver = httpx.Client(
            base_url=adresse, headers={"Authorization": f"Bearer {skrivetoken}"}, timeout=600
        )
        leser = _klient(adresse, data, [knr], "sio:oppgjor.read")
        kvitteret: list[tuple[int, float]] = []  # (vedtak so far, time of the 200)
        sendestart = time.perf_counter()
        ferdig = threading.Event()

        def send() -> None:
            try:
                _send()
            finally:
                ferdig.set()

        def _send() -> None:
            sendt, nr = 0, 0
            start = time.perf_counter()
            while time.perf_counter() - start < sekunder:
                batch = []
                for _ in range(1000):
                    nr += 1
                    batch.append(
                        {
                            "hendelse_id": _hid(rnd),
                            "type": "VedtakFattet",
                            "kommunenummer": knr,
                            "vedtak_id": f"F{nr:08d}",
                            "bruker_ref": f"B{nr}",
                            "tjenestekode": "HTAMDK",
                            "gyldig_fra": f"{SISTE_AAR}-10-01",
                            "timer_per_uke": "7.5",
                            "vedtaksdato": f"{SISTE_AAR}-09-20",
                        }
                    )
                skriver.post("/v1/hendelser", json={"hendelser": batch}).raise_for_status()
                sendt += len(batch)
                kvitteret.append((nr, time.perf_counter()))
                # Keep the rate: the next batch leaves when it is due.
                vent = start + sendt / rate - time.perf_counter()
                if vent > 0:
                    time.sleep(vent)

        tråd = threading.Thread(target=send)
        tråd.start()
        forsinkelser: list[float] = []
        lesetider: list[float] = []
        sett = 0
        while not ferdig.is_set() or sett < (kvitteret[-1][0] if kvitteret else 0):
            start = time.perf_counter()
            svar = leser.get(f"/v1/kommuner/{knr}/oppgjor/{SISTE_AAR}/4")
            slutt = time.perf_counter()
            svar.raise_for_status()
            lesetider.append(slutt - start)
            antall = sum(linje["antall_vedtak"] for linje in svar.json()["linjer"])
            for nr, kvittert in kvitteret:
                # The first read sent after the 200 that includes the batch.
                if sett < nr <= antall and start >= kvittert:
                    forsinkelser.append(slutt - kvittert)
            sett = max(sett, antall)
            if ferdig.is_set() and sett >= kvitteret[-1][0]:
                break
        tråd.join()
        skriver.close()
        leser.close()
    mottatt = kvitteret[-1][0] / (kvitteret[-1][1] - sendestart)
    skriv(
        "freshness run: events acknowledged per second",
        mottatt,
        "events/s",
        f"(asked for {rate}; one sender, each batch waits for its 200)",
    )
    forsinkelser.sort()
    p99 = forsinkelser[min(len(forsinkelser) - 1, int(len(forsinkelser) * 0.99))]
    skriv(
        f"freshness at {rate} events/s: p99 from 200 to a read including it",
        p99 * 1000,
        "ms",
        f"(median {statistics.median(forsinkelser) * 1000:.0f} ms, "
        f"{len(forsinkelser)} batches; target <= 1000 ms)",
    )
    skriv(
        "slowest read while the projector works",
        max(lesetider) * 1000,
        "ms",
        f"({len(lesetider)} reads; target <= 1000 ms)",
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--i-kraft", type=int, default=2300, help="vedtak in force (history ratio)")
    p.add_argument("--stor", type=int, default=30_000, help="vedtak in force, large municipality")
    p.add_argument("--stor-aar", type=int, default=10, help="years of history, large one")
    p.add_argument("--kommuner", type=int, default=356)
    p.add_argument("--nasjonale-vedtak", type=int, default=400_000)
    p.add_argument("--ferskhet-s", type=float, default=30.0)
    p.add_argument("--rate", type=int, default=2000, help="events/s sent in the freshness run")
    p.add_argument("--bare", choices=["historie", "stor", "nasjonal", "ferskhet"], action="append")
    a = p.parse_args()
    valgt = set(a.bare or ["historie", "stor", "nasjonal", "ferskhet"])
    print("Settlement projection on PostgreSQL (over HTTP)")
    if "historie" in valgt:
        with ny_postgres("projeksjon_historie") as url:
            historieforhold(url, a.i_kraft)
    if "stor" in valgt:
        with ny_postgres("projeksjon_stor") as url:
            stor_kommune(url, a.stor, a.stor_aar)
    if "nasjonal" in valgt:
        with ny_postgres("projeksjon_nasjonal") as url:
            nasjonalt(url, a.kommuner, a.nasjonale_vedtak)
    if "ferskhet" in valgt:
        with ny_postgres("projeksjon_ferskhet") as url:
            ferskhet(url, a.ferskhet_s, a.rate)


if __name__ == "__main__":
    main()
