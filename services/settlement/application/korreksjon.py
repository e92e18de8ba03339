"""Issued documents and their figures: the korreksjon as the API shows it, the figures of
an issued document, and the document hash (regelverk 4.6; docs/verifisering.md).

The difference and "nothing changed" are computed by the domain on exact figures
(services/settlement/domain/korreksjon.py); here they are only rendered and parsed.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import rfc8785

from services.settlement.domain.korreksjon import (
    KOMPONENTER,
    Korreksjon,
    Kvartalstall,
    Linjetall,
    Vedtakstall,
)
from services.settlement.domain.korreksjon import differanse as tallforskjell

# The rule a document's `hash` was made by. Documents issued before JCS carry no
# `hash_algoritme`; they keep verifying by the rule they were hashed with.
HASH_JCS = "sha256-jcs"
HASH_ELDRE = "sha256-sortert-json"
IKKE_HASHET = ("hash", "signatur")  # the hash covers everything else in the document


def _fmt(verdi: Decimal, plasser: int) -> str:
    return format(verdi.quantize(Decimal(1).scaleb(-plasser)), "f")


def vis_korreksjon(k: Korreksjon) -> dict[str, Any]:
    """A korreksjon in the API's shape: strings, two decimals for money, four for volume."""
    ut: dict[str, Any] = {navn: _fmt(verdi, 2) for navn, verdi in k.komponenter}
    ut["linjer"] = [
        {"tjenestekode": d.tjenestekode, "volum": _fmt(d.volum, 4), "belop": _fmt(d.belop, 2)}
        for d in k.linjer
    ]
    ut["vedtak"] = [
        {
            "tjenestekode": d.tjenestekode,
            "vedtak_id": d.vedtak_id,
            "volum": _fmt(d.volum, 4),
            "belop": _fmt(d.belop, 2),
        }
        for d in k.vedtak
    ]
    return ut


def differanse(ny: dict[str, Any], gammel: dict[str, Any]) -> dict[str, Any]:
    """Two issued documents compared (the web page's version comparison)."""
    return vis_korreksjon(tallforskjell(tall_fra_dokument(ny), tall_fra_dokument(gammel)))


def tall_fra_dokument(dokument: dict[str, Any]) -> Kvartalstall:
    """The exact figures an issued document states (its strings are exact decimals)."""

    def d(verdi: str | None) -> Decimal | None:
        return None if verdi is None else Decimal(verdi)

    return Kvartalstall(
        komponenter=tuple((k, Decimal(dokument[k])) for k in KOMPONENTER),
        linjer=tuple(
            Linjetall(
                tjenestekode=linje["tjenestekode"],
                tjenestegruppe=linje["tjenestegruppe"],
                enhet=linje["enhet"],
                volum=Decimal(linje["volum"]),
                sats=d(linje["sats"]),
                belop=Decimal(linje["belop"]),
                mangler_sats=linje["mangler_sats"],
                vedtak=tuple(
                    Vedtakstall(
                        tjenestekode=linje["tjenestekode"],
                        vedtak_id=v["vedtak_id"],
                        volum=Decimal(v["volum"]),
                        belop=Decimal(v["belop"]),
                        mangler_sats=v["mangler_sats"],
                    )
                    for v in linje.get("vedtak", [])
                ),
            )
            for linje in dokument["linjer"]
        ),
    )


def dokumenthash(dokument: dict[str, Any]) -> str:
    """SHA-256 of the document by the rule named in its `hash_algoritme`.

    `sha256-jcs` (every document issued now): the RFC 8785 (JCS) canonical form of the
    document without `hash` and `signatur`. It includes `forrige_hash`, which chains each
    version to the one before, and `logg_hode`, which commits to the log it was computed
    from. Documents without `hash_algoritme` were hashed by the earlier rule: Python's
    `json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)` in UTF-8,
    without `hash`.
    """
    algoritme = dokument.get("hash_algoritme")
    if algoritme == HASH_JCS:
        innhold = {k: v for k, v in dokument.items() if k not in IKKE_HASHET}
        return hashlib.sha256(rfc8785.dumps(innhold)).hexdigest()
    if algoritme is None:
        eldre = {k: v for k, v in dokument.items() if k != "hash"}
        tekst = json.dumps(eldre, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(tekst.encode()).hexdigest()
    raise ValueError(f"ukjent hash_algoritme {algoritme!r}")
