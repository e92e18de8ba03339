"""A municipality's quarterly settlement: compute, issue, versions, explain (api.md "Settlements")."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from services.settlement.entrypoints.api import eksport
from services.settlement.entrypoints.api.felles import (
    PROBLEM_SVAR,
    Aar,
    Knr,
    Kvartal,
    Per,
    Tj,
    json_svar,
    tolk_per,
)
from services.settlement.entrypoints.api.grenser import TIDSPUNKT_BESKRIVELSE, VedtakIdSti
from shared import svarmodeller
from shared.tilgang.avhengigheter import Tilgang, krev_scope
from shared.tilgang.scopes import OPPGJOR_READ, OPPGJOR_WRITE, REVISJON_READ

router = APIRouter(tags=["oppgjor"])
Leser = Annotated[Tilgang, Depends(krev_scope(OPPGJOR_READ, REVISJON_READ))]
BASE = "/v1/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}"


@router.get(
    BASE,
    summary="Kvartalets oppgjør slik det var kjent per tidspunktet",
    responses={
        **PROBLEM_SVAR,
        **eksport.openapi_svar(svarmodeller.Oppgjor, "`linjer`, `oppgjor`, `vedtak`, `om`"),
    },
    description=(
        "Kommunens kvartalsoppgjør beregnet slik alt var kjent per `per` (standard nå): "
        "komponentene, linjene per tjenestekode (med vedtakslinjer ved `?detaljer=vedtak`, en"
        " personnær lesing som logges), advarsler, satstabell og grunnlag som ble brukt, "
        "siste utstedte versjon og endringen siden den. Kan også lastes ned som regneark "
        "(`?format=`)."
    ),
    response_model=None,
)
def hent_oppgjor(
    request: Request,
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    per: Per,
    t: Tj,
    tilgang: Leser,
    detaljer: Annotated[
        Literal["vedtak"] | None, Query(description="`vedtak`: list vedtakslinjene")
    ] = None,
    format_: eksport.FormatParam = None,
    tabell: eksport.TabellParam = None,
) -> dict[str, Any] | Response:
    tilgang.krev_kommune(kommunenummer)
    valgt = eksport.velg_format(format_, request.headers.get("accept"))
    dokument = t.lesing.dokument(
        tilgang, kommunenummer, aar, kvartal, per, detaljer=detaljer == "vedtak"
    )
    if valgt == "json":
        return json_svar(dokument)
    ark = eksport.oppgjor_ark(dokument)
    # CSV defaults to the lines: the table a settlement is read by.
    return eksport.svar(ark, valgt, f"oppgjor_{kommunenummer}_{aar}_K{kvartal}", tabell or "linjer")


@router.post(
    BASE + "/utsted",
    status_code=201,
    summary="Utsted kvartalet slik det er kjent nå (kvartalsoppgjør, deretter korreksjonsoppgjør)",
    description=(
        "Svarer med det utstedte dokumentet: oppgjøret per `per` og `versjon`, `type`, "
        "`korreksjon`, `forrige_hash`, `utstedt`, `logg_hode` (hendelsesloggens hashkjede "
        "ved `per`: `posisjon` og `hash`), `hash_algoritme` (`sha256-jcs`: SHA-256 av "
        "dokumentets RFC 8785-form uten `hash` og `signatur`), `hash` og `signatur` "
        "(kompakt JWS, ES256; nøklene på `/.well-known/oppgjor-jwks.json`). `per` er aldri "
        "tidligere enn forrige versjons. 409 når ingenting er endret, når sats eller "
        "grunnlag mangler, eller når forrige versjon ikke verifiserer."
    ),
    responses={
        **PROBLEM_SVAR,
        **svarmodeller.dok(svarmodeller.UtstedtVersjon, "Den utstedte versjonen", 201),
    },
    response_model=None,
)
def utsted(
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    t: Tj,
    tilgang: Annotated[Tilgang, Depends(krev_scope(OPPGJOR_WRITE))],
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    return t.lesing.utsted(tilgang, kommunenummer, aar, kvartal)


@router.get(
    BASE + "/versjoner",
    summary="Utstedte versjoner av kvartalet",
    responses={
        **PROBLEM_SVAR,
        **svarmodeller.dok(svarmodeller.Versjoner, "Alle utstedte versjoner"),
    },
    description=(
        "Alle versjoner som var utstedt for kvartalet per `per`, eldste først, hver med hele "
        "dokumentet, hash-kjede og signatur."
    ),
    response_model=None,
)
def versjoner(
    kommunenummer: Knr, aar: Aar, kvartal: Kvartal, per: Per, t: Tj, tilgang: Leser
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    return {
        "kommunenummer": kommunenummer,
        "aar": aar,
        "kvartal": kvartal,
        "versjoner": t.lesing.versjoner(tilgang, kommunenummer, aar, kvartal, per),
    }


@router.get(
    BASE + "/vedtak/{vedtak_id}",
    summary="Forklar et vedtaks linjer: segmenter, hendelser og satsversjon",
    responses={**PROBLEM_SVAR, **svarmodeller.dok(svarmodeller.Forklaring, "Forklaringen")},
    description=(
        "Hvorfor en vedtakslinje er som den er: segmentene (dager, fraværsdager, timer per "
        "uke, bemanningsfaktor, volum), hendelsene bak hvert segment (hendelse_id, "
        "loggposisjon, registreringstid) og satsversjonen som ble brukt. 404 når vedtaket "
        "ikke har noen linje i kvartalet. Personnær lesing: logges i innsynsloggen."
    ),
    response_model=None,
)
def forklar(
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    vedtak_id: VedtakIdSti,
    per: Per,
    t: Tj,
    tilgang: Leser,
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    return t.lesing.forklar(tilgang, kommunenummer, aar, kvartal, vedtak_id, per)


@router.get(
    BASE + "/endring",
    summary="Forskjellen i kvartalets oppgjør mellom to tidspunkter",
    responses={
        **PROBLEM_SVAR,
        **svarmodeller.dok(svarmodeller.Endring, "Oppgjøret ved to tidspunkter og forskjellen"),
    },
    description=(
        "Kvartalets oppgjør slik det var kjent ved `fra` og ved `til` (standard nå), og "
        "differansen per komponent, tjenestekode og vedtakslinje."
    ),
    response_model=None,
)
def endring(
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    t: Tj,
    tilgang: Leser,
    fra: Annotated[str, Query(description="Første tidspunkt: " + TIDSPUNKT_BESKRIVELSE)],
    til: Annotated[
        str | None, Query(description="Andre tidspunkt; standard nå. " + TIDSPUNKT_BESKRIVELSE)
    ] = None,
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    return t.lesing.endring(
        tilgang, kommunenummer, aar, kvartal, tolk_per(fra, "fra"), tolk_per(til, "til")
    )
