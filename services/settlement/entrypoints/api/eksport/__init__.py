"""CSV and XLSX renderings of the API's documents (pure functions: document -> bytes).

The three read views (a municipality's quarter, the national quarter, the audit view) also
answer as spreadsheets, chosen by `?format=` or the `Accept` header. Every figure comes
straight from the document's decimal strings: CSV keeps them verbatim (decimal point, as
in JSON); XLSX writes them as real number cells whose stored text is that same string, so
no amount ever passes through a binary float.

CSV holds one rectangular table (`;`-separated, UTF-8, no BOM, header row of the JSON
field names); `?tabell=` picks which when a view has several. `excel-csv` is that table
for Norwegian Excel: Norwegian headers, municipality names, decimal comma, shares in
percent, UTF-8 with BOM. XLSX holds them all, one sheet each with Norwegian headers, plus
an "Om" sheet saying what was exported.
"""

from services.settlement.entrypoints.api.eksport.forhandling import openapi_svar, svar, velg_format
from services.settlement.entrypoints.api.eksport.skrivere import (
    skriv_arbeidsbok,
    skriv_csv,
    skriv_excel_csv,
)
from services.settlement.entrypoints.api.eksport.typer import (
    ANDEL,
    BELOP,
    CSV,
    FORMATER,
    HELTALL,
    JSON,
    MEDIETYPER,
    SKILLETEGN,
    VOLUM,
    XLSX,
    Ark,
    Format,
    FormatParam,
    Kolonne,
    NedlastingParam,
    TabellParam,
    Verdi,
)
from services.settlement.entrypoints.api.eksport.visninger import (
    nasjonalt_ark,
    oppgjor_ark,
    revisjon_ark,
)

__all__ = [
    "ANDEL",
    "BELOP",
    "CSV",
    "FORMATER",
    "HELTALL",
    "JSON",
    "MEDIETYPER",
    "SKILLETEGN",
    "VOLUM",
    "XLSX",
    "Ark",
    "Format",
    "FormatParam",
    "Kolonne",
    "NedlastingParam",
    "TabellParam",
    "Verdi",
    "nasjonalt_ark",
    "openapi_svar",
    "oppgjor_ark",
    "revisjon_ark",
    "skriv_arbeidsbok",
    "skriv_csv",
    "skriv_excel_csv",
    "svar",
    "velg_format",
]
