"""Verifying every issued version against the log (docs/verifisering.md; issue 7).

For each version of each municipality-quarter, read from the log itself:
- `hash`: the document hash recomputed by its `hash_algoritme` equals the stored one;
- `signatur`: the JWS holds under a published issuing key and names this hash;
- `kjede`: versions run 1..n, `forrige_hash` is the hash of the version before, and
  `per` never goes back;
- `logg_hode`: the log's hash chain, recomputed from the log (not from the chain table),
  has the recorded head at the recorded position;
- `beregning`: the settlement recomputed as known at the version's `per` has the same
  figures;
- `lesemodell`: the read model's copy of the version equals the log's.
The chain table is also checked against the recomputed chain, so an edited event after
the last issued version is found too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import resolve_topic

from services.settlement.adapters.utstedelsesnokler import Utstedelsesnokler
from services.settlement.application.applikasjon import OppgjorApplikasjon
from services.settlement.application.korreksjon import dokumenthash, tall_fra_dokument
from services.settlement.application.oppgjor import Oppgjorstjeneste
from services.settlement.application.signering import signaturfeil
from services.settlement.domain.aggregater import Tillagt
from services.settlement.domain.korreksjon import kvartalstall, uendret
from shared.lagring.logg import naa
from shared.lagring.loggkjede import ETTERFYLL_BIT, Loggpost, alle_lenker, hoder_fra_loggen

KONTROLLER = ("hash", "signatur", "kjede", "logg_hode", "beregning", "lesemodell")
OK, FEIL, IKKE_AKTUELT = "ok", "feil", "ikke_aktuelt"


@dataclass
class Versjonskontroll:
    kommunenummer: str
    aar: int
    kvartal: int
    versjon: int
    posisjon: int
    hendelse: dict[str, Any]  # the OppgjorUtstedt payload as the log keeps it
    kontroller: dict[str, str] = field(default_factory=lambda: dict.fromkeys(KONTROLLER, OK))
    feil: list[str] = field(default_factory=list)

    def avvik(self, kontroll: str, melding: str) -> None:
        self.kontroller[kontroll] = FEIL
        self.feil.append(f"{kontroll}: {melding}")

    def json(self) -> dict[str, Any]:
        dokument = self.hendelse.get("dokument", {})
        return {
            "kommunenummer": self.kommunenummer,
            "aar": self.aar,
            "kvartal": self.kvartal,
            "versjon": self.versjon,
            "posisjon": self.posisjon,
            "hash": dokument.get("hash"),
            "hash_algoritme": dokument.get("hash_algoritme"),
            "gyldig": not self.feil,
            "kontroller": self.kontroller,
            "feil": self.feil,
        }


@lru_cache(maxsize=256)
def _er_hdirhendelse(topic: str) -> bool:
    """Hdir's facts, issued versions among them, are all stored as `Tillagt` (old module-path
    topics resolve to it too); which fact it is stands in the payload's `type`."""
    try:
        return resolve_topic(topic) is Tillagt
    except Exception:  # a topic no class answers to now: not an issued version
        return False


