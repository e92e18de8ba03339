"""Hdir's events: price tables, funding basis, issued settlements, payments, year locks."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events.tekst import Fritekst, Tekst
from shared.events.typer import UTEN_IDENTITET, Dato, Desimal, Kommunenummer

# Hdir's text fields: no control characters (tekst.py), and no identity (regelverk 3).
Kildetekst = Annotated[Tekst, Field(max_length=1000), UTEN_IDENTITET]
Begrunnelse = Annotated[Fritekst, Field(max_length=1000), UTEN_IDENTITET]


class _HdirHendelse(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    skjemaversjon: ClassVar[int] = 1


class SatsLinje(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    tjenestekode: Annotated[Tekst, Field(max_length=100), UTEN_IDENTITET]
    sats: Desimal


class SatserPublisert(_HdirHendelse):
    """A new version of one year's price table; supersedes earlier ones from recording."""

    type: Literal["SatserPublisert"] = "SatserPublisert"
    aar: int
    versjon: int
    satser: list[SatsLinje]
    kilde: Kildetekst | None = None


class GrunnlagPublisert(_HdirHendelse):
    """A municipality's finansieringsgrunnlag for a year (full-year amounts, NOK)."""

    type: Literal["GrunnlagPublisert"] = "GrunnlagPublisert"
    kommunenummer: Kommunenummer
    aar: int
    versjon: int
    uttrekk: Desimal
    rundsum: Desimal
    inntektspaslag: Desimal
    startdato: Dato | None = None


class OppgjorUtstedt(_HdirHendelse):
    """An issued settlement version; `dokument` is the immutable issued document."""

    type: Literal["OppgjorUtstedt"] = "OppgjorUtstedt"
    kommunenummer: Kommunenummer
    aar: int
    kvartal: Annotated[int, Field(ge=1, le=4)]
    versjon: int
    hash: str
    forrige_hash: str | None
    dokument: dict[str, Any]


class UtbetalingRegistrert(_HdirHendelse):
    type: Literal["UtbetalingRegistrert"] = "UtbetalingRegistrert"
    utbetaling_id: UUID
    kommunenummer: Kommunenummer
    aar: int
    kvartal: Annotated[int, Field(ge=1, le=4)]
    belop: Desimal
    betalt_dato: Dato
    referanse: Kildetekst | None = None


class AarLast(_HdirHendelse):
    type: Literal["AarLast"] = "AarLast"
    kommunenummer: Kommunenummer
    aar: int
    begrunnelse: Begrunnelse | None = None


class AarGjenapnet(_HdirHendelse):
    type: Literal["AarGjenapnet"] = "AarGjenapnet"
    kommunenummer: Kommunenummer
    aar: int
    begrunnelse: Begrunnelse | None = None
