"""The organisation registry: who may act for which municipalities.

Loaded from ``$OPPGJOR_ORG_REGISTER``, else ``<data dir>/organisasjoner.json`` if it
exists, else the built-in demo registry. The file is a JSON list (or
``{"organisasjoner": [...]}``) of ``{"organisasjonsnummer", "navn", "rolle", "kommuner"}``,
the same shape ``oppgjor orgs --json`` prints.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from stdnum.no import orgnr as stdnum_orgnr

from shared.tilgang import nokler
from shared.tilgang.scopes import SCOPES_FOR_ROLLE

Rolle = Literal["kommune", "revisjon", "hdir"]
ROLLER: tuple[str, ...] = get_args(Rolle)
REGISTER_FIL = "organisasjoner.json"

_KOMMUNENUMMER = re.compile(r"[0-9]{4}")  # fullmatch: "$" would let "0138\n" through


class RegisterFeil(ValueError):
    """An organisation number or registry entry is invalid."""


def normaliser_orgnr(verdi: str) -> str:
    """``"983 544 622"`` or ``"0192:983544622"`` -> ``"983544622"``; checks mod-11."""
    orgnr = stdnum_orgnr.compact(verdi.strip().removeprefix("0192:"))
    if not (len(orgnr) == 9 and stdnum_orgnr.is_valid(orgnr)):
        raise RegisterFeil(f"{verdi!r} er ikke et gyldig organisasjonsnummer (9 siffer, mod-11)")
    return orgnr


@dataclass(frozen=True)
class Organisasjon:
    """One organisation and the municipalities it may act for."""

    organisasjonsnummer: str
    navn: str
    rolle: Rolle
    kommuner: frozenset[str]

    def __post_init__(self) -> None:
        orgnr = self.organisasjonsnummer
        if normaliser_orgnr(orgnr) != orgnr:
            raise RegisterFeil(f"skriv organisasjonsnummer som 9 siffer uten mellomrom: {orgnr!r}")
        # Accept any iterable of strings, but store the frozen set the type promises.
        object.__setattr__(self, "kommuner", frozenset(self.kommuner))
        if self.rolle not in ROLLER:
            raise RegisterFeil(f"ukjent rolle {self.rolle!r}; gyldige: {', '.join(ROLLER)}")
        for knr in self.kommuner:
            if not (isinstance(knr, str) and _KOMMUNENUMMER.fullmatch(knr)):
                raise RegisterFeil(f"kommunenummer må være 4 siffer som streng, fikk {knr!r}")
        # Hdir may publish national data without a municipality; the others act only for some.
        if self.rolle != "hdir" and not self.kommuner:
            raise RegisterFeil(f"{self.organisasjonsnummer}: rolle {self.rolle} krever kommuner")

    @property
    def tillatte_scopes(self) -> frozenset[str]:
        """The scopes this organisation's role may use."""
        return SCOPES_FOR_ROLLE[self.rolle]

    def kan_handle_for(self, kommunenummer: str) -> bool:
        """Hdir may act for every municipality (it runs the national scheme); a municipality
        or an audit body only for those listed."""
        return self.rolle == "hdir" or kommunenummer in self.kommuner

    def som_json(self) -> dict[str, Any]:
        """The registry file / ``orgs --json`` shape."""
        return {
            "organisasjonsnummer": self.organisasjonsnummer,
            "navn": self.navn,
            "rolle": self.rolle,
            "kommuner": sorted(self.kommuner),
        }

    @classmethod
    def fra_json(cls, data: object) -> Organisasjon:
        """Parse one registry entry, raising ``RegisterFeil`` with a readable reason."""
        if not isinstance(data, dict):
            raise RegisterFeil("hver oppføring må være et JSON-objekt")
        ukjente = set(data) - {"organisasjonsnummer", "navn", "rolle", "kommuner"}
        if ukjente:
            raise RegisterFeil(f"ukjente felt: {', '.join(sorted(ukjente))}")
        orgnr, navn, rolle, kommuner = (
            data.get("organisasjonsnummer"),
            data.get("navn", ""),
            data.get("rolle"),
            data.get("kommuner", []),
        )
        if not isinstance(orgnr, str):
            raise RegisterFeil("'organisasjonsnummer' må være en streng")
        if not isinstance(navn, str):
            raise RegisterFeil("'navn' må være en streng")
        if not isinstance(rolle, str) or rolle not in ROLLER:
            raise RegisterFeil(f"'rolle' må være en av {', '.join(ROLLER)}, fikk {rolle!r}")
        if not isinstance(kommuner, list):
            raise RegisterFeil("'kommuner' må være en liste med kommunenummer")
        return cls(normaliser_orgnr(orgnr), navn, rolle, frozenset(kommuner))  # type: ignore[arg-type]


