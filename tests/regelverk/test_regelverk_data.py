"""A realistic municipality's log, shared with bench/regelverk.py (timings live there)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from services.settlement.domain.beregning import beregn_kvartal
from services.settlement.domain.fakta import VedtakHendelse
from services.settlement.domain.revisjon import vedtatt_utfort

from .fabrikk import grunnlag, kilde, satstabell


def kommune(antall_vedtak: int, seed: int = 1) -> list[VedtakHendelse]:
    """A municipality's log: fattet, often endret, some fravær, opphørt and reports."""
    rnd = random.Random(seed)
    hendelser: list[VedtakHendelse] = []

    def legg_til(type_: str, **data: Any) -> None:
        posisjon = len(hendelser) + 1
        data["type"] = type_
        hendelser.append(VedtakHendelse(kilde(posisjon, type_, None), data))

    for i in range(antall_vedtak):
        vedtak_id = f"V{i:06d}"
        kode = rnd.choice(["HTAMDK", "PBAMDK", "BPADK", "LOKO"])
        fra = date(2016, 1, 1) + timedelta(days=rnd.randrange(600))
        time_ = kode != "LOKO"
        legg_til(
            "VedtakFattet",
            vedtak_id=vedtak_id,
            tjenestekode=kode,
            gyldig_fra=fra.isoformat(),
            gyldig_til=None,
            timer_per_uke="7.5" if time_ else None,
            bemanningsfaktor=None,
        )
        if rnd.random() < 0.5:
            legg_til(
                "VedtakEndret",
                vedtak_id=vedtak_id,
                gjelder_fra=(fra + timedelta(days=rnd.randrange(200))).isoformat(),
                tjenestekode=None,
                timer_per_uke="10.25" if time_ else None,
                bemanningsfaktor=2 if time_ and rnd.random() < 0.2 else None,
            )
        if rnd.random() < 0.3:
            f = fra + timedelta(days=rnd.randrange(300))
            legg_til(
                "FravaerRegistrert",
                vedtak_id=vedtak_id,
                fravaer_id="F1",
                fra=f.isoformat(),
                til=(f + timedelta(days=10)).isoformat(),
            )
        if rnd.random() < 0.2:
            legg_til(
                "VedtakOpphort",
                vedtak_id=vedtak_id,
                siste_dag=(fra + timedelta(days=rnd.randrange(100, 500))).isoformat(),
            )
        if rnd.random() < 0.5:
            legg_til(
                "UtfortTidRapportert",
                vedtak_id=vedtak_id,
                periode_fra="2017-01-01",
                periode_til="2017-03-31",
                utforte_timer="80",
            )
    return hendelser


def test_5000_vedtak_give_lines_and_audit_rows() -> None:
    """The generator behind bench/regelverk.py makes a realistic municipality."""
    hendelser = kommune(5000)
    b = beregn_kvartal("0138", 2017, 1, hendelser, satstabell(2017), grunnlag(2017))
    assert sum(lj.antall_vedtak for lj in b.linjer) > 3000
    assert len(vedtatt_utfort("0138", 2017, 1, hendelser).vedtak) > 2000
