"""Several issuers and a writer at once (issue 7, finding 3): versions run 1..n, `per` never
goes back, every version is the settlement as known at its own `per`, and every
korreksjon is exactly its figures minus the previous version's.

Before the fix an issuer computed at its `per`, and then saved that computation on top of
whatever version another issuer had saved meanwhile, even one with a later `per`: the
korreksjon then clawed back events the version before had settled.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from services.settlement.application.dokument import KOMPONENTER
from services.settlement.application.oppgjor import Oppgjorstjeneste
from services.settlement.domain.beregning import Kvartalsberegning
from services.system.bootstrap import Tjenester
from services.system.cli import les_satsfil
from shared.feil import Konflikt
from shared.lagring.logg import naa
from shared.tilgang.token import lag_token
from tests.conftest import HDIR, HOBOL, Token
from tests.hendelser import fattet
from tests.server import Server
from tests.settlement.scenario import HDIR_SCOPES, SATSFIL, Aktorer


def sjekk_versjonene(versjoner: list[dict[str, Any]], nå: Any) -> None:
    """The invariants of finding 3, on the issued documents as the API lists them."""
    assert [d["versjon"] for d in versjoner] == list(range(1, len(versjoner) + 1))
    perer = [datetime.fromisoformat(d["per"]) for d in versjoner]
    assert perer == sorted(perer), "per gikk bakover"
    for forrige, d in itertools.pairwise(versjoner):
        k = d["korreksjon"]
        assert k["fra_versjon"] == forrige["versjon"]
        for komponent in KOMPONENTER:
            forventet = Decimal(d[komponent]) - Decimal(forrige[komponent])
            assert Decimal(k[komponent]) == forventet, (d["versjon"], komponent)
    for d in versjoner:
        # The issued document equals the settlement as known at its own `per`.
        senere = nå(d["per"])
        assert {k: senere[k] for k in KOMPONENTER} == {k: d[k] for k in KOMPONENTER}
        assert senere["linjer"] == d["linjer"], d["versjon"]


def test_samtidige_utstedere_og_en_skriver(
    klient: TestClient, auth: Token, tjenester: Tjenester, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = Aktorer(klient, auth)
    a.satser(2017)
    a.grunnlag()
    a.send(fattet("V0"))

    ekte = Oppgjorstjeneste.beregn

    def ujevn(self: Oppgjorstjeneste, *args: Any) -> Kvartalsberegning:
        # Issuers that compute at different speeds: the one with the earlier `per`
        # often finishes last, which is what the run found.
        resultat = ekte(self, *args)
        time.sleep(random.uniform(0, 0.03))
        return resultat

    monkeypatch.setattr(Oppgjorstjeneste, "beregn", ujevn)
    feil = _skriv_og_utsted_samtidig(tjenester)
    assert not feil, feil
    monkeypatch.setattr(Oppgjorstjeneste, "beregn", ekte)

    versjoner = tjenester.oppgjor.versjoner("0138", 2017, 1, naa())
    assert len(versjoner) >= 2
    sjekk_versjonene(versjoner, lambda per: a.oppgjor(per=per, detaljer="vedtak"))


def _skriv_og_utsted_samtidig(tjenester: Tjenester) -> list[BaseException]:
    """A writer sends 39 vedtak while three issuers issue; what went wrong in any thread."""
    stopp = threading.Event()
    feil: list[BaseException] = []

    def skriver() -> None:
        try:
            for i in range(1, 40):
                tjenester.mottak.motta([fattet(f"V{i}")], None)
                time.sleep(0.01)
        except BaseException as e:
            feil.append(e)
        finally:
            stopp.set()

    def utsteder() -> None:
        while not stopp.is_set():
            try:
                tjenester.oppgjor.utsted("0138", 2017, 1)
            except Konflikt:
                pass  # nothing changed, or a lost race: 409
            except BaseException as e:
                feil.append(e)
                return

    _kjor_sammen([skriver, utsteder, utsteder, utsteder], 120)
    return feil


def _kjor_sammen(oppgaver: list[Callable[[], None]], frist_s: float) -> None:
    traader = [threading.Thread(target=oppgave) for oppgave in oppgaver]
    for t in traader:
        t.start()
    for t in traader:
        t.join(frist_s)


@pytest.mark.slow
def test_to_prosesser_utsteder_samtidig(pg_url: str, tmp_path: Path) -> None:
    """Two `oppgjor serve` on one PostgreSQL database, three issuers and a writer."""
    data = tmp_path / "felles"
    servere = [Server(data, pg_url), Server(data, pg_url)]
    for s in servere:
        s.start()
    hdir = {"Authorization": f"Bearer {lag_token(HDIR, HDIR_SCOPES, data_dir=data)}"}
    kommune = {"Authorization": f"Bearer {lag_token(HOBOL, 'sio:vedtak.write', data_dir=data)}"}
    base = "/v1/kommuner/0138/oppgjor/2017/1"
    try:
        with httpx.Client(timeout=60) as k:
            svar = k.put(
                servere[0].url + "/v1/satser/2017",
                json={"satser": les_satsfil(SATSFIL, 2017), "kilde": "test"},
                headers=hdir,
            )
            assert svar.status_code == 200, svar.text
            svar = k.put(
                servere[0].url + "/v1/kommuner/0138/grunnlag/2017",
                json={
                    "uttrekk": "101800000.00",
                    "rundsum": "3600000.00",
                    "inntektspaslag": "3600000.00",
                },
                headers=hdir,
            )
            assert svar.status_code == 200, svar.text

            feil = _skriv_og_utsted_over_http(k, servere, hdir, kommune)
            assert not feil, feil

            svar = k.get(servere[1].url + base + "/versjoner", headers=hdir)
            versjoner = svar.json()["versjoner"]
            assert len(versjoner) >= 2

            def nå(per: str) -> dict[str, Any]:
                r = k.get(
                    servere[0].url + base,
                    params={"per": per, "detaljer": "vedtak"},
                    headers=hdir,
                )
                assert r.status_code == 200, r.text
                return dict(r.json())

            sjekk_versjonene(versjoner, nå)
    finally:
        for s in servere:
            s.stopp()


def _skriv_og_utsted_over_http(
    k: httpx.Client, servere: list[Server], hdir: dict[str, str], kommune: dict[str, str]
) -> list[str]:
    """40 vedtak sent in turns to both servers while three issuers issue through both."""
    stopp = threading.Event()
    feil: list[str] = []
    base = "/v1/kommuner/0138/oppgjor/2017/1"

    def skriver() -> None:
        try:
            for i in range(40):
                s = servere[i % 2]
                r = k.post(
                    s.url + "/v1/hendelser", json={"hendelser": [fattet(f"V{i}")]}, headers=kommune
                )
                if r.status_code != 200:
                    feil.append(r.text)
        finally:
            stopp.set()

    def utsteder(nr: int) -> Callable[[], None]:
        def utsted() -> None:
            while not stopp.is_set():
                r = k.post(servere[nr % 2].url + base + "/utsted", headers=hdir)
                if r.status_code not in (201, 409):
                    feil.append(f"{r.status_code} {r.text}")

        return utsted

    _kjor_sammen([skriver, utsteder(0), utsteder(1), utsteder(2)], 300)
    return feil
