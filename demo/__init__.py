"""The demo: a client of the service, with deterministic data for the four trial municipalities.

`lag_datasett(seed)` gives the ordered API steps (rates, funding basis, events per
quarter, issues, Q4 corrections and re-issues), calibrated so that the settlements
reproduce the evaluation report's published magnitudes; `forventet_2017()` gives
those targets. The figures it calibrates with come from the product's own regelverk
(demo.beregning); the demo has no rules of its own. `oppgjor demo` (demo.hovedjobb)
sends the steps to a real server over HTTP and writes what it issued to demo-output/.
"""

from demo.datasett import Datasett, lag_datasett, oppsummering
from demo.kilder import Forventet2017, forventet_2017
from demo.steg import (
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
