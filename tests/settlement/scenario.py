"""A small, hand-checkable scenario driven through the HTTP API, as Hdir and a case system would."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from services.system.cli import les_satsfil
from tests.conftest import HDIR, HOBOL, Token

SATSFIL = Path(__file__).resolve().parents[2] / "shared" / "events" / "tjenestekoder.csv"
HDIR_SCOPES = "sio:oppgjor.read sio:oppgjor.write sio:revisjon.read"


class Aktorer:
    """Hdir and Hobøl's case system, with helpers that assert the call succeeded."""

    def __init__(self, klient: TestClient, auth: Token) -> None:
        self.k = klient
        self.hdir = auth(HDIR, HDIR_SCOPES)
        self.kommune = auth(HOBOL, "sio:vedtak.write sio:oppgjor.read")

    def satser(
        self, aar: int, endringer: dict[str, str] | None = None, uten: Collection[str] = ()
    ) -> int:
        linjer = [s for s in les_satsfil(SATSFIL, aar) if s["tjenestekode"] not in uten]
        for s in linjer:
            if endringer and s["tjenestekode"] in endringer:
                s["sats"] = endringer[s["tjenestekode"]]
        svar = self.k.put(
            f"/v1/satser/{aar}",
            json={"satser": linjer, "kilde": "test"},
            headers=self.hdir,
            params={"tillat_fjerning": "true"} if uten else None,
        )
        assert svar.status_code == 200, svar.text
        return int(svar.json()["versjon"])

    def grunnlag(self, knr: str = "0138", aar: int = 2017, **felter: Any) -> None:
        kropp = {"uttrekk": "101800000.00", "rundsum": "3600000.00", "inntektspaslag": "3600000.00"}
        kropp.update(felter)
        svar = self.k.put(f"/v1/kommuner/{knr}/grunnlag/{aar}", json=kropp, headers=self.hdir)
        assert svar.status_code == 200, svar.text

    def send(self, *hendelser: dict[str, Any]) -> dict[str, Any]:
        svar = self.k.post(
            "/v1/hendelser", json={"hendelser": list(hendelser)}, headers=self.kommune
        )
        assert svar.status_code == 200, svar.text
        return dict(svar.json())

    def oppgjor(
        self, aar: int = 2017, kvartal: int = 1, knr: str = "0138", **params: Any
    ) -> dict[str, Any]:
        svar = self.k.get(
            f"/v1/kommuner/{knr}/oppgjor/{aar}/{kvartal}", params=params, headers=self.hdir
        )
        assert svar.status_code == 200, svar.text
        return dict(svar.json())

    def utsted(self, aar: int = 2017, kvartal: int = 1, knr: str = "0138") -> Any:
        return self.k.post(f"/v1/kommuner/{knr}/oppgjor/{aar}/{kvartal}/utsted", headers=self.hdir)
