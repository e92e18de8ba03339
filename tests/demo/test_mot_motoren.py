"""The figures the generator planned are exactly what the service's regelverk settles.

The simulation sums each planned vedtak's contribution as it calibrates; the server
settles the whole event stream after parsing it with the contract. Both must agree to
the øre, for every municipality and quarter, or the issued table would drift from the
calibration.
"""

from __future__ import annotations

import json
from typing import Any

from demo import Datasett
from demo.kalender import PERIODER
from shared.events import HendelseAdapter
from tests.demo.kalibrering import beregn_hendelser


def _som_serveren_leser(h: dict[str, Any]) -> dict[str, Any]:
    # The read model stores the contract payload dumped with mode="json" (fakta.py).
    data: dict[str, Any] = HendelseAdapter.validate_json(json.dumps(h)).model_dump(
        mode="json", exclude_none=True
    )
    return data


def test_the_settled_stream_gives_exactly_the_planned_figures(datasett: Datasett) -> None:
    resultat = beregn_hendelser(_som_serveren_leser(h) for h in datasett.hendelser())
    beregnet = {(knr, PERIODER.index(kv)): b for (knr, kv), b in resultat.per_kvartal().items()}
    assert beregnet == datasett.planlagt
