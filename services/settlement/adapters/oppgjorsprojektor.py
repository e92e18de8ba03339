"""Keeps the settlement projection current from the read model's journal (issue 9).

For every vedtak an event touches, it folds that vedtak's own (short) history with the
regelverk and asks `domain.projeksjon` for its rows; rows that changed are closed at the
event's recorded instant and log position and their successors opened there. Reports go
to their own table, one row per quarter their period overlaps, and close the previous
report for the same vedtak and period. A report never refolds a vedtak.

It follows the journal (not the log): the journal already holds each event decoded, with
its position and recorded time, and a store upgraded from before the projection existed
is built from it on the first catch-up (its tracking row starts at 0).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Table,
    Text,
    bindparam,
    cast,
    delete,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from services.settlement.adapters.sporing import flytt, las_sporing, sporet
from services.settlement.domain.fakta import Kilde, VedtakHendelse, kilde_json
from services.settlement.domain.projeksjon import Kvartalsrad, projiser, rapportandeler
from services.settlement.domain.vedtakstilstand import TILSTANDSTYPER, folde_vedtak
from shared.lagring.blant import blant
from shared.lagring.database import Lager
from shared.lagring.jsontekst import json_tekst, les_json
from shared.lagring.masseinnsetting import sett_inn
from shared.lagring.tabeller import (
    EVIG,
    hendelse,
    kommune,
    oppgjorslinje,
    revisjonslinje,
    sporing,
    utfort_tid,
)
from shared.lagring.tomming import tom_tabeller

logger = logging.getLogger("oppgjor.projektor")

# The tables a catch-up grows: the journal and the projection. Their statistics are
# refreshed during a long catch-up, and they are vacuumed after it (ADR 21).
_VOKSER = "hendelse, oppgjorslinje, revisjonslinje, utfort_tid"

# Two parts, each with its own tracking position (migration 0006): the vedtak lines,
# decided hours and municipalities; and the delivered-time reports. A report never
# refolds a vedtak and a vedtak event never touches a report, so a long catch-up can move
# the reports with the journal and the lines in a stage of their own (ADR 15).
PROJEKSJON = "oppgjorsprojeksjon"
RAPPORTPROJEKSJON = "rapportprojeksjon"
RAPPORT = "UtfortTidRapportert"
_BIT = 500  # ids per IN list
# Fresh planner statistics after 10,000 events of a catch-up, then at growing intervals.
_FORSTE_ANALYSE = 10_000
_MAKS_MELLOM_ANALYSER = 1_000_000

RADKOLONNER = (
    "kommunenummer",
    "vedtak_id",
    "tjenestekode",
    "fra_kidx",
    "til_kidx",
    "volum_90",
    "volum_91",
    "volum_92",
    "fra_posisjon",
    "fra_registrert",
    "til_posisjon",
    "til_registrert",
)
RAPPORTKOLONNER = (
    "kommunenummer",
    "vedtak_id",
    "kidx",
    "nokkel",
    "periode_fra",
    "periode_til",
    "utforte_timer",
    "timer_i_kvartalet",
    "kilde",
    "hendelse_id",
    "fra_posisjon",
    "fra_registrert",
    "til_posisjon",
    "til_registrert",
)

_Nokkel = tuple[Any, ...]


class Journalrad(NamedTuple):
    """One journal row, decoded: what the projection needs of an event."""

    posisjon: int
    registrert: datetime
    type: str
    hendelse_id: str | None
    kommunenummer: str | None
    vedtak_id: str | None
    data: dict[str, Any]


@dataclass
class _Versjoner:
    """One table's changes in a batch: new versions to insert, old ones to close."""

    tabell: Table
    nye: dict[int, list[Any]] = field(default_factory=dict)
    lukkes: list[dict[str, Any]] = field(default_factory=list)
    _neste: int = 0

    def apne(self, rad: list[Any]) -> tuple[str, int]:
        self._neste += 1
        self.nye[self._neste] = rad
        return ("ny", self._neste)

    def lukk(self, ref: tuple[str, int], registrert: datetime, posisjon: int) -> None:
        art, n = ref
        if art == "db":
            self.lukkes.append({"b_id": n, "b_pos": posisjon, "b_reg": registrert})
            return
        rad = self.nye[n]
        if rad[-3] == registrert:
            del self.nye[n]  # opened and closed at one instant: never in force
        else:
            rad[-2], rad[-1] = posisjon, registrert

    def skriv(self, s: Session, kolonner: Sequence[str]) -> None:
        sett_inn(s, self.tabell, kolonner, list(self.nye.values()))
        if not self.lukkes:
            return
        t = self.tabell
        if s.get_bind().dialect.name == "postgresql":
            # One statement for the whole batch: executemany sent one UPDATE per row.
            s.execute(
                text(
                    f"UPDATE {t.name} AS t SET til_posisjon = u.pos, til_registrert = u.reg "
                    "FROM unnest(CAST(:ider AS bigint[]), CAST(:pos AS bigint[]), "
                    "CAST(:reg AS timestamptz[])) AS u(id, pos, reg) WHERE t.id = u.id"
                ),
                {
                    "ider": [r["b_id"] for r in self.lukkes],
                    "pos": [r["b_pos"] for r in self.lukkes],
                    "reg": [r["b_reg"] for r in self.lukkes],
                },
            )
            return
        s.execute(
            update(t)
            .where(t.c.id == bindparam("b_id"))
            .values(til_posisjon=bindparam("b_pos"), til_registrert=bindparam("b_reg")),
            self.lukkes,
        )


