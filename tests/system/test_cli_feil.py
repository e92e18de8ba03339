"""Every `oppgjor` command meets bad input with one line saying what to do, exit code 2.

Driven through `main()`, the console script's own entry, so the error boundary, typer's
usage errors and the commands are what a person at a terminal gets. No traceback, ever.
"""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import pytest
from openpyxl import Workbook

from services.system.cli import main
from services.system.feilgrense import feilgrense
from tests.conftest import HDIR
from tests.settlement.scenario import SATSFIL

UNAAELIG_PG = "postgresql://oppgjor@127.0.0.1:1/finnes_ikke"


def kjor(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["oppgjor", *args])
    with pytest.raises(SystemExit) as slutt:
        main()
    ut, feil = capsys.readouterr()
    kode = slutt.value.code
    return (kode if isinstance(kode, int) else 1), ut, feil


def _en_linje(feil: str) -> str:
    linjer = [linje for linje in feil.splitlines() if linje.strip()]
    assert len(linjer) == 1, feil
    assert "Traceback" not in feil
    return linjer[0]


def _fil(tmp_path: Path, navn: str, innhold: bytes) -> str:
    sti = tmp_path / navn
    sti.write_bytes(innhold)
    return str(sti)


@pytest.fixture
def lager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An existing, empty data directory as the embedded store's home."""
    katalog = tmp_path / "data"
    katalog.mkdir()
    monkeypatch.setenv("OPPGJOR_DATA_DIR", str(katalog))
    return katalog


def _xlsx_uten_sats(tmp_path: Path) -> str:
    bok = Workbook()
    ark = bok.active
    assert ark is not None
    ark.append(["tjenestekode", "pris"])
    ark.append(["HTAMDK", 724])
    sti = tmp_path / "uten_sats.xlsx"
    bok.save(sti)
    return str(sti)


SATSFILFEIL = [
    (b"", "er tom"),
    (b"\xff\xfe\x00a;b\n", "er ikke UTF-8-tekst"),
    (b"tjenestekode sats\nHTAMDK 724\n", "fant ikke skilletegnet"),
    (b"kode;sats\nHTAMDK;724\n", "mangler kolonnen 'tjenestekode'"),
    (b"tjenestekode;pris\nHTAMDK;724\n", "fant verken kolonnen 'sats_2017' eller 'sats'"),
    (b"tjenestekode;sats\n", "har ingen rader"),
    (b"tjenestekode;sats\nHTAMDK;sju\n", "rad 2: 'sju' er ikke en sats"),
    (b"tjenestekode;sats\nHTAMDK;1e-999999999\n", "rad 2: '1e-999999999' er ikke en sats"),
    (b"tjenestekode;sats\nHTAMDK;NaN\n", "rad 2: 'NaN' er ikke en sats"),
    (b"tjenestekode;sats\nHTAMDK;724.001\n", "sats må være >= 0 med høyst to desimaler"),
    (b"tjenestekode;sats\nUKJENT;724\n", "ukjent tjenestekode"),
]


