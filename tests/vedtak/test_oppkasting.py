"""A v1 VedtakFattet (before case systems could record 2:1 staffing) is upcast to v2."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from eventsourcing.persistence import StoredEvent
from sqlalchemy import select

from services.system.bootstrap import Tjenester
from services.vedtak.domain.vedtak import Vedtak
from shared.lagring.tabeller import hendelse
from tests.hendelser import fattet


def _lagre_som_v1(t: Tjenester, data: dict[str, object]) -> Vedtak:
    vedtak = Vedtak.fatt(data, datetime.now(UTC))
    (event,) = vedtak.collect_events()
    lagret = t.vedtak.mapper.to_stored_event(event)
    state = json.loads(lagret.state)
    assert state.pop("class_version") == 2  # what v2 writes today
    del state["hendelse"]["bemanningsfaktor"]  # what v1 never had
    v1 = StoredEvent(
        lagret.originator_id, lagret.originator_version, lagret.topic, json.dumps(state).encode()
    )
    with t.lager.transaksjon():
        t.vedtak.recorder.insert_events([v1])
    return vedtak


def test_v1_fattet_leses_som_v2(tjenester: Tjenester) -> None:
    data = fattet("GAMMEL")
    data["bemanningsfaktor"] = None
    original = _lagre_som_v1(tjenester, dict(data))

    with tjenester.lager.transaksjon():
        lest: object = tjenester.vedtak.repository.get(original.id)
    assert isinstance(lest, Vedtak) and lest.vedtak_id == "GAMMEL"

    tjenester.projektor.ta_igjen()
    with tjenester.lager.les() as s:
        rad = s.execute(select(hendelse.c.data)).one()
    assert rad.data["bemanningsfaktor"] == 1  # time code: the v1 default made explicit


def test_v1_dognkode_far_ingen_bemanningsfaktor(tjenester: Tjenester) -> None:
    data = fattet("DOGN", tjenestekode="LOKO", timer_per_uke=None)
    data["bemanningsfaktor"] = None
    _lagre_som_v1(tjenester, data)
    tjenester.projektor.ta_igjen()
    with tjenester.lager.les() as s:
        rad = s.execute(select(hendelse.c.data)).one()
    assert rad.data["bemanningsfaktor"] is None
