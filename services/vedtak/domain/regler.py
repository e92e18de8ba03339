"""Validation of case-system events against the vedtak's history (regelverk 3).

Pure: an event and the aggregate's state in, a list of field errors out. The caller
applies accepted events in order, so later events in one batch see earlier ones.

Identities in free-text fields are refused by the contract itself (shared/events/identitet.py),
before any rule here runs. Messages name the field, never the value sent: it is free text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.vedtak.domain.vedtak import Vedtak
from shared.events import (
    FravaerAnnullert,
    FravaerRegistrert,
    Hendelse,
    UtfortTidRapportert,
    VedtakAnnullert,
    VedtakEndret,
    VedtakFattet,
    VedtakOpphort,
    finn_tjenestekode,
)

MAKS_TIMER_PER_UKE = Decimal(168)  # IPLOS limit (regelverk 3)
MAKS_TIMER_PER_DAG = Decimal(48)  # regelverk 3: utforte_timer <= 48 x days


@dataclass(frozen=True)
class Feltfeil:
    felt: str | None
    detail: str


def valider(h: Hendelse, vedtak: Vedtak | None) -> list[Feltfeil]:
    """Every reason to refuse `h`, given the vedtak's state before it (None: unknown)."""
    if isinstance(h, VedtakFattet):
        return _fattet(h, vedtak)
    if vedtak is None:
        return [Feltfeil("vedtak_id", f"ukjent vedtak i kommune {h.kommunenummer}")]
    if vedtak.annullert:
        return [Feltfeil("vedtak_id", "vedtaket er annullert")]
    return _livslop(h, vedtak)


def _livslop(
    h: VedtakEndret
    | VedtakOpphort
    | VedtakAnnullert
    | FravaerRegistrert
    | FravaerAnnullert
    | UtfortTidRapportert,
    vedtak: Vedtak,
) -> list[Feltfeil]:
    """The rules for every event after the fattet, on a known, not annulled vedtak."""
    if isinstance(h, VedtakEndret):
        return _endret(h, vedtak)
    if isinstance(h, VedtakOpphort):
        return _innenfor("siste_dag", h.siste_dag, vedtak)
    if isinstance(h, VedtakAnnullert):
        return []
    if isinstance(h, FravaerRegistrert):
        return _fravaer(h, vedtak)
    if isinstance(h, FravaerAnnullert):
        if h.fravaer_id not in vedtak.fravaer:
            return [Feltfeil("fravaer_id", "ukjent eller annullert fravær")]
        return []
    return _rapport(h, vedtak)


def _fattet(h: VedtakFattet, vedtak: Vedtak | None) -> list[Feltfeil]:
    feil: list[Feltfeil] = []
    if vedtak is not None:
        feil.append(Feltfeil("vedtak_id", "vedtak_id er allerede brukt"))
    if h.gyldig_til is not None and h.gyldig_til < h.gyldig_fra:
        feil.append(Feltfeil("gyldig_til", "gyldig_til er før gyldig_fra"))
    feil += _enhetsfelter(h.tjenestekode, h.timer_per_uke, h.bemanningsfaktor, krev_timer=True)
    return feil


def _endret(h: VedtakEndret, vedtak: Vedtak) -> list[Feltfeil]:
    feil = _innenfor("gjelder_fra", h.gjelder_fra, vedtak)
    felter = (h.tjenestekode, h.timer_per_uke, h.bemanningsfaktor, h.utforer_id)
    if all(f is None for f in felter):
        feil.append(
            Feltfeil(
                None,
                "VedtakEndret må endre minst ett av tjenestekode, timer_per_uke, "
                "bemanningsfaktor, utforer_id",
            )
        )
    if h.tjenestekode is not None:
        forrige = finn_tjenestekode(vedtak.tjenestekode.paa(h.gjelder_fra) or "")
        # A switch from a day code to an hour code has no hours to carry over.
        krev_timer = forrige is None or forrige.enhet != "time"
        feil += _enhetsfelter(h.tjenestekode, h.timer_per_uke, h.bemanningsfaktor, krev_timer)
    else:
        # None before gyldig_fra: that date is already refused above.
        for kode in set(vedtak.tjenestekode.fra_og_med(h.gjelder_fra)) - {None}:
            feil += _enhetsfelter(kode, h.timer_per_uke, h.bemanningsfaktor, krev_timer=False)
    return _unike(feil)


