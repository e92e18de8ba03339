"""Text the read model can store on every backend, whatever the log holds (issue 7).

PostgreSQL's `text` and `jsonb` cannot hold U+0000, and no UTF-8 column can hold a lone
surrogate. The edge refuses both, but a log written before it did may still hold one; one
such event once stopped the projector for good, and every read with it. The projector
therefore passes each payload through `lesemodelltrygg`: such characters are written as
the escape text `\\u0000` in the read model only. The log keeps the event exactly as
received.
"""

from __future__ import annotations

import re
from typing import Any

_UTRYGG = re.compile("[\x00\ud800-\udfff]")
# How those characters look in the log's JSON (the library escapes them): a cheap test of
# the stored bytes spares the walk for every clean event. A false alarm (an escaped
# backslash before "u0000", a surrogate pair) only costs the walk, which changes nothing.
# Raw surrogates (UTF-8 bytes ED A0..BF) are caught too, should a writer ever pass them.
_UTRYGG_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])|\xed[\xa0-\xbf]")


def _kan_vaere_utrygg(lagret: bytes) -> bool:
    # Two substring tests in C rule out nearly every event before the regex runs at all.
    if b"\\u" not in lagret and b"\xed" not in lagret:
        return False
    return _UTRYGG_ESCAPE.search(lagret) is not None


def _escape(treff: re.Match[str]) -> str:
    return f"\\u{ord(treff.group()):04x}"


def _tekst(verdi: str) -> str:
    return _UTRYGG.sub(_escape, verdi) if _UTRYGG.search(verdi) else verdi


def lesemodelltrygg(verdi: Any, lagret: bytes | None = None) -> Any:
    """`verdi` with every unsafe character escaped; the same object when nothing is unsafe.
    `lagret`: the event's stored JSON, if plain; when it has no such escape, nothing to do."""
    if lagret is not None and not _kan_vaere_utrygg(lagret):
        return verdi
    return _rens(verdi)


def _rens(verdi: Any) -> Any:
    if isinstance(verdi, str):
        return _tekst(verdi)
    if isinstance(verdi, dict):
        ut = {_tekst(k): _rens(v) for k, v in verdi.items()}
        endret = any(a is not b for a, b in zip(ut.values(), verdi.values(), strict=True))
        return ut if endret or list(ut) != list(verdi) else verdi
    if isinstance(verdi, list):
        liste = [_rens(v) for v in verdi]
        return liste if any(a is not b for a, b in zip(liste, verdi, strict=True)) else verdi
    return verdi
