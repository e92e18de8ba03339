"""Case-system events (api.md "Case systems: events in"), contract version 1.

Shape only: types, required fields, no unknown fields. Rules that need the vedtak's
history (regelverk 3) are checked by services/vedtak.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from shared.events.dokumentasjon import (
    BEMANNINGSFAKTOR,
    DATO,
    TIMEKODER,
    TJENESTEKODE,
    eksempel,
    tekstfelt,
)
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

    hendelse_id: Annotated[
        UUID,
        Field(
            description="Hendelsens id (UUID), valgt av fagsystemet; samme id med samme "
            "innhold er en duplikat, med annet innhold 409"
        ),
    ]
    kommunenummer: Annotated[Kommunenummer, Field(description="Kommunenummer, fire siffer")]
    vedtak_id: Annotated[
        VedtakId,
        tekstfelt("Vedtakets id i fagsystemet (1-100 tegn, ikke fødselsnummer)"),
    ]


class VedtakFattet(_Hendelse):
    """Et nytt vedtak om en tjeneste (regelverk 3)."""

    model_config = eksempel(
        type="VedtakFattet",
        bruker_ref="B-1042",
        tjenestekode="HTAMDK",
        gyldig_fra="2017-01-01",
        gyldig_til=None,
        timer_per_uke="7.5",
        bemanningsfaktor=1,
        utforer_id="sone-nord",
        vedtaksdato="2016-12-20",
    )
    type: Literal["VedtakFattet"]
    bruker_ref: Annotated[
        Referanse, tekstfelt("Fagsystemets pseudonyme brukerreferanse (ikke fødselsnummer)")
    ]
    tjenestekode: Annotated[Kode, tekstfelt(TJENESTEKODE)]
    gyldig_fra: Annotated[Dato, Field(description=f"Første dag vedtaket gjelder ({DATO})")]
    gyldig_til: Annotated[
        Dato | None, Field(description=f"Siste dag vedtaket gjelder ({DATO}); null: åpen slutt")
    ] = None
    timer_per_uke: Annotated[Desimal | None, Field(description=TIMEKODER)] = None
    bemanningsfaktor: Annotated[int | None, Field(description=BEMANNINGSFAKTOR)] = None
    utforer_id: Annotated[
        Id | None, tekstfelt("Hvem som utfører tjenesten (enhet eller team), valgfritt")
    ] = None
    vedtaksdato: Annotated[Dato, Field(description=f"Dagen vedtaket ble fattet ({DATO})")]


class VedtakEndret(_Hendelse):
    """En endring av et vedtak fra en dag; felt som mangler, er uendret (regelverk 3)."""

    model_config = eksempel(
        type="VedtakEndret", gjelder_fra="2017-03-01", timer_per_uke="10", bemanningsfaktor=2
    )
    type: Literal["VedtakEndret"]
    gjelder_fra: Annotated[Dato, Field(description=f"Første dag endringen gjelder ({DATO})")]
    tjenestekode: Annotated[Kode | None, tekstfelt(TJENESTEKODE)] = None
    timer_per_uke: Annotated[Desimal | None, Field(description=TIMEKODER)] = None
    bemanningsfaktor: Annotated[int | None, Field(description=BEMANNINGSFAKTOR)] = None
    utforer_id: Annotated[Id | None, tekstfelt("Ny utfører, valgfritt")] = None


class VedtakOpphort(_Hendelse):
    """Vedtaket opphører etter en dag."""

    model_config = eksempel(type="VedtakOpphort", siste_dag="2017-06-30")
    type: Literal["VedtakOpphort"]
    siste_dag: Annotated[Dato, Field(description=f"Siste dag vedtaket gjelder ({DATO})")]


class VedtakAnnullert(_Hendelse):
    """Vedtaket var feil og skal regnes som om det aldri fantes."""

    model_config = eksempel(type="VedtakAnnullert", begrunnelse="Registrert på feil bruker")
    type: Literal["VedtakAnnullert"]
    begrunnelse: Annotated[
        Fritekst,
        Field(
            min_length=1,
            max_length=1000,
        ),
        tekstfelt("Hvorfor vedtaket annulleres (1-1000 tegn, ingen personidentitet)", fri=True),
        UTEN_IDENTITET,
    ]


class FravaerRegistrert(_Hendelse):
    """Brukeren er borte fra tjenesten i en periode (regelverk 4.2: fraværsdager)."""

    model_config = eksempel(
        type="FravaerRegistrert",
        fravaer_id="F-17",
        fra="2017-02-06",
        til="2017-02-10",
        arsak="sykehus",
    )
    type: Literal["FravaerRegistrert"]
    fravaer_id: Annotated[Referanse, tekstfelt("Fraværets id i fagsystemet")]
    fra: Annotated[Dato, Field(description=f"Første fraværsdag ({DATO})")]
    til: Annotated[Dato, Field(description=f"Siste fraværsdag, tatt med ({DATO})")]
    arsak: Annotated[
        Literal["sykehus", "institusjon", "ferie", "annet"],
        Field(description="Årsak: sykehus, institusjon, ferie eller annet"),
    ]


class FravaerAnnullert(_Hendelse):
    """Et registrert fravær var feil og skal regnes som om det aldri fantes."""

    model_config = eksempel(type="FravaerAnnullert", fravaer_id="F-17")
    type: Literal["FravaerAnnullert"]
    fravaer_id: Annotated[Referanse, tekstfelt("Id-en fraværet ble registrert med")]


class UtfortTidRapportert(_Hendelse):
    """Timer faktisk utført for vedtaket i en periode (til revisjon: vedtatt mot utført)."""

    model_config = eksempel(
        type="UtfortTidRapportert",
        periode_fra="2017-01-01",
        periode_til="2017-03-31",
        utforte_timer="88.5",
    )
    type: Literal["UtfortTidRapportert"]
    periode_fra: Annotated[Dato, Field(description=f"Periodens første dag ({DATO})")]
    periode_til: Annotated[Dato, Field(description=f"Periodens siste dag, tatt med ({DATO})")]
    utforte_timer: Annotated[
        Desimal, Field(description="Utførte timer i perioden (timer, desimaltall, >= 0)")
    ]


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
