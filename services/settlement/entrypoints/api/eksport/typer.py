"""The export vocabulary: formats, media types, columns, sheets and query parameters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Query

Format = Literal["json", "csv", "xlsx"]
JSON = "application/json"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIETYPER: dict[Format, str] = {"json": JSON, "csv": CSV, "xlsx": XLSX}
SKILLETEGN = ";"

# Excel number formats: money with thousands separators, volumes and shares with four decimals.
BELOP = "#,##0.00"
VOLUM = "0.0000"
ANDEL = "0.0000"
HELTALL = "0"

Verdi = str | Decimal | int | bool | None | Sequence[str]

# The routes' query parameters (`format` is a builtin, hence the alias).
FormatParam = Annotated[
    Format | None,
    Query(
        alias="format",
        description="Svarformat; uten denne avgjør Accept-headeren (standard JSON)",
    ),
]
TabellParam = Annotated[
    str | None,
    Query(pattern=r"^[a-z_]{1,30}$", description="CSV: hvilken tabell (se svarbeskrivelsen)"),
]


@dataclass(frozen=True)
class Kolonne:
    """A column: its header, and for numbers the Excel format (None: text or as-is)."""

    navn: str
    tallformat: str | None = None


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
