"""The year-lock table (regelverk 4.7): written with each lock event, read by ingestion.

The lock events are the source of truth (services/settlement/domain/aggregater.Aarslas);
this table mirrors them in the same transaction, so ingestion, in another service, sees a
lock the moment Hdir's call returns, by one small query. It serves the vedtak service's
port `services.vedtak.porter.Aarslaser` (structurally: neither service imports the other).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from shared.lagring.database import Lager
from shared.lagring.tabeller import aarslas


class Aarslasregister:
    def __init__(self, lager: Lager) -> None:
        self.lager = lager

    def laste_aar(self, kommunenummer: str) -> frozenset[int]:
        """The municipality's locked years, in the caller's transaction (the scoped session)."""
        return frozenset(_laste_aar(self.lager.sesjon(), kommunenummer))

    def sett(self, kommunenummer: str, aar: int, last: bool, endret: datetime) -> None:
        """Record a lock or a reopening, in the caller's transaction (with its event)."""
        sesjon = self.lager.sesjon()
        sesjon.execute(
            delete(aarslas).where(aarslas.c.kommunenummer == kommunenummer, aarslas.c.aar == aar)
        )
        sesjon.execute(
            insert(aarslas).values(kommunenummer=kommunenummer, aar=aar, last=last, endret=endret)
        )


def _laste_aar(sesjon: Session, kommunenummer: str) -> list[int]:
    # A few rows per municipality at most (one per locked year); the caller intersects them
    # with the years an event touches in Python. Asking the database for those years instead
    # meant an IN list of up to 8,000 for a vedtak valid to 9999-12-31.
    rader = sesjon.execute(
        select(aarslas.c.aar).where(
            aarslas.c.kommunenummer == kommunenummer, aarslas.c.last.is_(True)
        )
    )
    return [int(aar) for aar in rader.scalars()]