def _radnokkel(r: Kvartalsrad) -> _Nokkel:
    return (
        r.tjenestekode,
        r.fra_kidx,
        r.til_kidx,
        _tekst(r.volum.get(90)),
        _tekst(r.volum.get(91)),
        _tekst(r.volum.get(92)),
    )


def _tekst(verdi: Any) -> str | None:
    return None if verdi is None else str(verdi)


class Oppgjorsprojektor:
    def __init__(self, lager: Lager, batchstorrelse: int = 5000) -> None:
        self.lager = lager
        self.batchstorrelse = batchstorrelse

    def _analyser(self) -> None:
        """Fresh planner statistics on PostgreSQL while the projection grows fast (a first
        build, a catch-up): with a fresh table's empty statistics the planner answered the
        per-vedtak look-ups from the per-quarter index and each batch got slower."""
        if self.lager.skrivemotor.dialect.name != "postgresql":
            return
        with self.lager.skrivemotor.connect() as k:
            k.execute(text(f"ANALYZE {_VOKSER}"))
            k.commit()

    def rydd(self) -> None:
        """After a long catch-up or a rebuild on PostgreSQL: VACUUM (ANALYZE) the journal
        and the projection (ADR 21). The reads that follow then find their rows' commit
        status in the rows themselves and their pages marked all-visible, instead of each
        first read paying for that; the first quarter read of an Oslo-sized store fell
        from 110-140 ms to 50-70 ms. It costs about a second per three million events, and
        autovacuum, where it runs at all, would come later and do the same work."""
        if self.lager.skrivemotor.dialect.name != "postgresql":
            return
        try:
            with self.lager.skrivemotor.connect() as k:
                # VACUUM runs outside a transaction; it takes no lock that reads or writes
                # wait on.
                k.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text(f"VACUUM (ANALYZE) {_VOKSER}")
                )
        except SQLAlchemyError:
            # The catch-up is done and committed: a vacuum that fails (the store restarting,
            # a statement timeout) costs the next reads time, never the caller its answer.
            logger.warning("VACUUM etter innhentingen feilet; lesingene betaler det", exc_info=True)

    def analyseplan(self) -> Callable[[int], None]:
        """For one catch-up: given the events projected so far, refresh the planner's
        statistics after the first 10,000 and then at growing intervals (a long catch-up
        only, never an ordinary read's few events)."""
        neste = _FORSTE_ANALYSE

        def etter(totalt: int) -> None:
            nonlocal neste
            if totalt >= neste:
                self._analyser()
                neste = min(4 * neste, totalt + _MAKS_MELLOM_ANALYSER)

        return etter

    def posisjon(self) -> int:
        """Where the whole projection stands: the position of the part furthest behind."""
        with self.lager.les() as s:
            return min(sporet(s, PROJEKSJON) or 0, sporet(s, RAPPORTPROJEKSJON) or 0)

    def tom(self, s: Session) -> None:
        """Forget the projection (rebuild): the next catch-up builds it from the journal."""
        tom_tabeller(s, oppgjorslinje, revisjonslinje, utfort_tid, kommune)
        s.execute(delete(sporing).where(sporing.c.projeksjon.in_([PROJEKSJON, RAPPORTPROJEKSJON])))

    def ta_igjen(self, til: int, fremdrift: Callable[[int, int], None] | None = None) -> int:
        """Project the journal up to position `til`; returns the events read."""
        totalt, analyse = 0, self.analyseplan()
        while True:
            lest, posisjon = self.prosesser_batch(til)
            totalt += lest
            analyse(totalt)
            if fremdrift is not None:
                fremdrift(posisjon, til)
            if posisjon >= til:
                return totalt

    def prosesser_batch(self, til: int) -> tuple[int, int]:
        """One batch in one transaction with its tracking position: (events, new position)."""
        with self.lager.transaksjon() as s:
            fra_linjer = las_sporing(s, PROJEKSJON)
            fra_rapporter = las_sporing(s, RAPPORTPROJEKSJON)
            fra = min(fra_linjer, fra_rapporter)
            if fra >= til:
                return 0, fra
            h = hendelse
            rader = s.execute(
                select(
                    h.c.posisjon,
                    h.c.registrert,
                    h.c.type,
                    h.c.hendelse_id,
                    h.c.kommunenummer,
                    h.c.vedtak_id,
                    cast(h.c.data, Text),
                )
                .where(h.c.posisjon > fra, h.c.posisjon <= til)
                .order_by(h.c.posisjon)
                .limit(self.batchstorrelse)
            ).all()
            ny = rader[-1].posisjon if len(rader) == self.batchstorrelse else til
            journal = [
                Journalrad(r[0], r[1], r[2], r[3], r[4], r[5], les_json(r[6])) for r in rader
            ]
            # Each part takes the rows beyond its own position.
            for navn, fra_del, projiser in (
                (PROJEKSJON, fra_linjer, self._projiser_linjer),
                (RAPPORTPROJEKSJON, fra_rapporter, self._projiser_rapporter),
            ):
                if fra_del < ny:
                    projiser(s, [r for r in journal if r.posisjon > fra_del])
                    flytt(s, navn, fra_del, ny)
            return len(rader), ny

    def ta_linjebatch(self, fra: int, til: int, rader: Sequence[Journalrad]) -> None:
        """The journal's batch fra < p <= til, handed on after the journal committed it:
        its vedtak lines (ADR 15)."""
        self._ta_del(PROJEKSJON, self._projiser_linjer, fra, til, rader)

    def ta_rapportbatch(self, fra: int, til: int, rader: Sequence[Journalrad]) -> None:
        """The same batch's delivered-time reports (ADR 15)."""
        self._ta_del(RAPPORTPROJEKSJON, self._projiser_rapporter, fra, til, rader)

    def _ta_del(
        self,
        navn: str,
        projiser: Callable[[Session, Sequence[Journalrad]], None],
        fra: int,
        til: int,
        rader: Sequence[Journalrad],
    ) -> None:
        """One part of a batch: projected from the rows given when the part stands at
        `fra`; read from the journal when another projector has moved it meanwhile
        (another replica, or the other part's stage catching up from the journal)."""
        with self.lager.transaksjon() as s:
            if self._del_i_takt(s, navn, fra, til, rader, projiser):
                return
        if self.posisjon() < til:
            self.ta_igjen(til)

    def projiser_i_takt(self, s: Session, fra: int, til: int, rader: Sequence[Journalrad]) -> bool:
        """Project the journal's own batch (log positions fra < p <= til) in its transaction,
        each part when it stands exactly at `fra`; a part that does not is left to the
        catch-up. True when both parts took it.

        This spares reading back and decoding again what the journal has just written:
        the journal and the projection then move in one transaction, at one position.
        """
        linjer = self._del_i_takt(s, PROJEKSJON, fra, til, rader, self._projiser_linjer)
        rapporter = self._del_i_takt(
            s, RAPPORTPROJEKSJON, fra, til, rader, self._projiser_rapporter
        )
        return linjer and rapporter

    @staticmethod
    def _del_i_takt(
        s: Session,
        navn: str,
        fra: int,
        til: int,
        rader: Sequence[Journalrad],
        projiser: Callable[[Session, Sequence[Journalrad]], None],
    ) -> bool:
        if las_sporing(s, navn) != fra:
            return False
        projiser(s, rader)
        flytt(s, navn, fra, til)
        return True

    def _projiser_linjer(self, s: Session, rader: Sequence[Journalrad]) -> None:
        kommuner: dict[str, datetime] = {}
        vedtak: dict[tuple[str, str], list[VedtakHendelse]] = {}
        for r in rader:
            knr = r.kommunenummer
            if knr is None:
                continue  # a national fact (rates): read where it is used, not projected
            if knr not in kommuner:
                kommuner[knr] = r.registrert
            if r.type in TILSTANDSTYPER and r.vedtak_id is not None:
                kilde = Kilde(r.posisjon, r.registrert, r.hendelse_id, r.type)
                vedtak.setdefault((knr, r.vedtak_id), []).append(VedtakHendelse(kilde, r.data))
        self._kommuner(s, kommuner)
        if vedtak:
            self._vedtak(s, vedtak, rader[0].posisjon)

    def _projiser_rapporter(self, s: Session, rader: Sequence[Journalrad]) -> None:
        rapporter = [
            (r.kommunenummer, r) for r in rader if r.type == RAPPORT and r.kommunenummer is not None
        ]
        if rapporter:
            self._rapporter(s, rapporter)

    def _kommuner(self, s: Session, forste: dict[str, datetime]) -> None:
        if not forste:
            return
        kjente = set(
            s.execute(
                select(kommune.c.kommunenummer).where(kommune.c.kommunenummer.in_(list(forste)))
            ).scalars()
        )
        nye = [(k, t) for k, t in forste.items() if k not in kjente]
        sett_inn(s, kommune, ("kommunenummer", "registrert"), nye)

    def _vedtak(
        self, s: Session, nye: dict[tuple[str, str], list[VedtakHendelse]], forste_pos: int
    ) -> None:
        # regelverk 3: a vedtak_id is fattet once and never reused, so a vedtak whose
        # first event here is its fattet has no earlier events and no rows yet.
        kjente = [n for n, egne in nye.items() if egne[0].type != "VedtakFattet"]
        tidligere = _tidligere_hendelser(s, kjente, forste_pos)
        linjer = _Versjoner(oppgjorslinje)
        revisjon = _Versjoner(revisjonslinje)
        apne_linjer = _apne_rader(s, oppgjorslinje, kjente)
        apne_revisjon = _apne_rader(s, revisjonslinje, kjente)
        for (knr, vid), egne in nye.items():
            historikk = tidligere.get((knr, vid), []) + egne
            start = len(historikk) - len(egne)
            gjeldende_l = apne_linjer.get((knr, vid), {})
            gjeldende_r = apne_revisjon.get((knr, vid), {})
            for i in range(start, len(historikk)):
                kilde = historikk[i].kilde
                # All events recorded at one instant become visible together: fold once,
                # after the last of them.
                if i + 1 < len(historikk) and historikk[i + 1].kilde.registrert == kilde.registrert:
                    continue
                tilstand = folde_vedtak(historikk[: i + 1])
                projeksjon = projiser(tilstand) if tilstand is not None else None
                _bytt(
                    linjer,
                    gjeldende_l,
                    projeksjon.oppgjor if projeksjon else (),
                    knr,
                    vid,
                    kilde,
                )
                _bytt(
                    revisjon,
                    gjeldende_r,
                    projeksjon.revisjon if projeksjon else (),
                    knr,
                    vid,
                    kilde,
                )
        linjer.skriv(s, RADKOLONNER)
        revisjon.skriv(s, RADKOLONNER)

    def _rapporter(self, s: Session, rapporter: list[tuple[str, Journalrad]]) -> None:
        versjoner = _Versjoner(utfort_tid)
        # The key names municipality, vedtak and period: one report per key is in force.
        lest = [
            (knr, r, f"{knr}|{r.vedtak_id}|{r.data['periode_fra']}|{r.data['periode_til']}")
            for knr, r in rapporter
        ]
        apne: dict[str, list[tuple[str, int]]] = {}
        u = utfort_tid
        nokler = list(dict.fromkeys(nokkel for _, _, nokkel in lest))
        for i in range(0, len(nokler), _BIT):
            for rad in s.execute(
                select(u.c.id, u.c.nokkel)
                .where(blant(s, u.c.nokkel, nokler[i : i + _BIT]), u.c.til_registrert == EVIG)
                .order_by(u.c.id)
            ):
                apne.setdefault(rad.nokkel, []).append(("db", rad.id))
        for knr, r, nokkel in lest:
            d = r.data
            pfra, ptil = d["periode_fra"], d["periode_til"]
            # regelverk 3: a later report for the same vedtak and period supersedes.
            for ref in apne.pop(nokkel, ()):
                versjoner.lukk(ref, r.registrert, r.posisjon)
            timer = str(d["utforte_timer"])
            # The source as the audit names it, rendered once here instead of on each read.
            kilde = json_tekst(kilde_json(Kilde(r.posisjon, r.registrert, r.hendelse_id, RAPPORT)))
            apne[nokkel] = [
                versjoner.apne(
                    [
                        knr,
                        r.vedtak_id,
                        q,
                        nokkel,
                        pfra,
                        ptil,
                        timer,
                        andel,
                        kilde,
                        r.hendelse_id,
                        r.posisjon,
                        r.registrert,
                        None,
                        EVIG,
                    ]
                )
                for q, andel in _andeler(pfra, ptil, timer)
            ]
        versjoner.skriv(s, RAPPORTKOLONNER)


