"""Insert many rows in one go: COPY on PostgreSQL, executemany on SQLite.

Both the receipts of a batch and the projector's rows arrive a thousand at a time; one
statement per row (or the driver's pipelined executemany) was the slowest part of each.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, Table, TypeDecorator, insert
from sqlalchemy.orm import Session

from shared.lagring.jsontekst import json_tekst


def sett_inn(
    sesjon: Session, tabell: Table, kolonner: Sequence[str], rader: Sequence[Sequence[Any]]
) -> None:
    """Insert `rader` (tuples in `kolonner` order) into `tabell` in the session's transaction."""
    if not rader:
        return
    if sesjon.get_bind().dialect.name != "postgresql":
        sesjon.execute(insert(tabell), [dict(zip(kolonner, rad, strict=True)) for rad in rader])
        return
    json_plass = [i for i, verdi in enumerate(rader[0]) if isinstance(verdi, dict | list)]
    tid_plass = [i for i, k in enumerate(kolonner) if _er_tid(tabell.c[k])]
    # psycopg formats a datetime in Python, value by value, and that was most of the COPY's
    # own cost; a batch's rows share a few instants, so each is written once as ISO text,
    # which the server reads back exactly.
    som_tekst: dict[datetime, str] = {}
    # The session's own connection: COPY runs inside the same transaction.
    driver = sesjon.connection().connection.driver_connection
    assert driver is not None
    with (
        driver.cursor() as cur,
        cur.copy(f"COPY {tabell.name} ({', '.join(kolonner)}) FROM STDIN") as copy,
    ):
        for rad in rader:
            rad = list(rad)
            for i in json_plass:
                rad[i] = json_tekst(rad[i])
            for i in tid_plass:
                if (tid := rad[i]) is not None:
                    if (tekst := som_tekst.get(tid)) is None:
                        tekst = som_tekst[tid] = tid.isoformat()
                    rad[i] = tekst
            copy.write_row(rad)


def _er_tid(kolonne: Column[Any]) -> bool:
    type_ = kolonne.type
    if isinstance(type_, TypeDecorator):  # UTCTid: what is stored is its DateTime
        type_ = type_.impl_instance
    return isinstance(type_, DateTime)
