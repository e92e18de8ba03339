"""The export vocabulary: formats, media types, columns, sheets and query parameters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Query

# `csv` is the machine CSV (field names, decimal point, no BOM; unchanged since it came);
# `excel-csv` is the same table for Norwegian Excel (Norwegian headers, decimal comma, BOM).
Format = Literal["json", "csv", "excel-csv", "xlsx"]
FORMATER: tuple[Format, ...] = ("json", "csv", "excel-csv", "xlsx")
JSON = "application/json"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIETYPER: dict[Format, str] = {"json": JSON, "csv": CSV, "excel-csv": CSV, "xlsx": XLSX}
SKILLETEGN = ";"

# Excel number formats: money with thousands separators, volumes with four decimals, shares
# as percentages (the cell holds the exact fraction, 0.8512, and shows 85.12 %).
BELOP = "#,##0.00"
VOLUM = "0.0000"
ANDEL = "0.00%"
HELTALL = "0"

# Which renderings show a column: both, only the machine CSV (field names as in the JSON),
# or only the human ones (XLSX and excel-csv), such as a municipality's name.
Synlighet = Literal["begge", "maskin", "menneske"]

Verdi = str | Decimal | int | bool | None | Sequence[str]

# The routes' query parameters (`format` is a builtin, hence the alias).
FormatParam = Annotated[
    Format | None,
    Query(
        alias="format",
        description=(
            "Svarformat: `json`, `csv` (maskinlesbar: feltnavn, desimalpunktum, uten BOM), "
            "`excel-csv` (for norsk Excel: norske overskrifter, desimalkomma, UTF-8 med BOM) "
            "eller `xlsx`. Uten denne avgjør Accept-headeren (standard JSON)."
        ),
    ),
]
# The pages download what they show; JSON is the API's business.
Nedlasting = Literal["csv", "excel-csv", "xlsx"]
NedlastingParam = Annotated[
    Nedlasting | None,
    Query(alias="format", description="Last ned tabellen: `csv`, `excel-csv` eller `xlsx`"),
]
TabellParam = Annotated[
    str | None,
    Query(pattern=r"^[a-z_]{1,30}$", description="CSV: hvilken tabell (se svarbeskrivelsen)"),
]


@dataclass(frozen=True)
class Kolonne:
    """A column: its field name (machine CSV), its Norwegian header (XLSX, excel-csv), and
    for numbers the Excel format (None: text or as-is)."""

    navn: str
    tallformat: str | None = None
    overskrift: str | None = None
    synlig: Synlighet = "begge"

    @property
    def tittel(self) -> str:
        """The header people read: the Norwegian words, else the field name."""
        return self.overskrift or self.navn


@dataclass(frozen=True)
class Ark:
    """One table: a sheet in XLSX, or the whole file in CSV (`nokkel` is `?tabell=`)."""

    navn: str
    kolonner: Sequence[Kolonne | str]
    rader: Sequence[Sequence[Verdi]]
    nokkel: str = ""

    @property
    def tabellnavn(self) -> str:
        return self.nokkel or self.navn.lower()
