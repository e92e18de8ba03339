"""The catch-up projector: follows the event log into the read model's journal.

It pulls the log in batches (SQLite has no subscriptions, and one transaction per event is
far too slow) and commits each batch's rows together with its tracking position, so every
event is projected exactly once, even if the process dies between batches.
Every row keeps its log position and recorded time: that is what "as known at T" reads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import resolve_topic
from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from services.settlement.adapters.lesemodelltekst import lesemodelltrygg
from services.settlement.adapters.oppgjorsprojektor import Journalrad, Oppgjorsprojektor
from services.settlement.adapters.sporing import flytt, las_sporing, sporet
from services.settlement.adapters.stadier import Stadier
from shared.lagring.jsontekst import les_json
from shared.lagring.logg import Loggapplikasjon
from shared.lagring.masseinnsetting import sett_inn
from shared.lagring.radlesing import tupler
from shared.lagring.tabeller import hendelse, sporing
from shared.lagring.tomming import tom_tabeller

PROJEKSJON = "lesemodell"
# A catch-up longer than this many batches runs in two stages (Projektor._ta_igjen).
_TO_TRINN_FRA = 4
# A staged catch-up reads batches this many times as long. Every batch pays the same
# fixed costs in each of the three stages (a connection checked out and pinged, the
# tracking row locked, read and moved, a commit, a statement prepared per table), and
# nobody reads between them: the whole catch-up holds the projector's lock. On the Oslo
# mix (3 million events) batches of 2,000 gave 18,100-18,200 events/s, of 5,000-20,000
# 23,700-24,300 (ADR 15).
_TRINN_GANGER = 5
# A catch-up of at least this many events ends with VACUUM (ANALYZE) (ADR 21). The reader
# or the background tick that ran it waits for the vacuum too: past 100,000 events the
# catch-up itself took seconds, and the vacuum adds a few per cent; a shorter one, which
# a stalled projector may need under steady ingest, must not hold a reader longer.
RYDD_FRA = 100_000
KOLONNER = (
    "posisjon",
    "registrert",
    "type",
    "hendelse_id",
    "kommunenummer",
    "vedtak_id",
    "aar",
    "kvartal",
    "data",
)


class Projektor:
    # 2000 a batch: big enough that a catch-up's per-batch queries cost little, small enough
    # that a read arriving mid-batch waits well under a second for it (issue 9, freshness).
    def __init__(
        self,
        app: Loggapplikasjon,
        batchstorrelse: int = 2000,
        trinnbatch: int | None = None,
        rydd_fra: int = RYDD_FRA,
    ) -> None:
        self.app = app
        self.lager = app.lager
        self.batchstorrelse = batchstorrelse
        # None: _TRINN_GANGER batches (tests set it to compare positions batch for batch).
        self.trinnbatch = trinnbatch
        self.rydd_fra = rydd_fra
        self._logg: Table = app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
        self._lås = threading.Lock()
        # The settlement projection follows the journal this projector writes.
        self.oppgjor = Oppgjorsprojektor(self.lager, batchstorrelse)

    def posisjon(self) -> int:
        with self.lager.les() as s:
            return sporet(s, PROJEKSJON) or 0

    def hode(self) -> int:
        with self.lager.les() as s:
            return int(s.execute(select(func.max(self._logg.c.id))).scalar() or 0)

    def ta_igjen(self) -> int:
        """Project everything logged before this call; returns how many events it projected.

        The target is the log's head at the call, and the lock is taken batch by batch: a
        read then waits at most for the batch in progress and its own, never for a
        projector chasing a log that keeps growing under steady ingest.
        """
        hode, totalt = self.hode(), 0
        analyse = self.oppgjor.analyseplan()
        while True:
            with self._lås:
                posisjon = self.posisjon()
                if posisjon >= hode:
                    self._oppgjor_i_takt(posisjon)
                    return totalt
                lang = totalt == 0 and self._i_to_trinn(hode, posisjon)
                totalt += (
                    self._ta_igjen(lambda _p, _h: None, hode) if lang else self.prosesser_batch()
                )
            if lang:
                if totalt >= self.rydd_fra:
                    self.oppgjor.rydd()  # outside the lock: no other read waits for it
                return totalt
            analyse(totalt)

    def _oppgjor_i_takt(
        self, posisjon: int, fremdrift: Callable[[int, int], None] | None = None
    ) -> None:
        """A store from before the settlement projection (or one rebuilt without it) has
        it behind the journal: it catches up from the journal, and is in step after."""
        if self.oppgjor.posisjon() < posisjon:
            self.oppgjor.ta_igjen(posisjon, fremdrift)

    def gjenoppbygg(self, fremdrift: Callable[[int, int], None] = lambda _n, _av: None) -> int:
        """Empty the read model and project the whole log again, in batches.

        The log is the source of truth; the journal is derived from it, so this is safe at
        any time. Readers see an emptier journal until it is done: run it in a quiet hour.
        """
        with self._lås:
            with self.lager.transaksjon() as s:
                tom_tabeller(s, hendelse)
                s.execute(delete(sporing).where(sporing.c.projeksjon == PROJEKSJON))
                self.oppgjor.tom(s)
            totalt = self._ta_igjen(fremdrift)
        self.oppgjor.rydd()
        return totalt

    def _i_to_trinn(self, hode: int, posisjon: int) -> bool:
        """A long catch-up on PostgreSQL runs in stages (see `_ta_igjen`); a short one (what
        a read usually finds) keeps the one-transaction path and its per-batch lock."""
        return self.to_trinn_mulig() and hode - posisjon > _TO_TRINN_FRA * self.batchstorrelse

    def to_trinn_mulig(self) -> bool:
        # SQLite has one writer: stages would only take turns.
        return self.lager.skrivemotor.dialect.name == "postgresql"

    def _ta_igjen(self, fremdrift: Callable[[int, int], None], hode: int | None = None) -> int:
        """Batches until the projection reaches the head of the log (caller holds the lock).

        On PostgreSQL the journal, the vedtak lines and the reports then move as three
        stages in three threads, each batch in each stage in its own transaction with its
        own tracking position (ADR 15): the lines and reports stages project batch n (from
        the decoded rows, not read back) while the journal stage reads, decodes and writes
        batch n+1. One stage's database time then overlaps another's Python time: the two
        cores each have work.
        """
        ende = self.hode() if hode is None else hode
        if self.to_trinn_mulig():
            return self._to_trinn(ende, fremdrift, folg_hodet=hode is None)
        posisjon, totalt = self.posisjon(), 0
        analyse = self.oppgjor.analyseplan()
        while ende > posisjon:
            totalt += self.prosesser_batch()
            analyse(totalt)
            posisjon = self.posisjon()
            fremdrift(posisjon, ende)
            if hode is None:
                ende = self.hode()
        self._oppgjor_i_takt(posisjon, fremdrift)
        return totalt

    def _to_trinn(self, hode: int, fremdrift: Callable[[int, int], None], folg_hodet: bool) -> int:
        posisjon, totalt = self.posisjon(), 0
        self._oppgjor_i_takt(posisjon)  # the later stages start where the first stands
        analyse = self.oppgjor.analyseplan()
        # The settlement projection's two parts, each a stage of its own (ADR 15).
        stadier: Stadier[tuple[int, int, list[Journalrad]]] = Stadier(
            {
                "oppgjorslinjer": lambda b: self.oppgjor.ta_linjebatch(*b),
                "utfort_tid": lambda b: self.oppgjor.ta_rapportbatch(*b),
            }
        )
        trinnbatch = self.trinnbatch or _TRINN_GANGER * self.batchstorrelse
        with stadier:
            while hode > posisjon and not stadier.feilet:
                lest, batch = self._journalbatch(grense=trinnbatch)
                if batch is not None:
                    stadier.send(batch)
                totalt += lest
                analyse(totalt)
                posisjon = batch[1] if batch is not None else self.posisjon()
                fremdrift(posisjon, hode)
                if folg_hodet:
                    hode = self.hode()
        self._oppgjor_i_takt(posisjon, fremdrift)
        return totalt

    def prosesser_batch(self) -> int:
        """One batch of the log into the journal and, in the same transaction, the
        settlement projection."""
        lest, _ = self._journalbatch(med_oppgjor=True)
        return lest

    def _journalbatch(
        self, med_oppgjor: bool = False, grense: int | None = None
    ) -> tuple[int, tuple[int, int, list[Journalrad]] | None]:
        """One batch of the log (`grense` events, by default `batchstorrelse`) into the
        journal: (events read, and unless `med_oppgjor` the batch's (from, to, rows) for
        the stages that project it)."""
        with self.lager.transaksjon() as s:
            fra = las_sporing(s, PROJEKSJON)
            lest = self._les_logg(s, fra, grense or self.batchstorrelse)
            if not lest:
                return 0, None
            rader = [rad for r in lest if (rad := self._rad(*r)) is not None]
            sett_inn(s, hendelse, KOLONNER, rader)
            til = lest[-1][0]
            flytt(s, PROJEKSJON, fra, til)
            journal = [_journalrad(r) for r in rader]
            if not med_oppgjor:
                return len(lest), (fra, til, journal)
            # The settlement projection takes the same rows in the same transaction when it
            # is in step; otherwise it catches up from the journal afterwards (_oppgjor_i_takt).
            self.oppgjor.projiser_i_takt(s, fra, til, journal)
            return len(lest), None

    def _les_logg(self, s: Session, fra: int, grense: int) -> Sequence[Sequence[Any]]:
        """The next batch of the log: (id, originator_id, version, topic, state) rows, as
        plain tuples in binary on PostgreSQL: the state arrives as bytes, not as hex text
        to decode, and no result rows are built on top (a fifth of the read)."""
        logg = self._logg
        return tupler(
            s,
            select(
                logg.c.id,
                logg.c.originator_id,
                logg.c.originator_version,
                logg.c.topic,
                logg.c.state,
            )
            .where(logg.c.id > fra)
            .order_by(logg.c.id)
            .limit(grense),
            binary=True,
        )

    def _rad(
        self, posisjon: int, originator_id: Any, versjon: int, topic: str, state: bytes
    ) -> tuple[Any, ...] | None:
        """One read-model row, in KOLONNER order."""
        lagret = bytes(state)
        tidspunkt, data = self._tolk(originator_id, versjon, topic, lagret)
        if data is None:
            return None  # an aggregate's bare creation: no business fact to show
        ren = self.app.mapper.cipher is None and self.app.mapper.compressor is None
        # No U+0000 into PostgreSQL, even from a log written before the edge refused it.
        data = lesemodelltrygg(data, lagret if ren else None)
        hent = data.get
        return (
            posisjon,
            tidspunkt,
            data["type"],
            hent("hendelse_id"),
            hent("kommunenummer"),
            hent("vedtak_id"),
            hent("aar"),
            hent("kvartal"),
            data,
        )

    def _tolk(
        self, originator_id: Any, versjon: int, topic: str, state: bytes
    ) -> tuple[datetime, dict[str, Any] | None]:
        """(recorded time, hendelse) of a stored event, upcast to today's version.

        Our events are plain JSON but for the timestamp, so the C JSON decoder does in a
        few microseconds what the library's object-hook decoder does in 25. Should the log
        ever be compressed or encrypted, the library's mapper does it all.
        """
        mapper = self.app.mapper
        if mapper.cipher is not None or mapper.compressor is not None:
            event = mapper.to_domain_event(StoredEvent(originator_id, versjon, topic, state))
            return event.timestamp, getattr(event, "hendelse", None)  # type: ignore[attr-defined]
        tilstand = les_json(state)
        _oppkast(resolve_topic_hurtig(topic), tilstand)
        return datetime.fromisoformat(tilstand["timestamp"]["_data_"]), tilstand.get("hendelse")


def _journalrad(rad: tuple[Any, ...]) -> Journalrad:
    posisjon, registrert, type_, hendelse_id, knr, vedtak_id, _aar, _kvartal, data = rad
    return Journalrad(posisjon, registrert, type_, hendelse_id, knr, vedtak_id, data)


@lru_cache(maxsize=256)
def resolve_topic_hurtig(topic: str) -> type:
    klasse: type = resolve_topic(topic)
    return klasse


def _oppkast(klasse: type, tilstand: dict[str, Any]) -> None:
    """The library's upcasting rule (eventsourcing Mapper.to_domain_event), on a plain dict."""
    fra = tilstand.pop("class_version", 1)
    til = getattr(klasse, "class_version", 1)
    while fra < til:
        getattr(klasse, f"upcast_v{fra}_v{fra + 1}")(tilstand)
        fra += 1
