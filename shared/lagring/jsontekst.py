"""JSON for the read model's own rows: orjson, with the standard library where it refuses.

The projector decodes every stored event and encodes every journal row; with the standard
library those two took a fifth of a catch-up (issue 9). orjson gives the same values for
what our events hold, but refuses a few things the standard library accepts (integers
beyond 64 bits, NaN, a lone surrogate escape): those rare inputs take the slow path, so
nothing the log holds is ever refused here.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_KOMPAKT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def les_json(tekst: bytes | str) -> Any:
    try:
        return orjson.loads(tekst)
    except orjson.JSONDecodeError:
        return json.loads(tekst)


def json_tekst(verdi: Any) -> str:
    """Compact JSON text, non-ASCII kept as is (what the journal stores)."""
    try:
        return orjson.dumps(verdi).decode()
    except TypeError:
        return _KOMPAKT(verdi)
