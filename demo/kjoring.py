"""Runs the demo data set's steps against a running service over HTTP, in order.

Hdir publishes and issues with its token; each municipality's case system sends its own
events with its own token: the same calls, scopes and answers as in production.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from demo.steg import (
    PubliserGrunnlag,
    PubliserSatser,
    SendHendelser,
    Steg,
    UtstedKvartal,
)


class Demofeil(RuntimeError):
    """A step got an answer the data set did not expect; the problem is in the message."""


@dataclass
class Logg:
    hendelser: int = 0
    duplikater: int = 0
    utstedt: list[dict[str, Any]] = field(default_factory=list)


def kjor_steg(
    klient: httpx.Client,
    steg: list[Steg],
    hdir: Mapping[str, str],
    kommuner: Mapping[str, Mapping[str, str]],
    fremdrift: Callable[[Steg], None] = lambda _: None,
) -> Logg:
    """Execute every step; `hdir`/`kommuner[knr]` are Authorization headers."""
    logg = Logg()
    for s in steg:
        if isinstance(s, PubliserSatser | PubliserGrunnlag):
            _sjekk(klient.put(s.sti, json=s.body, headers=dict(hdir)), 200, s)
        elif isinstance(s, SendHendelser):
            svar = _sjekk(
                klient.post(s.sti, json=s.body, headers=dict(kommuner[s.kommunenummer])), 200, s
            )
            logg.hendelser += int(svar["nye"])
            logg.duplikater += int(svar["duplikater"])
        elif isinstance(s, UtstedKvartal):
            dokument = _sjekk(klient.post(s.sti, headers=dict(hdir)), 201, s)
            if dokument["type"] != s.forventet_type:
                raise Demofeil(f"{s.sti}: ventet {s.forventet_type}, fikk {dokument['type']}")
            logg.utstedt.append(dokument)
        fremdrift(s)
    return logg


def _sjekk(svar: httpx.Response, status: int, s: Steg) -> dict[str, Any]:
    if svar.status_code != status:
        raise Demofeil(
            f"{type(s).__name__} {getattr(s, 'sti', '')}: {svar.status_code} {svar.text[:2000]}"
        )
    kropp: dict[str, Any] = svar.json()
    return kropp
