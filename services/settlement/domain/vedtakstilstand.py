"""One vedtak's state over time, folded from its events (regelverk 4.1, 4.2).

The result is piecewise constant: a few `Verdiperiode`s (date ranges with constant
tjenestekode, timer_per_uke and bemanningsfaktor) plus the active fravær, never one
entry per day, so a national quarter stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from services.settlement.domain.fakta import Kilde, VedtakHendelse
from services.settlement.domain.felt import dato, valgfri_dato, valgfri_desimal
from shared.events import HENDELSE_TYPER

# Event types that shape the state; UtfortTidRapportert is read by section 5 only.
TILSTANDSTYPER: frozenset[str] = frozenset(HENDELSE_TYPER) - {"UtfortTidRapportert"}


@dataclass(frozen=True, slots=True)
class Verdiperiode:
    """Days fra..til (til None = open end) on which the vedtak's values are constant."""

    fra: date
    til: date | None
    tjenestekode: str
    timer_per_uke: Decimal | None
    bemanningsfaktor: int | None  # as given; None means 1 for `time` codes
    kilder: tuple[Kilde, ...]  # the fattet/endret events whose values are in force


@dataclass(frozen=True, slots=True)
class Fravaer:
    """A registered, not annulled fravær (regelverk 4.2)."""

    fravaer_id: str
    fra: date
    til: date
    kilde: Kilde


@dataclass(frozen=True, slots=True)
class Vedtakstilstand:
    """A vedtak as its events leave it (regelverk 4.1); annulled vedtak have none."""

    vedtak_id: str
    gyldig_fra: date
    siste_dag: date | None  # None = open end
    siste_dag_kilde: Kilde  # the fattet (gyldig_til) or the opphort that set siste_dag
    perioder: tuple[Verdiperiode, ...]  # sorted, disjoint, within gyldig_fra..siste_dag
    fravaer: tuple[Fravaer, ...]  # sorted by fra
    kilder: tuple[Kilde, ...]  # every event applied, in log order


def grupper_per_vedtak(hendelser: Iterable[VedtakHendelse]) -> dict[str, list[VedtakHendelse]]:
    """Each vedtak's events, keeping log order within each vedtak."""
    grupper: dict[str, list[VedtakHendelse]] = {}
    for h in hendelser:
        grupper.setdefault(h.vedtak_id, []).append(h)
    return grupper


# One field's history: (first day as ordinal, value, source), ascending by day.
_Historikk = list[tuple[int, Any, Kilde]]


def _sett_fra(historikk: _Historikk, fra: int, verdi: Any, kilde: Kilde) -> None:
    # regelverk 4.1: an endret's value holds from gjelder_fra onward, so it replaces
    # every earlier-recorded value on those days, including later-dated changes.
    while historikk and historikk[-1][0] >= fra:
        historikk.pop()
    historikk.append((fra, verdi, kilde))


def _endret(
    data: Mapping[str, Any],
    kilde: Kilde,
    koder: _Historikk,
    timer: _Historikk,
    faktorer: _Historikk,
) -> None:
    """An endret's values from its gjelder_fra (regelverk 4.1)."""
    fra = dato(data["gjelder_fra"]).toordinal()
    # Only the fields the endret names; the others keep their history.
    if (kode := data.get("tjenestekode")) is not None:
        _sett_fra(koder, fra, str(kode), kilde)
    if (tpu := data.get("timer_per_uke")) is not None:
        _sett_fra(timer, fra, valgfri_desimal(tpu), kilde)
    if (faktor := data.get("bemanningsfaktor")) is not None:
        _sett_fra(faktorer, fra, faktor, kilde)


