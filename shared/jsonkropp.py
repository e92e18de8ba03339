"""Request bodies parsed as JSON, within the edge's limits (issue 7).

- Exact decimals: `7.5` never passes through a binary float, and a number whose exponent or
  digits are beyond `shared.events.tall`'s bounds is handed on as `UtenforGrensene`, so no
  later conversion (to `int` even) can spend minutes on `1e999999999`.
- Nesting deeper than `MAKS_DYBDE` is refused before the recursive parser sees it (1,000
  levels once raised RecursionError, a 500). The scan is iterative: a few linear regex
  passes over the raw bytes, then at most `MAKS_DYBDE` passes over the brackets alone.
- `NaN` and `Infinity` are not JSON (RFC 8259) and are refused.
"""

from __future__ import annotations

import json
import re
from typing import Any

from shared.events.tall import json_tall
from shared.problem import Problem

MAKS_DYBDE = 32  # the contract nests 3 deep; room to spare for any client's wrapping

# Only C-speed passes over the bytes, none of which can backtrack: drop escaped backslashes
# and quotes (then every quote delimits a string), keep only quotes and brackets (braces
# become brackets: only the depth matters), drop strings. Then each `replace("[]", "")`
# removes exactly the innermost level, so a body at most `maks` deep is empty after at
# most `maks` passes.
_KLAMMER = bytes.maketrans(b"{}", b"[]")
_ANDRE = bytes(b for b in range(256) if b not in b'"[]{}')
_STRENG = re.compile(rb'"[^"]*"')


def for_dyp(raa: bytes, maks: int = MAKS_DYBDE) -> bool:
    """True if arrays and objects nest deeper than `maks` (brackets in strings ignored)."""
    if raa.count(b"[") + raa.count(b"{") <= maks:
        return False  # the common small body
    tekst = raa.replace(b"\\\\", b"").replace(b'\\"', b"").translate(_KLAMMER, _ANDRE)
    # `""` is an empty string, or two strings side by side: merging them keeps what lies
    # outside strings, and spares the regex most of its matches.
    klammer = _STRENG.sub(b"", tekst.replace(b'""', b""))
    if b"[" * (maks + 1) in klammer:
        return True  # more than `maks` openers in a row: no need to count
    for runde in range(maks):
        forrige = len(klammer)
        klammer = klammer.replace(b"[]", b"")
        if not klammer:
            return False  # balanced, and at most `runde + 1` deep
        if len(klammer) == forrige:
            # Unbalanced, so not JSON: too deep only if the openers left could nest past
            # the limit; otherwise the parser reports the syntax error.
            return runde + klammer.count(b"[") > maks
    return True


def _ingen_konstant(navn: str) -> Any:
    raise ValueError(f"{navn} er ikke et gyldig JSON-tall")


def _uten_like_navn(par: list[tuple[str, Any]]) -> dict[str, Any]:
    """I-JSON (RFC 7493): an object's names are unique. With a repeated name, which value
    counts would depend on the parser; a proxy that validated the first could pass on a
    body whose second value is what we store."""
    objekt = dict(par)
    if len(objekt) != len(par):
        raise ValueError("et objekt har samme navn to ganger")
    return objekt


def les_json(raa: bytes) -> Any:
    """The body as JSON, or a 400 problem. Run it off the event loop for large bodies."""
    if for_dyp(raa):
        raise Problem(400, f"Kroppen er nestet dypere enn {MAKS_DYBDE} nivåer (JSON-dybde)")
    try:
        return json.loads(
            raa,
            parse_float=json_tall,
            parse_constant=_ingen_konstant,
            object_pairs_hook=_uten_like_navn,
        )
    except (ValueError, UnicodeDecodeError) as e:
        raise Problem(400, f"Kroppen er ikke gyldig JSON: {e}") from None
    except RecursionError:  # cannot happen below MAKS_DYBDE; never a 500 if it does
        raise Problem(400, f"Kroppen er nestet dypere enn {MAKS_DYBDE} nivåer") from None
