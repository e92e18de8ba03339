"""The auditor's views: decided vs delivered time (regelverk 5) and the log as known at T."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Generic, Protocol

from services.settlement.adapters.lesemodell import Lesemodell
from services.settlement.adapters.projeksjonslesing import Projeksjonslesing
from services.settlement.application.oppgjor import Oppgjorstjeneste, sjekk_kvartal
from services.settlement.application.resultatlager import Resultatlager
from services.settlement.application.revisjonsrader import (
    KjentRad,
    Revisjonsrader,
    V,
    Visningstupel,
)
from services.settlement.domain.avrunding import vis_andel, vis_volum
from services.settlement.domain.fakta import tid
from services.settlement.domain.revisjon import (
    Revisjonsrad,
    Tjenestesummer,
    revisjonsrad,
    revisjonstjenester,
    tjenestesummer,
)
from shared.feil import Ugyldig
from shared.lagring.jsontekst import Jsontekst

MAKS_SIDE = 1000

logger = logging.getLogger("oppgjor.revisjon")


@dataclass(frozen=True, slots=True)
class Revisjonsdel:
    """What a helper process sends back for its part of an audit: the vedtak_id the part
    begins at, its rows as the API shows them (sorted by vedtak_id), and its sums per
    tjenestekode."""

    nedre: str | None
    rader: list[Visningstupel]
    summer: Tjenestesummer


class Medregner(Protocol):
    """A helper process that computes the upper part of an audit (ADR 19)."""

    def start(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime, terskel: Decimal
    ) -> Callable[[], Revisjonsdel] | None:
        """Starts the upper part (`beregn_del`, part 1); returns how to wait for it, or None
        when no helper is free (then the caller computes it all)."""
        ...


class Revisjonstjeneste:
    def __init__(self, oppgjor: Oppgjorstjeneste, lesemodell: Lesemodell) -> None:
        self.oppgjor = oppgjor
        self.les = lesemodell
        # Bounded by vedtak rows held: a few large municipalities' quarters.
        self._svar: Resultatlager[dict[str, Any]] = Resultatlager(maks_vekt=200_000)
        self._rader: Revisjonsrader[dict[str, Any]] = Revisjonsrader()
        self.medregner: Medregner | None = None  # wired in by the server on PostgreSQL

    def vedtatt_utfort(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime, terskel: Decimal
    ) -> dict[str, Any]:
        sjekk_kvartal(aar, kvartal)
        if not Decimal(0) <= terskel <= Decimal(10):
            raise Ugyldig("terskel må være mellom 0 og 10")
        # What the municipality held at `per` is what it held when it last changed: the
        # answer is computed as known then (so a write landing meanwhile cannot slip into
        # an answer filed under an earlier instant) and kept under that instant.
        sist = self.oppgjor.projeksjon.siste_kjente(kommunenummer, per)
        svar = self._svar.hent_eller_beregn(
            (kommunenummer, aar, kvartal, terskel, sist),
            lambda: self._vedtatt_utfort(kommunenummer, aar, kvartal, sist or per, terskel),
            lambda svar: len(svar["vedtak"]),
        )
        return {**svar, "per": tid(per)}

    def _vedtatt_utfort(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime, terskel: Decimal
    ) -> dict[str, Any]:
        # A quarter is computed in two parts by vedtak_id when a helper process is at
        # hand: it computes the upper part while this one computes the lower, each on its
        # own core (ADR 19). Without one, or while it is busy, this computes it all.
        hent = (
            None
            if self.medregner is None
            else self.medregner.start(kommunenummer, aar, kvartal, per, terskel)
        )
        projeksjon = self.oppgjor.projeksjon
        egen = beregn_del(
            projeksjon,
            self._rader,
            _vis_rad,
            kommunenummer,
            aar,
            kvartal,
            per,
            terskel,
            None if hent is None else 0,
        )
        visninger = [k[2] for k in egen.rader]
        summer = [egen.summer]
        if hent is not None:
            andre = _hent_del(hent, egen.ovre)
            if andre is None:  # the helper failed or split otherwise: compute it here
                rest = beregn_del(
                    projeksjon,
                    self._rader,
                    _vis_rad,
                    kommunenummer,
                    aar,
                    kvartal,
                    per,
                    terskel,
                    1,
                )
                visninger += [k[2] for k in rest.rader]
                summer.append(rest.summer)
            else:
                visninger += [_som_visning(t) for t in andre.rader]
                summer.append(andre.summer)
        return {
            "kommunenummer": kommunenummer,
            "aar": aar,
            "kvartal": kvartal,
            "per": tid(per),
            "terskel": format(terskel.quantize(Decimal("0.01")), "f"),
            "tjenester": [
                {
                    "tjenestekode": t.tjenestekode,
                    "vedtatte_timer": vis_volum(t.vedtatte_timer),
                    "utforte_timer": vis_volum(t.utforte_timer),
                    "andel": vis_andel(t.andel),
                }
                for t in revisjonstjenester(summer)
            ],
            "vedtak": visninger,
        }

    def hendelser(
        self,
        kommunenummer: str,
        per: datetime,
        etter: int,
        grense: int,
        vedtak_id: str | None = None,
    ) -> dict[str, Any]:
        """A page of the municipality's log as known at `per` (replay for auditors)."""
        if not 1 <= grense <= MAKS_SIDE:
            raise Ugyldig(f"grense må være 1-{MAKS_SIDE}")
        rader = self.les.logg(kommunenummer, per, etter, grense + 1, vedtak_id)
        side, flere = rader[:grense], len(rader) > grense
        return {
            "kommunenummer": kommunenummer,
            "per": tid(per),
            "etter": etter,
            "hendelser": [
                {
                    "posisjon": r.posisjon,
                    "registrert": tid(r.registrert),
                    "type": r.type,
                    "hendelse_id": r.hendelse_id,
                    "vedtak_id": r.vedtak_id,
                    "data": r.data,
                }
                for r in side
            ],
            "neste_etter": side[-1].posisjon if flere and side else None,
        }


