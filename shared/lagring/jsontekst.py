"""JSON for the read model's own rows: orjson, with the standard library where it refuses.

The projector decodes every stored event and encodes every journal row; with the standard
library those two took a fifth of a catch-up (issue 9). orjson gives the same values for
what our events hold, but refuses a few things the standard library accepts (integers
beyond 64 bits, NaN, a lone surrogate escape): those rare inputs take the slow path, so
nothing the log holds is ever refused here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, overload

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


class Jsontekst(Sequence[Any]):
    """A JSON array kept as text by the read model, handed on unparsed.

    An Oslo-sized audit shows 70,000 report sources, kept by the projection as the API
    names them (ADR 16). Parsing them only for the API to write them again took a tenth
    of the audit's first read: the API's encoder writes the text as it is (`fragment`),
    and only an in-process reader that looks inside (an export counting the sources, a
    test) pays for the parse, once.
    """

    __slots__ = ("_verdi", "tekst")

    def __init__(self, tekst: str) -> None:
        self.tekst = tekst
        self._verdi: list[Any] | None = None

    def verdi(self) -> list[Any]:
        if self._verdi is None:
            verdi = les_json(self.tekst)
            if not isinstance(verdi, list):
                raise TypeError("Jsontekst holder en JSON-liste")
            self._verdi = verdi
        return self._verdi

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        return self.verdi()[i]

    def __len__(self) -> int:
        return len(self.verdi())

    def __eq__(self, annen: object) -> bool:
        if isinstance(annen, Jsontekst):
            return self.tekst == annen.tekst or self.verdi() == annen.verdi()
        return isinstance(annen, list) and self.verdi() == annen

    __hash__ = None  # type: ignore[assignment]  # equal to a list, so unhashable like one

    def __repr__(self) -> str:
        return f"Jsontekst({self.tekst!r})"


def fragment(verdi: Any) -> orjson.Fragment:
    """orjson's `default`: a `Jsontekst` goes into the answer as its text."""
    if isinstance(verdi, Jsontekst):
        return orjson.Fragment(verdi.tekst)
    raise TypeError(f"kan ikke skrive {type(verdi).__name__} som JSON")
