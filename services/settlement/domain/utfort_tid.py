"""Execution reports: which are in force, and how much of each falls in a quarter
(regelverk 3 "Utført tid", 5)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from services.settlement.domain.fakta import Kilde, VedtakHendelse
from services.settlement.domain.felt import dato, desimal
from services.settlement.domain.kvartal import antall_dager, overlapp_dager


@dataclass(frozen=True, slots=True)
class Rapport:
    """Delivered hours for one vedtak over periode_fra..periode_til (inclusive)."""

    vedtak_id: str
    periode_fra: date
    periode_til: date
    utforte_timer: Decimal
    kilde: Kilde

    def timer_i(self, fra: date, til: date) -> Fraction:
        """The report's hours split by days: the share of its period inside fra..til."""
        return timer_i(self.utforte_timer, self.periode_fra, self.periode_til, fra, til)


@lru_cache(maxsize=65536)
def timer_i(utforte: Decimal, p_fra: date, p_til: date, fra: date, til: date) -> Fraction:
    """`utforte` hours reported for p_fra..p_til, split by days: the share inside fra..til.

    Reports repeat the same periods and often the same hours: the projection asks this
    for every report and every quarter it overlaps."""
    dager = antall_dager(p_fra, p_til)
    inne = overlapp_dager(p_fra, p_til, fra, til)
    if dager == 0 or inne == 0:
        return Fraction(0)
    return Fraction(utforte) * Fraction(inne, dager)


def gjeldende_rapporter(hendelser: Iterable[VedtakHendelse]) -> dict[str, list[Rapport]]:
    """Per vedtak, the latest report for each exact period (a later one for the same
    vedtak and period supersedes the earlier; regelverk 3). Input in log order."""
    siste: dict[tuple[str, date, date], Rapport] = {}
    for h in hendelser:
        if h.type != "UtfortTidRapportert":
            continue
        data = h.data
        rapport = Rapport(
            vedtak_id=h.vedtak_id,
            periode_fra=dato(data["periode_fra"]),
            periode_til=dato(data["periode_til"]),
            utforte_timer=desimal(data["utforte_timer"]),
            kilde=h.kilde,
        )
        siste[(rapport.vedtak_id, rapport.periode_fra, rapport.periode_til)] = rapport
    per_vedtak: dict[str, list[Rapport]] = {}
    for rapport in siste.values():
        per_vedtak.setdefault(rapport.vedtak_id, []).append(rapport)
    return per_vedtak
