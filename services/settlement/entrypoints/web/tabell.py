"""Big tables on the pages: filter, sort and page rows on the server, from the query string.

One set of query parameters for every table page (`side`, `sorter`, `retning`, `sok`,
`tjenestekode`, `tjenestegruppe`, `flagg`), so links, forms and exports all speak the same
language. Rows are the API's own dicts; sorting compares the API's decimal strings as
Decimal, never as float, and never changes a figure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from starlette.datastructures import QueryParams

from shared.events.katalog import finn_tjenestekode
from shared.problem import Problem

PER_SIDE = 50
MAKS_SOK = 100
Retning = Literal["stigende", "synkende"]
Rad = Mapping[str, Any]


@dataclass(frozen=True)
class Kolonne:
    """A sortable column: the row's field, its header, and whether it sorts as a number."""

    felt: str
    navn: str
    tall: bool = False


@dataclass(frozen=True)
class Valg:
    """What the person asked for: the filters, the sort and the page."""

    side: int = 1
    sorter: str | None = None
    retning: Retning = "stigende"
    sok: str = ""
    tjenestekode: str = ""
    tjenestegruppe: str = ""
    flagg: str = ""

    def filtre(self) -> dict[str, str]:
        """The filters and sort as query parameters (the exports carry these, not the page)."""
        par = {
            "sok": self.sok,
            "tjenestekode": self.tjenestekode,
            "tjenestegruppe": self.tjenestegruppe,
            "flagg": self.flagg,
        }
        if self.sorter:
            par |= {"sorter": self.sorter, "retning": self.retning}
        return {k: v for k, v in par.items() if v}


@dataclass(frozen=True)
class Side:
    """One page of rows, and what the headers and the page links need."""

    rader: list[Rad]
    valg: Valg
    totalt: int
    antall_sider: int
    kolonner: Sequence[Kolonne] = field(default_factory=list)

    @property
    def fra(self) -> int:
        return 0 if self.totalt == 0 else (self.valg.side - 1) * PER_SIDE + 1

    @property
    def til(self) -> int:
        return min(self.valg.side * PER_SIDE, self.totalt)

    def aria_sort(self, felt: str) -> str:
        if self.valg.sorter != felt:
            return "none"
        return "ascending" if self.valg.retning == "stigende" else "descending"

    def sortering(self, felt: str) -> dict[str, str]:
        """The query of a header link: this column, the other way if it is the current one."""
        retning = "stigende"
        if self.valg.sorter == felt and self.valg.retning == "stigende":
            retning = "synkende"
        return {**self.valg.filtre(), "sorter": felt, "retning": retning}

    def sidelenke(self, nr: int) -> dict[str, str]:
        return {**self.valg.filtre(), "side": str(nr)}

    def sidetall(self) -> list[int]:
        """The page numbers to link: first, last, and two either side of this one."""
        n, naa = self.antall_sider, self.valg.side
        return [i for i in range(1, n + 1) if i in (1, n) or abs(i - naa) <= 2]


def _tekst(par: QueryParams, navn: str, maks: int = MAKS_SOK) -> str:
    verdi = (par.get(navn) or "").strip()
    if len(verdi) > maks or any(ord(c) < 32 for c in verdi):
        raise Problem(422, f"{navn} er for lang eller har ugyldige tegn (høyst {maks} tegn).")
    return verdi


