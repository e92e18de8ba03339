"""Quarterly settlements as known at T, and issuing them (regelverk 4, api.md "Settlements").

Reading is always: catch the read model up, take the facts recorded at or before `per`,
run the pure regelverk. Nothing here computes a figure itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from eventsourcing.persistence import IntegrityError as LoggIntegritetsfeil
from sqlalchemy.exc import IntegrityError as SqlIntegritetsfeil

from services.settlement.adapters.lesemodell import Lesemodell
from services.settlement.adapters.projeksjonslesing import Projeksjonslesing, vedtak_med
from services.settlement.adapters.utstedelsesnokler import Utstedelsesnokler
from services.settlement.application.applikasjon import OppgjorApplikasjon
from services.settlement.application.dokument import KOMPONENTER, forklaring, oppgjorsdokument
from services.settlement.application.korreksjon import tall_fra_dokument, vis_korreksjon
from services.settlement.application.resultatlager import Resultatlager
from services.settlement.application.utstedelse import (
    MAKS_FORSOK,
    er_usignert,
    ferdigstill,
    sjekk_forrige,
    sjekk_utstedbar,
    tolk_tid,
)
from services.settlement.domain.aggregater import Kvartalsoppgjor
from services.settlement.domain.avrunding import vis_belop
from services.settlement.domain.beregning import (
    Kvartalsberegning,
    VedtakLinje,
    beregn_kvartal,
    kodelinje_av_grupper,
    kvartal_av_kodelinjer,
    oppgjorsvindu,
    sammenstill_kvartal,
    vedtakslinje,
)
from services.settlement.domain.fakta import tid
from services.settlement.domain.korreksjon import differanse, kvartalstall, uendret
from services.settlement.domain.kvartal import kvartal_fra
from services.settlement.porter import Projeksjon
from shared.events import OppgjorUtstedt
from shared.feil import IkkeFunnet, Konflikt, Ugyldig
from shared.lagring.logg import naa


def sjekk_kvartal(aar: int, kvartal: int) -> None:
    if not 1 <= kvartal <= 4:
        raise Ugyldig(f"kvartal må være 1-4, fikk {kvartal}")
    if not 2000 <= aar <= 2100:
        raise Ugyldig(f"aar må være mellom 2000 og 2100, fikk {aar}")


class Oppgjorstjeneste:
    def __init__(
        self,
        app: OppgjorApplikasjon,
        projektor: Projeksjon,
        lesemodell: Lesemodell,
        nokler: Utstedelsesnokler,
    ) -> None:
        self.app = app
        self.projektor = projektor
        self.les = lesemodell
        self.nokler = nokler  # the issuing key (never in the database)
        self.projeksjon = Projeksjonslesing(lesemodell.lager)
        # Bounded by vedtak lines held (documents) and municipalities held (national views).
        self._dokumenter: Resultatlager[tuple[dict[str, Any], dict[str, Any] | None, bool]] = (
            Resultatlager(maks_vekt=200_000)
        )
        self._nasjonale: Resultatlager[dict[str, Any]] = Resultatlager(maks_vekt=10_000)

    def oppdater(self) -> None:
        """Read your writes: project what is logged before answering."""
        self.projektor.ta_igjen()

    def beregn(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime
    ) -> Kvartalsberegning:
        """The quarter as known at `per`, from the settlement projection (issue 9).

        The projection keeps each vedtak line's exact whole-quarter volume; the regelverk
        prices it with the table in force at `per` and sums it. Only in the quarter that
        the scheme's startdato cuts (regelverk 4.3a) does the regelverk fold the vedtak with
        lines there from their own events instead.
        """
        sjekk_kvartal(aar, kvartal)
        satstabell = self.les.satstabell(aar, per)
        grunnlag = self.les.grunnlag(kommunenummer, aar, per)
        fra, til = oppgjorsvindu(aar, kvartal, grunnlag)
        if fra > til:
            linjer: list[VedtakLinje] = []
        else:
            rader = self.projeksjon.linjer(kommunenummer, aar, kvartal, per)
            if fra > kvartal_fra(aar, kvartal):
                hendelser = self.les.vedtakshendelser_for(kommunenummer, vedtak_med(rader), per)
                return beregn_kvartal(kommunenummer, aar, kvartal, hendelser, satstabell, grunnlag)
            satser = satstabell.satser if satstabell is not None else {}
            linjer = [vedtakslinje(vid, kode, volum, satser) for vid, kode, volum in rader]
        return sammenstill_kvartal(kommunenummer, aar, kvartal, linjer, satstabell, grunnlag)

    def dokument(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime, *, detaljer: bool = False
    ) -> dict[str, Any]:
        """GET .../oppgjor/{aar}/{kvartal}: computed now-as-of-per, beside what was issued."""
        return self._dokument_og_siste_utstedte(kommunenummer, aar, kvartal, per, detaljer)[0]

    def _dokument_og_siste_utstedte(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime, detaljer: bool
    ) -> tuple[dict[str, Any], dict[str, Any] | None, bool]:
        """The computed document, the latest issued document known at `per` (if any), and
        whether the figures differ from it (regelverk 4.6, on exact figures).

        Its inputs are the municipality's events and Hdir's national facts: the answer is
        computed as known when the last of them was recorded, and kept under that instant
        (resultatlager.py)."""
        sist = self.projeksjon.siste_kjente(kommunenummer, per, nasjonale=True)
        dokument, siste, endret = self._dokumenter.hent_eller_beregn(
            (kommunenummer, aar, kvartal, detaljer, sist),
            lambda: self._beregn_dokument(kommunenummer, aar, kvartal, sist or per, detaljer),
            lambda svar: 1 + sum(len(linje.get("vedtak", ())) for linje in svar[0]["linjer"]),
        )
        return {**dokument, "per": tid(per)}, siste, endret

    def _beregn_dokument(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime, detaljer: bool
    ) -> tuple[dict[str, Any], dict[str, Any] | None, bool]:
        utstedte = self.les.utstedte(kommunenummer, aar, kvartal, per)
        if detaljer or utstedte:
            beregning = self.beregn(kommunenummer, aar, kvartal, per)
        else:
            # No line per vedtak to show or to compare with an issued version: the
            # per-code sums from the database's (code, volume, count) groups suffice.
            beregning = self._beregn_gruppert(kommunenummer, aar, kvartal, per)
        dokument = oppgjorsdokument(beregning, per, detaljer=detaljer)
        siste = utstedte[-1]["dokument"] if utstedte else None
        dokument["utstedt_versjon"] = siste["versjon"] if siste else None
        dokument["endring_siden_utstedt"] = None
        endret = False
        if siste is not None:
            ny, utstedt = kvartalstall(beregning), tall_fra_dokument(siste)
            dokument["endring_siden_utstedt"] = {
                k: vis_belop(v) for k, v in differanse(ny, utstedt).komponenter
            }
            endret = not uendret(ny, utstedt)
        return dokument, siste, endret

    def _beregn_gruppert(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime
    ) -> Kvartalsberegning:
        """`beregn` without the vedtak lines: the same per-code lines and components."""
        grunnlag = self.les.grunnlag(kommunenummer, aar, per)
        fra, til = oppgjorsvindu(aar, kvartal, grunnlag)
        if kvartal_fra(aar, kvartal) < fra <= til:
            return self.beregn(kommunenummer, aar, kvartal, per)  # a cut quarter is folded
        satstabell = self.les.satstabell(aar, per)
        satser = satstabell.satser if satstabell is not None else {}
        per_kode: dict[str, list[tuple[Fraction, int]]] = {}
        if fra <= til:
            grupper = self.projeksjon.nasjonale_linjer(aar, kvartal, per, kommunenummer)
            for kode, volum, antall in grupper.get(kommunenummer, []):
                per_kode.setdefault(kode, []).append((volum, antall))
        linjer = tuple(kodelinje_av_grupper(k, per_kode[k], satser) for k in sorted(per_kode))
        return kvartal_av_kodelinjer(kommunenummer, aar, kvartal, linjer, satstabell, grunnlag)

    def forklar(
        self, kommunenummer: str, aar: int, kvartal: int, vedtak_id: str, per: datetime
    ) -> dict[str, Any]:
        """Every line of one vedtak in the quarter, with the events and prices behind it.

        A vedtak's lines depend on its own events only, so the regelverk folds just those.
        """
        sjekk_kvartal(aar, kvartal)
        hendelser = self.les.vedtakshendelser_for(kommunenummer, [vedtak_id], per)
        if not hendelser:
            # The id is not echoed: it is the caller's free text, and might be an identity.
            raise IkkeFunnet(f"vedtaket finnes ikke i kommune {kommunenummer} per {tid(per)}")
        beregning = beregn_kvartal(
            kommunenummer,
            aar,
            kvartal,
            hendelser,
            self.les.satstabell(aar, per),
            self.les.grunnlag(kommunenummer, aar, per),
        )
        linjer = [
            forklaring(v, beregning)
            for linje in beregning.linjer
            for v in linje.vedtak
            if v.vedtak_id == vedtak_id
        ]
        return {
            "kommunenummer": kommunenummer,
            "aar": aar,
            "kvartal": kvartal,
            "per": tid(per),
            "vedtak_id": vedtak_id,
            "linjer": linjer,
        }

    def utsted(self, kommunenummer: str, aar: int, kvartal: int) -> dict[str, Any]:
        """Issue the quarter as known now (regelverk 4.6): a new immutable version.

        Each try takes a fresh `per` and computes at it; a computation is never reused.
        If another issuer saved a version meanwhile (the version check fails) or saved
        one with a later `per`, the try is thrown away and the next one starts over, so
        `per` never goes back from one version to the next.
        """
        sjekk_kvartal(aar, kvartal)
        for _ in range(MAKS_FORSOK):
            with self.app.lager.transaksjon() as sesjon:
                # Waits for batches in flight; every later batch is recorded after `per`,
                # and the log's head now is exactly what is known at `per`.
                per = self.app.skrivelas(sesjon, eksklusiv=False)
                logg_hode = self.app.logg_hode(sesjon)
            # Outside any write transaction: on SQLite the catch-up opens its own.
            self.oppdater()
            beregning = self.beregn(kommunenummer, aar, kvartal, per)
            sjekk_utstedbar(beregning)
            try:
                with self.app.lager.transaksjon():
                    dokument = self._utsted(beregning, per, logg_hode)
            except (LoggIntegritetsfeil, SqlIntegritetsfeil):
                continue  # someone else issued the same quarter at the same moment
            if dokument is not None:
                return dokument
        raise Konflikt("Samtidig utstedelse av samme kvartal; prøv igjen")

    def _utsted(
        self, beregning: Kvartalsberegning, per: datetime, logg_hode: tuple[int, str]
    ) -> dict[str, Any] | None:
        """Save the version computed at `per`, or None if a later `per` was issued first."""
        knr, aar, kvartal = beregning.kommunenummer, beregning.aar, beregning.kvartal
        oppgjor = self.app.hent_eller_ny(
            Kvartalsoppgjor, Kvartalsoppgjor.nokkel_for(knr, aar, kvartal)
        )
        forrige = oppgjor.siste
        if forrige is not None:
            # A korreksjon is computed from the previous version: refuse a forged one.
            sjekk_forrige(forrige, self.nokler)
            if er_usignert(forrige):
                # Issued before signing: only recomputing it shows it is what was issued.
                gammel = self.beregn(knr, aar, kvartal, tolk_tid(forrige["dokument"]["per"]))
                if not uendret(kvartalstall(gammel), tall_fra_dokument(forrige["dokument"])):
                    raise Konflikt(
                        f"Versjon {forrige['versjon']} verifiserer ikke (tallene stemmer ikke "
                        "med loggen); ingen korreksjon utstedes før den er undersøkt "
                        "(oppgjor verifiser)",
                    )
            if tolk_tid(forrige["dokument"]["per"]) > per:
                return None
        dokument = oppgjorsdokument(beregning, per, detaljer=True)
        ny = kvartalstall(beregning)
        if forrige is not None and uendret(ny, tall_fra_dokument(forrige["dokument"])):
            raise Konflikt(
                f"Ingenting er endret siden versjon {forrige['versjon']}; ingen korreksjon å utstede",
            )
        versjon = 1 if forrige is None else forrige["versjon"] + 1
        dokument["versjon"] = versjon
        dokument["type"] = "kvartalsoppgjor" if versjon == 1 else "korreksjonsoppgjor"
        dokument["korreksjon"] = (
            None
            if forrige is None
            else {
                "fra_versjon": forrige["versjon"],
                **vis_korreksjon(differanse(ny, tall_fra_dokument(forrige["dokument"]))),
            }
        )
        dokument["forrige_hash"] = None if forrige is None else forrige["hash"]
        utstedt = naa()
        dokument["utstedt"] = tid(utstedt)
        ferdigstill(dokument, logg_hode, self.nokler)
        oppgjor.utsted(
            OppgjorUtstedt(
                kommunenummer=knr,
                aar=aar,
                kvartal=kvartal,
                versjon=versjon,
                hash=dokument["hash"],
                forrige_hash=dokument["forrige_hash"],
                dokument=dokument,
            ).model_dump(mode="json"),
            utstedt,
        )
        self.app.save(oppgjor)
        return dokument

    def versjoner(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime
    ) -> list[dict[str, Any]]:
        sjekk_kvartal(aar, kvartal)
        return [u["dokument"] for u in self.les.utstedte(kommunenummer, aar, kvartal, per)]

    def endring(
        self, kommunenummer: str, aar: int, kvartal: int, fra: datetime, til: datetime
    ) -> dict[str, Any]:
        """How the quarter's settlement differs between two instants (audit)."""
        b_gammel = self.beregn(kommunenummer, aar, kvartal, fra)
        b_ny = self.beregn(kommunenummer, aar, kvartal, til)
        gammel = oppgjorsdokument(b_gammel, fra, detaljer=False)
        ny = oppgjorsdokument(b_ny, til, detaljer=False)
        return {
            "kommunenummer": kommunenummer,
            "aar": aar,
            "kvartal": kvartal,
            "fra": tid(fra),
            "til": tid(til),
            "fra_oppgjor": {k: gammel[k] for k in KOMPONENTER},
            "til_oppgjor": {k: ny[k] for k in KOMPONENTER},
            "differanse": vis_korreksjon(differanse(kvartalstall(b_ny), kvartalstall(b_gammel))),
        }

    def nasjonal(
        self, aar: int, kvartal: int, per: datetime, kommuner: frozenset[str] | None = None
    ) -> dict[str, Any]:
        """Every municipality's quarter: computed, latest issued, and any pending correction;
        kept under the instant the last event of all was recorded (resultatlager.py)."""
        sjekk_kvartal(aar, kvartal)
        sist = self.projeksjon.siste_kjente(None, per)
        svar = self._nasjonale.hent_eller_beregn(
            (aar, kvartal, kommuner, sist),
            lambda: self._nasjonal(aar, kvartal, sist or per, kommuner),
            lambda svar: len(svar["kommuner"]),
        )
        return {**svar, "per": tid(per)}

    def _nasjonal(
        self, aar: int, kvartal: int, per: datetime, kommuner: frozenset[str] | None
    ) -> dict[str, Any]:
        rader: list[dict[str, Any]] = []
        totalt = dict.fromkeys(KOMPONENTER, Decimal(0))
        satstabell = self.les.satstabell(aar, per)
        satser = satstabell.satser if satstabell is not None else {}
        # One aggregate over the whole country: (code, volume, count) per municipality.
        grupper = self.projeksjon.nasjonale_linjer(aar, kvartal, per)
        alle_grunnlag = self.les.alle_grunnlag(aar, per)
        alle_utstedte = self.les.utstedte_i_kvartal(aar, kvartal, per)
        for knr in self.projeksjon.kommuner(per):
            if kommuner is not None and knr not in kommuner:
                continue
            utstedte = alle_utstedte.get(knr)
            grunnlag = alle_grunnlag.get(knr)
            fra, til = oppgjorsvindu(aar, kvartal, grunnlag)
            siste: dict[str, Any] | None = None
            endret = False
            if utstedte or kvartal_fra(aar, kvartal) < fra <= til:
                # Whether a correction is pending compares every vedtak line with the
                # issued document, and a cut quarter is folded: the per-municipality read.
                dokument, siste, endret = self._dokument_og_siste_utstedte(
                    knr, aar, kvartal, per, True
                )
            else:
                per_kode: dict[str, list[tuple[Fraction, int]]] = {}
                if fra <= til:
                    for kode, volum, antall in grupper.get(knr, []):
                        per_kode.setdefault(kode, []).append((volum, antall))
                linjer = tuple(
                    kodelinje_av_grupper(kode, per_kode[kode], satser) for kode in sorted(per_kode)
                )
                beregning = kvartal_av_kodelinjer(knr, aar, kvartal, linjer, satstabell, grunnlag)
                dokument = oppgjorsdokument(beregning, per, detaljer=False)
                dokument["utstedt_versjon"] = None
                dokument["endring_siden_utstedt"] = None
            endring = dokument["endring_siden_utstedt"]
            for k in KOMPONENTER:
                totalt[k] += Decimal(dokument[k])
            rader.append(
                {
                    "kommunenummer": knr,
                    **{k: dokument[k] for k in KOMPONENTER},
                    "advarsler": dokument["advarsler"],
                    "utstedt_versjon": dokument["utstedt_versjon"],
                    "utstedt_sum": siste["sum"] if siste else None,
                    # Pending: what is computed now differs from what was issued.
                    "korreksjon_ventende": endret,
                    "ventende_belop": endring["sum"] if endring else None,
                }
            )
        return {
            "aar": aar,
            "kvartal": kvartal,
            "per": tid(per),
            "kommuner": rader,
            "totalt": {k: vis_belop(v) for k, v in totalt.items()},
        }

    def saldo(self, kommunenummer: str, per: datetime) -> dict[str, Any]:
        """Issued minus paid, per quarter and in total."""
        kvartaler: dict[tuple[int, int], _Kvartalssaldo] = {}
        for u in self.les.alle_utstedte(kommunenummer, per):
            d = u["dokument"]
            rad = kvartaler.setdefault((d["aar"], d["kvartal"]), _Kvartalssaldo())
            rad.utstedt = Decimal(d["sum"])  # the latest version's total is what is owed
            rad.versjon = int(d["versjon"])
        for b in self.les.utbetalinger(kommunenummer, per):
            kvartaler.setdefault((b["aar"], b["kvartal"]), _Kvartalssaldo()).betalt += Decimal(
                b["belop"]
            )
        utstedt = sum((r.utstedt for r in kvartaler.values()), Decimal(0))
        betalt = sum((r.betalt for r in kvartaler.values()), Decimal(0))
        return {
            "kommunenummer": kommunenummer,
            "per": tid(per),
            "utstedt": vis_belop(utstedt),
            "betalt": vis_belop(betalt),
            "saldo": vis_belop(utstedt - betalt),
            "kvartaler": [
                {
                    "aar": aar,
                    "kvartal": kvartal,
                    "utstedt_versjon": rad.versjon,
                    "utstedt": vis_belop(rad.utstedt),
                    "betalt": vis_belop(rad.betalt),
                    "saldo": vis_belop(rad.utstedt - rad.betalt),
                }
                for (aar, kvartal), rad in sorted(kvartaler.items())
            ],
        }


@dataclass
class _Kvartalssaldo:
    utstedt: Decimal = Decimal(0)
    betalt: Decimal = Decimal(0)
    versjon: int | None = None
