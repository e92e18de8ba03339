"""The steps a runner executes in order: one HTTP call each (api.md paths)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PubliserSatser:
    """PUT /v1/satser/{aar} with scope sio:oppgjor.write (Hdir)."""

    aar: int
    body: dict[str, Any]

    @property
    def sti(self) -> str:
        return f"/v1/satser/{self.aar}"


@dataclass(frozen=True)
class PubliserGrunnlag:
    """PUT /v1/kommuner/{kommunenummer}/grunnlag/{aar} (Hdir)."""

    kommunenummer: str
    aar: int
    body: dict[str, Any]

    @property
    def sti(self) -> str:
        return f"/v1/kommuner/{self.kommunenummer}/grunnlag/{self.aar}"


@dataclass(frozen=True)
class SendHendelser:
    """POST /v1/hendelser with the municipality's sio:vedtak.write token.

    At most 1000 events; one phase of one slot, so a batch never depends on a later
    batch and never on a later event of its own (fattet, then changes, then ends).
    """

    kommunenummer: str
    periode: str  # "2016-K2" ... "2017-K4", or "korreksjon"
    fase: int  # 1 fattet, 2 endret/fravær/rapporter, 3 opphør/annulleringer
    hendelser: list[dict[str, Any]] = field(default_factory=list)

    sti = "/v1/hendelser"

    @property
    def body(self) -> dict[str, Any]:
        return {"hendelser": self.hendelser}


@dataclass(frozen=True)
class UtstedKvartal:
    """POST /v1/kommuner/{knr}/oppgjor/{aar}/{kvartal}/utsted (Hdir): 201 expected."""

    kommunenummer: str
    aar: int
    kvartal: int
    korreksjon: bool = False  # a re-issue: expect type korreksjonsoppgjor

    @property
    def sti(self) -> str:
        return f"/v1/kommuner/{self.kommunenummer}/oppgjor/{self.aar}/{self.kvartal}/utsted"

    @property
    def forventet_type(self) -> str:
        return "korreksjonsoppgjor" if self.korreksjon else "kvartalsoppgjor"


Steg = PubliserSatser | PubliserGrunnlag | SendHendelser | UtstedKvartal