def les_valg(par: QueryParams, kolonner: Sequence[Kolonne], flagg: bool = False) -> Valg:
    """The query string as a Valg; nonsense gives a Norwegian 422, never a 500."""
    side_tekst = par.get("side") or "1"
    if not side_tekst.isdigit() or not 1 <= int(side_tekst) <= 1_000_000:
        raise Problem(422, "side må være et positivt heltall.")
    sorter = par.get("sorter") or None
    if sorter is not None and sorter not in {k.felt for k in kolonner}:
        gyldige = ", ".join(k.felt for k in kolonner)
        raise Problem(422, f"Kan ikke sortere på den kolonnen; velg en av {gyldige}.")
    retning = par.get("retning") or "stigende"
    if retning not in ("stigende", "synkende"):
        raise Problem(422, "retning må være stigende eller synkende.")
    valgt_flagg = _tekst(par, "flagg", 20) if flagg else ""
    if par.get("kun_flagget") in ("true", "on", "1") and not valgt_flagg:
        valgt_flagg = "flagget"  # the audit page's older checkbox
    return Valg(
        side=int(side_tekst),
        sorter=sorter,
        retning=retning,  # type: ignore[arg-type]  # checked just above
        sok=_tekst(par, "sok"),
        tjenestekode=_tekst(par, "tjenestekode", 20),
        tjenestegruppe=_tekst(par, "tjenestegruppe", 60),
        flagg=valgt_flagg,
    )


def tjenestegruppe(rad: Rad) -> str:
    """A row's group: its own field, else the code catalogue's (audit rows lack it)."""
    if rad.get("tjenestegruppe"):
        return str(rad["tjenestegruppe"])
    kode = finn_tjenestekode(str(rad.get("tjenestekode", "")))
    return kode.tjenestegruppe if kode else ""


def _flagg_passer(rad: Rad, flagg: str) -> bool:
    if not flagg:
        return True
    rad_flagg = list(rad.get("flagg") or [])
    if flagg == "flagget":
        return bool(rad_flagg)
    if flagg == "ingen":
        return not rad_flagg
    return flagg in rad_flagg


def passer(rad: Rad, valg: Valg, sokefelt: str = "vedtak_id") -> bool:
    """Search is a case-insensitive substring of the search field; filters match exactly."""
    if valg.sok and valg.sok.casefold() not in str(rad.get(sokefelt, "")).casefold():
        return False
    if valg.tjenestekode and rad.get("tjenestekode") != valg.tjenestekode:
        return False
    if valg.tjenestegruppe and tjenestegruppe(rad) != valg.tjenestegruppe:
        return False
    return _flagg_passer(rad, valg.flagg)


def _nokkel(kolonne: Kolonne) -> Callable[[Rad], tuple[int, Any]]:
    """Empty values (no share, no version) sort before every value; flags by their text."""

    def nokkel(rad: Rad) -> tuple[int, Any]:
        verdi = rad.get(kolonne.felt)
        if verdi is None or verdi == "":
            return (0, Decimal(0) if kolonne.tall else "")
        if kolonne.tall:
            try:
                return (1, Decimal(str(verdi)))
            except InvalidOperation:
                return (0, Decimal(0))
        if isinstance(verdi, list | tuple):
            verdi = " ".join(str(v) for v in verdi)
        return (1, str(verdi).casefold())

    return nokkel


def utvalg(
    rader: Sequence[Rad], valg: Valg, kolonner: Sequence[Kolonne], sokefelt: str = "vedtak_id"
) -> list[Rad]:
    """The rows that pass the filters, in the chosen order (the export's rows)."""
    ut = [r for r in rader if passer(r, valg, sokefelt)]
    kolonne = next((k for k in kolonner if k.felt == valg.sorter), None)
    if kolonne is not None:
        ut.sort(key=_nokkel(kolonne), reverse=valg.retning == "synkende")
    return ut


def del_opp(
    rader: Sequence[Rad], valg: Valg, kolonner: Sequence[Kolonne], sokefelt: str = "vedtak_id"
) -> Side:
    """Filter, sort, then the asked page; a page past the end gives a Norwegian 404."""
    alle = utvalg(rader, valg, kolonner, sokefelt)
    antall_sider = max(1, -(-len(alle) // PER_SIDE))
    if valg.side > antall_sider:
        raise Problem(404, f"Side {valg.side} finnes ikke; tabellen har {antall_sider} sider.")
    start = (valg.side - 1) * PER_SIDE
    return Side(alle[start : start + PER_SIDE], valg, len(alle), antall_sider, kolonner)
