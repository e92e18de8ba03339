"""Norwegian names for the codes the documents use: municipalities, components, groups, flags.

The pages and the exports for people (XLSX, excel-csv) show the same words, so they live
here, where both the API's exports and the web pages can reach them.
"""

from __future__ import annotations

# The four trial municipalities (regelverk 1) by kommunenummer.
KOMMUNER: dict[str, str] = {
    "0138": "Hobøl",
    "0926": "Lillesand",
    "1243": "Os",
    "1714": "Stjørdal",
}

KOMPONENTER: tuple[tuple[str, str], ...] = (
    ("vedtakstilskudd", "Vedtakstilskudd"),
    ("rundsumtilskudd", "Rundsumtilskudd"),
    ("inntektspaslag", "Inntektspåslag"),
    ("sum", "Sum tilskudd"),
    ("uttrekk", "Uttrekk (andel)"),
    ("differanse", "Differanse"),
)

GRUPPER: dict[str, str] = {
    "langtidsopphold": "Langtidsopphold",
    "korttidsopphold": "Korttidsopphold",
    "utskrivningsklare": "Utskrivningsklare pasienter",
    "helsetjenester_i_hjemmet": "Helsetjenester i hjemmet",
    "praktisk_bistand": "Praktisk bistand",
    "praktisk_bistand_opplaering": "Praktisk bistand – opplæring",
    "avlastning_utenfor_institusjon": "Avlastning utenfor institusjon",
    "dagsenter": "Dagsenter",
    "bpa": "Brukerstyrt personlig assistanse",
    "omsorgslonn": "Omsorgslønn",
    "stottekontakt": "Støttekontakt",
}

FLAGG: dict[str, str] = {
    "ingen_rapport": "Ingen rapport",
    "under_terskel": "Under terskel",
    "over_vedtak": "Over vedtak",
}
ENHETER: dict[str, str] = {"time": "timer", "dogn": "døgn"}


def kommunens_navn(knr: str) -> str:
    """The municipality's name alone, or "" for a number not in the list."""
    return KOMMUNER.get(knr, "")


def gruppenavn(gruppe: str) -> str:
    return GRUPPER.get(gruppe, gruppe.replace("_", " ").capitalize())
