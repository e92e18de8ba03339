"""The repository explains every rule it cites: docs/regelverk.md and its map to the code.

Every "regelverk X.Y" citation in the code names a section that docs/regelverk.md has, and
every function and test docs/regelverk-kart.md names exists, so neither can drift silently.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

ROT = Path(__file__).resolve().parents[1]
REGELVERK = ROT / "docs" / "regelverk.md"
KART = ROT / "docs" / "regelverk-kart.md"
KODE = ("services", "shared", "demo", "tests", "bench")

# "regelverk 4.1", "regelverk 4.1-4.4", "regelverk 3, 4.7", "regelverk section 2", "4 and 5"
_SITAT = re.compile(
    r"regelverk(?: v1)?,? (?:section |sections )?"
    r"(\d(?:\.\d)?a?(?:\s*(?:-|–|,|/|and)\s*\d(?:\.\d)?a?)*)",
    re.IGNORECASE,
)


def _seksjoner_i_regelverket() -> set[str]:
    tekst = REGELVERK.read_text(encoding="utf-8")
    hoved = set(re.findall(r"^## (\d)\. ", tekst, re.MULTILINE))
    under = set(re.findall(r"^\*\*(\d\.\d+a?) ", tekst, re.MULTILINE))
    return hoved | under


def _utvid(sitat: str) -> list[str]:
    """ "4.1-4.3" -> 4.1, 4.2, 4.3; "3, 4.7" -> 3, 4.7."""
    ut: list[str] = []
    for del_ in re.split(r"\s*(?:,|/|and)\s*", sitat):
        if fra_til := re.fullmatch(r"(\d)\.(\d)\s*[-–]\s*\1\.(\d)", del_):
            hoved, fra, til = fra_til.groups()
            ut += [f"{hoved}.{n}" for n in range(int(fra), int(til) + 1)]
        else:
            ut += re.split(r"\s*[-–]\s*", del_)
    return ut


def _sitater() -> dict[str, set[str]]:
    """Section -> the files that cite it."""
    sitater: dict[str, set[str]] = {}
    for mappe in KODE:
        for fil in sorted((ROT / mappe).rglob("*.py")):
            for treff in _SITAT.finditer(fil.read_text(encoding="utf-8")):
                for seksjon in _utvid(treff.group(1)):
                    sitater.setdefault(seksjon, set()).add(str(fil.relative_to(ROT)))
    return sitater


def test_the_regelverk_copy_has_every_section() -> None:
    assert _seksjoner_i_regelverket() == {
        *"1234567",
        "4.1",
        "4.2",
        "4.3",
        "4.3a",
        "4.4",
        "4.5",
        "4.6",
        "4.7",
    }


def test_every_citation_in_the_code_names_a_section_of_the_regelverk() -> None:
    assert set(_sitater()) >= {"1", "2", "3", "4.1", "4.3a", "4.6", "4.7", "5"}
    ukjente = {s: sorted(f) for s, f in _sitater().items() if s not in _seksjoner_i_regelverket()}
    assert ukjente == {}


def test_the_map_has_every_section_and_every_cited_one() -> None:
    kart = KART.read_text(encoding="utf-8")
    i_kartet = set(re.findall(r"^#{2,3} (\d(?:\.\d+a?)?)\.? ", kart, re.MULTILINE))
    assert i_kartet == _seksjoner_i_regelverket()
    assert set(_sitater()) <= i_kartet


def _finnes(modul: str, navn: str) -> bool:
    objekt: object = importlib.import_module(modul)
    for del_ in navn.split("."):
        if not hasattr(objekt, del_):
            return False
        objekt = getattr(objekt, del_)
    return True


def test_every_function_the_map_names_exists() -> None:
    kart = KART.read_text(encoding="utf-8")
    navn = re.findall(r"`((?:services|shared|demo)(?:\.\w+)+):([\w.]+)`", kart)
    assert len(navn) >= 40
    mangler = [f"{m}:{n}" for m, n in navn if not _finnes(m, n)]
    assert mangler == []
    moduler = re.findall(r"`((?:services|shared|demo)(?:\.\w+)+)`", kart)
    assert [m for m in moduler if importlib.util.find_spec(m) is None] == []


def test_every_test_the_map_names_exists() -> None:
    kart = KART.read_text(encoding="utf-8")
    mangler: list[str] = []
    navngitt = 0
    for rad in kart.splitlines():
        fil: Path | None = None
        # "`tests/x.py::test_a`, `::test_b`": a bare ::name continues the last file.
        for sti, test in re.findall(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`", rad):
            if sti:
                fil = ROT / sti
                if not fil.is_file():
                    mangler.append(sti)
                    continue
            if test and (fil is None or f"def {test}(" not in fil.read_text(encoding="utf-8")):
                mangler.append(f"{fil}::{test}")
            navngitt += bool(test)
    assert navngitt >= 50
    assert mangler == []
