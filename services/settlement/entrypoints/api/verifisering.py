"""Verifiable issued documents: the auditor's check and the published issuing keys
(docs/verifisering.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from services.settlement.entrypoints.api.felles import PROBLEM_SVAR, Knr, Tj
from shared import svarmodeller
from shared.tilgang.avhengigheter import Tilgang, krev_scope
from shared.tilgang.scopes import OPPGJOR_READ, REVISJON_READ

router = APIRouter()
Revisor = Annotated[Tilgang, Depends(krev_scope(REVISJON_READ, OPPGJOR_READ))]
JWKS_STI = "/.well-known/oppgjor-jwks.json"


@router.get(
    "/v1/revisjon/kommuner/{kommunenummer}/verifisering",
    tags=["revisjon"],
    summary="Verifiser kommunens utstedte versjoner mot loggen",
    description=(
        "For hver utstedte versjon: dokumenthashen, signaturen (JWS, nøklene på "
        f"`{JWKS_STI}`), hashkjeden mellom versjonene, loggens hashkjede fram til hodet "
        "versjonen oppgir (regnet fra loggen selv), at oppgjøret beregnet på nytt per "
        "versjonens `per` har de samme tallene, og at lesemodellens kopi er lik loggens. "
        "Svarer alltid 200 med `gyldig` og en liste over `feil`."
    ),
    responses={
        **PROBLEM_SVAR,
        **svarmodeller.dok(svarmodeller.Verifisering, "Verifiseringsrapporten"),
    },
    response_model=None,
)
def verifiser(
    kommunenummer: Knr,
    t: Tj,
    tilgang: Revisor,
    aar: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    kvartal: Annotated[int | None, Query(ge=1, le=4)] = None,
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    return t.lesing.verifiser(tilgang, kommunenummer, aar, kvartal)


@router.get(
    JWKS_STI,
    tags=["revisjon"],
    summary="Utstedelsesnøklenes offentlige deler (JWKS), også tidligere nøkler",
    description=(
        "De offentlige delene av nøklene utstedte versjoner signeres med (JWKS, ES256, med "
        "`kid`), også nøkler som ikke lenger brukes, så eldre versjoner kan verifiseres."
    ),
    response_model=None,
    responses=svarmodeller.dok(svarmodeller.Jwks, "Nøklene"),
)
def utstedelsesnokler(t: Tj) -> dict[str, Any]:
    return t.lesing.utstedelsesnokler()
