"""The contract's identity rule as a pure function (issue 7, finding 9)."""

from __future__ import annotations

import random

import pytest
from stdnum.no import fodselsnummer

from shared.events.identitet import er_identitet, inneholder_identitet


def _med_kontrollsiffer(ni: str) -> str | None:
    """Nine digits completed with both mod-11 check digits (None where there are none)."""
    k1 = fodselsnummer.calc_check_digit1(ni)
    k2 = fodselsnummer.calc_check_digit2(ni + k1) if len(k1) == 1 else "10"
    return ni + k1 + k2 if len(k1) == len(k2) == 1 else None


FNR = "01017010170"  # 1 January 1970
D_NUMMER = "41017010164"  # the day plus 40
H_NUMMER = "01417010153"  # the month plus 40
FH_NUMMER = _med_kontrollsiffer("812345678")
FREMTIDIG = _med_kontrollsiffer("010130500")  # born 2030: stdnum says "not born yet"


def test_eksemplene_er_gyldige() -> None:
    assert FH_NUMMER is not None and FREMTIDIG is not None
    assert (FREMTIDIG, FH_NUMMER) == ("01013050038", "81234567802")
    assert fodselsnummer.is_valid(FREMTIDIG) is False  # stdnum: "not born yet"


@pytest.mark.parametrize("nummer", [FNR, D_NUMMER, H_NUMMER, FH_NUMMER, FREMTIDIG])
def test_identiteter_kjennes_igjen(nummer: str) -> None:
    assert er_identitet(nummer) is True


@pytest.mark.parametrize(
    "nummer",
    [
        "01017010171",  # wrong second check digit
        "01017010160",  # wrong first check digit
        "12345678901",
        "0101701017",  # ten digits
        "010170101700",  # twelve
        "٠١٠١٧٠١٠١٧٠",  # not ASCII: er_identitet takes ASCII digits only
    ],
)
def test_ikke_identiteter(nummer: str) -> None:
    assert er_identitet(nummer) is False


def test_ugyldig_dato_er_ingen_identitet() -> None:
    # Valid check digits, but 31 February, month 13, H-month 53 and day 32 are no dates.
    for dato in ("310270", "011370", "015370", "320170"):
        nummere = [_med_kontrollsiffer(f"{dato}{i:03d}") for i in range(100, 130)]
        gyldige = [n for n in nummere if n is not None]
        assert len(gyldige) >= 10
        assert [n for n in gyldige if er_identitet(n)] == []


def test_alt_stdnum_godtar_godtar_ogsa_vi() -> None:
    """Every number python-stdnum calls a valid fødselsnummer/D-/H-number is one here too."""
    tilfeldig = random.Random(7)
    funnet = 0
    for _ in range(20_000):
        dag = tilfeldig.choice([tilfeldig.randint(1, 28), tilfeldig.randint(41, 68)])
        maned = tilfeldig.choice([tilfeldig.randint(1, 12), tilfeldig.randint(41, 52)])
        ni = f"{dag:02d}{maned:02d}{tilfeldig.randint(0, 99):02d}{tilfeldig.randint(0, 999):03d}"
        nummer = _med_kontrollsiffer(ni)
        if nummer is None:
            continue
        if fodselsnummer.is_valid(nummer):
            funnet += 1
            assert er_identitet(nummer), nummer
    assert funnet >= 5_000  # the sample did exercise the comparison


@pytest.mark.parametrize(
    "tekst",
    [
        FNR,
        f"fnr:{FNR}",
        f"bruker {D_NUMMER} flyttet",
        f"H{H_NUMMER}",
        "010170 10170",
        "010170.10170",
        "010170-10170",
        "010170\u00a010170",
        "٠١٠١٧٠١٠١٧٠",  # Arabic-Indic digits
        "０１０１７０１０１７０",  # full-width digits
        f"ok 123, men {FNR}.",
    ],
)
def test_identitet_inne_i_tekst(tekst: str) -> None:
    assert inneholder_identitet(tekst) is True


@pytest.mark.parametrize(
    "tekst",
    [
        "registrert ved en feil",
        "V-2017-0001",
        "9" + FNR,  # twelve digits: another kind of number
        FNR + "5",
        "0101 7010170",  # not the printed grouping
        "010170  10170",  # two separators
        "1503.12.34567",  # an account number's grouping
        "01017010171",
    ],
)
def test_ingen_identitet_i_tekst(tekst: str) -> None:
    assert inneholder_identitet(tekst) is False
