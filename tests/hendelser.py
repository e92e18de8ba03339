"""Builders for case-system hendelser as a fagsystem would send them (api.md)."""

from __future__ import annotations

import uuid
from typing import Any


def hid() -> str:
    return str(uuid.uuid4())


def fattet(vedtak_id: str, knr: str = "0138", **felter: Any) -> dict[str, Any]:
    h: dict[str, Any] = {
        "hendelse_id": hid(),
        "type": "VedtakFattet",
        "kommunenummer": knr,
        "vedtak_id": vedtak_id,
        "bruker_ref": f"B-{vedtak_id}",
        "tjenestekode": "HTAMDK",
        "gyldig_fra": "2017-01-01",
        "timer_per_uke": "7.5",
        "vedtaksdato": "2016-12-15",
    }
    h.update(felter)
    return {k: v for k, v in h.items() if v is not None}


def endret(vedtak_id: str, gjelder_fra: str, knr: str = "0138", **felter: Any) -> dict[str, Any]:
    return {
        "hendelse_id": hid(),
        "type": "VedtakEndret",
        "kommunenummer": knr,
        "vedtak_id": vedtak_id,
        "gjelder_fra": gjelder_fra,
        **felter,
    }


def opphort(vedtak_id: str, siste_dag: str, knr: str = "0138") -> dict[str, Any]:
    return {
        "hendelse_id": hid(),
        "type": "VedtakOpphort",
        "kommunenummer": knr,
        "vedtak_id": vedtak_id,
        "siste_dag": siste_dag,
    }


def annullert(vedtak_id: str, knr: str = "0138") -> dict[str, Any]:
    return {
        "hendelse_id": hid(),
        "type": "VedtakAnnullert",
        "kommunenummer": knr,
        "vedtak_id": vedtak_id,
        "begrunnelse": "registrert ved en feil",
    }


def fravaer(
    vedtak_id: str, fravaer_id: str, fra: str, til: str, knr: str = "0138"
) -> dict[str, Any]:
    return {
        "hendelse_id": hid(),
        "type": "FravaerRegistrert",
        "kommunenummer": knr,
        "vedtak_id": vedtak_id,
        "fravaer_id": fravaer_id,
        "fra": fra,
        "til": til,
        "arsak": "sykehus",
    }


def fravaer_annullert(vedtak_id: str, fravaer_id: str, knr: str = "0138") -> dict[str, Any]:
    return {
        "hendelse_id": hid(),
        "type": "FravaerAnnullert",
        "kommunenummer": knr,
        "vedtak_id": vedtak_id,
        "fravaer_id": fravaer_id,
    }


def rapport(vedtak_id: str, fra: str, til: str, timer: Any, knr: str = "0138") -> dict[str, Any]:
    return {
        "hendelse_id": hid(),
        "type": "UtfortTidRapportert",
        "kommunenummer": knr,
        "vedtak_id": vedtak_id,
        "periode_fra": fra,
        "periode_til": til,
        "utforte_timer": timer,
    }
