"""A batch as received: its outcome types, and reading raw items before validation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from shared.events import Hendelse, VedtakFattet, finn_tjenestekode
from shared.events.feilmelding import feiltekst
from shared.feil import Applikasjonsfeil, IkkeTillatt

MAKS_HENDELSER = 1000


@dataclass(frozen=True)
class HendelseFeil:
    index: int
    hendelse_id: str | None
    felt: str | None
    detail: str


def avvist(
    art: type[Applikasjonsfeil], tittel: str, feil: Sequence[HendelseFeil] = ()
) -> Applikasjonsfeil:
    """The batch was refused, nothing of it stored: `art` says why (Ugyldig, Konflikt,
    IkkeTillatt), and every refused item is listed."""
    return art(tittel, errors=[asdict(f) for f in feil])


@dataclass(frozen=True)
class Kvittering:
    mottatt: int
    nye: int
    duplikater: int
    posisjon: int


def lagringsform(h: Hendelse) -> dict[str, Any]:
    """The hendelse as the log keeps it: contract JSON, bemanningsfaktor made explicit."""
    data = h.model_dump(mode="json")
    if isinstance(h, VedtakFattet):
        tjeneste = finn_tjenestekode(h.tjenestekode)
        if tjeneste is not None and tjeneste.enhet == "time" and data["bemanningsfaktor"] is None:
            data["bemanningsfaktor"] = 1  # regelverk 3: default 1
    return data


def hendelse_id_fra(element: Any) -> str | None:
    if isinstance(element, dict):
        try:
            return str(UUID(str(element.get("hendelse_id"))))
        except ValueError:
            return None
    return None


# Receipts are kept per municipality: (kommunenummer, hendelse_id).
Kvitteringsnokkel = tuple[str, str]


def kvitteringsnokkel(element: Any) -> Kvitteringsnokkel | None:
    """The receipt key of a raw item that did not parse, where it has one."""
    hid = hendelse_id_fra(element)
    if hid is None or not _er_kommunenummer(element.get("kommunenummer")):
        return None
    return (element["kommunenummer"], hid)


def skjemafeil(index: int, hid: str | None, e: ValidationError) -> list[HendelseFeil]:
    ut = []
    for feil in e.errors(include_url=False):
        sti = [str(d) for d in feil["loc"]]
        # Discriminated unions prefix the location with the type tag; drop it.
        if len(sti) > 1 and sti[0][:1].isupper():
            sti = sti[1:]
        ut.append(HendelseFeil(index, hid, ".".join(sti) or None, feiltekst(feil)))
    return ut


def _er_kommunenummer(verdi: Any) -> bool:
    # A malformed number is a shape error (422), reported with the rest of the batch.
    # ASCII only: str.isdigit() is true for Arabic-Indic and other digits too.
    return isinstance(verdi, str) and len(verdi) == 4 and verdi.isascii() and verdi.isdigit()


def sjekk_kommuner(raa: Sequence[Any], kommuner: frozenset[str] | None) -> None:
    if kommuner is None:
        return
    feil = [
        HendelseFeil(
            i,
            hendelse_id_fra(e),
            "kommunenummer",
            f"avsenderen kan ikke sende hendelser for kommune {e.get('kommunenummer')!r}",
        )
        for i, e in enumerate(raa)
        if isinstance(e, dict)
        and _er_kommunenummer(e.get("kommunenummer"))
        and e["kommunenummer"] not in kommuner
    ]
    if feil:
        raise avvist(IkkeTillatt, "Kommunen er ikke din", feil)
