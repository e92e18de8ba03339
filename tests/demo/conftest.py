"""The demo data set is built once per test session (a few seconds)."""

from __future__ import annotations

import pytest

from demo import Datasett, lag_datasett
from tests.demo.kalibrering import Resultat, beregn


@pytest.fixture(scope="session")
def datasett() -> Datasett:
    return lag_datasett()


@pytest.fixture(scope="session")
def resultat(datasett: Datasett) -> Resultat:
    """The settlement figures of the final (corrected) event set, by the product's regelverk."""
    return beregn(datasett)
