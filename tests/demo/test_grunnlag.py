"""Hdir's publications in the demo: rates as in the CSV, funding basis as in table 3.2."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from demo import Datasett, PubliserGrunnlag, PubliserSatser
from demo.grunnlag import aarsbelop_2016, kvartalsbelop
from demo.kalender import PERIODER, STARTDATO
from demo.kilder import DATA, KOMMUNER, publiserte_aar
from shared.events import katalog

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def test_rates_are_the_csv_rates_with_blanks_skipped(datasett: Datasett) -> None:
    satser = {s.aar: s.body for s in datasett.steg if isinstance(s, PubliserSatser)}
    assert set(satser) == {2016, 2017}
    linjer = {x["tjenestekode"]: x["sats"] for x in satser[2017]["satser"]}
    assert linjer["HTAMDK"] == "724.00" and linjer["UK"] == "4622.00"
    assert all(set(x) == {"tjenestekode", "sats"} for x in satser[2016]["satser"])
    assert satser[2016]["kilde"]
    assert len(linjer) == 49


def test_2017_basis_is_the_published_figure(datasett: Datasett) -> None:
    bodies = {
        (s.kommunenummer, s.aar): s.body for s in datasett.steg if isinstance(s, PubliserGrunnlag)
    }
    assert set(bodies) == {(k, a) for k in KOMMUNER for a in (2016, 2017)}
    assert bodies[("0138", 2017)] == {
        "uttrekk": "101800000.00",
        "rundsum": "3600000.00",
        "inntektspaslag": "3600000.00",
    }
    assert all(bodies[(k, 2016)]["startdato"] == "2016-05-01" for k in KOMMUNER)
    assert all("startdato" not in bodies[(k, 2017)] for k in KOMMUNER)


def test_2016_annual_amounts_pay_out_the_published_may_december_figures(
    datasett: Datasett,
) -> None:
    kvartaler = [kv for kv in PERIODER if kv.aar == 2016]
    for s in datasett.steg:
        if isinstance(s, PubliserGrunnlag) and s.aar == 2016:
            p = publiserte_aar()[(s.kommunenummer, 2016)]
            for felt, publisert in (
                ("uttrekk", p.uttrekk),
                ("rundsum", p.rundsum),
                ("inntektspaslag", p.inntektspaslag),
            ):
                aarlig = Decimal(s.body[felt])
                utbetalt = sum(kvartalsbelop(aarlig, kv, STARTDATO) for kv in kvartaler)
                # Exact where an øre-precise annual amount can hit it (rounding may skip it).
                assert abs(utbetalt - publisert) <= Decimal("0.01"), (s.kommunenummer, felt)


def test_annual_2016_amount_scales_by_364_over_243() -> None:
    aarlig = aarsbelop_2016(Decimal("2430000.00"))
    assert abs(aarlig - Decimal("3640000.00")) <= Decimal("0.10")


def test_the_product_ships_its_own_copy_of_the_report_tables_and_rates() -> None:
    """docs/regelverk.md names these copies; where the given originals lie beside the
    repository (../shared/data), the copies are checked against them."""
    rater = Path(katalog.__file__).with_name("tjenestekoder.csv")
    for kopi, navn in (
        (DATA / "a_kommuner_grunnlag.csv", "a_kommuner_grunnlag.csv"),
        (DATA / "a_kommuner_2017_kvartal.csv", "a_kommuner_2017_kvartal.csv"),
        (rater, "satser_2014_2016_2017.csv"),
    ):
        assert kopi.is_file()
        original = SHARED / navn
        if original.is_file():
            with kopi.open(encoding="utf-8") as a, original.open(encoding="utf-8") as b:
                assert list(csv.reader(a)) == list(csv.reader(b))
