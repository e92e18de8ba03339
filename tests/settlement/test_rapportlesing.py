"""The audit's report rows arrive from the database in no promised order (issue 9).

`Projeksjonslesing.rapporter` reads the quarter's rows in index order, which is the order
they were written only until PostgreSQL reuses space; each vedtak's shares and sources
must still come out in log order.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

from services.settlement.adapters.projeksjonslesing import utfort_per_vedtak


def _rad(vedtak_id: str, posisjon: int, timer: str) -> tuple[str, int, str, str]:
    return (vedtak_id, posisjon, timer, json.dumps({"posisjon": posisjon}))


def test_kilder_og_andeler_kommer_i_loggrekkefolge_uansett_radrekkefolge() -> None:
    rader = [_rad(f"V{p % 7}", p, f"{p}/3") for p in range(1, 60)]
    fasit = utfort_per_vedtak(rader)
    for seed in range(20):
        stokket = rader[:]
        random.Random(seed).shuffle(stokket)
        assert utfort_per_vedtak(stokket) == fasit
    for vedtak_id, utfort in fasit.items():
        posisjoner = [k["posisjon"] for k in json.loads(utfort.kilder)]
        assert posisjoner == sorted(posisjoner), vedtak_id
        assert list(utfort.andeler) == [Fraction(p, 3) for p in posisjoner]


def test_en_rapport_gir_en_liste_med_en_kilde() -> None:
    (utfort,) = utfort_per_vedtak([_rad("V1", 5, "63/2")]).values()
    assert list(utfort.andeler) == [Fraction(63, 2)]
    assert json.loads(utfort.kilder) == [{"posisjon": 5}]
