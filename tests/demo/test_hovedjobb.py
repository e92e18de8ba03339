"""`oppgjor demo`, the main job, run whole: the table, the three files and their figures."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from demo.datakatalog import lager_i_bruk
from demo.kalender import Kvartal
from demo.kilder import publiserte_aar
from tests.demo.kalibrering import Resultat
from tests.server import Server


@pytest.mark.slow
def test_hovedjobben_gir_publiserte_storrelser_og_korreksjoner(
    tmp_path: Path, resultat: Resultat
) -> None:
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
    assert sorted(
        (d["kommunenummer"], d["kvartal"], d["versjon"])
        for d in dokumenter
        if d["type"] == "korreksjonsoppgjor"
    ) == [(knr, kvartal, 2) for knr in ("1243", "1714") for kvartal in (1, 2, 3, 4)]
    siste: dict[tuple[str, int], dict[int, dict[str, Any]]] = {}
    for d in dokumenter:
        kvartaler = siste.setdefault((d["kommunenummer"], d["aar"]), {})
        if d["kvartal"] not in kvartaler or d["versjon"] > int(kvartaler[d["kvartal"]]["versjon"]):
            kvartaler[d["kvartal"]] = d
    for knr in ("0138", "0926", "1243", "1714"):
        aar = sum(Decimal(d["vedtakstilskudd"]) for d in siste[(knr, 2017)].values())
        publisert = publiserte_aar()[(knr, 2017)].vedtakstilskudd
        assert abs(aar - publisert) / publisert < Decimal("0.03"), (knr, aar, publisert)
        for kvartal, d in siste[(knr, 2017)].items():
            assert re.fullmatch(r"[0-9a-f]{64}", d["hash"]), d["hash"]
            # Exactly the lines the regelverk gives for the final events of that quarter.
            beregnet = resultat.kvartaler[(knr, Kvartal(2017, kvartal))]
            assert [linje["tjenestekode"] for linje in d["linjer"]] == [
                linje.tjenestekode for linje in beregnet.linjer
            ]
            assert Decimal(d["vedtakstilskudd"]) == beregnet.vedtakstilskudd

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


def test_demoen_fjerner_aldri_et_lager_en_tjeneste_bruker(tmp_path: Path) -> None:
    """`oppgjor demo` on the data directory of a running server refuses (exit 2), one line."""
    data = tmp_path / "i-bruk"
    server = Server(data, f"sqlite:///{data / 'oppgjor.db'}")
    server.start()
    try:
        foer = sorted(p.name for p in data.iterdir())
        miljo = {k: v for k, v in os.environ.items() if not k.startswith("OPPGJOR_")}
        kjort = subprocess.run(
            [sys.executable, "-m", "services.system.cli", "demo", "--data-dir", str(data)],
            env=miljo,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert kjort.returncode == 2, kjort.stdout + kjort.stderr
        assert kjort.stderr == (
            f"feil: {data} brukes av en kjørende tjeneste; stopp den eller velg en annen "
            "katalog med --data-dir\n"
        )
        assert kjort.stdout == ""
        assert sorted(p.name for p in data.iterdir()) == foer
        assert httpx.get(f"{server.url}/health", timeout=10).status_code == 200
        assert lager_i_bruk(data) is True
    finally:
        server.stopp()
    # Once the server has stopped, the store is free again: the demo may start afresh there.
    assert lager_i_bruk(data) is False
