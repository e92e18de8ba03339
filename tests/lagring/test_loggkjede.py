"""The log chain's link is JCS (RFC 8785) exactly, and the chain is kept on both stores,
built over an existing log at start, and recomputable from the log alone."""

from __future__ import annotations

import uuid

import rfc8785
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from services.system.bootstrap import bygg
from shared.lagring.loggkjede import NULLHODE, Loggpost, alle_lenker, hoder_fra_loggen, lenkeinnhold
from shared.lagring.tabeller import loggkjede
from tests.hendelser import fattet


@given(
    posisjon=st.integers(min_value=-(2**60), max_value=2**60),
    versjon=st.integers(min_value=0, max_value=2**60),
    topic=st.text(max_size=40),
    tilstand=st.binary(max_size=50),
)
def test_lenken_er_jcs(posisjon: int, versjon: int, topic: str, tilstand: bytes) -> None:
    import hashlib

    post = Loggpost(posisjon, uuid.uuid4(), versjon, topic, tilstand)
    forventet: dict[str, int | str] = {
        "posisjon": posisjon,
        "aggregat": str(post.aggregat),
        "versjon": versjon,
        "topic": topic,
        "tilstand_sha256": hashlib.sha256(tilstand).hexdigest(),
    }
    try:
        fasit = rfc8785.dumps(forventet)
    except rfc8785.IntegerDomainError:
        return  # outside I-JSON: the library refuses, and so does the link
    assert lenkeinnhold(post) == fasit


def test_lenken_med_vanlig_topic() -> None:
    aggregat = uuid.UUID("12345678-1234-5678-1234-567812345678")
    post = Loggpost(7, aggregat, 2, "services.vedtak.domain.vedtak:Vedtak.Endret", b"{}")
    assert lenkeinnhold(post) == (
        b'{"aggregat":"12345678-1234-5678-1234-567812345678","posisjon":7,'
        b'"tilstand_sha256":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",'
        b'"topic":"services.vedtak.domain.vedtak:Vedtak.Endret","versjon":2}'
    )


def test_kjeden_bygges_over_en_eksisterende_logg(lager_url: str) -> None:
    t = bygg(lager_url)
    try:
        t.mottak.motta([fattet("V1"), fattet("V2")], None)
        t.mottak.motta([fattet("V3")], None)
        with t.lager.les() as s:
            rader = alle_lenker(s)
        # One row per write transaction, at its last event (one event per vedtak).
        assert sorted(rader) == [2, 3]
        fra_loggen = hoder_fra_loggen(t.verifisering.loggposter, [0, 2, 3])
        assert fra_loggen == {0: NULLHODE, 2: rader[2], 3: rader[3]}
        # A store from before the chain: no rows. The next start builds them.
        with t.lager.transaksjon() as s:
            s.execute(delete(loggkjede))
    finally:
        t.lukk()
    t = bygg(lager_url)
    try:
        with t.lager.les() as s:
            etterfylt = s.execute(select(loggkjede.c.posisjon, loggkjede.c.etterfylt)).all()
            assert [tuple(r) for r in etterfylt] == [(3, True)]
            assert alle_lenker(s) == {3: rader[3]}
        t.mottak.motta([fattet("V4")], None)
        with t.lager.les() as s:
            assert sorted(alle_lenker(s)) == [3, 4]
        assert t.verifisering.verifiser()["logg"]["kjede_gyldig"] is True
        # An edited row in the chain table is found by recomputing from the log.
        with t.lager.transaksjon() as s:
            s.execute(update(loggkjede).where(loggkjede.c.posisjon == 3).values(hode=NULLHODE))
        rapport = t.verifisering.verifiser()
        assert rapport["feil"] == ["loggkjede: raden ved posisjon 3 stemmer ikke med loggen"]
    finally:
        t.lukk()
