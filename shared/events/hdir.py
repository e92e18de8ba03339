"""Hdir's events: price tables, funding basis, issued settlements, payments, year locks."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events.dokumentasjon import TJENESTEKODE, tekstfelt
from shared.events.tekst import Fritekst, Tekst
from shared.events.typer import UTEN_IDENTITET, Dato, Desimal, Kommunenummer

# Hdir's text fields: no control characters (tekst.py), and no identity (regelverk 3).
Kildetekst = Annotated[Tekst, Field(max_length=1000), UTEN_IDENTITET]
Begrunnelse = Annotated[Fritekst, Field(max_length=1000), UTEN_IDENTITET]


KNR = "Kommunenummer, fire siffer"
AAR = "Kalenderår (2000-2100)"
VERSJON = "Versjonsnummer, fra 1; en ny versjon erstatter den forrige fra den er registrert"
SATS = "Sats i kroner per enhet (time eller døgn), hele øre"


class _HdirHendelse(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    skjemaversjon: ClassVar[int] = 1


class SatsLinje(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"examples": [{"tjenestekode": "HTAMDK", "sats": "724.00"}]},
    )
    tjenestekode: Annotated[Tekst, Field(max_length=100), UTEN_IDENTITET, tekstfelt(TJENESTEKODE)]
    sats: Annotated[Desimal, Field(description=SATS)]


class SatserPublisert(_HdirHendelse):
    """A new version of one year's price table; supersedes earlier ones from recording."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "SatserPublisert",
                    "aar": 2017,
                    "versjon": 2,
                    "satser": [{"tjenestekode": "HTAMDK", "sats": "724.00"}],
                    "kilde": "Satser 2017, rundskriv",
                }
            ]
        }
    )
    type: Literal["SatserPublisert"] = "SatserPublisert"
    aar: Annotated[int, Field(description=AAR)]
    versjon: Annotated[int, Field(description=VERSJON)]
    satser: Annotated[list[SatsLinje], Field(description="Hele tabellen: én sats per kode")]
    kilde: Annotated[Kildetekst | None, Field(description="Hvor satsene kommer fra")] = None


class GrunnlagPublisert(_HdirHendelse):
    """A municipality's finansieringsgrunnlag for a year (full-year amounts, NOK)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "GrunnlagPublisert",
                    "kommunenummer": "0138",
                    "aar": 2017,
                    "versjon": 1,
                    "uttrekk": "40000000.00",
                    "rundsum": "2500000.00",
                    "inntektspaslag": "1200000.00",
                    "startdato": None,
                }
            ]
        }
    )
    type: Literal["GrunnlagPublisert"] = "GrunnlagPublisert"
    kommunenummer: Annotated[Kommunenummer, Field(description=KNR)]
    aar: Annotated[int, Field(description=AAR)]
    versjon: Annotated[int, Field(description=VERSJON)]
    uttrekk: Annotated[Desimal, Field(description="Uttrekk for hele året (kroner)")]
    rundsum: Annotated[Desimal, Field(description="Rundsumtilskudd for hele året (kroner)")]
    inntektspaslag: Annotated[Desimal, Field(description="Inntektspåslag for hele året (kroner)")]
    startdato: Annotated[
        Dato | None, Field(description="Første dag i ordningen, om kommunen startet i året")
    ] = None


class OppgjorUtstedt(_HdirHendelse):
    """An issued settlement version; `dokument` is the immutable issued document."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "OppgjorUtstedt",
                    "kommunenummer": "0138",
                    "aar": 2017,
                    "kvartal": 1,
                    "versjon": 1,
                    "hash": "9f2c…",
                    "forrige_hash": None,
                    "dokument": {"type": "kvartalsoppgjor", "sum": "1234567.89"},
                }
            ]
        }
    )
    type: Literal["OppgjorUtstedt"] = "OppgjorUtstedt"
    kommunenummer: Annotated[Kommunenummer, Field(description=KNR)]
    aar: Annotated[int, Field(description=AAR)]
    kvartal: Annotated[int, Field(ge=1, le=4, description="Kvartal, 1-4")]
    versjon: Annotated[int, Field(description="Versjonsnummer for kvartalet, fra 1")]
    hash: Annotated[str, Field(description="SHA-256 (hex) av dokumentet, se verifisering.md")]
    forrige_hash: Annotated[str | None, Field(description="Forrige versjons hash; null for 1")]
    dokument: Annotated[dict[str, Any], Field(description="Det utstedte dokumentet, uforanderlig")]


class UtbetalingRegistrert(_HdirHendelse):
    """A payment to a municipality for a quarter (the balance is issued minus paid)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "UtbetalingRegistrert",
                    "utbetaling_id": "7b0e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
                    "kommunenummer": "0138",
                    "aar": 2017,
                    "kvartal": 1,
                    "belop": "1234567.89",
                    "betalt_dato": "2017-05-15",
                    "referanse": "Bilag 2017-0415",
                }
            ]
        }
    )
    type: Literal["UtbetalingRegistrert"] = "UtbetalingRegistrert"
    utbetaling_id: Annotated[UUID, Field(description="Utbetalingens id (UUID), unik")]
    kommunenummer: Annotated[Kommunenummer, Field(description=KNR)]
    aar: Annotated[int, Field(description=AAR)]
    kvartal: Annotated[int, Field(ge=1, le=4, description="Kvartal, 1-4")]
    belop: Annotated[Desimal, Field(description="Utbetalt beløp (kroner, hele øre)")]
    betalt_dato: Annotated[Dato, Field(description="Dagen beløpet ble betalt (YYYY-MM-DD)")]
    referanse: Annotated[Kildetekst | None, Field(description="Bilag eller referanse")] = None


class AarLast(_HdirHendelse):
    """The year is locked after the audited annual accounts (regelverk 4.7)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "AarLast",
                    "kommunenummer": "0138",
                    "aar": 2016,
                    "begrunnelse": "Årsregnskapet 2016 er attestert",
                }
            ]
        }
    )
    type: Literal["AarLast"] = "AarLast"
    kommunenummer: Annotated[Kommunenummer, Field(description=KNR)]
    aar: Annotated[int, Field(description=AAR)]
    begrunnelse: Annotated[Begrunnelse | None, Field(description="Hvorfor")] = None


class AarGjenapnet(_HdirHendelse):
    """A locked year is opened again."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "AarGjenapnet",
                    "kommunenummer": "0138",
                    "aar": 2016,
                    "begrunnelse": "Revisor fant feil i rapporteringen",
                }
            ]
        }
    )
    type: Literal["AarGjenapnet"] = "AarGjenapnet"
    kommunenummer: Annotated[Kommunenummer, Field(description=KNR)]
    aar: Annotated[int, Field(description=AAR)]
    begrunnelse: Annotated[Begrunnelse | None, Field(description="Hvorfor")] = None
