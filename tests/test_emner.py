"""Stable event names: a log written before them still loads, and new events carry them.

tests/fixtures/logg_v1.db is a log written by the code of 2026-11-25 (tests/fixtures/
lag_logg.py), when topics were module paths. It is copied into a fresh store of each kind
and read back whole: every aggregate through the repository, every event through the
projector into the read model, and one answer through the HTTP API.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic, resolve_topic
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, text

from services.settlement.domain.aggregater import (
    AGGREGATER,
    Aarslas,
    Grunnlag,
    Kvartalsoppgjor,
    Satstabell,
    Tillagt,
    Utbetalinger,
    Utbetalingsid,
)
from services.system.app import lag_app
from services.system.bootstrap import Tjenester, bygg
from services.vedtak.domain.vedtak import Vedtak, vedtak_aggregat_id
from shared.emner import PREFIKS
from shared.identitet import aggregat_id
from shared.lagring.tabeller import hendelse
from tests.conftest import HDIR, HOBOL, Token
from tests.test_lag import domenemoduler

FIXTUR = Path(__file__).parent / "fixtures" / "logg_v1.db"

# Every class whose instances the log stores, with its stable name.
LAGREDE: dict[type, str] = {
    Vedtak: "omsorgsoppgjor/Vedtak",
    Vedtak.Fattet: "omsorgsoppgjor/Vedtak/Fattet",
    Vedtak.Endret: "omsorgsoppgjor/Vedtak/Endret",
    Vedtak.Opphort: "omsorgsoppgjor/Vedtak/Opphort",
    Vedtak.Annullert: "omsorgsoppgjor/Vedtak/Annullert",
    Vedtak.FravaerRegistrert: "omsorgsoppgjor/Vedtak/FravaerRegistrert",
    Vedtak.FravaerAnnullert: "omsorgsoppgjor/Vedtak/FravaerAnnullert",
    Vedtak.UtfortTidRapportert: "omsorgsoppgjor/Vedtak/UtfortTidRapportert",
    Satstabell: "omsorgsoppgjor/Satstabell",
    Satstabell.Created: "omsorgsoppgjor/Satstabell/Opprettet",
    Grunnlag: "omsorgsoppgjor/Grunnlag",
    Grunnlag.Created: "omsorgsoppgjor/Grunnlag/Opprettet",
    Kvartalsoppgjor: "omsorgsoppgjor/Kvartalsoppgjor",
    Kvartalsoppgjor.Created: "omsorgsoppgjor/Kvartalsoppgjor/Opprettet",
    Utbetalinger: "omsorgsoppgjor/Utbetalinger",
    Utbetalinger.Created: "omsorgsoppgjor/Utbetalinger/Opprettet",
    Utbetalingsid: "omsorgsoppgjor/Utbetalingsid",
    Utbetalingsid.Created: "omsorgsoppgjor/Utbetalingsid/Opprettet",
    Aarslas: "omsorgsoppgjor/Aarslas",
    Aarslas.Created: "omsorgsoppgjor/Aarslas/Opprettet",
    Tillagt: "omsorgsoppgjor/Hdir/Tillagt",
}

# The fixture's topics (module paths, as stored then), in log order.
GAMLE_TOPICS = [
    "services.settlement.domain.aggregater:Satstabell.Opprettet",
    "services.settlement.domain.aggregater:Satstabell.Publisert",
    "services.settlement.domain.aggregater:Grunnlag.Opprettet",
    "services.settlement.domain.aggregater:Grunnlag.Publisert",
    "services.vedtak.domain.vedtak:Vedtak.Fattet",
    "services.vedtak.domain.vedtak:Vedtak.Endret",
    "services.vedtak.domain.vedtak:Vedtak.FravaerRegistrert",
    "services.vedtak.domain.vedtak:Vedtak.FravaerAnnullert",
    "services.vedtak.domain.vedtak:Vedtak.UtfortTidRapportert",
    "services.vedtak.domain.vedtak:Vedtak.Opphort",
    "services.vedtak.domain.vedtak:Vedtak.Fattet",
    "services.vedtak.domain.vedtak:Vedtak.Annullert",
    "services.settlement.domain.aggregater:Kvartalsoppgjor.Opprettet",
    "services.settlement.domain.aggregater:Kvartalsoppgjor.Utstedt",
    "services.settlement.domain.aggregater:Utbetalinger.Opprettet",
    "services.settlement.domain.aggregater:Utbetalinger.Registrert",
    "services.settlement.domain.aggregater:Aarslas.Opprettet",
    "services.settlement.domain.aggregater:Aarslas.Last",
    "services.settlement.domain.aggregater:Aarslas.Gjenapnet",
]

# The business facts in log order (the Hdir aggregates' bare creations carry none).
TYPER = [
    (2, "SatserPublisert", None),
    (4, "GrunnlagPublisert", None),
    (5, "VedtakFattet", "00000000-0000-4000-8000-000000000001"),
    (6, "VedtakEndret", "00000000-0000-4000-8000-000000000002"),
    (7, "FravaerRegistrert", "00000000-0000-4000-8000-000000000003"),
    (8, "FravaerAnnullert", "00000000-0000-4000-8000-000000000004"),
    (9, "UtfortTidRapportert", "00000000-0000-4000-8000-000000000005"),
    (10, "VedtakOpphort", "00000000-0000-4000-8000-000000000006"),
    (11, "VedtakFattet", "00000000-0000-4000-8000-000000000007"),
    (12, "VedtakAnnullert", "00000000-0000-4000-8000-000000000008"),
    (14, "OppgjorUtstedt", None),
    (16, "UtbetalingRegistrert", None),
    (18, "AarLast", None),
    (19, "AarGjenapnet", None),
]


def _fixturrader() -> list[tuple[int, UUID, int, str, bytes]]:
    with sqlite3.connect(FIXTUR) as k:
        rader = k.execute(
            "SELECT id, originator_id, originator_version, topic, state FROM logg_events"
            " ORDER BY id"
        ).fetchall()
    return [(i, UUID(bytes=bytes(o)), v, t, bytes(s)) for i, o, v, t, s in rader]


def _lagret_hendelse(state: bytes) -> Any:
    """The contract payload as stored, read with plain JSON (independent of the code)."""
    return json.loads(state).get("hendelse")


@pytest.fixture
def gammel(lager_url: str) -> Iterator[Tjenester]:
    """A store of either kind holding exactly the fixture's log."""
    t = bygg(lager_url)
    logg = t.vedtak.recorder.events_record_cls  # type: ignore[attr-defined]
    with t.lager.transaksjon() as s:
        s.execute(
            insert(logg),
            [
                {
                    "id": i,
                    "originator_id": o,
                    "originator_version": v,
                    "topic": topic,
                    "state": state,
                }
                for i, o, v, topic, state in _fixturrader()
            ],
        )
        if s.get_bind().dialect.name == "postgresql":
            # Rows inserted with explicit ids leave the sequence behind.
            tabell = t.vedtak.recorder.events_table_name  # type: ignore[attr-defined]
            s.execute(text(f"SELECT setval(pg_get_serial_sequence('{tabell}', 'id'), 19)"))
    yield t
    t.lukk()


