"""Request bodies parsed as JSON, within the edge's limits (issue 7).

- Exact decimals: `7.5` never passes through a binary float, and a number whose exponent or
  digits are beyond `shared.events.tall`'s bounds is handed on as `UtenforGrensene`, so no
  later conversion (to `int` even) can spend minutes on `1e999999999`.
- Nesting deeper than `MAKS_DYBDE` is refused before the recursive parser sees it (1,000
  levels once raised RecursionError, a 500). The scan is iterative and reads only the
  bytes that can change the depth.
- `NaN` and `Infinity` are not JSON (RFC 8259) and are refused.
"""

from __future__ import annotations

import json
import re
from typing import Any

from shared.events.tall import json_tall
from shared.problem import Problem

MAKS_DYBDE = 32  # the contract nests 3 deep; room to spare for any client's wrapping

# Only these bytes change the depth or whether we are inside a string.
_SPESIELLE = re.compile(rb'["\\\[\]{}]')
_APNE = frozenset(b"[{")
_LUKKE = frozenset(b"]}")


def for_dyp(raa: bytes, maks: int = MAKS_DYBDE) -> bool:
    """True if arrays and objects nest deeper than `maks` (strings are skipped)."""
    if raa.count(b"[") + raa.count(b"{") <= maks:
        return False  # the common case, at C speed
    dybde, i_streng, hopp_til = 0, False, -1
    for treff in _SPESIELLE.finditer(raa):
        pos = treff.start()
        if pos < hopp_til:
            continue  # the character after a backslash
        tegn = raa[pos]
        if i_streng:
            if tegn == 0x5C:
                hopp_til = pos + 2
            elif tegn == 0x22:
                i_streng = False
        elif tegn == 0x22:
            i_streng = True
        elif tegn in _APNE:
            dybde += 1
            if dybde > maks:
                return True
        elif tegn in _LUKKE:
            dybde -= 1
    return False


def _ingen_konstant(navn: str) -> Any:
    raise ValueError(f"{navn} er ikke et gyldig JSON-tall")


def les_json(raa: bytes) -> Any:
    """The body as JSON, or a 400 problem. Run it off the event loop for large bodies."""
    if for_dyp(raa):
        raise Problem(400, f"Kroppen er nestet dypere enn {MAKS_DYBDE} nivåer (JSON-dybde)")
    try:
        return json.loads(raa, parse_float=json_tall, parse_constant=_ingen_konstant)
    except (ValueError, UnicodeDecodeError) as e:
        raise Problem(400, f"Kroppen er ikke gyldig JSON: {e}") from None
    except RecursionError:  # cannot happen below MAKS_DYBDE; never a 500 if it does
        raise Problem(400, f"Kroppen er nestet dypere enn {MAKS_DYBDE} nivåer") from None
