"""Cross-check: the real regelverk engine gives the demo calculator's figures exactly."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.settlement.demo import Datasett, PubliserGrunnlag, PubliserSatser, SendHendelser
from services.settlement.demo.kalender import PERIODER
from services.settlement.demo.kalibrering import Resultat
from shared.events import HendelseAdapter

beregning = pytest.importorskip("services.settlement.domain.beregning")
fakta = pytest.importorskip("services.settlement.domain.fakta")


def test_engine_matches_the_calibration_calculator(datasett: Datasett, resultat: Resultat) -> None:
    naa = datetime(2018, 1, 1, tzinfo=UTC)
    hendelser: dict[str, list[object]] = {}
    posisjon = 0
    for s in datasett.steg:
        if isinstance(s, SendHendelser):
            for h in s.hendelser:
                posisjon += 1
                data = HendelseAdapter.validate_json(json.dumps(h)).model_dump(
                    mode="json", exclude_none=True
                )
                kilde = fakta.Kilde(posisjon, naa, h["hendelse_id"], h["type"])
                hendelser.setdefault(s.kommunenummer, []).append(fakta.VedtakHendelse(kilde, data))
    satser = {
        s.aar: fakta.Satstabell(
            s.aar,
            1,
            {x["tjenestekode"]: Decimal(x["sats"]) for x in s.body["satser"]},
            fakta.Kilde(0, naa, None, "SatserPublisert"),
        )
        for s in datasett.steg
        if isinstance(s, PubliserSatser)
    }
    grunnlag = {
        (s.kommunenummer, s.aar): fakta.Finansieringsgrunnlag(
            s.kommunenummer,
            s.aar,
            1,
            Decimal(s.body["uttrekk"]),
            Decimal(s.body["rundsum"]),
            Decimal(s.body["inntektspaslag"]),
            date.fromisoformat(s.body["startdato"]) if "startdato" in s.body else None,
            fakta.Kilde(0, naa, None, "GrunnlagPublisert"),
        )
        for s in datasett.steg
        if isinstance(s, PubliserGrunnlag)
    }
    forventet = resultat.per_kvartal()
    for knr, hs in hendelser.items():
        for kv in PERIODER:
            svar = beregning.beregn_kvartal(
                knr, kv.aar, kv.nr, hs, satser[kv.aar], grunnlag[(knr, kv.aar)]
            )
            assert not svar.advarsler, (knr, kv)
            assert svar.vedtakstilskudd == forventet[(knr, kv)], (knr, kv)
