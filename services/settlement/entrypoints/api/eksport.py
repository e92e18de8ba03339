"""CSV and XLSX renderings of the API's documents (pure functions: document -> bytes).

The three read views (a municipality's quarter, the national quarter, the audit view) also
answer as spreadsheets, chosen by `?format=` or the `Accept` header. Every figure comes
straight from the document's decimal strings: CSV keeps them verbatim (decimal point, as
in JSON); XLSX writes them as real number cells whose stored text is that same string, so
no amount ever passes through a binary float.

CSV holds one rectangular table (`;`-separated, UTF-8, no BOM, header row of the JSON
field names); `?tabell=` picks which when a view has several. XLSX holds them all, one
sheet each, plus an "Om" sheet saying what was exported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from fastapi import Query, Response
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from services.settlement.application.dokument import KOMPONENTER
from shared.problem import PROBLEM_JSON, Problem

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


# --------------------------------------------------------------------------- writers


def _kolonne(k: Kolonne | str) -> Kolonne:
    return k if isinstance(k, Kolonne) else Kolonne(k)


def _som_tekst(verdi: Verdi) -> str:
    if verdi is None:
        return ""
    if isinstance(verdi, bool):
        return "true" if verdi else "false"  # as in the JSON
    if isinstance(verdi, Decimal):
        return format(verdi, "f")
    if isinstance(verdi, str | int):
        return str(verdi)
    return ",".join(verdi)


def _sjekk_form(ark: Ark) -> None:
    for i, rad in enumerate(ark.rader, start=2):
        if len(rad) != len(ark.kolonner):
            raise ValueError(
                f"ark {ark.navn!r} rad {i}: {len(rad)} verdier for {len(ark.kolonner)} kolonner"
            )


def skriv_csv(ark: Ark) -> bytes:
    """One table as `;`-separated UTF-8 with a header row; figures exactly as in the JSON."""
    _sjekk_form(ark)
    ut = io.StringIO()
    skriver = csv.writer(ut, delimiter=SKILLETEGN, lineterminator="\r\n")
    skriver.writerow([_kolonne(k).navn for k in ark.kolonner])
    for rad in ark.rader:
        skriver.writerow([_som_tekst(v) for v in rad])
    return ut.getvalue().encode("utf-8")


def _tall(verdi: Verdi) -> Decimal | None:
    if verdi is None or verdi == "":
        return None
    if isinstance(verdi, bool):
        raise TypeError("en sannhetsverdi er ikke et tall")
    if isinstance(verdi, Decimal | int):
        return Decimal(verdi)
    if not isinstance(verdi, str):
        raise TypeError(f"{verdi!r} er ikke et tall")
    try:
        return Decimal(verdi)
    except InvalidOperation:
        raise ValueError(f"{verdi!r} er ikke et desimaltall") from None


def _sett_tall(celle: Cell, tall: Decimal, tallformat: str) -> None:
    celle.value = tall  # marks the cell numeric ("n")
    # openpyxl would write a Decimal through "%.16g" (a float); store the exact text instead.
    celle._value = format(tall, "f")
    celle.number_format = tallformat


def _sett(celle: Cell, verdi: Verdi, kolonne: Kolonne) -> None:
    if kolonne.tallformat is not None and (tall := _tall(verdi)) is not None:
        _sett_tall(celle, tall, kolonne.tallformat)
    elif isinstance(verdi, Decimal):
        _sett_tall(celle, verdi, "General")
    elif verdi is None or isinstance(verdi, str | int | bool):
        celle.value = verdi
    else:
        celle.value = ",".join(verdi)


def _bredde(kolonne: Kolonne, rader: Sequence[Sequence[Verdi]], i: int) -> float:
    lengste = max([len(kolonne.navn), *(len(_som_tekst(r[i])) for r in rader[:500])])
    ekstra = 3 if kolonne.tallformat == BELOP else 1  # room for thousands separators
    return min(max(lengste + ekstra, 8), 60)


def skriv_arbeidsbok(ark: Sequence[Ark]) -> bytes:
    """An XLSX workbook, one sheet per table: bold frozen header, widths, filter, numbers.

    Reusable for any tables (the demo writes its yearly summary with it): a column with a
    `tallformat` takes decimal strings, Decimals or ints and stores them as numbers.
    """
    if not ark:
        raise ValueError("en arbeidsbok trenger minst ett ark")
    bok = Workbook()
    standard = bok.active
    assert standard is not None
    bok.remove(standard)
    fet = Font(bold=True)
    for tabell in ark:
        _sjekk_form(tabell)
        kolonner = [_kolonne(k) for k in tabell.kolonner]
        blad = bok.create_sheet(tabell.navn[:31])  # Excel's limit on sheet names
        for j, kolonne in enumerate(kolonner, start=1):
            celle = blad.cell(row=1, column=j, value=kolonne.navn)
            celle.font = fet
            blad.column_dimensions[get_column_letter(j)].width = _bredde(
                kolonne, tabell.rader, j - 1
            )
        for i, rad in enumerate(tabell.rader, start=2):
            for j, (verdi, kolonne) in enumerate(zip(rad, kolonner, strict=True), start=1):
                _sett(blad.cell(row=i, column=j), verdi, kolonne)
        blad.freeze_panes = "A2"
        if tabell.rader:
            blad.auto_filter.ref = blad.dimensions
    ut = io.BytesIO()
    bok.save(ut)
    return ut.getvalue()


# ----------------------------------------------------------------- the three views


def _om(felt: Mapping[str, Any]) -> Ark:
    return Ark(
        "Om",
        ["felt", "verdi"],
        [(k, v if isinstance(v, int | str) or v is None else str(v)) for k, v in felt.items()],
    )


def oppgjor_ark(dokument: Mapping[str, Any]) -> list[Ark]:
    """A municipality's quarter: components, lines, and vedtak lines when present."""
    endring = dokument.get("endring_siden_utstedt") or {}
    ark = [
        Ark(
            "Oppgjør",
            ["komponent", Kolonne("belop", BELOP), Kolonne("endring_siden_utstedt", BELOP)],
            [(k, dokument[k], endring.get(k)) for k in KOMPONENTER],
            nokkel="oppgjor",
        ),
        Ark(
            "Linjer",
            [
                "tjenestekode",
                "tjenestegruppe",
                "enhet",
                Kolonne("volum", VOLUM),
                Kolonne("sats", BELOP),
                Kolonne("belop", BELOP),
                Kolonne("antall_vedtak", HELTALL),
                "mangler_sats",
            ],
            [
                (
                    linje["tjenestekode"],
                    linje["tjenestegruppe"],
                    linje["enhet"],
                    linje["volum"],
                    linje["sats"],
                    linje["belop"],
                    linje["antall_vedtak"],
                    linje["mangler_sats"],
                )
                for linje in dokument["linjer"]
            ],
        ),
    ]
    if any("vedtak" in linje for linje in dokument["linjer"]):
        ark.append(
            Ark(
                "Vedtak",
                [
                    "tjenestekode",
                    "vedtak_id",
                    Kolonne("volum", VOLUM),
                    Kolonne("belop", BELOP),
                    "mangler_sats",
                ],
                [
                    (
                        linje["tjenestekode"],
                        v["vedtak_id"],
                        v["volum"],
                        v["belop"],
                        v["mangler_sats"],
                    )
                    for linje in dokument["linjer"]
                    for v in linje.get("vedtak", [])
                ],
            )
        )
    ark.append(
        _om(
            {
                "visning": "kvartalsoppgjor",
                **{k: dokument[k] for k in ("kommunenummer", "aar", "kvartal", "per")},
                "utstedt_versjon": dokument.get("utstedt_versjon"),
                "advarsler": "; ".join(a["detail"] for a in dokument.get("advarsler", [])),
            }
        )
    )
    return ark


