"""Tamper evidence (issue 7, finding 8): `oppgjor verifiser` and the auditor's endpoint find
an edited read-model row, an edited issued version in the log (hash recomputed), an edited
vedtak event behind an issued version, and a forged signature. Issuing refuses to build a
korreksjon on a previous version that does not verify."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jws
from joserfc.jwk import ECKey
from sqlalchemy import Engine, create_engine, select, text, update

from services.settlement.application.korreksjon import dokumenthash
from services.settlement.application.signering import krav
from services.system.bootstrap import Tjenester
from services.system.cli import main
from shared.lagring.database import normaliser_url
from shared.lagring.tabeller import hendelse
from tests.conftest import REVISJON, Token
from tests.hendelser import fattet
from tests.settlement.scenario import Aktorer

URL = "/v1/revisjon/kommuner/0138/verifisering"


@pytest.fixture
def a(klient: TestClient, auth: Token) -> Aktorer:
    """Two issued versions of 0138 2017 Q1: a kvartalsoppgjør and a korreksjon."""
    aktorer = Aktorer(klient, auth)
    aktorer.satser(2017)
    aktorer.grunnlag()
    aktorer.send(fattet("V1"))
    assert aktorer.utsted().status_code == 201
    aktorer.send(fattet("V2"))
    assert aktorer.utsted().status_code == 201
    aktorer.oppgjor()  # the read model has caught up before anyone tampers
    return aktorer


@pytest.fixture
def motor(lager_url: str) -> Iterator[Engine]:
    m = create_engine(normaliser_url(lager_url))
    yield m
    m.dispose()


def endpoint(a: Aktorer, auth: Token) -> dict[str, Any]:
    svar = a.k.get(
        URL, params={"aar": 2017, "kvartal": 1}, headers=auth(REVISJON, "sio:revisjon.read")
    )
    assert svar.status_code == 200, svar.text
    return dict(svar.json())


def oppgjor(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    """`oppgjor ARGS` through the console script's own entry (its error boundary too)."""
    monkeypatch.setattr(sys, "argv", ["oppgjor", *args])
    ut, feil = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", ut)
    monkeypatch.setattr(sys, "stderr", feil)
    with pytest.raises(SystemExit) as slutt:
        main()
    kode = slutt.value.code
    return (kode if isinstance(kode, int) else 1), ut.getvalue() + feil.getvalue()


