"""Queries on the read model, each answering "as known at `per`" (regelverk 3).

Only rows recorded at or before `per` are read; the regelverk gets them as plain facts.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Text, and_, cast, desc, func, select

from services.settlement.domain.fakta import (
    Finansieringsgrunnlag,
    Kilde,
    Satstabell,
    VedtakHendelse,
)
from services.settlement.domain.vedtakstilstand import TILSTANDSTYPER
from shared.events import HENDELSE_TYPER
from shared.lagring.database import Lager
from shared.lagring.jsontekst import les_json
from shared.lagring.tabeller import hendelse as h
from shared.lagring.tabeller import innsynslogg, kommune

_UTEN_RAPPORTER = tuple(sorted(TILSTANDSTYPER))


def kilde(rad: Row[Any]) -> Kilde:
    return Kilde(rad.posisjon, rad.registrert, rad.hendelse_id, rad.type)


class Lesemodell:
    def __init__(self, lager: Lager) -> None:
        self.lager = lager

    def vedtakshendelser(
        self, kommunenummer: str, per: datetime, *, med_rapporter: bool = False
    ) -> list[VedtakHendelse]:
        """All case-system events of a municipality known at `per`, in log order."""
        typer = HENDELSE_TYPER if med_rapporter else _UTEN_RAPPORTER
        # The payload as text, decoded here in one go: the driver's per-row JSONB decoding
        # was half the time of a 5,000-vedtak quarter.
        sporring = (
            select(h.c.posisjon, h.c.registrert, h.c.hendelse_id, h.c.type, cast(h.c.data, Text))
            .where(
                h.c.kommunenummer == kommunenummer,
                h.c.registrert <= per,
                h.c.type.in_(typer),
            )
            .order_by(h.c.posisjon)
        )
        with self.lager.les() as s:
            rader = s.execute(sporring).all()
        return [VedtakHendelse(Kilde(r[0], r[1], r[2], r[3]), les_json(r[4])) for r in rader]

    def satstabell(self, aar: int, per: datetime) -> Satstabell | None:
        """The latest version of the year's price table recorded at or before `per` (4.4)."""
        rad = self._siste("SatserPublisert", per, h.c.aar == aar)
        if rad is None:
            return None
        return Satstabell(
            aar=aar,
            versjon=int(rad.data["versjon"]),
            satser={s["tjenestekode"]: Decimal(s["sats"]) for s in rad.data["satser"]},
            kilde=kilde(rad),
        )

    def grunnlag(self, kommunenummer: str, aar: int, per: datetime) -> Finansieringsgrunnlag | None:
        rad = self._siste(
            "GrunnlagPublisert", per, h.c.aar == aar, h.c.kommunenummer == kommunenummer
        )
        return None if rad is None else _grunnlag(rad, kommunenummer, aar)

    def alle_grunnlag(self, aar: int, per: datetime) -> dict[str, Finansieringsgrunnlag]:
        """Every municipality's funding basis for the year in force at `per` (one query)."""
        sporring = (
            select(h.c.posisjon, h.c.registrert, h.c.hendelse_id, h.c.type, h.c.data)
            .where(h.c.type == "GrunnlagPublisert", h.c.aar == aar, h.c.registrert <= per)
            .order_by(h.c.posisjon)
        )
        with self.lager.les() as s:
            rader = s.execute(sporring).all()
        # In log order, so the latest version of each municipality wins.
        return {r.data["kommunenummer"]: _grunnlag(r, r.data["kommunenummer"], aar) for r in rader}

    def utstedte_i_kvartal(
        self, aar: int, kvartal: int, per: datetime
    ) -> dict[str, list[dict[str, Any]]]:
        """Issued versions of the quarter known at `per`, per municipality, oldest first."""
        sporring = (
            select(h.c.kommunenummer, h.c.data)
            .where(
                h.c.type == "OppgjorUtstedt",
                h.c.aar == aar,
                h.c.kvartal == kvartal,
                h.c.registrert <= per,
            )
            .order_by(h.c.posisjon)
        )
        ut: dict[str, list[dict[str, Any]]] = {}
        with self.lager.les() as s:
            for r in s.execute(sporring):
                ut.setdefault(r.kommunenummer, []).append(r.data)
        return ut

    def utstedte(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime
    ) -> list[dict[str, Any]]:
        """Issued versions of a municipality-quarter known at `per`, oldest first."""
        sporring = (
            select(h.c.data)
            .where(
                h.c.type == "OppgjorUtstedt",
                h.c.kommunenummer == kommunenummer,
                h.c.aar == aar,
                h.c.kvartal == kvartal,
                h.c.registrert <= per,
            )
            .order_by(h.c.posisjon)
        )
        with self.lager.les() as s:
            return [r.data for r in s.execute(sporring)]

    def utbetalinger(self, kommunenummer: str, per: datetime) -> list[dict[str, Any]]:
        return self._data("UtbetalingRegistrert", per, h.c.kommunenummer == kommunenummer)

    def alle_utstedte(self, kommunenummer: str, per: datetime) -> list[dict[str, Any]]:
        return self._data("OppgjorUtstedt", per, h.c.kommunenummer == kommunenummer)

    def kommuner(self, per: datetime) -> list[str]:
        """Municipalities with any fact known at `per` (kept by the settlement projection,
        so this does not scan the journal)."""
        sporring = (
            select(kommune.c.kommunenummer)
            .where(kommune.c.registrert <= per)
            .order_by(kommune.c.kommunenummer)
        )
        with self.lager.les() as s:
            return [str(k) for k in s.execute(sporring).scalars()]

    def vedtakshendelser_for(
        self, kommunenummer: str, vedtak: list[str], per: datetime
    ) -> list[VedtakHendelse]:
        """The state events of these vedtak known at `per`, in log order."""
        ut: list[VedtakHendelse] = []
        for i in range(0, len(vedtak), 500):
            sporring = select(
                h.c.posisjon, h.c.registrert, h.c.hendelse_id, h.c.type, cast(h.c.data, Text)
            ).where(
                h.c.kommunenummer == kommunenummer,
                h.c.vedtak_id.in_(vedtak[i : i + 500]),
                h.c.registrert <= per,
                h.c.type.in_(_UTEN_RAPPORTER),
            )
            with self.lager.les() as s:
                ut.extend(
                    VedtakHendelse(Kilde(r[0], r[1], r[2], r[3]), les_json(r[4]))
                    for r in s.execute(sporring)
                )
        ut.sort(key=lambda v: v.kilde.posisjon)
        return ut

    def logg(
        self,
        kommunenummer: str,
        per: datetime,
        etter: int = 0,
        grense: int = 100,
        vedtak_id: str | None = None,
    ) -> list[Row[Any]]:
        """A page of a municipality's events known at `per`, after log position `etter`."""
        vilkar = [h.c.kommunenummer == kommunenummer, h.c.registrert <= per, h.c.posisjon > etter]
        if vedtak_id is not None:
            vilkar.append(h.c.vedtak_id == vedtak_id)
        sporring = select(h).where(and_(*vilkar)).order_by(h.c.posisjon).limit(grense)
        with self.lager.les() as s:
            return list(s.execute(sporring))

    def innsyn(
        self, kommuner: list[str], fra: datetime, til: datetime, grense: int, hopp_over: int = 0
    ) -> list[Row[Any]]:
        """Who read person-level data of these municipalities between `fra` and `til`."""
        sporring = (
            select(innsynslogg)
            .where(*_innsynsvilkar(kommuner, fra, til))
            .order_by(innsynslogg.c.id)
            .offset(hopp_over)
            .limit(grense)
        )
        with self.lager.les() as s:
            return list(s.execute(sporring))

    def antall_innsyn(self, kommuner: list[str], fra: datetime, til: datetime) -> int:
        sporring = select(func.count()).where(*_innsynsvilkar(kommuner, fra, til))
        with self.lager.les() as s:
            return int(s.execute(sporring).scalar() or 0)

    def antall_hendelser(self, per: datetime) -> int:
        with self.lager.les() as s:
            return int(s.execute(select(func.count()).where(h.c.registrert <= per)).scalar() or 0)

    def _siste(self, type_: str, per: datetime, *vilkar: Any) -> Row[Any] | None:
        sporring = (
            select(h.c.posisjon, h.c.registrert, h.c.hendelse_id, h.c.type, h.c.data)
            .where(h.c.type == type_, h.c.registrert <= per, *vilkar)
            .order_by(desc(h.c.posisjon))
            .limit(1)
        )
        with self.lager.les() as s:
            return s.execute(sporring).first()

    def _data(self, type_: str, per: datetime, *vilkar: Any) -> list[dict[str, Any]]:
        sporring = (
            select(h.c.data)
            .where(h.c.type == type_, h.c.registrert <= per, *vilkar)
            .order_by(h.c.posisjon)
        )
        with self.lager.les() as s:
            return [r.data for r in s.execute(sporring)]


def _innsynsvilkar(kommuner: list[str], fra: datetime, til: datetime) -> list[Any]:
    return [
        innsynslogg.c.kommunenummer.in_(kommuner),
        innsynslogg.c.tidspunkt >= fra,
        innsynslogg.c.tidspunkt <= til,
    ]


def _grunnlag(rad: Row[Any], kommunenummer: str, aar: int) -> Finansieringsgrunnlag:
    d = rad.data
    return Finansieringsgrunnlag(
        kommunenummer=kommunenummer,
        aar=aar,
        versjon=int(d["versjon"]),
        uttrekk=Decimal(d["uttrekk"]),
        rundsum=Decimal(d["rundsum"]),
        inntektspaslag=Decimal(d["inntektspaslag"]),
        startdato=date.fromisoformat(d["startdato"]) if d.get("startdato") else None,
        kilde=kilde(rad),
    )
