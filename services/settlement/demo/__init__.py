"""Deterministic synthetic demo data for the four trial municipalities (2016-2017).

`lag_datasett(seed)` gives the ordered API steps (rates, funding basis, events per
quarter, issues, Q4 corrections and re-issues), calibrated so that the settlements
reproduce the evaluation report's published magnitudes; `forventet_2017()` gives
those targets. No network, no database.
"""

from services.settlement.demo.datasett import Datasett, lag_datasett, oppsummering
from services.settlement.demo.kilder import Forventet2017, forventet_2017
from services.settlement.demo.steg import (
    PubliserGrunnlag,
    PubliserSatser,
    SendHendelser,
    Steg,
    UtstedKvartal,
)

__all__ = [
    "Datasett",
    "Forventet2017",
    "PubliserGrunnlag",
    "PubliserSatser",
    "SendHendelser",
    "Steg",
    "UtstedKvartal",
    "forventet_2017",
    "lag_datasett",
    "oppsummering",
]
