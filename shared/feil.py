"""The use cases' own errors: what went wrong, in the domain's words, with no HTTP in them.

The application layers raise these; only the entrypoints say what they are on the wire
(shared/problem.py maps each kind to its RFC 9457 status, in one place).
"""

from __future__ import annotations

from typing import Any


class Applikasjonsfeil(Exception):
    """A refused request. `errors` lists refused items (index, hendelse_id, felt, detail)."""

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class Ugyldig(Applikasjonsfeil):
    """The data break a rule of the contract or the regelverk."""


class IkkeFunnet(Applikasjonsfeil):
    """What was asked for does not exist (as known at the instant asked)."""


class Konflikt(Applikasjonsfeil):
    """The request contradicts what is already recorded, or lost a race; nothing was stored."""


class IkkeTillatt(Applikasjonsfeil):
    """The caller may not act for what the request names."""
