"""`oppgjor satser import FILE --aar Y`: the national rates file and XLSX, on both stores."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from services.system.bootstrap import bygg
from services.system.cli import app
from tests.settlement.scenario import SATSFIL
from tests.system.test_cli_feil import kjor as kjor_main


def _satser(url: str, aar: int) -> tuple[int, dict[str, Decimal]] | None:
    t = bygg(url)
    try:
        t.projektor.ta_igjen()
        tabell = t.lesemodell.satstabell(aar, datetime.now(UTC))
        return None if tabell is None else (tabell.versjon, dict(tabell.satser))
    finally:
        t.lukk()


def test_import_av_csv_og_xlsx(
    lager_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPPGJOR_DATABASE_URL", lager_url)
    kjor = CliRunner().invoke
    svar = kjor(app, ["satser", "import", str(SATSFIL), "--aar", "2017"])
    assert svar.exit_code == 0, svar.output
    versjon, satser = _satser(lager_url, 2017) or (0, {})
    with SATSFIL.open(encoding="utf-8") as f:
        med_sats_2017 = sum(1 for rad in csv.DictReader(f) if rad["sats_2017"].strip())
    assert versjon == 1 and len(satser) == med_sats_2017 == 49
    assert satser["HTAMDK"] == Decimal("724") and satser["UK"] == Decimal("4622")

    # 2014: codes without a rate that year (blank cells) are left out.
    assert kjor(app, ["satser", "import", str(SATSFIL), "--aar", "2014"]).exit_code == 0
    assert "D1" not in (_satser(lager_url, 2014) or (0, {}))[1]

    bok = Workbook()
    ark = bok.active
    assert ark is not None
    ark.append(["tjenestekode", "sats"])
    ark.append(["HTAMDK", 731.5])
    ark.append(["LOKO", "2300,00"])
    fil = tmp_path / "satser.xlsx"
    bok.save(fil)
    # The two-code table drops 47 codes in force: only with the explicit confirmation.
    svar = kjor(app, ["satser", "import", str(fil), "--aar", "2017", "--tillat-fjerning"])
    assert svar.exit_code == 0, svar.output
    versjon, satser = _satser(lager_url, 2017) or (0, {})
    assert versjon == 2 and satser == {"HTAMDK": Decimal("731.5"), "LOKO": Decimal("2300")}


def test_ugyldig_fil_gir_feilmelding_og_ingen_versjon(
    lager_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OPPGJOR_DATABASE_URL", lager_url)
    fil = tmp_path / "satser.csv"
    fil.write_text("tjenestekode;sats\nHTAMDK;724\nUKJENT;10\n", encoding="utf-8")
    kode, _, feil = kjor_main(capsys, monkeypatch, "satser", "import", str(fil), "--aar", "2017")
    assert kode == 2
    # The code is not echoed (issue 7: errors name the field, never a sent value).
    assert feil == "feil: Satstabellen er ugyldig: ukjent tjenestekode\n"
    fil.write_text("kode;pris\nHTAMDK;724\n", encoding="utf-8")
    kode, _, feil = kjor_main(capsys, monkeypatch, "satser", "import", str(fil), "--aar", "2017")
    assert (kode, feil) == (2, f"feil: {fil} mangler kolonnen 'tjenestekode' i overskriften\n")
    assert _satser(lager_url, 2017) is None