@lru_cache(maxsize=65536)
def _andeler(periode_fra: str, periode_til: str, timer: str) -> list[tuple[int, str]]:
    """A report's quarters and its exact hours inside each (the regelverk's split);
    reports share months, and many share their hours too."""
    andeler = rapportandeler(
        date.fromisoformat(periode_fra), date.fromisoformat(periode_til), Decimal(timer)
    )
    return [(q, str(andel)) for q, andel in andeler]


def _bytt(
    versjoner: _Versjoner,
    gjeldende: dict[_Nokkel, tuple[str, int]],
    rader: Iterable[Kvartalsrad],
    knr: str,
    vid: str,
    kilde: Kilde,
) -> None:
    """Close the vedtak's rows that changed and open their successors at `kilde`."""
    nye = {_radnokkel(r): r for r in rader}
    for nokkel in [n for n in gjeldende if n not in nye]:
        versjoner.lukk(gjeldende.pop(nokkel), kilde.registrert, kilde.posisjon)
    for nokkel in nye:
        if nokkel not in gjeldende:
            gjeldende[nokkel] = versjoner.apne(
                [knr, vid, *nokkel, kilde.posisjon, kilde.registrert, None, EVIG]
            )


def _per_kommune(nokler: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    ut: dict[str, list[str]] = {}
    for knr, vid in nokler:
        ut.setdefault(knr, []).append(vid)
    return ut


def _tidligere_hendelser(
    s: Session, nokler: Iterable[tuple[str, str]], for_posisjon: int
) -> dict[tuple[str, str], list[VedtakHendelse]]:
    """The state events of these vedtak already projected, in log order."""
    h = hendelse
    ut: dict[tuple[str, str], list[VedtakHendelse]] = {}
    typer = sorted(TILSTANDSTYPER)
    for knr, vids in _per_kommune(nokler).items():
        for i in range(0, len(vids), _BIT):
            for r in s.execute(
                select(
                    h.c.posisjon,
                    h.c.registrert,
                    h.c.hendelse_id,
                    h.c.type,
                    h.c.vedtak_id,
                    cast(h.c.data, Text),
                )
                .where(
                    h.c.kommunenummer == knr,
                    blant(s, h.c.vedtak_id, vids[i : i + _BIT]),
                    h.c.posisjon < for_posisjon,
                    # The same condition as ix_hendelse_vedtakstilstand's: the reports,
                    # most of a long-lived vedtak's rows, are never read here.
                    h.c.type != RAPPORT,
                    h.c.type.in_(typer),
                )
                .order_by(h.c.posisjon)
            ):
                ut.setdefault((knr, r.vedtak_id), []).append(
                    VedtakHendelse(Kilde(r[0], r[1], r[2], r[3]), les_json(r[5]))
                )
    return ut


def _apne_rader(
    s: Session, tabell: Table, nokler: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], dict[_Nokkel, tuple[str, int]]]:
    t = tabell
    ut: dict[tuple[str, str], dict[_Nokkel, tuple[str, int]]] = {}
    for knr, vids in _per_kommune(nokler).items():
        for i in range(0, len(vids), _BIT):
            for r in s.execute(
                select(
                    t.c.id,
                    t.c.vedtak_id,
                    t.c.tjenestekode,
                    t.c.fra_kidx,
                    t.c.til_kidx,
                    t.c.volum_90,
                    t.c.volum_91,
                    t.c.volum_92,
                ).where(
                    t.c.kommunenummer == knr,
                    blant(s, t.c.vedtak_id, vids[i : i + _BIT]),
                    t.c.til_registrert == EVIG,
                )
            ):
                ut.setdefault((knr, r.vedtak_id), {})[tuple(r[2:])] = ("db", r.id)
    return ut