class Verifisering:
    def __init__(
        self, app: OppgjorApplikasjon, oppgjor: Oppgjorstjeneste, nokler: Utstedelsesnokler
    ) -> None:
        self.app = app
        self.oppgjor = oppgjor
        self.nokler = nokler

    def verifiser(
        self, kommunenummer: str | None = None, aar: int | None = None, kvartal: int | None = None
    ) -> dict[str, Any]:
        """Check every issued version (optionally of one municipality, year, quarter)."""
        self.oppgjor.oppdater()
        versjoner = [
            v
            for v in self._utstedte_fra_loggen()
            if (kommunenummer is None or v.kommunenummer == kommunenummer)
            and (aar is None or v.aar == aar)
            and (kvartal is None or v.kvartal == kvartal)
        ]
        with self.app.lager.les() as s:
            tabellen = alle_lenker(s)
        posisjoner = set(tabellen) | {
            int(v.hendelse["dokument"]["logg_hode"]["posisjon"])
            for v in versjoner
            if _logg_hode(v.hendelse) is not None
        }
        hoder = hoder_fra_loggen(self.loggposter, posisjoner)
        loggfeil = [
            f"loggkjede: raden ved posisjon {p} stemmer ikke med loggen"
            for p, h in sorted(tabellen.items())
            if hoder.get(p) != h
        ]
        for kvartalet in _per_kvartal(versjoner):
            self._kvartal(kvartalet, hoder)
        feil = loggfeil + [
            f"{v.kommunenummer} {v.aar} K{v.kvartal} versjon {v.versjon}: {f}"
            for v in versjoner
            for f in v.feil
        ]
        return {
            "kommunenummer": kommunenummer,
            "aar": aar,
            "kvartal": kvartal,
            "gyldig": not feil,
            "antall_versjoner": len(versjoner),
            "logg": {"kjede_gyldig": not loggfeil, "rader": len(tabellen)},
            "versjoner": [v.json() for v in versjoner],
            "feil": feil,
        }

    def loggposter(self, etter: int, til: int | None, grense: int) -> list[Loggpost]:
        with self.app.lager.les() as s:
            return self.app.loggposter(s, etter, til, grense)

    def _utstedte_fra_loggen(self) -> Iterator[Versjonskontroll]:
        etter = 0
        while poster := self.loggposter(etter, None, ETTERFYLL_BIT):
            for p in poster:
                if not _er_hdirhendelse(p.topic):
                    continue
                hendelse = self.app.mapper.to_domain_event(
                    StoredEvent(p.aggregat, p.versjon, p.topic, p.tilstand)
                ).hendelse  # type: ignore[attr-defined]
                if hendelse.get("type") == "OppgjorUtstedt":
                    yield Versjonskontroll(
                        hendelse["kommunenummer"],
                        int(hendelse["aar"]),
                        int(hendelse["kvartal"]),
                        int(hendelse["versjon"]),
                        p.posisjon,
                        hendelse,
                    )
            etter = poster[-1].posisjon

    def _kvartal(self, versjoner: list[Versjonskontroll], hoder: dict[int, str | None]) -> None:
        forrige: Versjonskontroll | None = None
        v0 = versjoner[0]
        lest = self.oppgjor.les.utstedte(v0.kommunenummer, v0.aar, v0.kvartal, naa())
        lesemodell = {int(d["versjon"]): d for d in lest}
        for nr, v in enumerate(versjoner, start=1):
            try:
                self._versjon(v, nr, forrige, hoder)
            except (KeyError, TypeError, ValueError, ArithmeticError) as e:
                v.avvik("hash", f"dokumentet er misdannet ({type(e).__name__})")
            kopi = lesemodell.pop(v.versjon, None)
            if kopi != v.hendelse:
                v.avvik("lesemodell", "lesemodellens kopi er ikke lik loggens")
            forrige = v
        for versjon in sorted(lesemodell):
            versjoner[-1].avvik(
                "lesemodell", f"lesemodellen har en versjon {versjon} loggen ikke har"
            )

    def _versjon(
        self,
        v: Versjonskontroll,
        nr: int,
        forrige: Versjonskontroll | None,
        hoder: dict[int, str | None],
    ) -> None:
        d = v.hendelse["dokument"]
        self._hash_og_signatur(v, d)
        _kjede(v, d, nr, forrige)
        _logg_hode_holder(v, hoder)
        beregning = self.oppgjor.beregn(v.kommunenummer, v.aar, v.kvartal, _per(d))
        try:
            lik = uendret(kvartalstall(beregning), tall_fra_dokument(d))
        except (KeyError, TypeError, ArithmeticError):
            lik = False
        if not lik:
            v.avvik("beregning", "oppgjøret beregnet på nytt per dokumentets per har andre tall")

    def _hash_og_signatur(self, v: Versjonskontroll, d: dict[str, Any]) -> None:
        try:
            hash_ = dokumenthash(d)
        except ValueError as e:
            hash_ = None
            v.avvik("hash", str(e))
        if hash_ is not None and not (hash_ == d.get("hash") == v.hendelse.get("hash")):
            v.avvik("hash", "dokumenthashen stemmer ikke med innholdet")
        if d.get("hash_algoritme") is None and "signatur" not in d:
            v.kontroller["signatur"] = IKKE_AKTUELT  # issued before signing
        elif (feil := signaturfeil(d, self.nokler.nokkelsett())) is not None:
            v.avvik("signatur", feil)


def _kjede(
    v: Versjonskontroll, d: dict[str, Any], nr: int, forrige: Versjonskontroll | None
) -> None:
    """Versions run 1..n, each names the hash before it, and `per` never goes back."""
    if v.versjon != nr or d.get("versjon") != v.versjon:
        v.avvik("kjede", f"versjon {v.versjon} står som nummer {nr} i loggen")
    ventet = None if forrige is None else forrige.hendelse["dokument"].get("hash")
    if d.get("forrige_hash") != ventet or v.hendelse.get("forrige_hash") != ventet:
        v.avvik("kjede", "forrige_hash er ikke hashen til versjonen før")
    if forrige is not None and _per(d) < _per(forrige.hendelse["dokument"]):
        v.avvik("kjede", "per er tidligere enn versjonen før")


def _logg_hode_holder(v: Versjonskontroll, hoder: dict[int, str | None]) -> None:
    hode = _logg_hode(v.hendelse)
    if hode is None:
        v.kontroller["logg_hode"] = IKKE_AKTUELT  # issued before the log chain
    elif hoder.get(hode[0]) != hode[1]:
        v.avvik("logg_hode", f"loggens kjede har ikke det oppførte hodet ved posisjon {hode[0]}")


def _per(dokument: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(dokument["per"])


def _logg_hode(hendelse: dict[str, Any]) -> tuple[int, str] | None:
    hode = hendelse.get("dokument", {}).get("logg_hode")
    if not isinstance(hode, dict):
        return None
    return int(hode["posisjon"]), str(hode["hash"])


def _per_kvartal(versjoner: list[Versjonskontroll]) -> list[list[Versjonskontroll]]:
    grupper: dict[tuple[str, int, int], list[Versjonskontroll]] = {}
    for v in versjoner:
        grupper.setdefault((v.kommunenummer, v.aar, v.kvartal), []).append(v)
    return [grupper[k] for k in sorted(grupper)]
