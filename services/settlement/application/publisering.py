"""What Hdir publishes and registers: price tables, funding basis, payments, year locks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError as LoggIntegritetsfeil
from sqlalchemy.exc import IntegrityError as SqlIntegritetsfeil

from services.settlement.application.applikasjon import OppgjorApplikasjon
from services.settlement.domain.aggregater import (
    Aarslas,
    Grunnlag,
    Satstabell,
    Utbetalinger,
    Utbetalingsid,
)
from services.settlement.domain.satsendring import Satsendring, sammenlign
from services.settlement.porter import Aarslasskriver
from shared.events import (
    AarGjenapnet,
    AarLast,
    GrunnlagPublisert,
    SatserPublisert,
    SatsLinje,
    UtbetalingRegistrert,
    finn_tjenestekode,
)
from shared.events.typer import er_kronebelop
from shared.feil import Konflikt, Ugyldig
from shared.lagring.logg import aggregat_id, naa

T = TypeVar("T")
FORSTE_AAR, SISTE_AAR = 2000, 2100


def sjekk_aar(aar: int) -> None:
    if not FORSTE_AAR <= aar <= SISTE_AAR:
        raise Ugyldig(f"aar må være mellom {FORSTE_AAR} og {SISTE_AAR}, fikk {aar}")


class Publisering:
    def __init__(self, app: OppgjorApplikasjon, aarslas: Aarslasskriver) -> None:
        self.app = app
        self.aarslas = aarslas

    def _med_forsok(self, handling: Callable[[], T]) -> T:
        # A concurrent publication of the same aggregate took our version: retry on top.
        for _ in range(4):
            try:
                with self.app.lager.transaksjon() as sesjon:
                    # The event's recorded time is read after the log's write lock, as a
                    # batch's is: an issuer's `per` can then never pass an uncommitted
                    # publication (oppgjor.py `utsted`).
                    self.app.skrivelas(sesjon, eksklusiv=True)
                    return handling()
            except (LoggIntegritetsfeil, SqlIntegritetsfeil):
                continue
        raise Konflikt("Samtidig endring; prøv igjen")

    def forhandsvis_satser(self, aar: int, satser: list[SatsLinje]) -> Satsendring:
        """What publishing `satser` would change against the table in force now."""
        self._valider_satser(aar, satser)
        return _endring(self.app.les(Satstabell, Satstabell.nokkel_for(aar)), satser)

    def publiser_satser(
        self,
        aar: int,
        satser: list[SatsLinje],
        kilde: str | None,
        *,
        tillat_fjerning: bool = True,
        hopp_over_lik: bool = False,
    ) -> Satspublisering:
        """A new version of the year's price table (regelverk 3).

        For a person at the CLI or the pages: with `hopp_over_lik`, a table equal to the one
        in force is not published again (its version is returned with `ny_versjon` False),
        and without `tillat_fjerning` a table that drops codes in force is refused (409),
        since those codes' vedtak lines would become `mangler_sats` (4.4). The API's PUT
        publishes what it is sent, as api.md fixes it.
        """
        self._valider_satser(aar, satser)

        def publiser() -> Satspublisering:
            tabell = self.app.hent_eller_ny(Satstabell, Satstabell.nokkel_for(aar))
            # Compared inside the transaction, so a concurrent publication is seen.
            endring = _endring(tabell, satser)
            if hopp_over_lik and endring.ingen_endring and endring.gjeldende_versjon is not None:
                return Satspublisering(endring.gjeldende_versjon, False, endring)
            if endring.fjernet and not tillat_fjerning:
                raise Konflikt(
                    f"Tabellen fjerner {len(endring.fjernet)} koder som gjelder "
                    f"({', '.join(endring.fjernet)}); bekreft fjerningen uttrykkelig",
                )
            versjon = tabell.neste_versjon
            tabell.publiser(
                SatserPublisert(aar=aar, versjon=versjon, satser=satser, kilde=kilde).model_dump(
                    mode="json"
                ),
                naa(),
            )
            self.app.save(tabell)
            return Satspublisering(versjon, True, endring)

        return self._med_forsok(publiser)

    def _valider_satser(self, aar: int, satser: list[SatsLinje]) -> None:
        sjekk_aar(aar)
        errors = []
        sett: set[str] = set()
        for i, linje in enumerate(satser):
            if finn_tjenestekode(linje.tjenestekode) is None:
                errors.append(_feil(i, "tjenestekode", "ukjent tjenestekode"))
            elif linje.tjenestekode in sett:
                errors.append(_feil(i, "tjenestekode", f"{linje.tjenestekode} står to ganger"))
            if not er_kronebelop(linje.sats):
                errors.append(_feil(i, "sats", "sats må være >= 0 med høyst to desimaler"))
            sett.add(linje.tjenestekode)
        if errors:
            raise Ugyldig("Satstabellen er ugyldig", errors=errors)

    def publiser_grunnlag(
        self,
        kommunenummer: str,
        aar: int,
        uttrekk: Decimal,
        rundsum: Decimal,
        inntektspaslag: Decimal,
        startdato: date | None,
    ) -> int:
        sjekk_aar(aar)
        errors = [
            _feil(None, navn, f"{navn} må være >= 0 med høyst to desimaler")
            for navn, verdi in (
                ("uttrekk", uttrekk),
                ("rundsum", rundsum),
                ("inntektspaslag", inntektspaslag),
            )
            if not er_kronebelop(verdi)
        ]
        if startdato is not None and startdato.year != aar:
            errors.append(_feil(None, "startdato", f"startdato må ligge i {aar}"))
        if errors:
            raise Ugyldig("Finansieringsgrunnlaget er ugyldig", errors=errors)

        def publiser() -> int:
            grunnlag = self.app.hent_eller_ny(Grunnlag, Grunnlag.nokkel_for(kommunenummer, aar))
            versjon = grunnlag.neste_versjon
            grunnlag.publiser(
                GrunnlagPublisert(
                    kommunenummer=kommunenummer,
                    aar=aar,
                    versjon=versjon,
                    uttrekk=uttrekk,
                    rundsum=rundsum,
                    inntektspaslag=inntektspaslag,
                    startdato=startdato,
                ).model_dump(mode="json"),
                naa(),
            )
            self.app.save(grunnlag)
            return versjon

        return self._med_forsok(publiser)

    def registrer_utbetaling(
        self,
        kommunenummer: str,
        aar: int,
        kvartal: int,
        belop: Decimal,
        betalt_dato: date,
        referanse: str | None,
        utbetaling_id: UUID | None = None,
    ) -> dict[str, object]:
        sjekk_aar(aar)
        if not er_kronebelop(belop, negativ_tillatt=True):  # a repayment may be negative
            raise Ugyldig("belop må være hele øre, med høyst to desimaler")
        hendelse = UtbetalingRegistrert(
            utbetaling_id=utbetaling_id or uuid4(),
            kommunenummer=kommunenummer,
            aar=aar,
            kvartal=kvartal,
            belop=belop,
            betalt_dato=betalt_dato,
            referanse=referanse,
        ).model_dump(mode="json")

        def registrer() -> dict[str, object]:
            utbetalinger = self.app.hent_eller_ny(
                Utbetalinger, Utbetalinger.nokkel_for(kommunenummer)
            )
            reservert = Utbetalingsid.nokkel_for(str(hendelse["utbetaling_id"]))
            # The municipality's own history covers payments registered before ids were
            # reserved across municipalities.
            if aggregat_id("hdir", reservert) in self.app.repository or any(
                u["utbetaling_id"] == hendelse["utbetaling_id"] for u in utbetalinger.historikk
            ):
                raise Konflikt("utbetaling_id er allerede registrert")
            utbetalinger.registrer(hendelse, naa())
            self.app.save(utbetalinger, Utbetalingsid(nokkel=reservert))
            return hendelse

        return self._med_forsok(registrer)

    def las_aar(self, kommunenummer: str, aar: int, begrunnelse: str | None) -> None:
        """regelverk 4.7: events dated in a locked year are refused until it is reopened."""
        sjekk_aar(aar)
        self._sett_las(kommunenummer, aar, last=True, begrunnelse=begrunnelse)

    def gjenapne_aar(self, kommunenummer: str, aar: int, begrunnelse: str | None) -> None:
        sjekk_aar(aar)
        self._sett_las(kommunenummer, aar, last=False, begrunnelse=begrunnelse)

    def _sett_las(self, kommunenummer: str, aar: int, last: bool, begrunnelse: str | None) -> None:
        def sett() -> None:
            las = self.app.hent_eller_ny(Aarslas, Aarslas.nokkel_for(kommunenummer, aar))
            if las.er_last == last:
                tilstand = "låst" if last else "åpent"
                raise Konflikt(f"år {aar} er allerede {tilstand} for kommune {kommunenummer}")
            if last:
                las.las(
                    AarLast(
                        kommunenummer=kommunenummer, aar=aar, begrunnelse=begrunnelse
                    ).model_dump(mode="json"),
                    naa(),
                )
            else:
                las.gjenapne(
                    AarGjenapnet(
                        kommunenummer=kommunenummer, aar=aar, begrunnelse=begrunnelse
                    ).model_dump(mode="json"),
                    naa(),
                )
            self.app.save(las)
            # Same transaction as the event: ingestion sees the lock as soon as we return.
            self.aarslas.sett(kommunenummer, aar, last, naa())

        self._med_forsok(sett)


@dataclass(frozen=True)
class Satspublisering:
    """The outcome of publishing a price table: its version, and whether it is new."""

    versjon: int
    ny_versjon: bool
    endring: Satsendring


def _endring(tabell: Satstabell, satser: list[SatsLinje]) -> Satsendring:
    siste = tabell.historikk[-1] if tabell.historikk else None
    return sammenlign(
        {s["tjenestekode"]: Decimal(s["sats"]) for s in siste["satser"]} if siste else None,
        int(siste["versjon"]) if siste else None,
        {linje.tjenestekode: linje.sats for linje in satser},
    )


def _feil(index: int | None, felt: str, detail: str) -> dict[str, object]:
    return {"index": index, "hendelse_id": None, "felt": felt, "detail": detail}
