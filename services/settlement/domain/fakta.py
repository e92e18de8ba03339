"""The facts the regelverk reads, as the read model hands them over (regelverk 3).

Every fact carries its `Kilde`: where in the log it came from, so that every amount
can be traced back to the events behind it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class Kilde:
    """Provenance of one logged event."""

    posisjon: int  # position in the event log (notification id)
    registrert: datetime  # when this system recorded it (UTC, aware)
    hendelse_id: str | None  # the sender's id; None for Hdir events without one
    type: str  # e.g. "VedtakEndret", "SatserPublisert"


@lru_cache(maxsize=8192)
def tid(t: datetime) -> str:
    """Instants with offset and millisecond precision or better (api.md).

    Cached: a large audit names tens of thousands of reports, and a batch's thousand
    events share one recorded instant."""
    return t.isoformat(timespec="microseconds")


def kilde_json(k: Kilde) -> dict[str, Any]:
    """A source as every answer names it (api.md): the settlement projection also keeps
    each report's in this form, so a large audit need not build it again per read."""
    return {
        "posisjon": k.posisjon,
        "registrert": tid(k.registrert),
        "hendelse_id": k.hendelse_id,
        "type": k.type,
    }


@dataclass(frozen=True, slots=True)
class VedtakHendelse:
    """One case-system event about one vedtak.

    `data` is the contract payload exactly as api.md spells it (shared/events/vedtak.py,
    dumped with mode="json"): dates are "YYYY-MM-DD" strings, decimals are strings,
    bemanningsfaktor is an int or None.
    """

    kilde: Kilde
    data: Mapping[str, Any]

    @property
    def type(self) -> str:
        return self.kilde.type

    @property
    def vedtak_id(self) -> str:
        return str(self.data["vedtak_id"])


@dataclass(frozen=True, slots=True)
class Satstabell:
    """The version of one year's price table in force as known at T (regelverk 3, 4.4)."""

    aar: int
    versjon: int
    satser: Mapping[str, Decimal]  # tjenestekode -> sats (NOK per hour or per day)
    kilde: Kilde


@dataclass(frozen=True, slots=True)
class Finansieringsgrunnlag:
    """A municipality's funding basis for a year, full-year amounts (regelverk 3, 4.5)."""

    kommunenummer: str
    aar: int
    versjon: int
    uttrekk: Decimal
    rundsum: Decimal
    inntektspaslag: Decimal
    startdato: date | None
    kilde: Kilde