def nasjonalt_ark(dokument: Mapping[str, Any]) -> list[Ark]:
    """The national quarter: one row per municipality, and the totals."""
    penger = [Kolonne(k, BELOP) for k in KOMPONENTER]
    return [
        Ark(
            "Kommuner",
            [
                "kommunenummer",
                *penger,
                Kolonne("utstedt_versjon", HELTALL),
                Kolonne("utstedt_sum", BELOP),
                "korreksjon_ventende",
                Kolonne("ventende_belop", BELOP),
                "advarsler",
            ],
            [
                (
                    rad["kommunenummer"],
                    *(rad[k] for k in KOMPONENTER),
                    rad["utstedt_versjon"],
                    rad["utstedt_sum"],
                    rad["korreksjon_ventende"],
                    rad["ventende_belop"],
                    [a["kode"] for a in rad["advarsler"]],
                )
                for rad in dokument["kommuner"]
            ],
        ),
        Ark("Totalt", penger, [tuple(dokument["totalt"][k] for k in KOMPONENTER)]),
        _om({"visning": "nasjonalt", **{k: dokument[k] for k in ("aar", "kvartal", "per")}}),
    ]


def revisjon_ark(dokument: Mapping[str, Any]) -> list[Ark]:
    """Decided vs delivered time: per tjenestekode, then per vedtak with flags."""
    timer = [Kolonne("vedtatte_timer", VOLUM), Kolonne("utforte_timer", VOLUM)]
    return [
        Ark(
            "Tjenester",
            ["tjenestekode", *timer, Kolonne("andel", ANDEL)],
            [
                (r["tjenestekode"], r["vedtatte_timer"], r["utforte_timer"], r["andel"])
                for r in dokument["tjenester"]
            ],
        ),
        Ark(
            "Vedtak",
            [
                "vedtak_id",
                "tjenestekode",
                *timer,
                Kolonne("andel", ANDEL),
                "flagg",
                Kolonne("antall_rapporter", HELTALL),
            ],
            [
                (
                    r["vedtak_id"],
                    r["tjenestekode"],
                    r["vedtatte_timer"],
                    r["utforte_timer"],
                    r["andel"],
                    list(r["flagg"]),
                    len(r.get("rapporter", [])),
                )
                for r in dokument["vedtak"]
            ],
        ),
        _om(
            {
                "visning": "vedtatt_utfort",
                **{k: dokument[k] for k in ("kommunenummer", "aar", "kvartal", "per", "terskel")},
            }
        ),
    ]