def test_fixturen_er_skrevet_med_modulstier() -> None:
    assert [r[3] for r in _fixturrader()] == GAMLE_TOPICS


def test_hvert_lagret_klasse_har_sitt_stabile_navn() -> None:
    for klasse, navn in LAGREDE.items():
        assert getattr(klasse, "TOPIC", None) == navn, klasse
        assert get_topic(klasse) == navn
        assert resolve_topic(navn) is klasse


def test_gamle_modulstier_peker_paa_dagens_klasser() -> None:
    forventet = [
        Satstabell.Created,
        Tillagt,
        Grunnlag.Created,
        Tillagt,
        Vedtak.Fattet,
        Vedtak.Endret,
        Vedtak.FravaerRegistrert,
        Vedtak.FravaerAnnullert,
        Vedtak.UtfortTidRapportert,
        Vedtak.Opphort,
        Vedtak.Fattet,
        Vedtak.Annullert,
        Kvartalsoppgjor.Created,
        Tillagt,
        Utbetalinger.Created,
        Tillagt,
        Aarslas.Created,
        Tillagt,
        Tillagt,
    ]
    assert [resolve_topic(t) for t in GAMLE_TOPICS] == forventet
    alle: list[type[Aggregate]] = [*AGGREGATER, Vedtak]
    for aggregat in alle:
        assert resolve_topic(f"{aggregat.__module__}:{aggregat.__name__}") is aggregat