# The server's share of a quarter's vedtak when a helper computes the rest: a little over
# half, since the helper's part also pays its way back (its rows pickled, sent and read
# again), measured at about a sixth of the part's own cost on the Oslo-sized quarter.
SERVERENS_ANDEL = Fraction(11, 20)


@dataclass(frozen=True, slots=True)
class Del(Generic[V]):
    """A part of a quarter's audit: its rows, sorted by vedtak_id, the vedtak_ids it runs
    from (inclusive) and to (exclusive; None: no bound), and its sums per tjenestekode."""

    rader: list[KjentRad[V]]
    nedre: str | None
    ovre: str | None
    summer: Tjenestesummer


def beregn_del(
    projeksjon: Projeksjonslesing,
    kjente_rader: Revisjonsrader[V],
    vis: Callable[[Revisjonsrad[str]], V],
    kommunenummer: str,
    aar: int,
    kvartal: int,
    per: datetime,
    terskel: Decimal,
    del_: int | None,
) -> Del[V]:
    """The quarter's audit rows (`del_` None), or the server's part of them (0: the first
    `SERVERENS_ANDEL` by vedtak_id) or the helper's (1: the rest). Every process that
    computes a part of the same audit reads the same vedtak lines (all recorded at or
    before `per`), so all draw the same bound.

    The projection keeps each vedtak's decided hours per quarter and the reports by the
    quarters they overlap; the regelverk compares them (regelverk 5), vedtak by vedtak,
    again only where a vedtak's inputs differ from its kept row's."""
    vedtatte = projeksjon.vedtatte_timer(kommunenummer, aar, kvartal, per)
    nedre = ovre = None
    if del_ is not None:
        ider = sorted(v[0] for v in vedtatte)  # by code point, as the store's "C" collation
        n = len(ider) * SERVERENS_ANDEL.numerator // SERVERENS_ANDEL.denominator
        grense = ider[n] if ider else ""  # n < len(ider) when there are any
        if del_ == 0:
            ovre = grense
            vedtatte = [v for v in vedtatte if v[0] < grense]
        else:
            nedre = grense
            vedtatte = [v for v in vedtatte if v[0] >= grense]
    utfort = projeksjon.rapporter(kommunenummer, aar, kvartal, per, nedre, ovre)
    terskel_brok = Fraction(terskel)  # exact comparison, never float
    nokkel = (kommunenummer, aar, kvartal, terskel, del_)
    kjente = kjente_rader.hent(nokkel)
    nye: dict[str, KjentRad[V]] = {}
    for vedtak_id, kode, timer in vedtatte:
        u = utfort.get(vedtak_id)
        # The sources name each report by its log position, and a report's share of
        # the quarter is fixed when it is projected: with the code and the decided
        # hours they determine the row.
        inndata = (kode, timer, None if u is None else u.kilder)
        kjent = kjente.get(vedtak_id)
        if kjent is None or kjent[0] != inndata:
            rad = revisjonsrad(vedtak_id, kode, timer, u, "[]", terskel_brok)
            kjent = (inndata, rad, vis(rad))
        # One row per vedtak and quarter: the projection keeps no two in force at once.
        nye[vedtak_id] = kjent
    kjente_rader.legg(nokkel, nye)
    rader = [nye[v] for v in sorted(nye)]
    return Del(rader, nedre, ovre, tjenestesummer(k[1] for k in rader))


def _hent_del(hent: Callable[[], Revisjonsdel], grense: str | None) -> Revisjonsdel | None:
    """The helper's part, or None when it failed or drew another bound than this process
    (the store changed under one of them): then this process computes that part too."""
    try:
        andre = hent()
    except Exception:  # a dead or stuck helper costs time, never the answer
        logger.warning("hjelpeprosessen for revisjon feilet; regner dens del her", exc_info=True)
        return None
    if andre.nedre != grense:
        logger.warning(
            "hjelpeprosessen for revisjon delte kvartalet annerledes; regner dens del her"
        )
        return None
    return andre


def _vis_rad(r: Revisjonsrad[str]) -> dict[str, Any]:
    return _som_visning(vis_tupel(r))


def vis_tupel(r: Revisjonsrad[str]) -> Visningstupel:
    """The row as the API shows it, as a tuple (what the helper process sends back)."""
    return (
        r.vedtak_id,
        r.tjenestekode,
        vis_volum(r.vedtatte_timer),
        vis_volum(r.utforte_timer),
        vis_andel(r.andel),
        r.flagg,
        r.rapporter,
    )


def _som_visning(t: Visningstupel) -> dict[str, Any]:
    return {
        "vedtak_id": t[0],
        "tjenestekode": t[1],
        "vedtatte_timer": t[2],
        "utforte_timer": t[3],
        "andel": t[4],
        # The regelverk's shared tuple: written as a JSON array, never changed.
        "flagg": t[5],
        # Kept by the projection as the API names them (kilde_json), and passed on unparsed.
        "rapporter": Jsontekst(t[6]),
    }
