"""Ingestion through POST /v1/hendelser, and the projector's catch-up rate.

Prints events/s for each store. Targets on PostgreSQL: >= 5,000 events/s ingested over
HTTP, >= 20,000 events/s caught up by the projector.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from bench.felles import ny_postgres, ny_sqlite, server, skriv, tjenester
from shared.tilgang.token import lag_token

ORG, KNR = "910138006", "0138"


def _batcher(antall: int, storrelse: int) -> list[list[dict[str, Any]]]:
    """Half new vedtak, half reports on vedtak already sent: a case system's day."""
    batcher: list[list[dict[str, Any]]] = []
    kjente: list[str] = []
    for b in range(antall):
        hendelser = []
        for i in range(storrelse):
            if kjente and i % 2:
                vid = kjente[(b * storrelse + i) % len(kjente)]
                hendelser.append(
                    {
                        "hendelse_id": str(uuid.uuid4()),
                        "type": "UtfortTidRapportert",
                        "kommunenummer": KNR,
                        "vedtak_id": vid,
                        "periode_fra": "2017-01-01",
                        "periode_til": "2017-01-31",
                        "utforte_timer": "31.5",
                    }
                )
            else:
                vid = f"B{b}-{i}"
                kjente.append(vid)
                hendelser.append(
                    {
                        "hendelse_id": str(uuid.uuid4()),
                        "type": "VedtakFattet",
                        "kommunenummer": KNR,
                        "vedtak_id": vid,
                        "bruker_ref": f"P-{b}-{i}",
                        "tjenestekode": "HTAMDK" if i % 3 else "PBAMDK",
                        "gyldig_fra": "2017-01-01",
                        "timer_per_uke": "7.5",
                        "vedtaksdato": "2016-12-20",
                    }
                )
        batcher.append(hendelser)
    return batcher


def kjor(navn: str, url: str, batcher: int, storrelse: int) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="oppgjor-bench-data-"))
    alle = _batcher(batcher, storrelse)
    token = lag_token(ORG, "sio:vedtak.write", data_dir=data_dir)
    with (
        server(url, data_dir, projektor=False) as adresse,
        httpx.Client(
            base_url=adresse, headers={"Authorization": f"Bearer {token}"}, timeout=120
        ) as k,
    ):
        k.post("/v1/hendelser", json={"hendelser": alle[0]}).raise_for_status()  # warm-up
        start = time.perf_counter()
        for batch in alle[1:]:
            svar = k.post("/v1/hendelser", json={"hendelser": batch})
            svar.raise_for_status()
        tid = time.perf_counter() - start
    antall = (batcher - 1) * storrelse
    skriv(
        f"{navn}: ingest over HTTP ({storrelse}-event batches)",
        antall / tid,
        "events/s",
        f"({antall} events in {tid:.1f} s)",
    )

    t = tjenester(url)
    try:
        start = time.perf_counter()
        projisert = t.projektor.ta_igjen()
        tid = time.perf_counter() - start
    finally:
        t.lukk()
    skriv(
        f"{navn}: projector catch-up",
        projisert / tid,
        "events/s",
        f"({projisert} events in {tid:.1f} s)",
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--batcher", type=int, default=41)
    p.add_argument("--storrelse", type=int, default=1000)
    p.add_argument("--bare", choices=["postgresql", "sqlite"])
    a = p.parse_args()
    print("Inntak (ingestion) and projection")
    if a.bare != "sqlite":
        with ny_postgres() as url:
            kjor("PostgreSQL", url, a.batcher, a.storrelse)
    if a.bare != "postgresql":
        with ny_sqlite() as url:
            kjor("SQLite", url, a.batcher, a.storrelse)


if __name__ == "__main__":
    main()