def kommandolinjen(lager_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("OPPGJOR_DATABASE_URL", lager_url)
    return oppgjor(monkeypatch, "verifiser")


def endre_loggen(
    motor: Engine,
    velg: Callable[[str, dict[str, Any]], bool],
    endre: Callable[[dict[str, Any]], None],
) -> None:
    """Edit one stored event's state in the library's table, as an attacker with SQL would."""
    with motor.begin() as k:
        for posisjon, topic, tilstand in k.execute(
            text("SELECT id, topic, state FROM logg_events ORDER BY id")
        ):
            data = json.loads(bytes(tilstand))
            if velg(topic, data):
                endre(data)
                ny = json.dumps(data, separators=(",", ":")).encode()
                k.execute(
                    text("UPDATE logg_events SET state = :s WHERE id = :p"),
                    {"s": ny, "p": posisjon},
                )
                return
    raise AssertionError("fant ikke hendelsen")


def utstedelse(versjon: int) -> Callable[[str, dict[str, Any]], bool]:
    return lambda topic, data: (
        data.get("hendelse", {}).get("type") == "OppgjorUtstedt"
        and data.get("hendelse", {}).get("versjon") == versjon
    )


def kontroller(rapport: dict[str, Any]) -> dict[int, dict[str, str]]:
    return {v["versjon"]: v["kontroller"] for v in rapport["versjoner"]}


ALT_OK = dict.fromkeys(("hash", "signatur", "kjede", "logg_hode", "beregning", "lesemodell"), "ok")


def test_alt_verifiserer(
    a: Aktorer, auth: Token, lager_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rapport = endpoint(a, auth)
    assert rapport["gyldig"] is True and rapport["feil"] == []
    assert kontroller(rapport) == {1: ALT_OK, 2: ALT_OK}
    kode, utdata = kommandolinjen(lager_url, monkeypatch)
    assert kode == 0, utdata
    assert "Alle 2 utstedte versjoner verifiserer." in utdata
    jwks = a.k.get("/.well-known/oppgjor-jwks.json").json()
    assert [n["alg"] for n in jwks["keys"]] == ["ES256"]


def test_endret_rad_i_lesemodellen(
    a: Aktorer, auth: Token, motor: Engine, lager_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with motor.begin() as k:
        posisjon, data = k.execute(
            select(hendelse.c.posisjon, hendelse.c.data)
            .where(
                hendelse.c.type == "OppgjorUtstedt",
                hendelse.c.kvartal == 1,
            )
            .order_by(hendelse.c.posisjon)
            .limit(1)
        ).one()
        data["dokument"]["sum"] = "1.00"
        k.execute(update(hendelse).where(hendelse.c.posisjon == posisjon).values(data=data))
    rapport = endpoint(a, auth)
    assert rapport["gyldig"] is False
    assert kontroller(rapport) == {1: {**ALT_OK, "lesemodell": "feil"}, 2: ALT_OK}
    kode, utdata = kommandolinjen(lager_url, monkeypatch)
    assert kode == 1
    assert "0138 2017 K1 versjon 1: lesemodell" in utdata


def test_endret_utstedt_versjon_i_loggen_med_ny_hash(
    a: Aktorer, auth: Token, motor: Engine, lager_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forfalsk(data: dict[str, Any]) -> None:
        dokument = data["hendelse"]["dokument"]
        dokument["sum"] = "999999999.00"
        dokument["hash"] = data["hendelse"]["hash"] = dokumenthash(dokument)

    endre_loggen(motor, utstedelse(2), forfalsk)
    rapport = endpoint(a, auth)
    assert rapport["gyldig"] is False
    # The hash was recomputed, so it holds; the signature, the log chain and the
    # read model's copy do not.
    assert kontroller(rapport)[2] == {
        **ALT_OK,
        "signatur": "feil",
        "beregning": "feil",
        "lesemodell": "feil",
    }
    assert rapport["logg"]["kjede_gyldig"] is False
    kode, utdata = kommandolinjen(lager_url, monkeypatch)
    assert kode == 1
    assert "0138 2017 K1 versjon 2: signatur" in utdata
    assert "loggkjede: raden ved posisjon" in utdata

    # The next korreksjon is not built on the forged sum.
    a.send(fattet("V3"))
    svar = a.utsted()
    assert svar.status_code == 409, svar.text
    assert svar.json()["detail"].startswith("Versjon 2 verifiserer ikke (signaturen gjelder")


def test_endret_vedtakshendelse_bak_en_utstedt_versjon(
    a: Aktorer, auth: Token, motor: Engine, lager_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dobbel_tid(data: dict[str, Any]) -> None:
        data["hendelse"]["timer_per_uke"] = "15"

    endre_loggen(
        motor, lambda topic, data: data.get("hendelse", {}).get("vedtak_id") == "V1", dobbel_tid
    )
    rapport = endpoint(a, auth)
    assert rapport["gyldig"] is False
    assert kontroller(rapport) == {
        1: {**ALT_OK, "logg_hode": "feil"},
        2: {**ALT_OK, "logg_hode": "feil"},
    }
    kode, utdata = kommandolinjen(lager_url, monkeypatch)
    assert kode == 1
    assert "0138 2017 K1 versjon 1: logg_hode" in utdata


def test_forfalsket_signatur(
    a: Aktorer,
    auth: Token,
    tjenester: Tjenester,
    motor: Engine,
    lager_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fremmed = ECKey.generate_key("P-256", private=True)

    def forfalsk(data: dict[str, Any]) -> None:
        dokument = data["hendelse"]["dokument"]
        # Same kid as the real key, signed by another: it must not verify.
        dokument["signatur"] = jws.serialize_compact(
            {"alg": "ES256", "kid": tjenester.nokler.kid}, krav(dokument), fremmed
        )

    endre_loggen(motor, utstedelse(1), forfalsk)
    rapport = endpoint(a, auth)
    assert kontroller(rapport)[1]["signatur"] == "feil"
    kode, utdata = kommandolinjen(lager_url, monkeypatch)
    assert kode == 1
    assert "0138 2017 K1 versjon 1: signatur: signaturen holder ikke" in utdata


def test_ugyldig_inndata_til_kommandolinjen(monkeypatch: pytest.MonkeyPatch) -> None:
    kode, utdata = oppgjor(monkeypatch, "verifiser", "--kommune", "12345")
    assert kode == 2
    assert "--kommune må være fire siffer, fikk '12345'" in utdata
    kode, utdata = oppgjor(monkeypatch, "verifiser", "--kvartal", "5")
    assert kode == 2
    assert "--kvartal må være 1-4, fikk 5" in utdata


def test_nokkelen_ligger_utenfor_databasen(tjenester: Tjenester, tmp_path: Path) -> None:
    fil = tmp_path / "data" / "utstedelsesnokkel.pem"
    assert fil.stat().st_mode & 0o777 == 0o600


def gjor_eldre(dokument: dict[str, Any], **endringer: Any) -> None:
    """Make a document look as one issued before JCS and signing (today's main)."""
    for felt in ("hash_algoritme", "signatur", "logg_hode"):
        dokument.pop(felt)
    dokument.update(endringer)
    dokument["hash"] = dokumenthash(dokument)


def til_eldre_lager(motor: Engine, **endringer: Any) -> None:
    """Version 1 as the earlier code issued it, in the log and the read model, and no
    log chain: the store as an upgrade finds it."""

    def endre(data: dict[str, Any]) -> None:
        gjor_eldre(data["hendelse"]["dokument"], **endringer)
        data["hendelse"]["hash"] = data["hendelse"]["dokument"]["hash"]

    endre_loggen(motor, utstedelse(1), endre)
    with motor.begin() as k:
        posisjon, data = k.execute(
            select(hendelse.c.posisjon, hendelse.c.data).where(hendelse.c.type == "OppgjorUtstedt")
        ).one()
        gjor_eldre(data["dokument"], **endringer)
        data["hash"] = data["dokument"]["hash"]
        k.execute(update(hendelse).where(hendelse.c.posisjon == posisjon).values(data=data))
        k.execute(text("DELETE FROM loggkjede"))


def test_eldre_versjoner_verifiserer_etter_oppgradering(
    klient: TestClient, auth: Token, tjenester: Tjenester, motor: Engine, lager_url: str
) -> None:
    a = Aktorer(klient, auth)
    a.satser(2017)
    a.grunnlag()
    a.send(fattet("V1"))
    assert a.utsted().status_code == 201
    a.oppgjor()
    til_eldre_lager(motor)
    tjenester.oppgjor_app.etterfyll_loggkjede()  # what the next start does

    rapport = endpoint(a, auth)
    assert rapport["gyldig"] is True, rapport["feil"]
    assert kontroller(rapport)[1] == {
        **ALT_OK,
        "signatur": "ikke_aktuelt",
        "logg_hode": "ikke_aktuelt",
    }
    eldre_hash = a.k.get("/v1/kommuner/0138/oppgjor/2017/1/versjoner", headers=a.hdir).json()[
        "versjoner"
    ][0]["hash"]
    a.send(fattet("V2"))
    svar = a.utsted()
    assert svar.status_code == 201, svar.text
    assert svar.json()["forrige_hash"] == eldre_hash
    rapport = endpoint(a, auth)
    assert rapport["gyldig"] is True, rapport["feil"]
    assert kontroller(rapport)[2] == ALT_OK


def test_forfalsket_eldre_versjon_gir_ingen_korreksjon(
    klient: TestClient, auth: Token, tjenester: Tjenester, motor: Engine
) -> None:
    """A forger who strips the signature to pass as an earlier, unsigned version."""
    a = Aktorer(klient, auth)
    a.satser(2017)
    a.grunnlag()
    a.send(fattet("V1"))
    assert a.utsted().status_code == 201
    a.oppgjor()
    til_eldre_lager(motor, sum="1.00")
    tjenester.oppgjor_app.etterfyll_loggkjede()
    assert kontroller(endpoint(a, auth))[1]["beregning"] == "feil"
    a.send(fattet("V2"))
    svar = a.utsted()
    assert svar.status_code == 409, svar.text
    assert svar.json()["detail"].startswith("Versjon 1 verifiserer ikke (tallene stemmer ikke")
