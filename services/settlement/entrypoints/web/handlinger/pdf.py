"""An issued settlement document as PDF (fpdf2, pure Python): for printing and archiving.

The text is written uncompressed, so the hash and every figure can be found in the file
itself by anyone checking an archived copy (and by the tests).
"""

from __future__ import annotations

from typing import Any

from fpdf import FPDF

from services.settlement.entrypoints.web import format as tallformat
from services.settlement.entrypoints.web.visning import KOMPONENTER, TYPER, kommunenavn

BREDDE = 190  # mm of an A4 page inside its margins


def _latin1(tekst: str) -> str:
    """The PDF core fonts hold Latin-1 (æøå included); anything else becomes plain ASCII."""
    erstatt = {"\u2212": "-", "\u00a0": " ", "\u2013": "-", "\u202f": " "}
    tekst = "".join(erstatt.get(c, c) for c in tekst)
    return tekst.encode("latin-1", errors="replace").decode("latin-1")


def _kr(verdi: str | None) -> str:
    return _latin1(tallformat.kroner(verdi))


def _tabell(pdf: FPDF, overskrift: str, hode: list[str], rader: list[list[str]]) -> None:
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(BREDDE, 7, _latin1(overskrift), new_x="LMARGIN", new_y="NEXT")
    bredde = BREDDE / len(hode)
    pdf.set_font("Helvetica", "B", 9)
    for i, h in enumerate(hode):
        pdf.cell(bredde, 6, _latin1(h), border="B", align="L" if i == 0 else "R")
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for rad in rader:
        for i, celle in enumerate(rad):
            pdf.cell(bredde, 5.5, _latin1(celle), align="L" if i == 0 else "R")
        pdf.ln()
    pdf.ln(3)


def _felt(pdf: FPDF, navn: str, verdi: str, kode: bool = False) -> None:
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(35, 5.5, _latin1(navn))
    pdf.set_font("Courier" if kode else "Helvetica", "", 9)
    pdf.multi_cell(BREDDE - 35, 5.5, _latin1(verdi), new_x="LMARGIN", new_y="NEXT")


def lag_pdf(dok: dict[str, Any]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_compression(False)
    pdf.set_title(_latin1(f"Oppgjør {dok['kommunenummer']} {dok['aar']} K{dok['kvartal']}"))
    pdf.set_author("Omsorgsoppgjør")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    tittel = (
        f"{TYPER.get(dok['type'], dok['type'])} {dok['kvartal']}. kvartal {dok['aar']}, "
        f"{kommunenavn(dok['kommunenummer'])}"
    )
    pdf.multi_cell(BREDDE, 8, _latin1(tittel), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _felt(pdf, "Versjon", str(dok["versjon"]))
    _felt(pdf, "Utstedt", dok["utstedt"], kode=True)
    _felt(pdf, "Kjent per", dok["per"], kode=True)
    _felt(pdf, "Hash", dok["hash"], kode=True)
    _felt(pdf, "Forrige hash", dok.get("forrige_hash") or "(ingen: første versjon)", kode=True)
    _felt(pdf, "Hashregel", dok.get("hash_algoritme") or "(eldre regel)", kode=True)
    pdf.ln(3)
    _tabell(pdf, "Komponenter", ["Komponent", "Beløp"], [[n, _kr(dok[k])] for k, n in KOMPONENTER])
    _tabell(
        pdf,
        "Linjer per tjenestekode",
        ["Tjenestekode", "Volum", "Sats", "Beløp", "Vedtak"],
        [
            [
                linje["tjenestekode"],
                _latin1(tallformat.volum(linje["volum"])),
                _kr(linje["sats"]),
                _kr(linje["belop"]),
                str(linje["antall_vedtak"]),
            ]
            for linje in dok["linjer"]
        ],
    )
    korreksjon = dok.get("korreksjon")
    if korreksjon:
        _tabell(
            pdf,
            f"Korreksjon mot versjon {korreksjon['fra_versjon']}",
            ["Komponent", "Differanse"],
            [[n, _kr(korreksjon[k])] for k, n in KOMPONENTER],
        )
        _tabell(
            pdf,
            "Korreksjon per tjenestekode",
            ["Tjenestekode", "Volum", "Beløp"],
            [
                [d["tjenestekode"], _latin1(tallformat.volum(d["volum"])), _kr(d["belop"])]
                for d in korreksjon["linjer"]
            ],
        )
    return bytes(pdf.output())
