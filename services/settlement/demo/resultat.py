"""The demo's results: the year table, and the three files in demo-output/."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from services.settlement.application.dokument import KOMPONENTER
from services.settlement.demo.kilder import KOMMUNER, publiserte_aar

MNOK = Decimal(1_000_000)


@dataclass(frozen=True)
class Aarsrad:
    kommunenummer: str
    kommune: str
    belop: dict[str, Decimal]  # per component, NOK, the latest issued version of each quarter
    publisert_vedtakstilskudd: Decimal
    korreksjoner: int


def siste_versjoner(dokumenter: list[dict[str, Any]]) -> dict[tuple[str, int, int], dict[str, Any]]:
    siste: dict[tuple[str, int, int], dict[str, Any]] = {}
    for d in dokumenter:
        nokkel = (d["kommunenummer"], d["aar"], d["kvartal"])
        if nokkel not in siste or d["versjon"] > siste[nokkel]["versjon"]:
            siste[nokkel] = d
    return siste


def aarstabell(dokumenter: list[dict[str, Any]], aar: int) -> list[Aarsrad]:
    siste = siste_versjoner(dokumenter)
    rader = []
    for knr, navn in KOMMUNER.items():
        kvartaler = [siste[(knr, aar, k)] for k in range(1, 5) if (knr, aar, k) in siste]
        rader.append(
            Aarsrad(
                kommunenummer=knr,
                kommune=navn,
                belop={k: sum((Decimal(d[k]) for d in kvartaler), Decimal(0)) for k in KOMPONENTER},
                publisert_vedtakstilskudd=publiserte_aar()[(knr, aar)].vedtakstilskudd,
                korreksjoner=sum(
                    1
                    for d in dokumenter
                    if d["kommunenummer"] == knr and d["aar"] == aar and d["versjon"] > 1
                ),
            )
        )
    return rader


def mnok(belop: Decimal) -> str:
    return f"{(belop / MNOK).quantize(Decimal('0.1'))}"


def skriv_json(katalog: Path, dokumenter: list[dict[str, Any]]) -> Path:
    """Every issued document, exactly as `POST …/utsted` answered it, in issue order."""
    sti = katalog / "oppgjor.json"
    sti.write_text(json.dumps(dokumenter, ensure_ascii=False, indent=1), encoding="utf-8")
    return sti


def skriv_xlsx(katalog: Path, dokumenter: list[dict[str, Any]], aar: int) -> Path:
    """One sheet per view; money as real numbers with a number format, never text."""
    bok = Workbook()
    ark = bok.active
    assert ark is not None
    ark.title = f"Kommuner {aar}"
    _ark(
        ark,
        ["kommunenummer", "kommune", *KOMPONENTER, "korreksjoner"],
        [
            [r.kommunenummer, r.kommune, *[r.belop[k] for k in KOMPONENTER], r.korreksjoner]
            for r in aarstabell(dokumenter, aar)
        ],
    )
    siste = siste_versjoner(dokumenter)
    kvartaler = bok.create_sheet("Kvartaler")
    _ark(
        kvartaler,
        ["kommunenummer", "aar", "kvartal", "versjon", "type", *KOMPONENTER, "hash"],
        [
            [knr, a, k, d["versjon"], d["type"], *[Decimal(d[x]) for x in KOMPONENTER], d["hash"]]
            for (knr, a, k), d in sorted(siste.items())
            if a == aar
        ],
    )
    linjer = bok.create_sheet("Linjer")
    _ark(
        linjer,
        [
            "kommunenummer",
            "aar",
            "kvartal",
            "tjenestekode",
            "tjenestegruppe",
            "enhet",
            "volum",
            "sats",
            "belop",
            "antall_vedtak",
        ],
        [
            [
                knr,
                a,
                k,
                lj["tjenestekode"],
                lj["tjenestegruppe"],
                lj["enhet"],
                Decimal(lj["volum"]),
                Decimal(lj["sats"]) if lj["sats"] else None,
                Decimal(lj["belop"]),
                lj["antall_vedtak"],
            ]
            for (knr, a, k), d in sorted(siste.items())
            if a == aar
            for lj in d["linjer"]
        ],
        volum_kolonner=frozenset({"volum"}),
    )
    korr = bok.create_sheet("Korreksjoner")
    _ark(
        korr,
        ["kommunenummer", "aar", "kvartal", "versjon", "fra_versjon", *KOMPONENTER, "utstedt"],
        [
            [
                d["kommunenummer"],
                d["aar"],
                d["kvartal"],
                d["versjon"],
                d["korreksjon"]["fra_versjon"],
                *[Decimal(d["korreksjon"][x]) for x in KOMPONENTER],
                d["utstedt"],
            ]
            for d in sorted(
                dokumenter, key=lambda d: (d["kommunenummer"], d["aar"], d["kvartal"], d["versjon"])
            )
            if d["versjon"] > 1
        ],
    )
    sti = katalog / f"oppgjor_{aar}.xlsx"
    bok.save(sti)
    return sti


def _ark(
    ark: Any, hode: list[str], rader: list[list[Any]], volum_kolonner: frozenset[str] = frozenset()
) -> None:
    ark.append(hode)
    for celle in ark[1]:
        celle.font = Font(bold=True)
    ark.freeze_panes = "A2"
    for rad in rader:
        ark.append(rad)
    for i, navn in enumerate(hode, start=1):
        bokstav = ark.cell(row=1, column=i).column_letter
        ark.column_dimensions[bokstav].width = max(12, len(navn) + 2)
        for (celle,) in ark.iter_rows(min_row=2, min_col=i, max_col=i):
            if isinstance(celle.value, Decimal):
                celle.number_format = "0.0000" if navn in volum_kolonner else "#,##0.00"
    ark.column_dimensions["A"].width = 16


def skriv_html(katalog: Path, dokumenter: list[dict[str, Any]], aar: int) -> Path:
    """A self-contained page (no scripts, no external files) with the year's results."""
    rader = aarstabell(dokumenter, aar)
    celler = "".join(
        f"<tr><th scope='row'>{html.escape(r.kommunenummer)} {html.escape(r.kommune)}</th>"
        + "".join(f"<td data-verdi='{r.belop[k]}'>{mnok(r.belop[k])}</td>" for k in KOMPONENTER)
        + f"<td>{mnok(r.publisert_vedtakstilskudd)}</td><td>{r.korreksjoner}</td></tr>"
        for r in rader
    )
    korreksjoner = "".join(
        f"<li>{html.escape(d['kommunenummer'])} {d['aar']} K{d['kvartal']} versjon {d['versjon']}: "
        f"{html.escape(d['korreksjon']['sum'])} kr (hash {html.escape(d['hash'][:12])}…)</li>"
        for d in sorted(
            dokumenter, key=lambda d: (d["kommunenummer"], d["aar"], d["kvartal"], d["versjon"])
        )
        if d["versjon"] > 1
    )
    side = f"""<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Omsorgsoppgjør {aar}: demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a;max-width:70rem}}
table{{border-collapse:collapse;margin:1rem 0}}th,td{{padding:.35rem .7rem;border-bottom:1px solid #bbb}}
td{{text-align:right;font-variant-numeric:tabular-nums}}caption{{text-align:left;font-weight:600;padding:.5rem 0}}
thead th{{background:#eef2f7}}
</style></head>
<body><main>
<h1>Omsorgsoppgjør: resultater {aar}</h1>
<p>Utstedte oppgjør (siste versjon av hvert kvartal) for de fire forsøkskommunene, i millioner kroner.
Publisert vedtakstilskudd er fra evalueringsrapporten (tabell 3.2).</p>
<table><caption>Oppgjør {aar} per kommune (MNOK)</caption>
<thead><tr><th scope="col">Kommune</th><th scope="col">Vedtakstilskudd</th><th scope="col">Rundsum</th>
<th scope="col">Inntektspåslag</th><th scope="col">Sum</th><th scope="col">Uttrekk</th><th scope="col">Differanse</th>
<th scope="col">Publisert vedtakstilskudd</th><th scope="col">Korreksjoner</th></tr></thead>
<tbody>{celler}</tbody></table>
<h2>Korreksjonsoppgjør</h2><ul>{korreksjoner}</ul>
<p>Alle utstedte dokumenter ligger i <a href="oppgjor.json">oppgjor.json</a> og regnearket i
<a href="oppgjor_{aar}.xlsx">oppgjor_{aar}.xlsx</a>. Start tjenesten med demodataene og åpne <code>/ui</code>
for å se kvartalene, vedtakslinjene og revisjonsflaggene.</p>
</main></body></html>
"""
    sti = katalog / "index.html"
    sti.write_text(side, encoding="utf-8")
    return sti