@pytest.mark.parametrize(("innhold", "forventet"), SATSFILFEIL)
def test_ugyldig_satsfil(
    innhold: bytes,
    forventet: str,
    lager: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fil = _fil(tmp_path, "satser.csv", innhold)
    kode, ut, feil = kjor(capsys, monkeypatch, "satser", "import", fil, "--aar", "2017")
    assert kode == 2
    assert forventet in _en_linje(feil)
    assert ut == ""


def test_aar_utenfor_ordningen(
    lager: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fil = _fil(tmp_path, "satser.csv", b"tjenestekode;sats\nHTAMDK;724\n")
    kode, _, feil = kjor(capsys, monkeypatch, "satser", "import", fil, "--aar", "1999")
    assert (kode, _en_linje(feil)) == (2, "feil: aar må være mellom 2000 og 2100, fikk 1999")


def test_ugyldig_xlsx(
    lager: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for fil, forventet in (
        (_fil(tmp_path, "ødelagt.xlsx", b"PK\x03\x04 ikke en zip"), "er ikke en gyldig XLSX-fil"),
        (_xlsx_uten_sats(tmp_path), "fant verken kolonnen 'sats_2017' eller 'sats'"),
    ):
        kode, _, feil = kjor(capsys, monkeypatch, "satser", "import", fil, "--aar", "2017")
        assert (kode, forventet in _en_linje(feil)) == (2, True), feil


@pytest.mark.parametrize(
    ("args", "forventet"),
    [
        (["satser", "import", "/finnes/ikke.csv", "--aar", "2017"], "finnes ikke"),
        (["satser", "import", "/", "--aar", "2017"], "er en katalog, ikke en fil"),
        (["satser", "import", str(SATSFIL)], "mangler valget '--aar'"),
        (["satser", "import", str(SATSFIL), "--aar", "i fjor"], "'--aar' må være et heltall"),
        (["satser", "import", str(SATSFIL), "--aar", "1999"], "kolonnen 'sats_1999' eller 'sats'"),
        (["satser", "import", str(SATSFIL), "--aar", "2017", "ekstra"], "uventet argument"),
        (["serve", "--port", "0"], "'--port' må være minst 1"),
        (["serve", "--port", "70000"], "'--port' kan være høyst 65535"),
        (["serve", "--tull"], "ukjent valg --tull"),
        (["finnes-ikke"], "ukjent kommando 'finnes-ikke'"),
        (["token", "--org", "123", "--scope", "sio:oppgjor.read"], "organisasjonsnummer"),
        (["token", "--org", HDIR, "--scope", "sio:alt"], "ukjent scope sio:alt"),
        (["token", "--org", HDIR], "mangler valget '--scope'"),
    ],
)
def test_ugyldige_argumenter(
    args: list[str],
    forventet: str,
    lager: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kode, _, feil = kjor(capsys, monkeypatch, *args)
    assert kode == 2
    assert forventet in _en_linje(feil)


@pytest.mark.parametrize(
    "args",
    [
        ["satser", "import", str(SATSFIL), "--aar", "2017"],
        ["lesemodell", "gjenoppbygg"],
    ],
)
def test_manglende_datakatalog(
    args: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    borte = tmp_path / "borte"
    kode, _, feil = kjor(capsys, monkeypatch, *args, "--data-dir", str(borte))
    assert kode == 2
    assert f"datakatalogen {borte} finnes ikke" in _en_linje(feil)
    assert not borte.exists()  # no empty store is made behind the person's back


@pytest.mark.parametrize(
    ("url", "forventet"),
    [
        (UNAAELIG_PG, "kan ikke nå databasen (postgresql://127.0.0.1:1/finnes_ikke)"),
        ("mysql://bruker:hemmelig@127.0.0.1/x", "OPPGJOR_DATABASE_URL=mysql://127.0.0.1/x er ikke"),
        ("ikke en url", "OPPGJOR_DATABASE_URL=(tom) er ikke støttet"),
    ],
)
@pytest.mark.parametrize(
    "args",
    [
        ["satser", "import", str(SATSFIL), "--aar", "2017"],
        ["lesemodell", "gjenoppbygg"],
        ["serve", "--port", "1"],
    ],
)
def test_database_som_ikke_kan_brukes(
    args: list[str],
    url: str,
    forventet: str,
    lager: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPPGJOR_DATABASE_URL", url)
    kode, _, feil = kjor(capsys, monkeypatch, *args)
    linje = _en_linje(feil)
    assert (kode, forventet in linje) == (2, True), linje
    assert "hemmelig" not in linje  # a password in the URL is never echoed


def test_odelagt_lager_og_nokkel(
    lager: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (lager / "oppgjor.db").write_bytes(b"dette er ikke en database" * 100)
    kode, _, feil = kjor(capsys, monkeypatch, "lesemodell", "gjenoppbygg")
    assert (kode, "er ikke en gyldig database" in _en_linje(feil)) == (2, True), feil

    (lager / "signeringsnokkel.pem").write_text("ikke en nøkkel")
    kode, ut, feil = kjor(
        capsys, monkeypatch, "token", "--org", HDIR, "--scope", "sio:oppgjor.read"
    )
    assert (kode, ut) == (2, "")
    assert "signeringsnøkkelen" in _en_linje(feil) and "er ødelagt" in feil


def test_driverens_egen_tilkoblingsfeil_er_en_norsk_linje(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild's COPY runs on the driver's own cursor: a database lost under it raises
    psycopg's error, not SQLAlchemy's, and the person still gets the same line."""
    monkeypatch.setenv("OPPGJOR_DATABASE_URL", UNAAELIG_PG)
    with pytest.raises(psycopg.OperationalError) as borte:
        psycopg.connect(UNAAELIG_PG, connect_timeout=2)
    with pytest.raises(SystemExit) as slutt, feilgrense():
        raise borte.value
    assert slutt.value.code == 2
    linje = _en_linje(capsys.readouterr().err)
    assert "kan ikke nå databasen (postgresql://127.0.0.1:1/finnes_ikke)" in linje, linje
