"""What the settlement service's use cases need from outside them: its ports (implemented
by adapters that services/system/bootstrap.py wires in)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Aarslasskriver(Protocol):
    """Mirrors each year lock and reopening where ingestion reads it (regelverk 4.7)."""

    def sett(self, kommunenummer: str, aar: int, last: bool, endret: datetime) -> None:
        """In the caller's transaction, with the lock's event."""
        ...


class Innsynslogg(Protocol):
    """Where reads of person-level data are recorded: who, what, when."""

    def registrer(
        self, organisasjonsnummer: str, rolle: str, kommunenummer: str | None, ressurs: str
    ) -> None: ...


class Projeksjon(Protocol):
    """The read model's catch-up: after it, every event logged so far can be read."""

    def ta_igjen(self) -> int: ...
