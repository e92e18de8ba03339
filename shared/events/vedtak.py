"""Case-system events (api.md "Case systems: events in"), contract version 1.

Shape only: types, required fields, no unknown fields. Rules that need the vedtak's
history (regelverk 3) are checked by services/vedtak.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from shared.events.tekst import Fritekst, Tekst
from shared.events.typer import UTEN_IDENTITET, Dato, Desimal, Kommunenummer

# Every text field: no control characters (tekst.py), and no identity (regelverk 3).
VedtakId = Annotated[Tekst, Field(min_length=1, max_length=100), UTEN_IDENTITET]
Referanse = Annotated[Tekst, Field(min_length=1, max_length=100), UTEN_IDENTITET]
Kode = Annotated[Tekst, Field(max_length=100), UTEN_IDENTITET]
Id = Annotated[Tekst, Field(max_length=100), UTEN_IDENTITET]


class _Hendelse(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    skjemaversjon: ClassVar[int] = 1

    hendelse_id: UUID
    kommunenummer: Kommunenummer
    vedtak_id: VedtakId


class VedtakFattet(_Hendelse):
    type: Literal["VedtakFattet"]
    bruker_ref: Referanse
    tjenestekode: Kode
    gyldig_fra: Dato
    gyldig_til: Dato | None = None
    timer_per_uke: Desimal | None = None
    bemanningsfaktor: int | None = None
    utforer_id: Id | None = None
    vedtaksdato: Dato


class VedtakEndret(_Hendelse):
    type: Literal["VedtakEndret"]
    gjelder_fra: Dato
    tjenestekode: Kode | None = None
    timer_per_uke: Desimal | None = None
    bemanningsfaktor: int | None = None
    utforer_id: Id | None = None


class VedtakOpphort(_Hendelse):
    type: Literal["VedtakOpphort"]
    siste_dag: Dato


class VedtakAnnullert(_Hendelse):
    type: Literal["VedtakAnnullert"]
    begrunnelse: Annotated[Fritekst, Field(min_length=1, max_length=1000), UTEN_IDENTITET]


class FravaerRegistrert(_Hendelse):
    type: Literal["FravaerRegistrert"]
    fravaer_id: Referanse
    fra: Dato
    til: Dato
    arsak: Literal["sykehus", "institusjon", "ferie", "annet"]


class FravaerAnnullert(_Hendelse):
    type: Literal["FravaerAnnullert"]
    fravaer_id: Referanse


class UtfortTidRapportert(_Hendelse):
    type: Literal["UtfortTidRapportert"]
    periode_fra: Dato
    periode_til: Dato
    utforte_timer: Desimal


Hendelse = Annotated[
    VedtakFattet
    | VedtakEndret
    | VedtakOpphort
    | VedtakAnnullert
    | FravaerRegistrert
    | FravaerAnnullert
    | UtfortTidRapportert,
    Field(discriminator="type"),
]

HendelseAdapter: TypeAdapter[Hendelse] = TypeAdapter(Hendelse)

HENDELSE_TYPER: tuple[str, ...] = (
    "VedtakFattet",
    "VedtakEndret",
    "VedtakOpphort",
    "VedtakAnnullert",
    "FravaerRegistrert",
    "FravaerAnnullert",
    "UtfortTidRapportert",
)
