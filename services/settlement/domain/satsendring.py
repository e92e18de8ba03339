"""How a new price table differs from the one in force (regelverk 3 "Satser").

A re-publication supersedes the table in force from the moment it is recorded, so a person
publishing one must see what it changes before it is recorded: codes added, codes removed
(their vedtak lines become `mangler_sats`, regelverk 4.4) and rates changed. A table equal to
the one in force changes nothing and is not published again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Satsendring:
    """The difference between the table in force (`gjeldende`) and a proposed one."""

    gjeldende_versjon: int | None
    lagt_til: dict[str, Decimal]
    fjernet: dict[str, Decimal]
    endret: dict[str, tuple[Decimal, Decimal]]  # code -> (in force, proposed)
    uendret: int

    @property
    def ingen_endring(self) -> bool:
        """The proposed table is the table in force (and one is in force)."""
        return self.gjeldende_versjon is not None and not (
            self.lagt_til or self.fjernet or self.endret
        )


def sammenlign(
    gjeldende: Mapping[str, Decimal] | None,
    gjeldende_versjon: int | None,
    foreslatt: Mapping[str, Decimal],
) -> Satsendring:
    """Compare by value: 724 and 724.00 are the same rate."""
    i_kraft = dict(gjeldende or {})
    return Satsendring(
        gjeldende_versjon=gjeldende_versjon,
        lagt_til={k: s for k, s in sorted(foreslatt.items()) if k not in i_kraft},
        fjernet={k: s for k, s in sorted(i_kraft.items()) if k not in foreslatt},
        endret={
            k: (i_kraft[k], s)
            for k, s in sorted(foreslatt.items())
            if k in i_kraft and i_kraft[k] != s
        },
        uendret=sum(1 for k, s in foreslatt.items() if k in i_kraft and i_kraft[k] == s),
    )
