"""The demo data set is built once per test session (a few seconds)."""

from __future__ import annotations

import pytest

from services.settlement.demo import Datasett, lag_datasett
from services.settlement.demo.kalibrering import Kalkulator, Resultat


@pytest.fixture(scope="session")
def datasett() -> Datasett:
    return lag_datasett()


@pytest.fixture(scope="session")
def resultat(datasett: Datasett) -> Resultat:
    """The settlement figures of the final (corrected) event set."""
    return Kalkulator().beregn(datasett.hendelser())
