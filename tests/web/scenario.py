"""A small settlement story through the HTTP API: prices, funding, vedtak, two issues.

Works with the in-process TestClient and with an httpx.Client against a real server alike
(`k` is either; their call signatures differ too much for a useful Protocol).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.conftest import HDIR, HOBOL, LILLESAND
from tests.hendelser import endret, fattet, rapport

HDIR_SCOPES = "sio:oppgjor.read sio:oppgjor.write sio:revisjon.read"
VEDTAK_SKRIV = "sio:vedtak.write"
Hode = Callable[[str, str], dict[str, str]]


@dataclass(frozen=True)
class Scenario:
    aar: int = 2017
    kvartal: int = 1
    knr: str = "0138"
    annen_knr: str = "0926"


def _ok(svar: Any, status: int = 200) -> Any:
    assert svar.status_code == status, f"{svar.status_code}: {svar.text}"
    return svar.json()


def last_scenario(k: Any, hode: Hode) -> Scenario:
    """0138 issued twice in 2017 Q1 (the second a korreksjonsoppgjør), then changed again
    (a pending correction); 0926 computed but never issued."""
    hdir = hode(HDIR, HDIR_SCOPES)
    satser = [
        {"tjenestekode": "HTAMDK", "sats": "724.00"},
        {"tjenestekode": "PBAMDK", "sats": "520.00"},
        {"tjenestekode": "LOKO", "sats": "2480.00"},
    ]
    _ok(k.put("/v1/satser/2017", json={"satser": satser, "kilde": "test"}, headers=hdir))
    for knr, uttrekk, rundsum, paslag in (
        ("0138", "101800000.00", "3600000.00", "3600000.00"),
        ("0926", "198400000.00", "12000000.00", "6900000.00"),
    ):
        grunnlag = {"uttrekk": uttrekk, "rundsum": rundsum, "inntektspaslag": paslag}
        _ok(k.put(f"/v1/kommuner/{knr}/grunnlag/2017", json=grunnlag, headers=hdir))

    def send(org: str, hendelser: list[dict[str, Any]]) -> None:
        kropp = {"hendelser": hendelser}
        _ok(k.post("/v1/hendelser", json=kropp, headers=hode(org, VEDTAK_SKRIV)))

    send(
        HOBOL,
        [
            fattet("V1"),
            fattet("V2", tjenestekode="PBAMDK", timer_per_uke="3"),
            fattet("V3", tjenestekode="LOKO", timer_per_uke=None),
            fattet("V4", timer_per_uke="7"),  # 90 hours in Q1, all delivered: no flags
            rapport("V4", "2017-01-01", "2017-03-31", "90"),
            rapport("V1", "2017-01-01", "2017-03-31", "80"),
            rapport("V1", "2017-04-01", "2017-06-30", "101.25"),
        ],
    )
    send(
        LILLESAND,
        [
            fattet("L1", knr="0926", timer_per_uke="12.5", bemanningsfaktor=2),
            rapport("L1", "2017-01-01", "2017-03-31", "300", knr="0926"),
        ],
    )
    utsted = "/v1/kommuner/0138/oppgjor/2017/1/utsted"
    _ok(k.post(utsted, headers=hdir), 201)
    send(HOBOL, [endret("V1", "2017-02-01", timer_per_uke="10")])  # retroactive
    _ok(k.post(utsted, headers=hdir), 201)
    send(HOBOL, [endret("V2", "2017-03-01", timer_per_uke="5")])  # pending after v2
    return Scenario()
