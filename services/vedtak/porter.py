"""What the vedtak service needs from outside it: its ports (implemented by adapters that
services/system/bootstrap.py wires in). The other service is reached only through these.
"""

from __future__ import annotations

from typing import Protocol


class Aarslaser(Protocol):
    """The year locks Hdir sets after the annual accounts (regelverk 4.7)."""

    def laste_aar(self, kommunenummer: str) -> frozenset[int]:
        """The municipality's locked years, as seen by the current unit of work.

        Ingestion calls it inside its batch transaction, after taking the log's write lock,
        so a lock committed before the batch began is always seen.
        """
        ...
