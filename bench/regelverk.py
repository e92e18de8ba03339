"""The pure regelverk alone (no database): 5,000 vedtak in one municipality-quarter.

Shows what the computation costs by itself, beside bench/oppgjor.py, which measures the
whole path from the read model.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.felles import skriv
from services.settlement.domain.beregning import beregn_kvartal
from services.settlement.domain.revisjon import vedtatt_utfort
from tests.regelverk.fabrikk import grunnlag, satstabell
from tests.regelverk.test_regelverk_data import kommune


def beste_tid(funksjon: Callable[[], object], ganger: int = 5) -> float:
    tider = []
    for _ in range(ganger):
        start = time.perf_counter()
        funksjon()
        tider.append(time.perf_counter() - start)
    return min(tider)


def main() -> None:
    print("Regelverk (pure computation, best of 5)")
    hendelser = kommune(5000)
    tabell, g = satstabell(2017), grunnlag(2017)
    t = beste_tid(lambda: beregn_kvartal("0138", 2017, 1, hendelser, tabell, g))
    skriv("settlement, 5,000 vedtak (~12,500 events)", t * 1000, "ms")
    t = beste_tid(lambda: vedtatt_utfort("0138", 2017, 1, hendelser))
    skriv("vedtatt-utfort audit, 5,000 vedtak", t * 1000, "ms")


if __name__ == "__main__":
    main()
