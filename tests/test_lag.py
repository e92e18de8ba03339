"""The domain imports no I/O: each module under a `domain/` folder, imported alone.

import-linter (make lint) checks the import graph; this checks what actually loads, so a
dependency that pulls in SQLAlchemy at run time (through a package's __init__, say) fails
here too. Each module is imported in a fresh interpreter: one import in this process would
see everything the test run has loaded already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROT = Path(__file__).resolve().parents[1]
DOMENEMAPPER = [ROT / "services" / "settlement" / "domain", ROT / "services" / "vedtak" / "domain"]
KONTRAKT = ROT / "shared" / "events"
FORBUDT = (
    "sqlalchemy",
    "fastapi",
    "starlette",
    "httpx",
    "uvicorn",
    "psycopg",
    "alembic",
    "eventsourcing.persistence",
    "eventsourcing.application",
    "eventsourcing_sqlalchemy",
)


def domenemoduler() -> list[str]:
    filer = [f for mappe in DOMENEMAPPER for f in sorted(mappe.glob("*.py"))]
    filer += sorted(KONTRAKT.glob("*.py"))
    return [
        ".".join(f.relative_to(ROT).with_suffix("").parts).removesuffix(".__init__") for f in filer
    ]


def test_domenemodulene_er_funnet() -> None:
    # The glob must find the modules, or the test below would pass on nothing.
    moduler = domenemoduler()
    assert "services.vedtak.domain.vedtak" in moduler
    assert "services.settlement.domain.aggregater" in moduler
    assert "services.settlement.domain.beregning" in moduler
    assert "shared.events" in moduler


@pytest.mark.parametrize("modul", domenemoduler())
def test_domenemodul_laster_ingen_io(modul: str) -> None:
    program = (
        "import importlib, json, sys\n"
        f"importlib.import_module({modul!r})\n"
        f"forbudt = {FORBUDT!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules"
        " if any(m == f or m.startswith(f + '.') for f in forbudt))))\n"
    )
    svar = subprocess.run(
        [sys.executable, "-c", program], cwd=ROT, capture_output=True, text=True, check=True
    )
    assert json.loads(svar.stdout) == []