# --------------------------------------------------------------- content negotiation

_TILBUD: tuple[tuple[Format, str], ...] = (
    ("json", "application/json"),
    ("csv", "text/csv"),
    ("xlsx", XLSX),
)


def _medieomrader(accept: str) -> list[tuple[str, Decimal]]:
    omrader = []
    for del_ in accept.split(","):
        type_, *parametre = (p.strip() for p in del_.split(";"))
        if not type_:
            continue
        vekt = Decimal(1)
        for p in parametre:
            navn, _, verdi = p.partition("=")
            if navn.strip().lower() == "q":
                try:
                    vekt = Decimal(verdi.strip())
                except InvalidOperation:
                    vekt = Decimal(0)  # a malformed weight counts as "not acceptable"
        omrader.append((type_.lower(), vekt))
    return omrader


def _treff(omrade: str, medietype: str) -> int:
    """How specifically a media range matches a type: 3 exact, 2 type/*, 1 */*, 0 not."""
    if omrade == medietype:
        return 3
    hoved = medietype.split("/")[0]
    if omrade == f"{hoved}/*":
        return 2
    return 1 if omrade == "*/*" else 0


def velg_format(format_: Format | None, accept: str | None) -> Format:
    """`?format=` wins; else the Accept header (RFC 9110 12.5.1); none or `*/*` is JSON.

    Among equally weighted offers, one the client named explicitly beats a wildcard
    (`text/csv, */*` is CSV); a remaining tie goes to JSON, then CSV.
    """
    if format_ is not None:
        return format_
    if accept is None or not accept.strip():
        return "json"
    omrader = _medieomrader(accept)
    beste: tuple[Decimal, int, int] | None = None
    valgt: Format | None = None
    for rekkefolge, (fmt, medietype) in enumerate(_TILBUD):
        treff = [(_treff(o, medietype), q) for o, q in omrader if _treff(o, medietype)]
        if not treff:
            continue
        spesifisitet, vekt = max(treff)  # the most specific matching range sets the weight
        if vekt <= 0:
            continue
        nokkel = (vekt, spesifisitet, -rekkefolge)
        if beste is None or nokkel > beste:
            beste, valgt = nokkel, fmt
    if valgt is None:
        raise Problem(
            406,
            f"Kan ikke levere {accept!r}; velg application/json, text/csv eller {XLSX} "
            "(eller ?format=json|csv|xlsx)",
        )
    return valgt


def svar(ark: Sequence[Ark], format_: Format, filnavn: str, tabell: str | None = None) -> Response:
    """The download: CSV of one table (`tabell`, default the first), or the whole workbook."""
    if format_ == "xlsx":
        return Response(
            skriv_arbeidsbok(ark),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{filnavn}.xlsx"'},
        )
    if format_ != "csv":
        raise ValueError(f"svar() lager bare csv og xlsx, ikke {format_}")
    valgt = ark[0] if tabell is None else next((a for a in ark if a.tabellnavn == tabell), None)
    if valgt is None:
        gyldige = ", ".join(a.tabellnavn for a in ark)
        raise Problem(422, f"tabell={tabell!r} finnes ikke her; velg en av {gyldige}")
    navn = filnavn if tabell is None else f"{filnavn}_{valgt.tabellnavn}"
    return Response(
        skriv_csv(valgt),
        media_type=CSV,
        headers={"Content-Disposition": f'attachment; filename="{navn}.csv"'},
    )


def openapi_svar(tabeller: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` documenting the CSV/XLSX alternatives and the 406."""
    return {
        200: {
            "description": (
                "JSON som standard. `?format=csv|xlsx` eller `Accept: text/csv` / "
                f"`Accept: {XLSX}` gir regneark: CSV er én tabell (`;`-skilt, UTF-8, "
                "desimalpunktum som i JSON, feltnavn som overskrifter; `?tabell=` velger "
                f"blant {tabeller}); XLSX har alle tabellene som ark med tallceller."
            ),
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        406: {
            "description": "Accept-headeren ber om et format tjenesten ikke kan levere",
            "content": {PROBLEM_JSON: {}},
        },
    }
