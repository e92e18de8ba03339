"""One way in for reads: catch the read model up, record person-level reads, then answer.

Every API route and page that reads goes through here, so "read your writes" (the read
model has every event logged before the request) and the access log happen in one place,
the same way for the API, the pages and the exports. No entrypoint reaches the projector or
the read model's tables itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from services.settlement.adapters.lesemodell import Lesemodell
from services.settlement.application.oppgjor import Oppgjorstjeneste
from services.settlement.application.revisjon import Revisjonstjeneste
from services.settlement.application.verifisering import Verifisering
from services.settlement.domain.aggregater import Aarslas
from services.settlement.domain.fakta import Finansieringsgrunnlag, Satstabell
from services.settlement.porter import Innsynslogg, Projeksjon
from shared.feil import IkkeFunnet


class Leser(Protocol):
    """Who reads (an authenticated organisation; shared.tilgang's Tilgang is one)."""

    @property
    def organisasjonsnummer(self) -> str: ...

    @property
    def rolle(self) -> str: ...

    def synlige(self, kommuner: Iterable[str]) -> list[str]:
        """Those of `kommuner` this reader may see, sorted."""
        ...


@dataclass(frozen=True)
class Aarslasstatus:
    """A municipality's year as it stands now: locked or open, and the last reason given."""

    last: bool
    endringer: int
    begrunnelse: str | None


class Lesetjeneste:
    def __init__(
        self,
        projeksjon: Projeksjon,
        lesemodell: Lesemodell,
        oppgjor: Oppgjorstjeneste,
        revisjon: Revisjonstjeneste,
        innsynslogg: Innsynslogg,
        verifisering: Verifisering,
    ) -> None:
        self.projeksjon = projeksjon
        self.les = lesemodell
        self.oppgjor = oppgjor
        self.revisjon = revisjon
        self.innsynslogg = innsynslogg
        self.verifisering = verifisering

    def _oppdater(self) -> None:
        """Read your writes: project what is logged before answering."""
        self.projeksjon.ta_igjen()

    def _innsyn(self, leser: Leser, kommunenummer: str | None, ressurs: str) -> None:
        self.innsynslogg.registrer(leser.organisasjonsnummer, leser.rolle, kommunenummer, ressurs)

    # Hdir's publications.

    def satstabell(self, aar: int, per: datetime) -> Satstabell:
        self._oppdater()
        tabell = self.les.satstabell(aar, per)
        if tabell is None:
            raise IkkeFunnet(f"Ingen satstabell for {aar} er publisert per {per.isoformat()}")
        return tabell

    def grunnlag(self, kommunenummer: str, aar: int, per: datetime) -> Finansieringsgrunnlag:
        self._oppdater()
        g = self.les.grunnlag(kommunenummer, aar, per)
        if g is None:
            raise IkkeFunnet(f"Intet finansieringsgrunnlag for {kommunenummer} {aar}")
        return g

    # Settlements.

    def synlige_kommuner(self, leser: Leser, per: datetime) -> list[str]:
        """The municipalities with any fact known at `per` that this reader may see."""
        self._oppdater()
        return leser.synlige(self.les.kommuner(per))

    def siste_utstedte_kvartal(self, leser: Leser, per: datetime) -> tuple[int, int] | None:
        """The latest quarter issued for any municipality this reader may see."""
        kvartaler = [
            (int(u["dokument"]["aar"]), int(u["dokument"]["kvartal"]))
            for knr in self.synlige_kommuner(leser, per)
            for u in self.les.alle_utstedte(knr, per)
        ]
        return max(kvartaler, default=None)

    def nasjonal(self, leser: Leser, aar: int, kvartal: int, per: datetime) -> dict[str, Any]:
        synlige = frozenset(self.synlige_kommuner(leser, per))
        return self.oppgjor.nasjonal(aar, kvartal, per, kommuner=synlige)

    def saldo(self, kommunenummer: str, per: datetime) -> dict[str, Any]:
        self._oppdater()
        return self.oppgjor.saldo(kommunenummer, per)

    def dokument(
        self,
        leser: Leser,
        kommunenummer: str,
        aar: int,
        kvartal: int,
        per: datetime,
        *,
        detaljer: bool = False,
    ) -> dict[str, Any]:
        """The quarter as known at `per`; with `detaljer` it lists vedtak lines (logged)."""
        self._oppdater()
        if detaljer:
            self._innsyn(leser, kommunenummer, f"oppgjor/{aar}/{kvartal}?detaljer=vedtak")
        return self.oppgjor.dokument(kommunenummer, aar, kvartal, per, detaljer=detaljer)

    def versjoner(
        self, leser: Leser, kommunenummer: str, aar: int, kvartal: int, per: datetime
    ) -> list[dict[str, Any]]:
        """The issued documents list vedtak lines: a person-level read."""
        self._oppdater()
        self._innsyn(leser, kommunenummer, f"oppgjor/{aar}/{kvartal}/versjoner")
        return self.oppgjor.versjoner(kommunenummer, aar, kvartal, per)

    def forklar(
        self,
        leser: Leser,
        kommunenummer: str,
        aar: int,
        kvartal: int,
        vedtak_id: str,
        per: datetime,
    ) -> dict[str, Any]:
        self._oppdater()
        self._innsyn(leser, kommunenummer, f"oppgjor/{aar}/{kvartal}/vedtak/{vedtak_id}")
        return self.oppgjor.forklar(kommunenummer, aar, kvartal, vedtak_id, per)

    def endring(
        self,
        leser: Leser,
        kommunenummer: str,
        aar: int,
        kvartal: int,
        fra: datetime,
        til: datetime,
    ) -> dict[str, Any]:
        """The difference is listed per vedtak line: a person-level read."""
        self._oppdater()
        self._innsyn(leser, kommunenummer, f"oppgjor/{aar}/{kvartal}/endring")
        return self.oppgjor.endring(kommunenummer, aar, kvartal, fra, til)

    def utsted(self, leser: Leser, kommunenummer: str, aar: int, kvartal: int) -> dict[str, Any]:
        """Issue the quarter (Oppgjorstjeneste.utsted). The issued document it answers with
        lists vedtak lines, so it is recorded as a read once it is issued."""
        dokument = self.oppgjor.utsted(kommunenummer, aar, kvartal)
        self._innsyn(leser, kommunenummer, f"oppgjor/{aar}/{kvartal}/utsted")
        return dokument

    def verifiser(
        self, leser: Leser, kommunenummer: str, aar: int | None, kvartal: int | None
    ) -> dict[str, Any]:
        """Check the municipality's issued versions against the log (docs/verifisering.md).
        The documents checked list vedtak lines; the answer does not, but it reads them."""
        self._innsyn(leser, kommunenummer, f"revisjon/verifisering?aar={aar}&kvartal={kvartal}")
        return self.verifisering.verifiser(kommunenummer, aar, kvartal)

    def utstedelsesnokler(self) -> dict[str, Any]:
        """The public issuing keys, retired ones included (a JWKS document)."""
        return self.verifisering.nokler.jwks()

    def aaret(
        self, kommunenummer: str, aar: int, per: datetime, terskel: Decimal
    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Each quarter of the year: its document, and decided against delivered time.

        For an overview that shows only totals per code, never a vedtak row: not a
        person-level read, so not logged.
        """
        self._oppdater()
        return [
            (
                self.oppgjor.dokument(kommunenummer, aar, kvartal, per),
                self.revisjon.vedtatt_utfort(kommunenummer, aar, kvartal, per, terskel),
            )
            for kvartal in (1, 2, 3, 4)
        ]

    # Audit.

    def vedtatt_utfort(
        self,
        leser: Leser,
        kommunenummer: str,
        aar: int,
        kvartal: int,
        per: datetime,
        terskel: Decimal,
    ) -> dict[str, Any]:
        """Decided against delivered time: its vedtak rows are a person-level read."""
        self._oppdater()
        self._innsyn(leser, kommunenummer, f"revisjon/{aar}/{kvartal}/vedtatt-utfort")
        return self.revisjon.vedtatt_utfort(kommunenummer, aar, kvartal, per, terskel)

    def hendelser(
        self,
        leser: Leser,
        kommunenummer: str,
        per: datetime,
        etter: int,
        grense: int,
        vedtak_id: str | None = None,
    ) -> dict[str, Any]:
        """A page of the log (replay); filtered by vedtak, the log names that vedtak."""
        self._oppdater()
        ressurs = f"revisjon/hendelser?etter={etter}"
        if vedtak_id is not None:
            ressurs += f"&vedtak_id={vedtak_id}"
        self._innsyn(leser, kommunenummer, ressurs)
        return self.revisjon.hendelser(kommunenummer, per, etter, grense, vedtak_id)

    def innsyn(
        self, kommuner: list[str], fra: datetime, til: datetime, grense: int, hopp_over: int = 0
    ) -> list[Any]:
        """Who read person-level data of these municipalities (the access log itself)."""
        return list(self.les.innsyn(kommuner, fra, til, grense, hopp_over))

    def antall_innsyn(self, kommuner: list[str], fra: datetime, til: datetime) -> int:
        """How many access-log rows `innsyn` pages through (for the page links)."""
        return self.les.antall_innsyn(kommuner, fra, til)

    def aarslas(self, kommunenummer: str, aar: int) -> Aarslasstatus:
        """Whether the year is locked now, read from the lock's own events (the source of
        truth; the `aarslas` table only mirrors them for ingestion's sake)."""
        las = self.oppgjor.app.les(Aarslas, Aarslas.nokkel_for(kommunenummer, aar))
        siste = las.historikk[-1] if las.historikk else {}
        return Aarslasstatus(
            last=las.er_last, endringer=len(las.historikk), begrunnelse=siste.get("begrunnelse")
        )