def _enhetsfelter(
    kode: str, timer: Decimal | None, faktor: int | None, krev_timer: bool
) -> list[Feltfeil]:
    tjeneste = finn_tjenestekode(kode)
    if tjeneste is None:
        return [Feltfeil("tjenestekode", "ukjent tjenestekode")]
    feil: list[Feltfeil] = []
    if tjeneste.enhet == "dogn":
        if timer is not None:
            feil.append(
                Feltfeil("timer_per_uke", f"{kode} er en døgnkode; timer_per_uke er ikke tillatt")
            )
        if faktor is not None:
            feil.append(
                Feltfeil(
                    "bemanningsfaktor", f"{kode} er en døgnkode; bemanningsfaktor er ikke tillatt"
                )
            )
        return feil
    if timer is None:
        if krev_timer:
            feil.append(Feltfeil("timer_per_uke", f"{kode} er en timekode; timer_per_uke mangler"))
    elif not (0 < timer <= MAKS_TIMER_PER_UKE):
        feil.append(Feltfeil("timer_per_uke", "timer_per_uke må være > 0 og <= 168"))
    if faktor is not None and faktor not in (1, 2):
        feil.append(Feltfeil("bemanningsfaktor", "bemanningsfaktor må være 1 eller 2"))
    return feil


def _innenfor(felt: str, dag: date, vedtak: Vedtak) -> list[Feltfeil]:
    if vedtak.er_i_kraft(dag):
        return []
    slutt = vedtak.siste_dag.isoformat() if vedtak.siste_dag else "åpen slutt"
    return [
        Feltfeil(felt, f"{felt} {dag} er utenfor vedtakets gyldighet {vedtak.gyldig_fra}..{slutt}")
    ]


def _overlapper(fra: date, til: date, vedtak: Vedtak) -> bool:
    return til >= vedtak.gyldig_fra and (vedtak.siste_dag is None or fra <= vedtak.siste_dag)


def _fravaer(h: FravaerRegistrert, vedtak: Vedtak) -> list[Feltfeil]:
    if h.til < h.fra:
        return [Feltfeil("til", "til er før fra")]
    if not _overlapper(h.fra, h.til, vedtak):
        return [Feltfeil("fra", "fraværet overlapper ikke vedtakets gyldighet")]
    return []


def _rapport(h: UtfortTidRapportert, vedtak: Vedtak) -> list[Feltfeil]:
    if h.periode_til < h.periode_fra:
        return [Feltfeil("periode_til", "periode_til er før periode_fra")]
    feil: list[Feltfeil] = []
    if not _overlapper(h.periode_fra, h.periode_til, vedtak):
        feil.append(Feltfeil("periode_fra", "perioden overlapper ikke vedtakets gyldighet"))
    dager = (h.periode_til - h.periode_fra).days + 1
    if not (0 <= h.utforte_timer <= MAKS_TIMER_PER_DAG * dager):
        feil.append(
            Feltfeil(
                "utforte_timer",
                f"utforte_timer må være mellom 0 og {MAKS_TIMER_PER_DAG * dager} "
                f"(48 x {dager} dager)",
            )
        )
    return feil


def _unike(feil: list[Feltfeil]) -> list[Feltfeil]:
    return list(dict.fromkeys(feil))


def forretningsaar(h: Hendelse, vedtak: Vedtak | None, idag: date) -> range:
    """The years an event's business dates fall in, for the year lock (regelverk 4.7).

    An annulment removes every day of the vedtak, so it touches all years it covered (up
    to `idag`, given by the caller, for a vedtak with no end).
    A range, not a set: a vedtak open to 9999-12-31 spans thousands of years.
    """
    if isinstance(h, VedtakFattet):
        datoer = [h.gyldig_fra] + ([h.gyldig_til] if h.gyldig_til else [])
    elif isinstance(h, VedtakEndret):
        datoer = [h.gjelder_fra]
    elif isinstance(h, VedtakOpphort):
        datoer = [h.siste_dag]
    elif isinstance(h, FravaerRegistrert):
        datoer = [h.fra, h.til]
    elif isinstance(h, UtfortTidRapportert):
        datoer = [h.periode_fra, h.periode_til]
    elif vedtak is not None and isinstance(h, VedtakAnnullert):
        slutt = vedtak.siste_dag or idag
        return range(vedtak.gyldig_fra.year, max(slutt.year, vedtak.gyldig_fra.year) + 1)
    elif vedtak is not None and isinstance(h, FravaerAnnullert) and h.fravaer_id in vedtak.fravaer:
        fra, til = vedtak.fravaer[h.fravaer_id]
        datoer = [fra, til]
    else:
        return range(0)
    return range(min(datoer).year, max(datoer).year + 1)
