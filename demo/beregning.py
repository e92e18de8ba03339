"""The demo's figures, asked of the product's own regelverk (services/settlement/domain).

The generator needs to know what a planned vedtak will be paid per quarter while it
grows the population towards the report's targets, and which quarters a correction
changes. It has no rules of its own for that: it hands the contract events, the rates
and the funding basis it is about to publish to `beregn_kvartal`, the same pure function
the service settles with, so what the demo plans is what the server will issue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

from demo import grunnlag
from demo.kalender import PERIODER, Kvartal
from services.settlement.domain.beregning import Kvartalsberegning, beregn_kvartal
from services.settlement.domain.fakta import (
    Finansieringsgrunnlag,
    Kilde,
    Satstabell,
    VedtakHendelse,
)
from services.settlement.domain.vedtakstilstand import Vedtakstilstand, folde_vedtak
from services.settlement.domain.volum import segmenter, sum_volum

# The facts carry provenance; the demo's own facts were never logged, so they get a
# fixed, harmless one (positions only order them, the time is never read).
_TIDSPUNKT = datetime(2018, 1, 1, tzinfo=UTC)

# Per municipality-quarter: its vedtak lines, what a re-issue would compare.
Fingeravtrykk = frozenset[tuple[str, str, Fraction]]


def som_fakta(hendelser: Iterable[Mapping[str, Any]]) -> list[VedtakHendelse]:
    """Contract events (api.md dicts) in send order, as the read model hands them over."""
    return [
        VedtakHendelse(Kilde(posisjon, _TIDSPUNKT, h.get("hendelse_id"), str(h["type"])), h)
        for posisjon, h in enumerate(hendelser, start=1)
    ]


@cache
def satstabell(aar: int) -> Satstabell:
    """The rates the demo publishes for `aar` (grunnlag.satser_body), as a fact."""
    satser = {x["tjenestekode"]: Decimal(x["sats"]) for x in grunnlag.satser_body(aar)["satser"]}
    return Satstabell(aar, 1, satser, Kilde(0, _TIDSPUNKT, None, "SatserPublisert"))


@cache
def finansieringsgrunnlag(kommunenummer: str, aar: int) -> Finansieringsgrunnlag:
    """The funding basis the demo publishes (grunnlag.grunnlag_body), as a fact."""
    body = grunnlag.grunnlag_body(kommunenummer, aar)
    startdato = body.get("startdato")
    return Finansieringsgrunnlag(
        kommunenummer,
        aar,
        1,
        Decimal(body["uttrekk"]),
        Decimal(body["rundsum"]),
        Decimal(body["inntektspaslag"]),
        date.fromisoformat(startdato) if startdato else None,
        Kilde(0, _TIDSPUNKT, None, "GrunnlagPublisert"),
    )


def kvartal(kommunenummer: str, kv: Kvartal, fakta: Sequence[VedtakHendelse]) -> Kvartalsberegning:
    """The quarter as the service would settle it from these events (regelverk 4.1-4.5)."""
    beregning = beregn_kvartal(
        kommunenummer,
        kv.aar,
        kv.nr,
        fakta,
        satstabell(kv.aar),
        finansieringsgrunnlag(kommunenummer, kv.aar),
    )
    if beregning.mangler_sats:
        # The demo must never issue a quarter with mangler_sats: a generator bug.
        raise ValueError(f"{kommunenummer} {kv}: en tjenestekode mangler sats")
    return beregning


def tilstand(fakta: Sequence[VedtakHendelse]) -> Vedtakstilstand | None:
    """One vedtak's state after its events (regelverk 4.1, 4.2); None when annulled."""
    return folde_vedtak(fakta) if fakta else None


def volum(tilstand: Vedtakstilstand, fra: date, til: date) -> Fraction:
    """Decided volume in fra..til: hours incl. bemanningsfaktor, or days (regelverk 4.3)."""
    return sum_volum(s.volum for s in segmenter(tilstand, fra, til))


def bidrag(kommunenummer: str, fakta: Sequence[VedtakHendelse]) -> dict[tuple[int, str], Decimal]:
    """One vedtak's vedtakstilskudd per (quarter slot, tjenestegruppe) over the demo's quarters."""
    t = tilstand(fakta)
    ut: dict[tuple[int, str], Decimal] = {}
    if t is None or not t.perioder:
        return ut
    for slot, kv in enumerate(PERIODER):
        if kv.slutt < t.gyldig_fra or (t.siste_dag is not None and t.siste_dag < kv.start):
            continue  # not in force this quarter: nothing to ask
        for linje in kvartal(kommunenummer, kv, fakta).linjer:
            nokkel = (slot, linje.tjenestegruppe)
            ut[nokkel] = ut.get(nokkel, Decimal(0)) + linje.belop
    return ut


def fingeravtrykk(
    hendelser: Iterable[Mapping[str, Any]],
) -> dict[tuple[str, Kvartal], Fingeravtrykk]:
    """Per (kommunenummer, quarter), the vedtak lines the events give (all municipalities)."""
    ut: dict[tuple[str, Kvartal], Fingeravtrykk] = {}
    for knr, fakta in _per_kommune(hendelser).items():
        for kv in PERIODER:
            linjer = kvartal(knr, kv, fakta).vedtakslinjer
            ut[(knr, kv)] = frozenset((v.vedtak_id, v.tjenestekode, v.volum) for v in linjer)
    return ut


def vedtakstilskudd(hendelser: Iterable[Mapping[str, Any]]) -> dict[tuple[str, Kvartal], Decimal]:
    """Per (kommunenummer, quarter), the vedtakstilskudd the events give."""
    return {
        (knr, kv): kvartal(knr, kv, fakta).vedtakstilskudd
        for knr, fakta in _per_kommune(hendelser).items()
        for kv in PERIODER
    }


def _per_kommune(hendelser: Iterable[Mapping[str, Any]]) -> dict[str, list[VedtakHendelse]]:
    """Each municipality's events as facts, in send order (the order the log keeps)."""
    per_kommune: dict[str, list[Mapping[str, Any]]] = {}
    for h in hendelser:
        per_kommune.setdefault(str(h["kommunenummer"]), []).append(h)
    return {knr: som_fakta(hs) for knr, hs in per_kommune.items()}
