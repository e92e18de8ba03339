"""The auditor's views: decided vs delivered time (regelverk 5) and the log as known at T."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from services.settlement.adapters.lesemodell import Lesemodell
from services.settlement.application.oppgjor import Oppgjorstjeneste, sjekk_kvartal
from services.settlement.application.resultatlager import Resultatlager
from services.settlement.application.revisjonsrader import KjentRad, Revisjonsrader
from services.settlement.domain.avrunding import vis_andel, vis_volum
from services.settlement.domain.fakta import tid
from services.settlement.domain.revisjon import Revisjonsrad, revisjonsrad, revisjonsrapport
from shared.feil import Ugyldig
from shared.lagring.jsontekst import Jsontekst

MAKS_SIDE = 1000


class Revisjonstjeneste:
    def __init__(self, oppgjor: Oppgjorstjeneste, lesemodell: Lesemodell) -> None:
        self.oppgjor = oppgjor
        self.les = lesemodell
        # Bounded by vedtak rows held: a few large municipalities' quarters.
        self._svar: Resultatlager[dict[str, Any]] = Resultatlager(maks_vekt=200_000)
        self._rader = Revisjonsrader()

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
        # The projection keeps each vedtak's decided hours per quarter and the reports by
        # the quarters they overlap; the regelverk compares them (regelverk 5), vedtak by
        # vedtak, again only where a vedtak's inputs differ from its kept row's.
        projeksjon = self.oppgjor.projeksjon
        vedtatte = projeksjon.vedtatte_timer(kommunenummer, aar, kvartal, per)
        utfort = projeksjon.rapporter(kommunenummer, aar, kvartal, per)
        terskel_brok = Fraction(terskel)  # exact comparison, never float
        nokkel = (kommunenummer, aar, kvartal, terskel)
        kjente = self._rader.hent(nokkel)
        nye: dict[str, KjentRad] = {}
        for vedtak_id, kode, timer in vedtatte:
            u = utfort.get(vedtak_id)
            # The sources name each report by its log position, and a report's share of
            # the quarter is fixed when it is projected: with the code and the decided
            # hours they determine the row.
            inndata = (kode, timer, None if u is None else u.kilder)
            kjent = kjente.get(vedtak_id)
            if kjent is None or kjent[0] != inndata:
                rad = revisjonsrad(vedtak_id, kode, timer, u, "[]", terskel_brok)
                kjent = (inndata, rad, _vis_rad(rad))
            # One row per vedtak and quarter: the projection keeps no two in force at once.
            nye[vedtak_id] = kjent
        self._rader.legg(nokkel, nye)
        rapport = revisjonsrapport(
            kommunenummer, aar, kvartal, terskel, [k[1] for k in nye.values()]
        )
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
                for t in rapport.tjenester
            ],
            "vedtak": [nye[r.vedtak_id][2] for r in rapport.vedtak],
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


def _vis_rad(r: Revisjonsrad[str]) -> dict[str, Any]:
    return {
        "vedtak_id": r.vedtak_id,
        "tjenestekode": r.tjenestekode,
        "vedtatte_timer": vis_volum(r.vedtatte_timer),
        "utforte_timer": vis_volum(r.utforte_timer),
        "andel": vis_andel(r.andel),
        # The regelverk's shared tuple: written as a JSON array, never changed.
        "flagg": r.flagg,
        # Kept by the projection as the API names them (kilde_json), and passed on unparsed.
        "rapporter": Jsontekst(r.rapporter),
    }