def test_gammel_logg_spilles_av_i_repositoriet(gammel: Tjenester) -> None:
    rader = _fixturrader()
    etter_aggregat: dict[UUID, list[Any]] = {}
    for _, o, _, _, state in rader:
        etter_aggregat.setdefault(o, []).append(_lagret_hendelse(state))

    v1: object = gammel.vedtak.repository.get(vedtak_aggregat_id("0138", "V-1"))
    assert isinstance(v1, Vedtak)
    assert (v1.version, v1.gyldig_fra, v1.siste_dag) == (6, date(2017, 1, 1), date(2017, 3, 15))
    assert (v1.annullert, v1.fravaer, v1.tjenestekode.punkter) == (
        False,
        {},
        [(date(2017, 1, 1), "HTAMDK")],
    )
    v2: object = gammel.vedtak.repository.get(vedtak_aggregat_id("0138", "V-2"))
    assert isinstance(v2, Vedtak)
    assert (v2.version, v2.annullert, v2.siste_dag) == (2, True, None)

    hdir: list[tuple[type[Aggregate], str, int, list[str]]] = [
        (Satstabell, "satser/2017", 2, ["SatserPublisert"]),
        (Grunnlag, "grunnlag/0138/2017", 2, ["GrunnlagPublisert"]),
        (Kvartalsoppgjor, "oppgjor/0138/2017/1", 2, ["OppgjorUtstedt"]),
        (Utbetalinger, "utbetalinger/0138", 2, ["UtbetalingRegistrert"]),
        (Aarslas, "aarslas/0138/2017", 3, ["AarLast", "AarGjenapnet"]),
    ]
    for klasse, nokkel, versjon, typer in hdir:
        ider = aggregat_id("hdir", nokkel)
        aggregat: object = gammel.oppgjor_app.repository.get(ider)
        assert type(aggregat) is klasse
        assert isinstance(aggregat, Aggregate)
        assert aggregat.version == versjon
        assert aggregat.nokkel == nokkel  # type: ignore[attr-defined]
        historikk = aggregat.historikk  # type: ignore[attr-defined]
        assert [h["type"] for h in historikk] == typer
        # Exactly the payloads as stored, after the bare creation.
        assert historikk == etter_aggregat[ider][1:]
    las: object = gammel.oppgjor_app.repository.get(aggregat_id("hdir", "aarslas/0138/2017"))
    assert isinstance(las, Aarslas)
    assert las.er_last is False


def test_gammel_logg_projiseres_i_lesemodellen(
    gammel: Tjenester, tmp_path: Path, auth: Token
) -> None:
    assert gammel.projektor.ta_igjen() == 19
    with gammel.lager.les() as s:
        lest = s.execute(
            select(
                hendelse.c.posisjon, hendelse.c.type, hendelse.c.hendelse_id, hendelse.c.data
            ).order_by(hendelse.c.posisjon)
        ).all()
    assert [(p, t, h) for p, t, h, _ in lest] == TYPER
    lagret = {i: _lagret_hendelse(state) for i, _, _, _, state in _fixturrader()}
    assert [d for _, _, _, d in lest] == [lagret[p] for p, _, _ in TYPER]

    # And through the whole read path: what was issued and paid, to the øre.
    app = lag_app(gammel, data_dir=tmp_path / "data", bakgrunnsprojektor=False)
    with TestClient(app) as k:
        svar = k.get("/v1/kommuner/0138/saldo", headers=auth(HDIR, "sio:oppgjor.read"))
    assert svar.status_code == 200, svar.text
    assert svar.json()["kvartaler"] == [
        {
            "aar": 2017,
            "kvartal": 1,
            "utstedt_versjon": 1,
            "utstedt": "1868521.43",
            "betalt": "1000.00",
            "saldo": "1867521.43",
        }
    ]


