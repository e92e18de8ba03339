"""A deliberately naive, day-by-day reading of regelverk 4 and 5 to check the segment
implementation against. It replays every vedtak's events for every single day and
shares no code with services/settlement/domain beyond the fact types and the catalogue.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from services.settlement.domain.fakta import Finansieringsgrunnlag, VedtakHendelse
from shared.events.katalog import finn_tjenestekode

FELT = ("tjenestekode", "timer_per_uke", "bemanningsfaktor")


def dager(fra: date, til: date) -> list[date]:
    return [fra + timedelta(days=i) for i in range((til - fra).days + 1)]


def kvartal(aar: int, k: int) -> tuple[date, date]:
    fra = date(aar, 3 * k - 2, 1)
    neste = date(aar + 1, 1, 1) if k == 4 else date(aar, 3 * k + 1, 1)
    return fra, neste - timedelta(days=1)


def runde(x: Fraction) -> Fraction:
    """Half up to øre (all inputs here are >= 0)."""
    return Fraction(math.floor(x * 100 + Fraction(1, 2)), 100)


@dataclass
class Dag:
    tjenestekode: str
    timer_per_uke: Any
    bemanningsfaktor: Any
    borte: bool

    @property
    def time(self) -> bool:
        kode = finn_tjenestekode(self.tjenestekode)
        assert kode is not None
        return kode.enhet == "time"

    def timer(self) -> Fraction:
        tpu = Fraction(Decimal(self.timer_per_uke)) if self.timer_per_uke is not None else 0
        return Fraction(tpu) * (self.bemanningsfaktor or 1) / 7


def _endret_paa(dag: date, data: Mapping[str, Any], verdier: dict[str, Any]) -> None:
    """An endret in force on `dag` overwrites the fields it names (later recorded wins)."""
    if dag >= date.fromisoformat(data["gjelder_fra"]):
        for f in FELT:
            if data.get(f) is not None:
                verdier[f] = data[f]


def dag_tilstand(hendelser: Sequence[VedtakHendelse], dag: date) -> Dag | None:
    """The vedtak on `dag`, replaying all its events in log order (regelverk 4.1, 4.2)."""
    start: date | None = None
    siste: date | None = None
    verdier: dict[str, Any] = {}
    fravaer: dict[str, tuple[date, date]] = {}
    for h in hendelser:
        t, data = h.type, h.data
        if t == "VedtakFattet":
            start = date.fromisoformat(data["gyldig_fra"])
            siste = date.fromisoformat(data["gyldig_til"]) if data["gyldig_til"] else None
            verdier = {f: data.get(f) for f in FELT}
        elif start is None:
            continue
        elif t == "VedtakEndret":
            _endret_paa(dag, data, verdier)
        elif t == "VedtakOpphort":
            siste = date.fromisoformat(data["siste_dag"])
        elif t == "VedtakAnnullert":
            return None
        elif t == "FravaerRegistrert":
            fravaer[data["fravaer_id"]] = (
                date.fromisoformat(data["fra"]),
                date.fromisoformat(data["til"]),
            )
        elif t == "FravaerAnnullert":
            fravaer.pop(data["fravaer_id"], None)
    if start is None or dag < start or (siste is not None and dag > siste):
        return None
    borte = any(fra <= dag <= til for fra, til in fravaer.values())
    return Dag(
        verdier["tjenestekode"], verdier["timer_per_uke"], verdier["bemanningsfaktor"], borte
    )


def per_vedtak(hendelser: Sequence[VedtakHendelse]) -> dict[str, list[VedtakHendelse]]:
    ut: dict[str, list[VedtakHendelse]] = {}
    for h in hendelser:
        ut.setdefault(h.vedtak_id, []).append(h)
    return ut


def oppgjor(
    aar: int,
    k: int,
    hendelser: Sequence[VedtakHendelse],
    satser: Mapping[str, Decimal] | None,
    grunnlag: Finansieringsgrunnlag | None,
) -> dict[str, Any]:
    q_fra, q_til = kvartal(aar, k)
    startdato = grunnlag.startdato if grunnlag else None
    volum: dict[tuple[str, str], Fraction] = {}
    for vedtak_id, hs in per_vedtak(hendelser).items():
        for dag in dager(q_fra, q_til):
            if startdato is not None and dag < startdato:
                continue
            tilstand = dag_tilstand(hs, dag)
            if tilstand is None:
                continue
            if tilstand.time:
                bidrag = Fraction(0) if tilstand.borte else tilstand.timer()
            else:
                bidrag = Fraction(1)
            nokkel = (vedtak_id, tilstand.tjenestekode)
            volum[nokkel] = volum.get(nokkel, Fraction(0)) + bidrag
    linjer = {}
    for (vedtak_id, kode), v in volum.items():
        if v <= 0:
            continue
        sats = (satser or {}).get(kode)
        belop = Fraction(0) if sats is None else runde(v * Fraction(sats))
        linjer[(vedtak_id, kode)] = (v, belop, sats is None)
    vedtakstilskudd = sum((b for _, b, _ in linjer.values()), Fraction(0))

    def andel(arsbelop: Decimal) -> Fraction:
        alle = dager(q_fra, q_til)
        aktive = [d for d in alle if startdato is None or d >= startdato]
        return runde(Fraction(arsbelop) * len(aktive) / (4 * len(alle)))

    if grunnlag is None:
        rundsum = paslag = uttrekk = Fraction(0)
    else:
        rundsum, paslag = andel(grunnlag.rundsum), andel(grunnlag.inntektspaslag)
        uttrekk = andel(grunnlag.uttrekk)
    return {
        "linjer": linjer,
        "vedtakstilskudd": vedtakstilskudd,
        "rundsumtilskudd": rundsum,
        "inntektspaslag": paslag,
        "uttrekk": uttrekk,
        "sum": vedtakstilskudd + rundsum + paslag,
        "differanse": vedtakstilskudd + rundsum - uttrekk,
    }


def revisjon(
    aar: int, k: int, hendelser: Sequence[VedtakHendelse], terskel: Fraction
) -> dict[str, tuple[str, Fraction, Fraction, Fraction | None, tuple[str, ...]]]:
    q_fra, q_til = kvartal(aar, k)
    ut = {}
    for vedtak_id, hs in per_vedtak(hendelser).items():
        i_kraft = [(d, t) for d in dager(q_fra, q_til) if (t := dag_tilstand(hs, d)) is not None]
        timedager = [t for _, t in i_kraft if t.time]
        if not timedager:
            continue
        vedtatte = sum((t.timer() for t in timedager if not t.borte), Fraction(0))
        rapporter: dict[tuple[str, str], Fraction] = {}
        for h in hs:
            if h.type == "UtfortTidRapportert":
                nokkel = (h.data["periode_fra"], h.data["periode_til"])
                rapporter[nokkel] = Fraction(Decimal(h.data["utforte_timer"]))
        utforte, har_rapport = Fraction(0), False
        for (fra, til), timer in rapporter.items():
            periode = dager(date.fromisoformat(fra), date.fromisoformat(til))
            inne = [d for d in periode if q_fra <= d <= q_til]
            if inne:
                har_rapport = True
            utforte += timer * len(inne) / len(periode)
        a = None if vedtatte == 0 else utforte / vedtatte
        flagg = []
        if vedtatte > 0 and not har_rapport:
            flagg.append("ingen_rapport")
        if a is not None and a < terskel:
            flagg.append("under_terskel")
        if (a is not None and a > Fraction(11, 10)) or (vedtatte == 0 and utforte > 0):
            flagg.append("over_vedtak")
        ut[vedtak_id] = (i_kraft[-1][1].tjenestekode, vedtatte, utforte, a, tuple(flagg))
    return ut
