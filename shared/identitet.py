"""Deterministic aggregate ids: a natural key (kommune, vedtak_id) always finds its aggregate.

Pure (uuid5 only), so the domain can name its aggregates without loading the store.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

_NAVNEROM = uuid5(NAMESPACE_URL, "https://omsorgsoppgjor.no/aggregat")


def aggregat_id(*deler: object) -> UUID:
    """The same key gives the same id in every process and on every store."""
    return uuid5(_NAVNEROM, "/".join(str(d) for d in deler))
