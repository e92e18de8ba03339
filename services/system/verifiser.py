"""`oppgjor verifiser`: every issued version checked against the log (docs/verifisering.md)."""

from __future__ import annotations

import json
import re

from rich.console import Console

from services.system.feilgrense import Brukerfeil, krev_eksisterende_lager


def kjor_verifisering(
    kommune: str | None,
    aar: int | None,
    kvartal: int | None,
    som_json: bool,
) -> int:
    """Run the check and print it; the exit code: 0 all verify, 1 something does not.

    Bad input and an unusable store raise `Brukerfeil` or the store's own error, which the
    CLI's error boundary (feilgrense.py) turns into one line and exit code 2.
    """
    if kommune is not None and not re.fullmatch(r"[0-9]{4}", kommune):
        raise Brukerfeil(f"--kommune må være fire siffer, fikk {kommune!r}")
    if kvartal is not None and not 1 <= kvartal <= 4:
        raise Brukerfeil(f"--kvartal må være 1-4, fikk {kvartal}")
    if aar is not None and not 2000 <= aar <= 2100:
        raise Brukerfeil(f"--aar må være mellom 2000 og 2100, fikk {aar}")
    krev_eksisterende_lager()
    from services.system.bootstrap import bygg

    t = bygg()
    try:
        rapport = t.verifisering.verifiser(kommune, aar, kvartal)
    finally:
        t.lukk()
    ut = Console()
    if som_json:
        ut.print_json(json.dumps(rapport, ensure_ascii=False))
    elif rapport["gyldig"]:
        ut.print(f"Alle {rapport['antall_versjoner']} utstedte versjoner verifiserer.")
    else:
        ut.print(
            f"[bold red]{len(rapport['feil'])} avvik[/] i {rapport['antall_versjoner']} versjoner:"
        )
        for feil in rapport["feil"]:
            ut.print(f"- {feil}", markup=False)
    return 0 if rapport["gyldig"] else 1
