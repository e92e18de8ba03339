"""A settlement in the API's shape (api.md "Settlements"): strings for money and volumes.

The same rendering serves GET, the issued documents, the exports and the demo, so the
figures a person sees are always the figures that were issued.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.settlement.domain.avrunding import vis_belop, vis_volum
from services.settlement.domain.beregning import Kvartalsberegning, Linje, VedtakLinje
from services.settlement.domain.fakta import kilde_json, tid
from services.settlement.domain.volum import Segment

KOMPONENTER = (
    "vedtakstilskudd",
    "rundsumtilskudd",
    "inntektspaslag",
    "sum",
    "uttrekk",
    "differanse",
)


def oppgjorsdokument(b: Kvartalsberegning, per: datetime, *, detaljer: bool) -> dict[str, Any]:
    dokument: dict[str, Any] = {
        "kommunenummer": b.kommunenummer,
        "aar": b.aar,
        "kvartal": b.kvartal,
        "per": tid(per),
    }
    for komponent in KOMPONENTER:
        dokument[komponent] = vis_belop(getattr(b, komponent))
    dokument["linjer"] = [_linje(linje, detaljer) for linje in b.linjer]
    dokument["advarsler"] = [
        {"kode": a.kode, "detail": a.detail, "tjenestekode": a.tjenestekode} for a in b.advarsler
    ]
    dokument["satstabell"] = (
        {"aar": b.satstabell.aar, "versjon": b.satstabell.versjon, **kilde_json(b.satstabell.kilde)}
        if b.satstabell
        else None
    )
    dokument["grunnlag"] = (
        {"aar": b.grunnlag.aar, "versjon": b.grunnlag.versjon, **kilde_json(b.grunnlag.kilde)}
        if b.grunnlag
        else None
    )
    return dokument


def _linje(linje: Linje, detaljer: bool) -> dict[str, Any]:
    ut: dict[str, Any] = {
        "tjenestekode": linje.tjenestekode,
        "tjenestegruppe": linje.tjenestegruppe,
        "enhet": linje.enhet,
        "volum": vis_volum(linje.volum),
        "sats": vis_belop(linje.sats) if linje.sats is not None else None,
        "belop": vis_belop(linje.belop),
        "antall_vedtak": linje.antall_vedtak,
        "mangler_sats": linje.mangler_sats,
    }
    if detaljer:
        ut["vedtak"] = [
            {
                "vedtak_id": v.vedtak_id,
                "volum": vis_volum(v.volum),
                "belop": vis_belop(v.belop),
                "mangler_sats": v.mangler_sats,
            }
            for v in linje.vedtak
        ]
    return ut


def forklaring(v: VedtakLinje, b: Kvartalsberegning) -> dict[str, Any]:
    """Why a vedtak line is what it is: its segments, their events and the price used."""
    return {
        "vedtak_id": v.vedtak_id,
        "tjenestekode": v.tjenestekode,
        "tjenestegruppe": v.tjenestegruppe,
        "enhet": v.enhet,
        "volum": vis_volum(v.volum),
        "sats": vis_belop(v.sats) if v.sats is not None else None,
        "belop": vis_belop(v.belop),
        "mangler_sats": v.mangler_sats,
        "regel": (
            "belop = round_half_up(sum over counted days of volum_dag x sats, 2); "
            "volum_dag = timer_per_uke x bemanningsfaktor / 7 for time codes, 1 for dogn "
            "(regelverk 4.1-4.4)"
        ),
        "segmenter": [_segment(s) for s in v.segmenter],
        "satstabell": (
            {
                "aar": b.satstabell.aar,
                "versjon": b.satstabell.versjon,
                **kilde_json(b.satstabell.kilde),
            }
            if b.satstabell
            else None
        ),
        "hendelser": [kilde_json(k) for k in v.kilder],
    }


def _segment(s: Segment) -> dict[str, Any]:
    return {
        "fra": s.fra.isoformat(),
        "til": s.til.isoformat(),
        "dager": s.dager,
        "fravaersdager": s.fravaersdager,
        "tjenestekode": s.tjenestekode,
        "timer_per_uke": format(s.timer_per_uke, "f") if s.timer_per_uke is not None else None,
        "bemanningsfaktor": s.bemanningsfaktor,
        "volum": vis_volum(s.volum),
        "kilder": [kilde_json(k) for k in s.kilder],
    }
