"""Test facts built like the read model hands them over: contract payloads dumped with
mode="json", each with a Kilde at an increasing log position."""

from __future__ import annotations

import csv
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from services.settlement.domain.fakta import (
    Finansieringsgrunnlag,
    Kilde,
    Satstabell,
    VedtakHendelse,
)
from shared.events.vedtak import HendelseAdapter

Dato = date | str


def d(tekst: str) -> date:
    return date.fromisoformat(tekst)


def kilde(posisjon: int, type_: str, hendelse_id: str | None = None) -> Kilde:
    registrert = datetime(2016, 1, 1, tzinfo=UTC) + timedelta(minutes=posisjon)
    return Kilde(posisjon=posisjon, registrert=registrert, hendelse_id=hendelse_id, type=type_)


class Logg:
    """An append-only event log for one municipality: every call adds one event."""

    def __init__(self, kommunenummer: str = "0138", start: int = 1) -> None:
        self.kommunenummer = kommunenummer
        self.neste = start
        self.hendelser: list[VedtakHendelse] = []

    def _legg_til(self, type_: str, vedtak_id: str, **felt: Any) -> VedtakHendelse:
        hendelse_id = str(uuid.UUID(int=self.neste))
        felt = {k: v for k, v in felt.items() if v is not None}
        modell = HendelseAdapter.validate_python(
            {
                "type": type_,
                "hendelse_id": hendelse_id,
                "kommunenummer": self.kommunenummer,
                "vedtak_id": vedtak_id,
                **felt,
            }
        )
        h = VedtakHendelse(
            kilde=kilde(self.neste, type_, hendelse_id), data=modell.model_dump(mode="json")
        )
        self.neste += 1
        self.hendelser.append(h)
        return h

    def fattet(
        self,
        vedtak_id: str,
        tjenestekode: str,
        gyldig_fra: Dato,
        gyldig_til: Dato | None = None,
        timer_per_uke: str | Decimal | None = None,
        bemanningsfaktor: int | None = None,
        utforer_id: str | None = None,
    ) -> VedtakHendelse:
        return self._legg_til(
            "VedtakFattet",
            vedtak_id,
            bruker_ref=f"bruker-{vedtak_id}",
            tjenestekode=tjenestekode,
            gyldig_fra=gyldig_fra,
            gyldig_til=gyldig_til,
            timer_per_uke=timer_per_uke,
            bemanningsfaktor=bemanningsfaktor,
            utforer_id=utforer_id,
            vedtaksdato=gyldig_fra,
        )

    def endret(self, vedtak_id: str, gjelder_fra: Dato, **felt: Any) -> VedtakHendelse:
        return self._legg_til("VedtakEndret", vedtak_id, gjelder_fra=gjelder_fra, **felt)

    def opphort(self, vedtak_id: str, siste_dag: Dato) -> VedtakHendelse:
        return self._legg_til("VedtakOpphort", vedtak_id, siste_dag=siste_dag)

    def annullert(self, vedtak_id: str) -> VedtakHendelse:
        return self._legg_til("VedtakAnnullert", vedtak_id, begrunnelse="registrert ved feil")

    def fravaer(
        self, vedtak_id: str, fravaer_id: str, fra: Dato, til: Dato, arsak: str = "sykehus"
    ) -> VedtakHendelse:
        return self._legg_til(
            "FravaerRegistrert", vedtak_id, fravaer_id=fravaer_id, fra=fra, til=til, arsak=arsak
        )

    def fravaer_annullert(self, vedtak_id: str, fravaer_id: str) -> VedtakHendelse:
        return self._legg_til("FravaerAnnullert", vedtak_id, fravaer_id=fravaer_id)

    def utfort(
        self, vedtak_id: str, periode_fra: Dato, periode_til: Dato, utforte_timer: str | Decimal
    ) -> VedtakHendelse:
        return self._legg_til(
            "UtfortTidRapportert",
            vedtak_id,
            periode_fra=periode_fra,
            periode_til=periode_til,
            utforte_timer=utforte_timer,
        )


_SATSFIL = Path(__file__).resolve().parents[2] / "shared" / "events" / "tjenestekoder.csv"


def publiserte_satser(aar: int) -> dict[str, Decimal]:
    """The national rates of report table V.1 for 2014, 2016 or 2017 (blank = not in use)."""
    with _SATSFIL.open(encoding="utf-8") as f:
        return {
            rad["tjenestekode"]: Decimal(rad[f"sats_{aar}"])
            for rad in csv.DictReader(f)
            if rad[f"sats_{aar}"]
        }


def satstabell(
    aar: int = 2017, satser: dict[str, Decimal] | None = None, versjon: int = 1
) -> Satstabell:
    return Satstabell(
        aar=aar,
        versjon=versjon,
        satser=publiserte_satser(aar) if satser is None else satser,
        kilde=kilde(0, "SatserPublisert"),
    )


def grunnlag(
    aar: int = 2017,
    kommunenummer: str = "0138",
    uttrekk: str = "101800000.00",
    rundsum: str = "3600000.00",
    inntektspaslag: str = "3600000.00",
    startdato: date | None = None,
) -> Finansieringsgrunnlag:
    return Finansieringsgrunnlag(
        kommunenummer=kommunenummer,
        aar=aar,
        versjon=1,
        uttrekk=Decimal(uttrekk),
        rundsum=Decimal(rundsum),
        inntektspaslag=Decimal(inntektspaslag),
        startdato=startdato,
        kilde=kilde(0, "GrunnlagPublisert"),
    )
