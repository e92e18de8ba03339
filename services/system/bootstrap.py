"""Wires one store to both services, the projector and the use cases (composition root)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from services.settlement.adapters import utstedelsesnokler
from services.settlement.adapters.aarslas import Aarslasregister
from services.settlement.adapters.innsynslogg import Innsynsskriver
from services.settlement.adapters.lesemodell import Lesemodell
from services.settlement.adapters.projektor import Projektor
from services.settlement.adapters.revisjonsprosess import Revisjonsprosess
from services.settlement.application.applikasjon import OppgjorApplikasjon
from services.settlement.application.lesing import Lesetjeneste
from services.settlement.application.oppgjor import Oppgjorstjeneste
from services.settlement.application.publisering import Publisering
from services.settlement.application.revisjon import Revisjonstjeneste
from services.settlement.application.verifisering import Verifisering
from services.system.drift.helse import Projektorhelse
from services.system.prosess import still_inn_prosessen
from services.vedtak.application.applikasjon import VedtakApplikasjon
from services.vedtak.application.mottak import Mottak
from shared.lagring.database import Lager, database_url, datakatalog
from shared.lagring.migrering import oppgrader

logger = logging.getLogger("oppgjor.projektor")


@dataclass
class Tjenester:
    lager: Lager
    vedtak: VedtakApplikasjon
    oppgjor_app: OppgjorApplikasjon
    mottak: Mottak
    projektor: Projektor
    lesemodell: Lesemodell
    publisering: Publisering
    oppgjor: Oppgjorstjeneste
    revisjon: Revisjonstjeneste
    lesing: Lesetjeneste
    nokler: utstedelsesnokler.Utstedelsesnokler
    verifisering: Verifisering
    helse: Projektorhelse = field(default_factory=Projektorhelse)
    _stopp: threading.Event = field(default_factory=threading.Event)
    _trad: threading.Thread | None = None
    _revisjonshjelper: Revisjonsprosess | None = None

    def start_projektor(self, intervall_s: float = 0.5) -> None:
        """Keep the read model current in the background (reads also catch up themselves)."""

        self._stopp.clear()

        def loop() -> None:
            while not self._stopp.wait(intervall_s):
                try:
                    self.projektor.ta_igjen()
                except Exception as e:  # a restarted database: log and try again next tick
                    self.helse.feilet(e)
                    logger.exception("projektoren feilet; prøver igjen")
                else:
                    self.helse.lyktes()

        self._trad = threading.Thread(target=loop, name="projektor", daemon=True)
        self._trad.start()

    @property
    def projektor_i_gang(self) -> bool:
        return self._trad is not None and self._trad.is_alive()

    def stopp_projektor(self) -> None:
        """Stop the background loop and wait for its batch in progress to commit."""
        self._stopp.set()
        if self._trad is not None:
            self._trad.join(timeout=30)
            self._trad = None

    def start_revisjonshjelper(self, vent_s: float = 0.0) -> None:
        """On PostgreSQL, a helper process that computes half of each large audit on the
        other core (ADR 19), waited for up to `vent_s`. SQLite, the embedded default,
        keeps one process."""
        if self.lager.er_sqlite or self._revisjonshjelper is not None:
            return
        self._revisjonshjelper = Revisjonsprosess(self.lager.url, still_inn_prosessen)
        self._revisjonshjelper.start_prosess()
        self.revisjon.medregner = self._revisjonshjelper
        if vent_s > 0 and not self._revisjonshjelper.klar(vent_s):
            logger.warning("hjelpeprosessen for revisjon startet ikke; regner revisjoner her")

    def stopp_revisjonshjelper(self) -> None:
        if self._revisjonshjelper is not None:
            self.revisjon.medregner = None
            self._revisjonshjelper.lukk()
            self._revisjonshjelper = None

    def lukk(self) -> None:
        self.stopp_projektor()
        self.stopp_revisjonshjelper()
        self.lager.lukk()


def bygg(url: str | None = None) -> Tjenester:
    lager = Lager(url or database_url())
    oppgrader(lager)
    vedtak = VedtakApplikasjon(lager)
    oppgjor_app = OppgjorApplikasjon(lager)
    oppgjor_app.etterfyll_loggkjede()  # a store from before the chain gets it built now
    projektor = Projektor(oppgjor_app)
    aarslas = Aarslasregister(lager)
    lesemodell = Lesemodell(lager)
    nokler = utstedelsesnokler.last(datakatalog())
    oppgjor = Oppgjorstjeneste(oppgjor_app, projektor, lesemodell, nokler)
    revisjon = Revisjonstjeneste(oppgjor, lesemodell)
    verifisering = Verifisering(oppgjor_app, oppgjor, nokler)
    return Tjenester(
        lager=lager,
        vedtak=vedtak,
        oppgjor_app=oppgjor_app,
        mottak=Mottak(vedtak, aarslas),
        projektor=projektor,
        lesemodell=lesemodell,
        publisering=Publisering(oppgjor_app, aarslas),
        oppgjor=oppgjor,
        revisjon=revisjon,
        lesing=Lesetjeneste(
            projektor, lesemodell, oppgjor, revisjon, Innsynsskriver(lager), verifisering
        ),
        nokler=nokler,
        verifisering=verifisering,
    )
