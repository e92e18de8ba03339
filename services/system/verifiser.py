"""`oppgjor verifiser`: every issued version checked against the log (docs/verifisering.md)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from rich.console import Console


def kjor_verifisering(
    kommune: str | None,
    aar: int | None,
    kvartal: int | None,
    som_json: bool,
    stopp: Callable[[str], None],
) -> int:
    """Run the check and print it; the exit code: 0 all verify, 1 something does not."""
    if kommune is not None and not re.fullmatch(r"[0-9]{4}", kommune):
        stopp(f"--kommune må være fire siffer, fikk {kommune!r}")
    if kvartal is not None and not 1 <= kvartal <= 4:
        stopp(f"--kvartal må være 1-4, fikk {kvartal}")
    if aar is not None and not 2000 <= aar <= 2100:
        stopp(f"--aar må være mellom 2000 og 2100, fikk {aar}")
    from services.system.bootstrap import bygg

    try:
        t = bygg()
    except Exception as e:  # e.g. PostgreSQL unreachable: say so, don't dump a trace
        stopp(f"kunne ikke åpne lageret: {e}")
        return 2
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
