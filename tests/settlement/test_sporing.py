"""Two processes starting on an empty store must not fail on the projector's tracking row.

Both find no row; the second insert waits for the first transaction and then would hit the
primary key (it did: a 500 on the first read of one of two `oppgjor serve` processes).
"""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from services.settlement.adapters.sporing import las_sporing
from shared.lagring.database import Lager
from shared.lagring.migrering import oppgrader
from shared.lagring.tabeller import sporing


def test_to_forste_batcher_samtidig_paa_postgres(pg_url: str) -> None:
    lager = Lager(pg_url)
    oppgrader(lager)
    motor = create_engine(lager.url)
    svar: list[int | BaseException] = []
    try:
        with Session(motor) as forste:
            assert las_sporing(forste, "proeve") == 0  # inserts the row, not yet committed

            def andre() -> None:
                with Session(motor) as s:
                    try:
                        svar.append(las_sporing(s, "proeve"))  # waits for the first
                        s.commit()
                    except BaseException as e:
                        svar.append(e)

            trad = threading.Thread(target=andre)
            trad.start()
            trad.join(1.0)
            assert trad.is_alive()  # it waits on the first transaction's row
            forste.commit()
            trad.join(30)
        assert svar == [0]
        with Session(motor) as s:
            rader = s.execute(select(sporing).where(sporing.c.projeksjon == "proeve")).all()
        assert [tuple(r) for r in rader] == [("proeve", 0)]
    finally:
        motor.dispose()
        lager.lukk()
