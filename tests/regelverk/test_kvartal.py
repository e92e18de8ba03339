"""Calendar quarters (regelverk 4)."""

from datetime import date

import pytest

from services.settlement.domain.kvartal import (
    antall_dager,
    dager_i_kvartal,
    kvartal_for,
    kvartalsperiode,
    overlapp_dager,
)


@pytest.mark.parametrize(
    ("aar", "kvartal", "fra", "til", "dager"),
    [
        (2017, 1, date(2017, 1, 1), date(2017, 3, 31), 90),
        (2016, 1, date(2016, 1, 1), date(2016, 3, 31), 91),  # leap year
        (2016, 2, date(2016, 4, 1), date(2016, 6, 30), 91),
        (2017, 3, date(2017, 7, 1), date(2017, 9, 30), 92),
        (2017, 4, date(2017, 10, 1), date(2017, 12, 31), 92),
    ],
)
def test_quarters(aar: int, kvartal: int, fra: date, til: date, dager: int) -> None:
    assert kvartalsperiode(aar, kvartal) == (fra, til)
    assert dager_i_kvartal(aar, kvartal) == dager
    assert kvartal_for(fra) == kvartal_for(til) == (aar, kvartal)


def test_invalid_quarter() -> None:
    with pytest.raises(ValueError):
        kvartalsperiode(2017, 5)


def test_inclusive_ranges() -> None:
    assert antall_dager(date(2017, 1, 1), date(2017, 1, 1)) == 1
    assert antall_dager(date(2017, 1, 2), date(2017, 1, 1)) == 0
    assert (
        overlapp_dager(date(2017, 3, 17), date(2017, 4, 13), date(2017, 1, 1), date(2017, 3, 31))
        == 15
    )
    assert (
        overlapp_dager(date(2017, 1, 1), date(2017, 1, 5), date(2017, 2, 1), date(2017, 2, 5)) == 0
    )
