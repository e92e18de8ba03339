"""The edge's limits on path and query parameters (issue 7), documented in the OpenAPI.

- Instants (`per`, `fra`, `til`) lie in [1970-01-01T00:00:00Z, 9999-01-01T00:00:00Z):
  `0001-01-01T00:00:00+14:00` once overflowed on the way to UTC (a 500).
- Log positions (`etter`) fit a signed 64-bit integer, as the log's column does.
- Text parameters (`vedtak_id`) hold no control characters: PostgreSQL cannot compare
  with U+0000 and answered 500.
- `terskel` is a decimal in [0, 10] with at most four decimals, read within the bounds of
  shared/events/tall.py before any arithmetic (`1e-999999999` once froze the process).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, Path, Query

from shared.events.tall import tolk_desimal
from shared.events.tekst import LINJE_BESKRIVELSE, LINJE_MONSTER, kontrolltegn, melding
from shared.problem import Problem

FORSTE_TIDSPUNKT = datetime(1970, 1, 1, tzinfo=UTC)
SISTE_TIDSPUNKT = datetime(9999, 1, 1, tzinfo=UTC)  # exclusive: room for any offset
TIDSROM = "mellom 1970-01-01T00:00:00Z og 9999-01-01T00:00:00Z (ikke inkludert)"
MAKS_TIDSTEKST = 64
MAKS_POSISJON = 2**63 - 1  # a signed 64-bit log position (BIGINT)
TERSKEL_DESIMALER = 4


def tekstparameter(navn: str, verdi: str) -> str:
    """A path or query text without control characters, or a 422 naming the parameter."""
    tegn = kontrolltegn(verdi)
    if tegn:
        raise Problem(422, f"{navn} {melding(tegn)}")
    return verdi


def innenfor_tidsrommet(navn: str, verdi: str, t: datetime) -> datetime:
    """`t` (aware) within the accepted range, or a 422 naming the parameter."""
    try:
        i_utc = t.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 lies before year 1 in UTC
        i_utc = None
    if i_utc is None or not FORSTE_TIDSPUNKT <= i_utc < SISTE_TIDSPUNKT:
        raise Problem(422, f"{navn} er utenfor tidsrommet: {TIDSROM}")
    return t


def tolk_terskel(tekst: str) -> Decimal:
    """`terskel` within [0, 10] with at most four decimals."""
    try:
        verdi = tolk_desimal(tekst)
    except ValueError as e:
        raise Problem(422, f"terskel {e}") from None
    if int(verdi.as_tuple().exponent) < -TERSKEL_DESIMALER:
        raise Problem(422, f"terskel har mer enn {TERSKEL_DESIMALER} desimaler")
    if not Decimal(0) <= verdi <= Decimal(10):
        raise Problem(422, "terskel må være mellom 0 og 10")
    return verdi


TIDSPUNKT_BESKRIVELSE = f"ISO 8601 med offset, {TIDSROM}."
TERSKEL_BESKRIVELSE = (
    f"Andel under dette flagges under_terskel: desimal i [0, 10], høyst {TERSKEL_DESIMALER} "
    "desimaler."
)
TERSKEL_MONSTER = r"^\s*\d{1,2}(\.\d{0,4})?\s*$"

Etter = Annotated[
    int,
    Query(ge=0, le=MAKS_POSISJON, description="Loggposisjonen siden begynner etter (64 bit)"),
]
Terskel = Annotated[
    str,
    Query(
        max_length=20,
        description=TERSKEL_BESKRIVELSE,
        json_schema_extra={"pattern": TERSKEL_MONSTER},
    ),
]


def _vedtak_id_sti(
    vedtak_id: Annotated[
        str, Path(description=LINJE_BESKRIVELSE, json_schema_extra={"pattern": LINJE_MONSTER})
    ],
) -> str:
    return tekstparameter("vedtak_id", vedtak_id)


def _vedtak_id_sporring(
    vedtak_id: Annotated[
        str | None,
        Query(description=LINJE_BESKRIVELSE, json_schema_extra={"pattern": LINJE_MONSTER}),
    ] = None,
) -> str | None:
    return None if vedtak_id is None else tekstparameter("vedtak_id", vedtak_id)


VedtakIdSti = Annotated[str, Depends(_vedtak_id_sti)]
VedtakIdSporring = Annotated[str | None, Depends(_vedtak_id_sporring)]
