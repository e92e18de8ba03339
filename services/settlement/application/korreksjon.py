"""What changed between two settlement documents, and the hash chain of issued versions.

regelverk 4.6: a korreksjonsoppgjør records, per component and per line, the difference
to the previous version; the amount due is that difference.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from services.settlement.application.dokument import KOMPONENTER


def _d(verdi: str | None) -> Decimal:
    return Decimal(verdi) if verdi is not None else Decimal(0)


def _fmt(verdi: Decimal, plasser: int) -> str:
    return format(verdi.quantize(Decimal(1).scaleb(-plasser)), "f")


def differanse(ny: dict[str, Any], gammel: dict[str, Any]) -> dict[str, Any]:
    """Per component, per tjenestekode line and per vedtak line: new minus old."""
    ut: dict[str, Any] = {k: _fmt(_d(ny[k]) - _d(gammel[k]), 2) for k in KOMPONENTER}
    gamle_linjer = {linje["tjenestekode"]: linje for linje in gammel["linjer"]}
    nye_linjer = {linje["tjenestekode"]: linje for linje in ny["linjer"]}
    linjer = []
    for kode in sorted(gamle_linjer.keys() | nye_linjer.keys()):
        n, g = nye_linjer.get(kode, {}), gamle_linjer.get(kode, {})
        volum = _d(n.get("volum")) - _d(g.get("volum"))
        belop = _d(n.get("belop")) - _d(g.get("belop"))
        if volum or belop:
            linjer.append({"tjenestekode": kode, "volum": _fmt(volum, 4), "belop": _fmt(belop, 2)})
    ut["linjer"] = linjer
    ut["vedtak"] = _vedtaksdifferanse(ny, gammel)
    return ut


def _vedtakslinjer(dokument: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (linje["tjenestekode"], v["vedtak_id"]): v
        for linje in dokument["linjer"]
        for v in linje.get("vedtak", [])
    }


def _vedtaksdifferanse(ny: dict[str, Any], gammel: dict[str, Any]) -> list[dict[str, Any]]:
    nye, gamle = _vedtakslinjer(ny), _vedtakslinjer(gammel)
    ut = []
    for kode, vedtak_id in sorted(nye.keys() | gamle.keys()):
        n, g = nye.get((kode, vedtak_id), {}), gamle.get((kode, vedtak_id), {})
        volum = _d(n.get("volum")) - _d(g.get("volum"))
        belop = _d(n.get("belop")) - _d(g.get("belop"))
        if volum or belop:
            ut.append(
                {
                    "tjenestekode": kode,
                    "vedtak_id": vedtak_id,
                    "volum": _fmt(volum, 4),
                    "belop": _fmt(belop, 2),
                }
            )
    return ut


def tall(dokument: dict[str, Any]) -> dict[str, Any]:
    """The figures of a document, for "nothing changed" (regelverk 4.6)."""
    return {
        **{k: dokument[k] for k in KOMPONENTER},
        "linjer": [
            {k: v for k, v in linje.items() if k not in ("antall_vedtak",)}
            for linje in dokument["linjer"]
        ],
    }


def dokumenthash(dokument: dict[str, Any]) -> str:
    """SHA-256 of the document's canonical JSON, `hash` itself left out; it includes
    `forrige_hash`, which chains each version to the one before."""
    innhold = {k: v for k, v in dokument.items() if k != "hash"}
    tekst = json.dumps(innhold, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(tekst.encode()).hexdigest()