def folde_vedtak(hendelser: Sequence[VedtakHendelse]) -> Vedtakstilstand | None:
    """Apply one vedtak's events in log order (regelverk 4.1, 4.2).

    Returns None when the vedtak is annulled ("as if it never existed") or has no fattet.
    Events of other types are skipped. Validation (regelverk 3) keeps a second fattet
    out of the log; should one appear anyway it starts the vedtak afresh.
    """
    koder: _Historikk = []
    timer: _Historikk = []
    faktorer: _Historikk = []
    gyldig_fra: date | None = None
    siste_dag: date | None = None
    siste_dag_kilde: Kilde | None = None
    fravaer: dict[str, Fravaer] = {}
    kilder: list[Kilde] = []

    for h in hendelser:
        kilde = h.kilde
        type_, data = kilde.type, h.data
        if type_ == "VedtakFattet":
            gyldig_fra = dato(data["gyldig_fra"])
            start = gyldig_fra.toordinal()
            koder = [(start, str(data["tjenestekode"]), kilde)]
            timer = [(start, valgfri_desimal(data.get("timer_per_uke")), kilde)]
            faktorer = [(start, data.get("bemanningsfaktor"), kilde)]
            siste_dag, siste_dag_kilde = valgfri_dato(data.get("gyldig_til")), kilde
            fravaer = {}
            kilder = [kilde]
            continue
        if gyldig_fra is None or type_ not in TILSTANDSTYPER:
            continue  # nothing to change before the fattet; reports are not state
        if type_ == "VedtakAnnullert":
            return None
        kilder.append(kilde)
        if type_ == "VedtakEndret":
            _endret(data, kilde, koder, timer, faktorer)
        elif type_ == "VedtakOpphort":
            # The latest recorded opphort decides the last day.
            siste_dag, siste_dag_kilde = dato(data["siste_dag"]), kilde
        elif type_ == "FravaerRegistrert":
            fid = str(data["fravaer_id"])
            fravaer[fid] = Fravaer(fid, dato(data["fra"]), dato(data["til"]), kilde)
        elif type_ == "FravaerAnnullert":
            fravaer.pop(str(data["fravaer_id"]), None)

    if gyldig_fra is None or siste_dag_kilde is None:
        return None
    return Vedtakstilstand(
        vedtak_id=hendelser[0].vedtak_id,
        gyldig_fra=gyldig_fra,
        siste_dag=siste_dag,
        siste_dag_kilde=siste_dag_kilde,
        perioder=_verdiperioder(koder, timer, faktorer, gyldig_fra, siste_dag),
        fravaer=tuple(sorted(fravaer.values(), key=lambda f: (f.fra, f.til, f.kilde.posisjon))),
        kilder=tuple(kilder),
    )


def _verdiperioder(
    koder: _Historikk,
    timer: _Historikk,
    faktorer: _Historikk,
    gyldig_fra: date,
    siste_dag: date | None,
) -> tuple[Verdiperiode, ...]:
    """Merge the three fields' histories into constant periods within the validity."""
    if siste_dag is not None and siste_dag < gyldig_fra:
        return ()
    if len(koder) == len(timer) == len(faktorer) == 1:
        # Never changed (the common case): one period with the fattet's values.
        k, t, b = koder[0], timer[0], faktorer[0]
        return (Verdiperiode(gyldig_fra, siste_dag, k[1], t[1], b[1], _kilder(k, t, b)),)
    start = gyldig_fra.toordinal()
    slutt = None if siste_dag is None else siste_dag.toordinal()
    # Values before gyldig_fra cannot count; every change point inside is a boundary.
    punkter = sorted({start} | {p for h in (koder, timer, faktorer) for p, _, _ in h if p > start})
    if slutt is not None:
        punkter = [p for p in punkter if p <= slutt]

    perioder: list[Verdiperiode] = []
    ik = it = ib = 0
    for i, fra in enumerate(punkter):
        # Each history is ascending, so the value in force only moves forward.
        while ik + 1 < len(koder) and koder[ik + 1][0] <= fra:
            ik += 1
        while it + 1 < len(timer) and timer[it + 1][0] <= fra:
            it += 1
        while ib + 1 < len(faktorer) and faktorer[ib + 1][0] <= fra:
            ib += 1
        til = punkter[i + 1] - 1 if i + 1 < len(punkter) else slutt
        k, t, b = koder[ik], timer[it], faktorer[ib]
        perioder.append(
            Verdiperiode(
                fra=date.fromordinal(fra),
                til=None if til is None else date.fromordinal(til),
                tjenestekode=k[1],
                timer_per_uke=t[1],
                bemanningsfaktor=b[1],
                kilder=_kilder(k, t, b),
            )
        )
    return tuple(perioder)


def _kilder(*verdier: tuple[int, Any, Kilde]) -> tuple[Kilde, ...]:
    """The distinct events behind a period's values, in log order."""
    kilder = [v[2] for v in verdier]
    if kilder[0] is kilder[1] is kilder[2]:
        return (kilder[0],)  # all from the same fattet or endret
    return tuple(sorted(set(kilder), key=lambda k: k.posisjon))
