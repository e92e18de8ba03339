"""`oppgjor demo`, the main job, run whole: the table, the three files and their figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from services.settlement.demo.kilder import publiserte_aar


@pytest.mark.slow
def test_hovedjobben_gir_publiserte_storrelser_og_korreksjoner(tmp_path: Path) -> None:
    utdata, data = tmp_path / "demo-output", tmp_path / "demo-data"
    miljo = {k: v for k, v in os.environ.items() if not k.startswith("OPPGJOR_")}
    kjort = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.system.cli",
            "demo",
            "--utdata",
            str(utdata),
            "--data-dir",
            str(data),
        ],
        env=miljo,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert kjort.returncode == 0, kjort.stdout + kjort.stderr
    assert "Oppgjør 2017 per kommune" in kjort.stdout
    assert {p.name for p in utdata.iterdir()} == {"oppgjor.json", "oppgjor_2017.xlsx", "index.html"}

    dokumenter = json.loads((utdata / "oppgjor.json").read_text())
    assert isinstance(dokumenter, list) and len(dokumenter) == 36  # 4 x 7 quarters + 8 corrections
    assert any(d["type"] == "korreksjonsoppgjor" for d in dokumenter)
    siste: dict[tuple[str, int], dict[int, dict[str, str]]] = {}
    for d in dokumenter:
        kvartaler = siste.setdefault((d["kommunenummer"], d["aar"]), {})
        if d["kvartal"] not in kvartaler or d["versjon"] > int(kvartaler[d["kvartal"]]["versjon"]):
            kvartaler[d["kvartal"]] = d
    for knr in ("0138", "0926", "1243", "1714"):
        aar = sum(Decimal(d["vedtakstilskudd"]) for d in siste[(knr, 2017)].values())
        publisert = publiserte_aar()[(knr, 2017)].vedtakstilskudd
        assert abs(aar - publisert) / publisert < Decimal("0.03"), (knr, aar, publisert)
        for d in siste[(knr, 2017)].values():
            assert d["hash"] and len(d["linjer"]) > 5

    ark = load_workbook(utdata / "oppgjor_2017.xlsx")["Kommuner 2017"]
    hode = [c.value for c in ark[1]]
    for rad in ark.iter_rows(min_row=2, values_only=True):
        verdier = dict(zip(hode, rad, strict=True))
        forventet = sum(
            Decimal(d["vedtakstilskudd"])
            for d in siste[(str(verdier["kommunenummer"]), 2017)].values()
        )
        assert isinstance(verdier["vedtakstilskudd"], int | float)
        assert Decimal(str(verdier["vedtakstilskudd"])) == forventet
