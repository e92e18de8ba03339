"""Every `oppgjor` command: `--help` in Norwegian, and bad input as one line with exit code 2.

Driven through `main()`, the console script's own entry, as a person at a terminal meets it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from services.system.cli import app, main
from tests.conftest import HDIR
from tests.settlement.scenario import SATSFIL

KOMMANDOER = [
    [],
    ["serve"],
    ["token"],
    ["orgs"],
    ["satser"],
    ["satser", "import"],
    ["demo"],
    ["lesemodell"],
    ["lesemodell", "gjenoppbygg"],
    ["verifiser"],
]

# typer's and click's own English, and words a help text in English would use.
ENGELSK = re.compile(
    r"\b(Usage|Options|Arguments|Commands|Show this message|default|required|"
    r"the|and|of|for the|file|directory)\b|<(bool|str|int|dir|file|path)\b|\[OPTIONS\]"
)


def kjor(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["oppgjor", *args])
    with pytest.raises(SystemExit) as slutt:
        main()
    ut, feil = capsys.readouterr()
    kode = slutt.value.code
    return (kode if isinstance(kode, int) or kode is None else 1) or 0, ut, feil


def test_alle_kommandoer_er_med() -> None:
    """A command added later must be added to KOMMANDOER too, so its help is checked."""
    navn = {c.name or getattr(c.callback, "__name__", None) for c in app.registered_commands}
    navn |= {g.name for g in app.registered_groups}
    assert navn == {k[0] for k in KOMMANDOER if k}


@pytest.mark.parametrize("kommando", KOMMANDOER, ids=lambda k: " ".join(k) or "oppgjor")
def test_hjelpen_er_norsk(
    kommando: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    kode, ut, feil = kjor(capsys, monkeypatch, *kommando, "--help")
    assert (kode, feil) == (0, "")
    assert "Bruk: oppgjor" in ut and "Vis denne hjelpen og avslutt." in ut
    engelsk = ENGELSK.findall(ut)
    assert engelsk == [], ut


def _en_linje(feil: str) -> str:
    linjer = [linje for linje in feil.splitlines() if linje.strip()]
    assert len(linjer) == 1, feil
    assert "Traceback" not in feil and 'File "' not in feil
    return linjer[0]


UNAAELIG = "postgresql://oppgjor@127.0.0.1:1/finnes_ikke"
USTOTTET = "mysql://bruker:hemmelig@127.0.0.1/x"
TOKEN = ["token", "--org", HDIR, "--scope", "sio:oppgjor.read"]


@pytest.mark.parametrize(
    ("args", "url", "forventet"),
    [
        (["verifiser"], None, "finnes ikke; oppgi riktig --data-dir"),
        (["verifiser"], UNAAELIG, "kan ikke nå databasen"),
        (["verifiser"], USTOTTET, "er ikke støttet"),
        (["verifiser", "--aar", "i fjor"], None, "'--aar' må være et heltall"),
        (["lesemodell", "gjenoppbygg"], None, "finnes ikke; oppgi riktig --data-dir"),
        (["lesemodell", "gjenoppbygg"], UNAAELIG, "kan ikke nå databasen"),
        (["satser", "import", str(SATSFIL), "--aar", "2017"], None, "finnes ikke"),
        (["satser", "import", str(SATSFIL), "--aar", "2017"], USTOTTET, "er ikke støttet"),
        (["serve", "--port", "1"], USTOTTET, "er ikke støttet"),
        (["serve", "--port", "nitti"], None, "'--port' må være et heltall"),
        ([*TOKEN, "--levetid", "0"], None, "'--levetid' må være minst 1"),
        (["token", "--org", "123", "--scope", "sio:oppgjor.read"], None, "organisasjonsnummer"),
        (["orgs", "--tull"], None, "ukjent valg --tull"),
        (["demo", "--seed", "tre"], None, "'--seed' må være et heltall"),
        (["lesemodell", "finnes-ikke"], None, "ukjent kommando"),
    ],
)
def test_hver_kommando_gir_en_linje_og_kode_2(
    args: list[str],
    url: str | None,
    forventet: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    borte = tmp_path / "borte"
    if url is None:
        monkeypatch.delenv("OPPGJOR_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("OPPGJOR_DATABASE_URL", url)
    kode, _, feil = kjor(capsys, monkeypatch, *args, "--data-dir", str(borte))
    linje = _en_linje(feil)
    assert (kode, forventet in linje) == (2, True), linje
    assert linje.startswith("feil: ")
    assert "hemmelig" not in linje
    assert not borte.exists()  # refused before anything was made


def test_verifiser_ugyldig_kvartal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPPGJOR_DATABASE_URL", raising=False)
    kode, _, feil = kjor(
        capsys, monkeypatch, "verifiser", "--kvartal", "7", "--data-dir", str(tmp_path)
    )
    assert (kode, _en_linje(feil)) == (2, "feil: --kvartal må være 1-4, fikk 7")
