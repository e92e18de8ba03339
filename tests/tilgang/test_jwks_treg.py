"""A slow or hung JWKS never makes ordinary requests wait (issue 7, finding 10).

An unknown `kid` used to make the service refetch the JWKS while holding a lock every
request waited on. Against a real local JWKS server that holds its answer back: requests
with a known kid go through while the fetch hangs, unknown kids start at most one fetch
per interval, and nothing else waits. No time is measured: a request that waited for the
hung fetch is caught by a deadline below the fetch's own timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from shared.tilgang.avhengigheter import TilgangsKontroll
from shared.tilgang.jwks import JwksUrl
from shared.tilgang.register import Organisasjonsregister
from shared.tilgang.token import TokenFeil, TokenVerifiserer

from .conftest import HDIR, ISSUER, claims, signer
from .jwks_tjener import JwksTjener
from .test_avhengigheter import bearer, lag_app

T = TypeVar("T")
# A request that waited for the hung fetch would wait for the fetch's own 5 s timeout
# (jwks.py); a request that does not wait is answered in milliseconds.
FRIST_S = 4.0


class Klokke:
    def __init__(self) -> None:
        self.naa = 1000.0

    def __call__(self) -> float:
        return self.naa


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=4) as p:
        yield p


@pytest.fixture
def ny_nokkel() -> RSAKey:
    k = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True)
    k.ensure_kid()
    return k


def innen_fristen(pool: ThreadPoolExecutor, f: Callable[[], T]) -> T:
    return pool.submit(f).result(timeout=FRIST_S)


def test_kjent_kid_venter_aldri_paa_en_henting(
    nokkel: RSAKey, fremmed_nokkel: RSAKey, ny_nokkel: RSAKey, pool: ThreadPoolExecutor
) -> None:
    klokke = Klokke()
    with JwksTjener([nokkel]).kjor() as tjener:
        kilde = JwksUrl(tjener.url, klokke=klokke)
        verifiserer = TokenVerifiserer(ISSUER, kilde)
        kjent = signer(claims(), nokkel)
        assert verifiserer.verifiser(kjent).organisasjonsnummer == "910138006"
        assert tjener.antall == 1

        # Later the issuer rotates in a new key, and then hangs.
        klokke.naa += kilde.min_intervall_s
        tjener.nokler.append(ny_nokkel)
        tjener.hold()
        rotert: Future[Any] = pool.submit(verifiserer.verifiser, signer(claims(), ny_nokkel))
        tjener.vent_paa(2)

        # While that fetch hangs: known kids pass, unknown kids are refused at once,
        # and no second fetch starts.
        for _ in range(20):
            c = innen_fristen(pool, lambda: verifiserer.verifiser(kjent))
            assert c.organisasjonsnummer == "910138006"
        for _ in range(20):
            with pytest.raises(TokenFeil, match="kid"):
                innen_fristen(pool, lambda: verifiserer.verifiser(signer(claims(), fremmed_nokkel)))
        assert tjener.antall == 2

        tjener.slipp()
        assert rotert.result(timeout=30).organisasjonsnummer == "910138006"

        # Rate-limited: another unknown kid within the interval fetches nothing ...
        with pytest.raises(TokenFeil, match="kid"):
            verifiserer.verifiser(signer(claims(), fremmed_nokkel))
        assert tjener.antall == 2
        # ... and after it, exactly once more.
        klokke.naa += kilde.min_intervall_s
        for _ in range(3):
            with pytest.raises(TokenFeil, match="kid"):
                verifiserer.verifiser(signer(claims(), fremmed_nokkel))
        assert tjener.antall == 3


def test_utlopt_nokkelsett_hentes_i_bakgrunnen(nokkel: RSAKey, pool: ThreadPoolExecutor) -> None:
    klokke = Klokke()
    with JwksTjener([nokkel]).kjor() as tjener:
        kilde = JwksUrl(tjener.url, klokke=klokke)
        verifiserer = TokenVerifiserer(ISSUER, kilde)
        kjent = signer(claims(), nokkel)
        verifiserer.verifiser(kjent)

        tjener.hold()
        klokke.naa += kilde.ttl_s + 1
        for _ in range(10):  # the stale set serves while one refresh hangs
            c = innen_fristen(pool, lambda: verifiserer.verifiser(kjent))
            assert c.organisasjonsnummer == "910138006"
        tjener.vent_paa(2)
        assert tjener.antall == 2
        tjener.slipp()
        kilde.vent_paa_oppfrisking(30)
        verifiserer.verifiser(kjent)
        assert tjener.antall == 2


def test_tjenesten_svarer_mens_jwks_henger(
    nokkel: RSAKey, fremmed_nokkel: RSAKey, data_dir: Any, pool: ThreadPoolExecutor
) -> None:
    """Through the HTTP app: a request with an unknown kid hangs on the JWKS; Hdir's
    request with a known kid is answered meanwhile."""
    with JwksTjener([nokkel]).kjor() as tjener:
        kontroll = TilgangsKontroll(data_dir, tjener.url, ISSUER, Organisasjonsregister.demo())
        kilde = kontroll.verifiserer.kilde
        assert isinstance(kilde, JwksUrl)
        kilde.min_intervall_s = 0  # an unknown kid may fetch at once
        klient = TestClient(lag_app(kontroll))
        hdir = bearer(signer(claims(HDIR, "sio:oppgjor.write"), nokkel))
        assert klient.put("/v1/satser/2017", headers=hdir).status_code == 200
        tjener.hold()
        ukjent = bearer(signer(claims(HDIR, "sio:oppgjor.write"), fremmed_nokkel))
        haster: Future[Any] = pool.submit(klient.put, "/v1/satser/2017", headers=ukjent)
        tjener.vent_paa(2)
        svar = innen_fristen(pool, lambda: klient.put("/v1/satser/2017", headers=hdir))
        assert (svar.status_code, svar.json()) == (200, {"org": HDIR})
        tjener.slipp()
        assert haster.result(timeout=30).status_code == 401