def test_nye_hendelser_lagres_under_stabile_navn(
    gammel: Tjenester, tmp_path: Path, auth: Token
) -> None:
    """On top of the old log: new events of the same aggregates get the stable names."""
    hdir = auth(HDIR, "sio:oppgjor.read sio:oppgjor.write")
    kommune = auth(HOBOL, "sio:vedtak.write")
    app = lag_app(gammel, data_dir=tmp_path / "data", bakgrunnsprojektor=False)
    with TestClient(app) as k:
        svar = [
            k.post("/v1/kommuner/0138/aar/2017/las", json={}, headers=hdir),
            k.post(
                "/v1/kommuner/0138/utbetalinger",
                json={"aar": 2017, "kvartal": 1, "belop": "5.00", "betalt_dato": "2017-06-01"},
                headers=hdir,
            ),
            k.post(
                "/v1/hendelser",
                json={
                    "hendelser": [
                        {
                            "hendelse_id": "00000000-0000-4000-8000-000000000101",
                            "type": "VedtakFattet",
                            "kommunenummer": "0138",
                            "vedtak_id": "V-3",
                            "bruker_ref": "B-3",
                            "tjenestekode": "HTAMDK",
                            "gyldig_fra": "2018-01-01",
                            "timer_per_uke": "2",
                            "vedtaksdato": "2017-12-01",
                        },
                        {
                            "hendelse_id": "00000000-0000-4000-8000-000000000102",
                            "type": "VedtakOpphort",
                            "kommunenummer": "0138",
                            "vedtak_id": "V-3",
                            "siste_dag": "2018-02-01",
                        },
                    ]
                },
                headers=kommune,
            ),
        ]
    assert [s.status_code for s in svar] == [200, 201, 200], [s.text for s in svar]
    logg = gammel.vedtak.recorder.events_record_cls  # type: ignore[attr-defined]
    with gammel.lager.les() as s:
        nye = s.execute(select(logg.topic).where(logg.id > 19).order_by(logg.id)).scalars().all()
    assert nye == [
        "omsorgsoppgjor/Hdir/Tillagt",
        "omsorgsoppgjor/Hdir/Tillagt",
        "omsorgsoppgjor/Utbetalingsid/Opprettet",  # the payment's id, reserved (issue 7)
        "omsorgsoppgjor/Vedtak/Fattet",
        "omsorgsoppgjor/Vedtak/Opphort",
    ]
    assert all(t.startswith(PREFIKS) and ":" not in t for t in nye)
    # The new vedtak's creation names its aggregate by the stable name too.
    with gammel.lager.les() as s:
        state = s.execute(select(logg.state).where(logg.id == 23)).scalar_one()
    assert json.loads(state)["originator_topic"] == "omsorgsoppgjor/Vedtak"
    v3: object = gammel.vedtak.repository.get(vedtak_aggregat_id("0138", "V-3"))
    assert isinstance(v3, Vedtak)
    assert v3.siste_dag == date(2018, 2, 1)


def test_hvert_aggregat_i_domenet_har_et_stabilt_navn() -> None:
    """A new aggregate without a TOPIC would be stored under its module path again."""
    funnet = {
        klasse
        for navn in domenemoduler()
        for _, klasse in inspect.getmembers(importlib.import_module(navn), inspect.isclass)
        if issubclass(klasse, Aggregate)
        and klasse.__module__ == navn
        and not klasse.__name__.startswith("_")
    }
    # Utbetalingsid came after stable names, so it has no old module-path name to keep.
    assert funnet == {Vedtak, *AGGREGATER, Utbetalingsid}
    for klasse in funnet:
        assert "TOPIC" in klasse.__dict__, klasse
        assert str(klasse.__dict__["TOPIC"]).startswith(PREFIKS)
