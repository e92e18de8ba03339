"""The event log's hash chain: a head that commits to every event logged so far.

    head_0 = 32 zero bytes
    head_n = SHA-256(head_{n-1} || JCS({"posisjon", "aggregat", "versjon", "topic",
                                        "tilstand_sha256"}))      for the event at position n

one link per event, in log position order, over the stored event exactly as the library
keeps it (its state holds the recorded time). A table row is written per write
transaction, in that transaction, with the head after its last event; an issued document
records the head at its `per`. Changing, adding or removing any earlier event changes every
later head, and a verifier needs nothing but the log to recompute it
(docs/verifisering.md). The links are per event rather than per transaction so that the
recomputation does not have to know where transactions began.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import rfc8785
from sqlalchemy import desc, insert, select
from sqlalchemy.orm import Session

from shared.lagring.tabeller import loggkjede

NULLHODE = "0" * 64
ETTERFYLL_BIT = 10_000


@dataclass(frozen=True, slots=True)
class Loggpost:
    """One stored event, as the chain sees it."""

    posisjon: int
    aggregat: Any  # UUID
    versjon: int
    topic: str
    tilstand: bytes


# (after position, up to position or None, at most) -> stored events in position order
Leser = Callable[[int, int | None, int], Sequence[Loggpost]]


def lenke(hode: str, post: Loggpost) -> str:
    """The head after `post`, given the head before it."""
    return hashlib.sha256(bytes.fromhex(hode) + lenkeinnhold(post)).hexdigest()


def lenkeinnhold(post: Loggpost) -> bytes:
    """JCS (RFC 8785) of the event's link: what the chain hashes for it.

    Ingestion chains a thousand events a batch, and the library's general canonicaliser
    took 17 µs an event. The link's values are integers, a UUID, hex and a topic: for
    those JCS is the plain JSON below, with the keys in JCS order (checked against the
    library by tests/lagring/test_loggkjede.py). A topic with a character JCS would
    escape goes through the library.
    """
    aggregat = post.aggregat if isinstance(post.aggregat, UUID) else UUID(str(post.aggregat))
    tilstand = hashlib.sha256(post.tilstand).hexdigest()
    if _TRYGG_TEKST.fullmatch(post.topic) and _er_heltall(post.posisjon, post.versjon):
        return (
            f'{{"aggregat":"{aggregat}","posisjon":{post.posisjon},'
            f'"tilstand_sha256":"{tilstand}","topic":"{post.topic}",'
            f'"versjon":{post.versjon}}}'
        ).encode()
    return rfc8785.dumps(
        {
            "posisjon": post.posisjon,
            "aggregat": str(aggregat),
            "versjon": post.versjon,
            "topic": post.topic,
            "tilstand_sha256": tilstand,
        }
    )


# Printable ASCII but for the two characters JCS escapes: written as they are.
_TRYGG_TEKST = re.compile(r"[\x20-\x21\x23-\x5b\x5d-\x7e]*")


def _er_heltall(*tall: object) -> bool:
    # JCS writes integers within ±2^53 as plain digits (I-JSON); the library refuses others.
    return all(type(t) is int and abs(t) <= 2**53 - 1 for t in tall)


def kjed(hode: str, poster: Iterable[Loggpost]) -> str:
    for post in poster:
        hode = lenke(hode, post)
    return hode


def siste_lenke(sesjon: Session) -> tuple[int, str]:
    """(position, head) of the chain table's last row, or (0, NULLHODE)."""
    rad = sesjon.execute(
        select(loggkjede.c.posisjon, loggkjede.c.hode).order_by(desc(loggkjede.c.posisjon)).limit(1)
    ).first()
    return (0, NULLHODE) if rad is None else (int(rad[0]), str(rad[1]))


def alle_lenker(sesjon: Session) -> dict[int, str]:
    """Every row of the chain table: position -> head."""
    rader = sesjon.execute(select(loggkjede.c.posisjon, loggkjede.c.hode)).tuples()
    return {int(p): str(h) for p, h in rader}


def forleng(sesjon: Session, nye: Sequence[Loggpost], les: Leser) -> None:
    """Extend the chain over a transaction's new events (the caller holds the write lock).

    Events logged after the chain's last row but before these (by a process that
    predates the chain) are chained first, so the chain never skips an event.
    """
    if not nye:
        return
    nye = sorted(nye, key=lambda p: p.posisjon)
    fra, hode = siste_lenke(sesjon)
    mellom: Sequence[Loggpost] = ()
    if nye[0].posisjon > fra + 1:  # usually only a sequence gap left by a rollback
        mellom = les(fra, nye[0].posisjon - 1, 10**9)
    hode = kjed(kjed(hode, mellom), nye)
    sesjon.execute(
        insert(loggkjede).values(
            posisjon=nye[-1].posisjon, hode=hode, antall=len(mellom) + len(nye), etterfylt=False
        )
    )


def hode_naa(sesjon: Session, les: Leser) -> tuple[int, str]:
    """(position, head) at the log's current end, chaining any events after the last row."""
    fra, hode = siste_lenke(sesjon)
    while poster := les(fra, None, ETTERFYLL_BIT):
        hode = kjed(hode, poster)
        fra = poster[-1].posisjon
    return fra, hode


def etterfyll(sesjon: Session, les: Leser) -> int:
    """Chain the events logged before the chain existed (the caller holds the write lock).

    Returns how many events were chained. One row per chunk, marked `etterfylt`.
    """
    fra, hode = siste_lenke(sesjon)
    antall = 0
    while poster := les(fra, None, ETTERFYLL_BIT):
        hode = kjed(hode, poster)
        fra = poster[-1].posisjon
        antall += len(poster)
        sesjon.execute(
            insert(loggkjede).values(posisjon=fra, hode=hode, antall=len(poster), etterfylt=True)
        )
    return antall


def hoder_fra_loggen(les: Leser, posisjoner: Iterable[int]) -> dict[int, str | None]:
    """Recompute the head at each of `posisjoner` from the log alone (not the table).

    A position that is not an event in the log gets None.
    """
    onsket = sorted(set(posisjoner))
    ut: dict[int, str | None] = dict.fromkeys(onsket)
    if onsket and onsket[0] == 0:  # the head of an empty log
        ut[0] = NULLHODE
        onsket = onsket[1:]
    if not onsket:
        return ut
    fra, hode, i = 0, NULLHODE, 0
    while i < len(onsket) and (poster := les(fra, onsket[-1], ETTERFYLL_BIT)):
        for post in poster:
            hode = lenke(hode, post)
            while i < len(onsket) and onsket[i] < post.posisjon:
                i += 1  # asked for a position that is no event
            if i < len(onsket) and onsket[i] == post.posisjon:
                ut[post.posisjon] = hode
                i += 1
        fra = poster[-1].posisjon
    return ut
