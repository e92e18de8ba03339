"""The steps of issuing a version that are not the settlement itself (regelverk 4.6):
whether it may be issued, whether the version before it still holds, and sealing it
with its log head, hash and signature (docs/verifisering.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.settlement.adapters.utstedelsesnokler import Utstedelsesnokler
from services.settlement.application.korreksjon import HASH_JCS, dokumenthash
from services.settlement.application.signering import signaturfeil, signer
from services.settlement.domain.beregning import Kvartalsberegning
from shared.feil import Konflikt

# Tries before a busy quarter answers 409: each one recomputes at a fresh `per`.
MAKS_FORSOK = 8


def sjekk_utstedbar(beregning: Kvartalsberegning) -> None:
    """regelverk 4.6: no issue while a line lacks its sats or the year lacks a grunnlag."""
    mangler = sorted({linje.tjenestekode for linje in beregning.linjer if linje.mangler_sats})
    if mangler:
        raise Konflikt(f"Kan ikke utstede: mangler sats for {', '.join(mangler)} i {beregning.aar}")
    if beregning.grunnlag is None:
        raise Konflikt(
            f"Kan ikke utstede: finansieringsgrunnlag for {beregning.kommunenummer} "
            f"{beregning.aar} mangler",
        )


def tolk_tid(tekst: str) -> datetime:
    return datetime.fromisoformat(tekst)


def er_usignert(hendelse: dict[str, Any]) -> bool:
    """A version issued before signing (the earlier hash rule, no signature)."""
    dokument = hendelse["dokument"]
    return dokument.get("hash_algoritme") is None and "signatur" not in dokument


def forrige_feil(hendelse: dict[str, Any], nokler: Utstedelsesnokler) -> str | None:
    """Why an issued version (its OppgjorUtstedt payload) does not hold, or None."""
    dokument = hendelse["dokument"]
    try:
        beregnet = dokumenthash(dokument)
    except ValueError as e:
        return str(e)
    if beregnet != dokument.get("hash") or hendelse.get("hash") != dokument.get("hash"):
        return "hashen stemmer ikke med innholdet"
    if er_usignert(hendelse):
        return None  # issued before signing: the caller recomputes it instead
    return signaturfeil(dokument, nokler.nokkelsett())


def sjekk_forrige(hendelse: dict[str, Any], nokler: Utstedelsesnokler) -> None:
    """Refuse to build a korreksjon on a previous version that does not verify."""
    feil = forrige_feil(hendelse, nokler)
    if feil is not None:
        raise Konflikt(
            f"Versjon {hendelse['versjon']} verifiserer ikke ({feil}); "
            "ingen korreksjon utstedes før den er undersøkt (oppgjor verifiser)",
        )


def ferdigstill(
    dokument: dict[str, Any], logg_hode: tuple[int, str], nokler: Utstedelsesnokler
) -> None:
    """Seal a version: the log head at its `per`, its JCS hash, then its signature."""
    posisjon, hode = logg_hode
    dokument["logg_hode"] = {"posisjon": posisjon, "hash": hode}
    dokument["hash_algoritme"] = HASH_JCS
    dokument["hash"] = dokumenthash(dokument)
    dokument["signatur"] = signer(dokument, nokler)
