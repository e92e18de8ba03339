"""The contract's words for integrators: field descriptions and one example per event type.

Documentation only: nothing here changes what is accepted. The examples are valid events
(tests/test_openapi_dok.py checks each against its own model).
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field
from pydantic.fields import FieldInfo

from shared.events.katalog import tjenestekoder
from shared.events.tekst import FRITEKST_BESKRIVELSE, LINJE_BESKRIVELSE

DATO = "ISO 8601-dato, YYYY-MM-DD"


def _koder() -> str:
    koder = tjenestekoder().values()
    timer = ", ".join(k.kode for k in koder if k.enhet == "time")
    dogn = ", ".join(k.kode for k in koder if k.enhet == "dogn")
    return f"Timekoder: {timer}. Døgnkoder: {dogn}."


TJENESTEKODE = (
    "Tjenestekode fra Helsedirektoratets katalog (regelverk 2). En ukjent kode avvises med 422. "
    + _koder()
)
TIMEKODER = (
    "Vedtatte timer per uke (timer per uke, desimaltall, > 0 og <= 168). Påkrevd for "
    "timekoder, ikke tillatt for døgnkoder."
)
BEMANNINGSFAKTOR = (
    "Antall ansatte samtidig hos brukeren: 1 eller 2 (utelatt betyr 1). Bare for timekoder; "
    "volumet ganges med faktoren."
)

EKSEMPEL_ID = {
    "hendelse_id": "3f1c2a9e-5b7d-4e0a-9c1f-2d8e6b4a7c10",
    "kommunenummer": "0138",
    "vedtak_id": "V-2017-0042",
}


def eksempel(**felt: Any) -> ConfigDict:
    """The model config of an event type with its example (the common fields added)."""
    return ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"examples": [{**EKSEMPEL_ID, **felt}]}
    )


def tekstfelt(beskrivelse: str, *, fri: bool = False) -> FieldInfo:
    """A text field's description. Text types carry their own rule in `json_schema_extra`,
    which would override a plain `description`, so the two are joined there."""
    regel = FRITEKST_BESKRIVELSE if fri else LINJE_BESKRIVELSE
    hel = f"{beskrivelse}. {regel}"
    felt: FieldInfo = Field(description=hel, json_schema_extra={"description": hel})
    return felt