def _sorteringsnokkel(org: Organisasjon) -> tuple[str, str]:
    return (org.rolle, org.organisasjonsnummer)


class Organisasjonsregister:
    """Organisations by organisation number."""

    def __init__(self, organisasjoner: Iterable[Organisasjon]) -> None:
        self._etter_orgnr: dict[str, Organisasjon] = {}
        for org in organisasjoner:
            if org.organisasjonsnummer in self._etter_orgnr:
                raise RegisterFeil(f"{org.organisasjonsnummer} står to ganger i registeret")
            self._etter_orgnr[org.organisasjonsnummer] = org

    def finn(self, organisasjonsnummer: str) -> Organisasjon | None:
        """The organisation, or None if unknown (or not a valid number at all)."""
        try:
            return self._etter_orgnr.get(normaliser_orgnr(organisasjonsnummer))
        except RegisterFeil:
            return None

    def __iter__(self) -> Iterator[Organisasjon]:
        return iter(sorted(self._etter_orgnr.values(), key=_sorteringsnokkel))

    def __len__(self) -> int:
        return len(self._etter_orgnr)

    @property
    def kommuner(self) -> frozenset[str]:
        """Every municipality some organisation may act for."""
        return frozenset().union(*(o.kommuner for o in self._etter_orgnr.values()))

    def som_json(self) -> list[dict[str, Any]]:
        return [o.som_json() for o in self]

    @classmethod
    def fra_json(cls, data: object, kilde: str = "registeret") -> Organisasjonsregister:
        """Parse a list of entries (or ``{"organisasjoner": [...]}``)."""
        if isinstance(data, dict) and set(data) == {"organisasjoner"}:
            data = data["organisasjoner"]
        if not isinstance(data, list):
            raise RegisterFeil(f"{kilde}: forventet en JSON-liste med organisasjoner")
        organisasjoner = []
        for i, oppforing in enumerate(data):
            try:
                organisasjoner.append(Organisasjon.fra_json(oppforing))
            except RegisterFeil as e:
                raise RegisterFeil(f"{kilde}, oppføring {i}: {e}") from e
        try:
            return cls(organisasjoner)
        except RegisterFeil as e:
            raise RegisterFeil(f"{kilde}: {e}") from e

    @classmethod
    def fra_fil(cls, sti: Path) -> Organisasjonsregister:
        try:
            data = json.loads(sti.read_text(encoding="utf-8"))
        except OSError as e:
            raise RegisterFeil(f"kan ikke lese organisasjonsregisteret {sti}: {e.strerror}") from e
        except ValueError as e:
            raise RegisterFeil(f"{sti} er ikke gyldig JSON: {e}") from e
        return cls.fra_json(data, kilde=str(sti))

    @classmethod
    def demo(cls) -> Organisasjonsregister:
        return cls(DEMO_ORGANISASJONER)


FORSOKSKOMMUNER: frozenset[str] = frozenset({"0138", "0926", "1243", "1714"})

# Hdir's number is real; the others are made-up but mod-11 valid (91 + kommunenummer + ...).
DEMO_ORGANISASJONER: tuple[Organisasjon, ...] = (
    Organisasjon("983544622", "Helsedirektoratet", "hdir", FORSOKSKOMMUNER),
    Organisasjon("910138006", "Hobøl kommune (demo)", "kommune", frozenset({"0138"})),
    Organisasjon("910926004", "Lillesand kommune (demo)", "kommune", frozenset({"0926"})),
    Organisasjon("911243008", "Os kommune (demo)", "kommune", frozenset({"1243"})),
    Organisasjon("911714000", "Stjørdal kommune (demo)", "kommune", frozenset({"1714"})),
    Organisasjon("919999004", "Kommunerevisjonen (demo)", "revisjon", FORSOKSKOMMUNER),
)


def last_register(
    data_dir: Path | None = None, miljo: Mapping[str, str] | None = None
) -> Organisasjonsregister:
    """The registry from ``$OPPGJOR_ORG_REGISTER``, ``<data dir>/organisasjoner.json`` or the demo.

    A configured path that does not exist is an error, never a silent fall-back to the demo.
    """
    env = os.environ if miljo is None else miljo
    if konfigurert := env.get("OPPGJOR_ORG_REGISTER"):
        return Organisasjonsregister.fra_fil(Path(konfigurert))
    katalog = data_dir if data_dir is not None else nokler.data_dir(env)
    if (katalog / REGISTER_FIL).exists():
        return Organisasjonsregister.fra_fil(katalog / REGISTER_FIL)
    return Organisasjonsregister.demo()
