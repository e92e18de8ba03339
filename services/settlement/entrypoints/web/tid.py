"""`per` on the pages: the API's ISO 8601 instants, and also a local date and time.

A date-time field (`<input type="datetime-local">`) sends "2017-04-01T12:00" with no
offset. A person means Norwegian time, so the pages read such a value in Europe/Oslo; the
API keeps demanding an offset (api.md). Anything else goes to the API's own parser, so the
bounds and the Norwegian error messages are the API's.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import Annotated

from fastapi import Depends, Query

from services.settlement.entrypoints.api.felles import tolk_per
from services.settlement.entrypoints.web.format import OSLO, tidspunkt
from shared.problem import Problem

_LOKAL = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")
UGYLDIG = "per er ikke en gyldig dato og tid (for eksempel 2017-04-01T12:00)."
SONE: tzinfo = OSLO if OSLO is not None else UTC


def tolk(verdi: str | None) -> datetime:
    """The page's `per`: now when empty, local time when it has no offset."""
    if verdi and _LOKAL.fullmatch(verdi.strip()):
        try:
            lokal = datetime.fromisoformat(verdi.strip())
        except ValueError:  # e.g. 2017-02-30T12:00: shaped right, not a date
            raise Problem(422, UGYLDIG) from None
        return tolk_per(lokal.replace(tzinfo=SONE).isoformat())
    return tolk_per(verdi)


def skjemaverdi(verdi: str | None) -> str:
    """The field's value: the asked instant in local time to the second, or empty (now)."""
    if not verdi:
        return ""
    try:
        t = tolk(verdi)
    except Problem:  # an invalid value: the page says why; the field starts empty
        return ""
    return t.astimezone(SONE).strftime("%Y-%m-%dT%H:%M:%S")


def _per(
    per: Annotated[
        str | None,
        Query(description="Slik det var kjent: ISO 8601 med tidssone, eller lokal dato og tid"),
    ] = None,
) -> datetime:
    return tolk(per)


Per = Annotated[datetime, Depends(_per)]


def vist(verdi: str | None) -> str:
    """ "25.11.2026 kl. 16:30:00" for a valid `per`, else empty (the page is about now)."""
    if not verdi:
        return ""
    try:
        return tidspunkt(tolk(verdi).isoformat())
    except Problem:
        return ""
