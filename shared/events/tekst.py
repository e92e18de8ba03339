"""Text fields without control characters (issue 7: one U+0000 once poisoned PostgreSQL).

PostgreSQL keeps no U+0000 in `text` or `jsonb`, lone surrogates cannot be encoded as UTF-8
at all, and the other control characters have no business in an id or a reference. They
are refused at the edge, the same on both stores, with a 422 that names the field and the
code point (never the value: it may hold personal data). Free text (`begrunnelse`) may
hold TAB, LF and CR; one-line text none of C0, DEL or C1.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

# Python's `re` sees lone surrogates in a str; the OpenAPI patterns below say the same in
# ECMA-262 syntax (JSON text cannot carry a lone surrogate but as an escape).
_LINJE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_FRITEKST = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
LINJE_MONSTER = r"^[^\u0000-\u001f\u007f-\u009f]*$"
FRITEKST_MONSTER = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"
LINJE_BESKRIVELSE = "Ingen kontrolltegn (C0, DEL, C1) og ingen enslige surrogater."
FRITEKST_BESKRIVELSE = (
    "Ingen kontrolltegn (C0 unntatt TAB, LF og CR; DEL; C1) og ingen enslige surrogater."
)


def kontrolltegn(tekst: str, *, fritekst: bool = False) -> str | None:
    """The first forbidden character as 'U+XXXX', or None when the text is clean."""
    funn = (_FRITEKST if fritekst else _LINJE).search(tekst)
    return None if funn is None else f"U+{ord(funn.group()):04X}"


def melding(tegn: str) -> str:
    return f"inneholder kontrolltegnet {tegn}, som ikke er tillatt"


def _sjekk(fritekst: bool) -> Any:
    def sjekk(verdi: Any) -> Any:
        # Before pydantic's own str check, which would refuse a lone surrogate in words
        # that do not say why.
        if isinstance(verdi, str) and (tegn := kontrolltegn(verdi, fritekst=fritekst)):
            raise ValueError(melding(tegn))
        return verdi

    return sjekk


# One-line text: ids, references, codes, sources.
Tekst = Annotated[
    str,
    BeforeValidator(_sjekk(fritekst=False)),
    Field(json_schema_extra={"pattern": LINJE_MONSTER, "description": LINJE_BESKRIVELSE}),
]
# Free text a person writes: a reason may span lines.
Fritekst = Annotated[
    str,
    BeforeValidator(_sjekk(fritekst=True)),
    Field(json_schema_extra={"pattern": FRITEKST_MONSTER, "description": FRITEKST_BESKRIVELSE}),
]
