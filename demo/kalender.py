"""Calendar of the demo: the settled quarters, send slots and inclusive date ranges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

STARTDATO = date(2016, 5, 1)  # model A started 1 May 2016 (regelverk 1)
SLUTTDATO = date(2017, 12, 31)


@dataclass(frozen=True, order=True)
class Kvartal:
    aar: int
    nr: int

    @property
    def start(self) -> date:
        return date(self.aar, 3 * self.nr - 2, 1)

    @property
    def slutt(self) -> date:
        if self.nr == 4:
            return date(self.aar, 12, 31)
        return date(self.aar, 3 * self.nr + 1, 1) - timedelta(days=1)

    @property
    def dager(self) -> int:
        return antall_dager(self.start, self.slutt)

    def __str__(self) -> str:
        return f"{self.aar}-K{self.nr}"


# Quarters that are settled, in time order; their index is also the send slot of
# the events whose business date falls in them.
PERIODER: tuple[Kvartal, ...] = (
    Kvartal(2016, 2),
    Kvartal(2016, 3),
    Kvartal(2016, 4),
    Kvartal(2017, 1),
    Kvartal(2017, 2),
    Kvartal(2017, 3),
    Kvartal(2017, 4),
)
# The slot after the last quarter: the Q4 2017 corrections that reach back.
KORREKSJON = len(PERIODER)
K2017 = {kv.nr: i for i, kv in enumerate(PERIODER) if kv.aar == 2017}


def antall_dager(fra: date, til: date) -> int:
    """Days in fra..til inclusive; 0 for an empty range."""
    return max(0, (til - fra).days + 1)


def kvartal_for(d: date) -> Kvartal:
    return Kvartal(d.year, (d.month - 1) // 3 + 1)


def slot_for(d: date) -> int:
    """Send slot for a business date: its quarter, dates before the start go first."""
    if d < PERIODER[0].start:
        return 0
    return PERIODER.index(kvartal_for(d))


def telte_dager(kv: Kvartal) -> tuple[date, date]:
    """The days of a quarter the settlement counts (regelverk 4.3a, startdato 2016)."""
    if kv.aar == STARTDATO.year:
        return max(kv.start, STARTDATO), kv.slutt
    return kv.start, kv.slutt


def maaneder(fra: date, til: date) -> list[tuple[date, date]]:
    """Calendar months overlapping fra..til, each clipped to the range."""
    ut: list[tuple[date, date]] = []
    d = date(fra.year, fra.month, 1)
    while d <= til:
        neste = date(d.year + d.month // 12, d.month % 12 + 1, 1)
        ut.append((max(d, fra), min(neste - timedelta(days=1), til)))
        d = neste
    return ut
