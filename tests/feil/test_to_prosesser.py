"""Two `oppgjor serve` processes on one PostgreSQL database, fed in turns: each one's
aggregate cache goes stale, and the version check must catch it every time."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from shared.tilgang.token import lag_token
from tests.conftest import HOBOL
from tests.hendelser import annullert, endret, fattet, rapport
from tests.server import Server


@pytest.mark.slow
def test_to_prosesser_med_foreldede_cacher(pg_url: str, tmp_path: Path) -> None:
    data = tmp_path / "felles"
    a, b = Server(data, pg_url), Server(data, pg_url)
    a.start()
    b.start()
    hode = {"Authorization": f"Bearer {lag_token(HOBOL, 'sio:vedtak.write', data_dir=data)}"}
    try:
        with httpx.Client(headers=hode, timeout=60) as k:

            def send(server: Server, *hendelser: dict[str, object]) -> httpx.Response:
                return k.post(server.url + "/v1/hendelser", json={"hendelser": list(hendelser)})

            vedtak = [f"V{i}" for i in range(20)]
            assert send(a, *(fattet(v) for v in vedtak)).status_code == 200
            # Both processes now cache every vedtak; feed them in turns.
            for runde in range(6):
                server = a if runde % 2 == 0 else b
                svar = send(
                    server,
                    *(endret(v, f"2017-0{runde + 2}-01", timer_per_uke=runde + 1) for v in vedtak),
                )
                assert svar.status_code == 200, svar.text
                assert svar.json()["nye"] == len(vedtak)

            # A annuls V0 while B still holds it as live in its cache.
            assert send(b, rapport("V0", "2017-01-01", "2017-01-31", 5)).status_code == 200
            assert send(a, annullert("V0")).status_code == 200
            svar = send(b, rapport("V0", "2017-02-01", "2017-02-28", 5))
            assert svar.status_code == 422, svar.text
            assert "annullert" in svar.json()["errors"][0]["detail"]

            # A fattet for an existing vedtak_id is refused by either process.
            assert send(b, fattet("V1")).status_code == 422

            # Nothing was lost or doubled: 20 fattet + 6 x 20 endret + 1 report + 1 annulment.
            revisor = {
                "Authorization": f"Bearer {lag_token('919999004', 'sio:revisjon.read', data_dir=data)}"
            }
            alle, etter = [], 0
            while etter is not None:
                side = k.get(
                    b.url + "/v1/revisjon/kommuner/0138/hendelser",
                    params={"etter": etter, "grense": 1000},
                    headers=revisor,
                ).json()
                alle += side["hendelser"]
                etter = side["neste_etter"]
            assert len(alle) == 20 + 6 * 20 + 2
            assert len({h["hendelse_id"] for h in alle}) == len(alle)
            per_vedtak = [h for h in alle if h["vedtak_id"] == "V1"]
            assert [h["type"] for h in per_vedtak] == ["VedtakFattet"] + ["VedtakEndret"] * 6
    finally:
        a.stopp()
        b.stopp()
