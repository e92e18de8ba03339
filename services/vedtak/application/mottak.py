"""Receiving a batch of case-system events (api.md "Case systems: events in").

A batch is all or nothing. In one transaction: receipts are checked (a resend is a
duplicate, a changed reuse of a hendelse_id within its municipality a conflict), every event is validated against
its vedtak as left by the events before it (regelverk 3), year locks are checked (4.7),
and then the events and their receipts are written together. Any refusal rolls it all back.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError as LoggIntegritetsfeil
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError as SqlIntegritetsfeil
from sqlalchemy.orm import Session

from services.vedtak.application.applikasjon import VedtakApplikasjon
from services.vedtak.application.batch import (
    MAKS_HENDELSER,
    HendelseFeil,
    Kvittering,
    Kvitteringsnokkel,
    avvist,
    hendelse_id_fra,
    kvitteringsnokkel,
    lagringsform,
    sjekk_kommuner,
    skjemafeil,
)
from services.vedtak.application.innhold import innholdshash
from services.vedtak.domain.regler import forretningsaar, valider
from services.vedtak.domain.vedtak import Vedtak, vedtak_aggregat_id
from services.vedtak.porter import Aarslaser
from shared.events import Hendelse, HendelseAdapter, VedtakFattet
from shared.feil import Konflikt, Ugyldig
from shared.lagring.blant import blant
from shared.lagring.masseinnsetting import sett_inn
from shared.lagring.tabeller import mottatt_hendelse

KVITTERINGSKOLONNER = ("hendelse_id", "innholdshash", "kommunenummer", "posisjon")


@dataclass
class _Kandidat:
    index: int
    hendelse: Hendelse
    hash: str
    # Where its event lands: (aggregate, version), known once validation applied it.
    aggregat_id: UUID | None = None
    versjon: int = 0


class Mottak:
    """Receives batches for the vedtak service. One batch at a time per process."""

    def __init__(
        self, app: VedtakApplikasjon, aarslas: Aarslaser, cache_storrelse: int = 200_000
    ) -> None:
        self.app = app
        self.aarslas = aarslas
        self.lager = app.lager
        self._lås = threading.Lock()
        # Aggregates as committed, so a hot vedtak is not replayed on every report.
        # Another process may move an aggregate on: its stale copy then fails on the
        # version constraint, and the batch is retried without the cache.
        self._cache: OrderedDict[UUID, Vedtak] = OrderedDict()
        self._cache_storrelse = cache_storrelse

    def motta(self, hendelser: Sequence[Any], kommuner: frozenset[str] | None) -> Kvittering:
        """Store the batch or raise an application error (shared/feil.py). `kommuner`: where the sender may act (None: all)."""
        if len(hendelser) > MAKS_HENDELSER:
            # An empty `errors` list, as every refused batch has.
            raise avvist(
                Ugyldig, f"En batch kan ha høyst {MAKS_HENDELSER} hendelser, fikk {len(hendelser)}"
            )
        with self._lås:
            for forsok in range(3):
                try:
                    return self._motta(hendelser, kommuner, bruk_cache=forsok == 0)
                except (LoggIntegritetsfeil, SqlIntegritetsfeil):
                    # A concurrent writer won a race (same vedtak or hendelse_id): retry
                    # against fresh state, where it shows as a duplicate or a clear refusal.
                    self._cache.clear()
            return self._motta(hendelser, kommuner, bruk_cache=False)

    def _motta(
        self, raa: Sequence[Any], kommuner: frozenset[str] | None, bruk_cache: bool
    ) -> Kvittering:
        sjekk_kommuner(raa, kommuner)
        rorte: dict[UUID, Vedtak] = {}
        try:
            with self.lager.transaksjon() as sesjon:
                # One recorded instant for the whole batch (it is atomic), read under the
                # log's write lock so no issuer can pass it by (Loggapplikasjon.skrivelas).
                tidspunkt = self.app.skrivelas(sesjon, eksklusiv=True)
                kandidater, duplikater, skjemafeil = self._skill_ut(sesjon, raa)
                nye = self._valider(kandidater, rorte, bruk_cache, tidspunkt, skjemafeil)
                posisjon_for = self._lagre(rorte, nye)
                kvitteringer = [
                    (
                        str(k.hendelse.hendelse_id),
                        k.hash,
                        k.hendelse.kommunenummer,
                        posisjon_for[(k.aggregat_id, k.versjon)],
                    )
                    for k in nye
                ]
                sett_inn(sesjon, mottatt_hendelse, KVITTERINGSKOLONNER, kvitteringer)
                # All duplicates: the receipt names the log's head (the library's own query,
                # in this transaction through the shared scoped session).
                posisjon = max(posisjon_for.values(), default=0) or (
                    self.app.recorder.max_notification_id() or 0
                )
        except BaseException:
            for aggregat_id in rorte:
                self._cache.pop(aggregat_id, None)
            raise
        for aggregat_id, vedtak in rorte.items():
            self._husk(aggregat_id, vedtak)
        return Kvittering(len(raa), len(nye), duplikater, posisjon)

    def _skill_ut(
        self, sesjon: Session, raa: Sequence[Any]
    ) -> tuple[list[_Kandidat], int, list[HendelseFeil]]:
        """Parse the batch; set aside duplicates; refuse id conflicts; return schema errors.

        Schema errors are not raised here: they go out in one answer together with the
        regelverk errors of the items that did parse, so a case system fixes a batch in one
        round (api.md: 422 lists every refused hendelse).
        """
        konflikter: list[HendelseFeil] = []
        ugyldige: list[HendelseFeil] = []
        tolket: list[tuple[int, str | None, Kvitteringsnokkel | None, _Kandidat | None]] = []
        for index, element in enumerate(raa):
            hid = hendelse_id_fra(element)
            try:
                h = HendelseAdapter.validate_python(element)
            except ValidationError as e:
                # Even a malformed item is checked against its municipality's receipts.
                tolket.append((index, hid, kvitteringsnokkel(element), None))
                ugyldige += skjemafeil(index, hid, e)
                continue
            egen = (h.kommunenummer, str(h.hendelse_id))
            tolket.append((index, hid, egen, _Kandidat(index, h, innholdshash(h))))

        kjente = self._kvitteringer(sesjon, {n for _, _, n, _ in tolket if n is not None})
        kandidater: list[_Kandidat] = []
        duplikater = 0
        for index, hid, nokkel, kandidat in tolket:
            kjent = kjente.get(nokkel) if nokkel is not None else None
            if kjent is not None and (kandidat is None or kjent != kandidat.hash):
                # api.md: a reused id with other content is a conflict, checked first.
                konflikter.append(
                    HendelseFeil(
                        index,
                        hid,
                        "hendelse_id",
                        "hendelse_id er allerede mottatt med annet innhold",
                    )
                )
            elif kjent is not None:
                duplikater += 1
            elif kandidat is not None and nokkel is not None:
                kjente[nokkel] = kandidat.hash
                kandidater.append(kandidat)
        if konflikter:
            raise avvist(Konflikt, "hendelse_id gjenbrukt med annet innhold", konflikter + ugyldige)
        return kandidater, duplikater, ugyldige

    def _valider(
        self,
        kandidater: list[_Kandidat],
        rorte: dict[UUID, Vedtak],
        bruk_cache: bool,
        tidspunkt: datetime,
        skjemafeil: list[HendelseFeil],
    ) -> list[_Kandidat]:
        feil: list[HendelseFeil] = list(skjemafeil)
        godtatt: list[_Kandidat] = []
        aar_per_kandidat: list[tuple[_Kandidat, range]] = []
        # "Today" for an annulled vedtak with no end (regelverk 4.7): the batch's instant,
        # as a local date (what date.today() gave when the rule read the clock itself).
        idag = tidspunkt.astimezone().date()
        for k in kandidater:
            h = k.hendelse
            aggregat_id = vedtak_aggregat_id(h.kommunenummer, h.vedtak_id)
            vedtak = rorte.get(aggregat_id) or self._hent(aggregat_id, h, bruk_cache)
            grunner = valider(h, vedtak)
            if grunner:
                feil += [
                    HendelseFeil(k.index, str(h.hendelse_id), g.felt, g.detail) for g in grunner
                ]
                continue
            aar_per_kandidat.append((k, forretningsaar(h, vedtak, idag)))
            data = lagringsform(h)
            if vedtak is None:
                vedtak = Vedtak.fatt(data, tidspunkt)
            else:
                vedtak.registrer(data, tidspunkt)
            rorte[aggregat_id] = vedtak
            k.aggregat_id, k.versjon = aggregat_id, vedtak.version
            godtatt.append(k)
        if feil:
            # In batch order; a hendelse's schema and regelverk errors stand together.
            raise avvist(Ugyldig, "Ugyldige hendelser", sorted(feil, key=lambda f: f.index))
        self._sjekk_aarslas(aar_per_kandidat)
        return godtatt

    def _hent(self, aggregat_id: UUID, h: Hendelse, bruk_cache: bool) -> Vedtak | None:
        if bruk_cache and aggregat_id in self._cache:
            return self._cache[aggregat_id]
        if bruk_cache and isinstance(h, VedtakFattet):
            # Optimistic: a new vedtak_id is the common case. A reused one fails on the
            # log's unique (aggregate, version 1) and is then refused on the strict retry.
            return None
        try:
            funnet: object = self.app.repository.get(aggregat_id)
        except AggregateNotFoundError:
            return None
        assert isinstance(funnet, Vedtak)
        return funnet

    def _sjekk_aarslas(self, aar_per_kandidat: list[tuple[_Kandidat, range]]) -> None:
        # The locked years of the batch's municipalities (a handful of rows, through the
        # port), intersected here: an IN list of every (kommune, year) a vedtak open to 9999
        # spans overflowed PostgreSQL's stack ("stack depth limit exceeded").
        kommuner = {k.hendelse.kommunenummer for k, alle in aar_per_kandidat if alle}
        laste = {knr: sorted(self.aarslas.laste_aar(knr)) for knr in sorted(kommuner)}
        if not any(laste.values()):
            return
        feil = [
            HendelseFeil(
                k.index,
                str(k.hendelse.hendelse_id),
                None,
                f"år {aar} er låst for kommune {k.hendelse.kommunenummer} (regelverk 4.7)",
            )
            for k, alle in aar_per_kandidat
            for aar in sorted(laste.get(k.hendelse.kommunenummer, []))
            if aar in alle
        ]
        if feil:
            raise avvist(Konflikt, "Hendelser i et låst år", feil)

    def _lagre(
        self, rorte: dict[UUID, Vedtak], nye: list[_Kandidat]
    ) -> dict[tuple[UUID | None, int], int]:
        """Write all new events in one insert, in the order the case system sent them
        (the library would order them by aggregate): (aggregate, version) -> position."""
        ventende: dict[tuple[UUID | None, int], Any] = {
            (e.originator_id, e.originator_version): e
            for vedtak in rorte.values()
            for e in vedtak.collect_events()
        }
        opptak = self.app.save(*(ventende[(k.aggregat_id, k.versjon)] for k in nye))
        return {
            (o.domain_event.originator_id, o.domain_event.originator_version): o.notification.id
            for o in opptak
        }

    def _kvitteringer(
        self, sesjon: Session, nokler: Iterable[Kvitteringsnokkel]
    ) -> dict[Kvitteringsnokkel, str]:
        """The content hash of every known (kommunenummer, hendelse_id) among `nokler`."""
        per_kommune: dict[str, list[str]] = {}
        for knr, hid in nokler:
            per_kommune.setdefault(knr, []).append(hid)
        kjente: dict[Kvitteringsnokkel, str] = {}
        m = mottatt_hendelse.c
        # A batch is nearly always one municipality's: one primary-key probe per id.
        for knr, hider in per_kommune.items():
            for i in range(0, len(hider), 1000):
                rader = sesjon.execute(
                    select(m.hendelse_id, m.innholdshash).where(
                        m.kommunenummer == knr, blant(sesjon, m.hendelse_id, hider[i : i + 1000])
                    )
                )
                kjente.update({(knr, hid): hash_ for hid, hash_ in rader.tuples()})
        return kjente

    def _husk(self, aggregat_id: UUID, vedtak: Vedtak) -> None:
        self._cache[aggregat_id] = vedtak
        self._cache.move_to_end(aggregat_id)
        while len(self._cache) > self._cache_storrelse:
            self._cache.popitem(last=False)
