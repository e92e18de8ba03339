"""A large audit computed in two parts, the upper one in a helper process (ADR 19).

The answer must be the very answer one process computes, field for field: as known now,
as known before a change, at another threshold, and after the helper has died. On the
embedded SQLite store the server keeps one process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest

from services.settlement.application import revisjon as revisjonsmodul
from services.settlement.application.revisjon import Revisjonsdel, Revisjonstjeneste
from services.system.bootstrap import Tjenester, bygg
from shared.lagring.jsontekst import fragment
from shared.lagring.logg import naa
from tests.hendelser import annullert, endret, fattet, rapport
from tests.server import Server

KNR = "0138"


@pytest.fixture
def med_hjelper(lager_url: str) -> Iterator[Tjenester]:
    t = bygg(lager_url)
    t.start_revisjonshjelper()
    yield t
    t.lukk()


def _send(t: Tjenester, *hendelser: dict[str, Any]) -> datetime:
    t.mottak.motta(list(hendelser), None)
    t.projektor.ta_igjen()
    time.sleep(0.002)  # the next batch is recorded at a later instant
    return naa()


def _kvartal(t: Tjenester) -> datetime:
    """40 vedtak: with and without reports, a recoding to `dogn`, one annulled, and reports
    that straddle the quarter's end; vedtak_ids that sort differently as text and as
    numbers, so the bound between the parts is drawn by code point."""
    hendelser: list[dict[str, Any]] = []
    for i in range(40):
        vid = f"V{i}" if i % 3 else f"v-{i:03d}"
        kode = "PBAMDK" if i % 4 == 0 else "HTAMDK"
        hendelser.append(fattet(vid, tjenestekode=kode, timer_per_uke=str(5 + i % 7)))
        if i % 5:
            hendelser.append(rapport(vid, "2017-01-01", "2017-01-31", 20 + i))
        if i % 7 == 0:
            hendelser.append(rapport(vid, "2017-03-15", "2017-04-14", 31.5))
    hendelser.append(endret("V1", "2017-02-01", tjenestekode="LOKO"))
    hendelser.append(annullert("V2"))
    return _send(t, *hendelser)


def _revisjon(tjeneste: Revisjonstjeneste, per: datetime, terskel: str = "0.90") -> bytes:
    # As the API writes it: the same bytes are the same answer, field for field.
    svar = tjeneste.vedtatt_utfort(KNR, 2017, 1, per, Decimal(terskel))
    return orjson.dumps(svar, default=fragment)


def _fersk(t: Tjenester, per: datetime, terskel: str = "0.90") -> bytes:
    """What one process with nothing kept computes."""
    return _revisjon(Revisjonstjeneste(t.oppgjor, t.lesemodell), per, terskel)


def _tell_deler(t: Tjenester, monkeypatch: pytest.MonkeyPatch) -> list[Revisjonsdel]:
    """Records each part the helper sends back (the helper itself is untouched)."""
    hjelper = t.revisjon.medregner
    assert hjelper is not None
    mottatt: list[Revisjonsdel] = []
    start = hjelper.start

    def tellende(*a: Any) -> Callable[[], Revisjonsdel] | None:
        hent = start(*a)
        if hent is None:
            return None

        def hent_og_tell() -> Revisjonsdel:
            del_ = hent()
            mottatt.append(del_)
            return del_

        return hent_og_tell

    monkeypatch.setattr(hjelper, "start", tellende)
    return mottatt


def _vent_paa_hjelperen(t: Tjenester) -> None:
    hjelper = t._revisjonshjelper
    assert hjelper is not None
    assert hjelper.klar(tidsgrense_s=60), "hjelpeprosessen startet ikke"


def test_to_deler_gir_samme_svar_som_en_prosess(
    med_hjelper: Tjenester, lager_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = med_hjelper
    if lager_url.startswith("sqlite"):
        # The embedded store keeps every audit in the server's own process.
        assert t.revisjon.medregner is None
        for_ = _kvartal(t)
        assert _revisjon(t.revisjon, for_) == _fersk(t, for_)
        return
    _vent_paa_hjelperen(t)
    mottatte = _tell_deler(t, monkeypatch)
    for_ = _kvartal(t)
    svar_for = _revisjon(t.revisjon, for_)
    assert svar_for == _fersk(t, for_)
    assert len(mottatte) == 1
    ovre = mottatte[0]
    # The upper part: its rows, from its bound on, in vedtak_id order by code point.
    ider = [r[0] for r in ovre.rader]
    assert ider and ovre.nedre is not None
    assert ider == sorted(ider) and ider[0] >= ovre.nedre
    alle = [r["vedtak_id"] for r in orjson.loads(svar_for)["vedtak"]]
    assert alle == sorted(alle) and alle[-len(ider) :] == ider
    andel = revisjonsmodul.SERVERENS_ANDEL
    assert len(ider) == len(alle) - len(alle) * andel.numerator // andel.denominator

    # A change in both parts: each process recomputes its own rows.
    etter = _send(
        t,
        rapport(alle[0], "2017-02-01", "2017-02-28", 12),
        rapport(alle[-1], "2017-02-01", "2017-02-28", 13),
        endret(alle[-2], "2017-03-01", timer_per_uke="9.5"),
    )
    svar_etter = _revisjon(t.revisjon, etter)
    assert svar_etter == _fersk(t, etter)
    assert svar_etter != svar_for
    assert len(mottatte) == 2
    # As known before the change, and at another threshold, after the later answer.
    t.revisjon._svar = type(t.revisjon._svar)(maks_vekt=200_000)
    assert _revisjon(t.revisjon, for_) == svar_for
    assert _revisjon(t.revisjon, etter, "0.10") == _fersk(t, etter, "0.10")
    assert len(mottatte) == 4


def test_en_drept_hjelper_koster_tid_aldri_svaret(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL only: SQLite has no helper to kill (the test above shows it)."""
    t = bygg(pg_url)
    t.start_revisjonshjelper()
    try:
        _drep_hjelperen_og_regn(t, monkeypatch)
    finally:
        t.lukk()


def _drep_hjelperen_og_regn(t: Tjenester, monkeypatch: pytest.MonkeyPatch) -> None:
    _vent_paa_hjelperen(t)
    per = _kvartal(t)
    forventet = _fersk(t, per)
    barn = multiprocessing.active_children()
    assert len(barn) == 1 and barn[0].pid is not None
    os.kill(barn[0].pid, signal.SIGKILL)
    barn[0].join(timeout=10)

    assert _revisjon(t.revisjon, per) == forventet  # computed here, whole or in part
    # A new helper is started only after a pause; until then every audit is computed here.
    monkeypatch.setattr("services.settlement.adapters.revisjonsprosess.PAUSE_ETTER_FEIL_S", 0)
    t.revisjon._svar = type(t.revisjon._svar)(maks_vekt=200_000)
    assert _revisjon(t.revisjon, per, "0.50") == _fersk(t, per, "0.50")
    _vent_paa_hjelperen(t)
    mottatte = _tell_deler(t, monkeypatch)
    assert _revisjon(t.revisjon, per, "0.60") == _fersk(t, per, "0.60")
    assert len(mottatte) == 1  # the new helper computed the upper part


def test_en_del_med_en_annen_grense_regnes_her() -> None:
    """The helper drew its bound from its own read: when it differs from this process's
    (the store changed under one of them), its part is not used."""
    del_ = Revisjonsdel("V5", [], {})
    assert revisjonsmodul._hent_del(lambda: del_, "V5") is del_
    assert revisjonsmodul._hent_del(lambda: del_, "V6") is None

    def feiler() -> Revisjonsdel:
        raise TimeoutError

    assert revisjonsmodul._hent_del(feiler, "V5") is None


def _barn(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    barn = []
    for navn in os.listdir("/proc"):
        if navn.isdigit():
            try:
                stat = Path(f"/proc/{navn}/stat").read_text()
            except OSError:
                continue
            # The parent pid is the second field after the command's closing parenthesis.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                barn.append(int(navn))
    return barn


def _lever(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.parametrize("signal_", [signal.SIGTERM, signal.SIGKILL])
def test_hjelperen_gaar_ned_med_serveren(pg_url: str, tmp_path: Path, signal_: int) -> None:
    """`oppgjor serve` on PostgreSQL starts its helper before it answers; stopped or killed
    outright, it leaves no helper behind."""
    server = Server(tmp_path / "data", pg_url)
    server.start()
    try:
        assert server.prosess is not None
        barn = _barn(server.prosess.pid)  # the helper, and multiprocessing's own tracker
        hjelpere = [p for p in barn if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
        assert len(hjelpere) == 1
        if signal_ == signal.SIGKILL:
            server.drep()
        else:
            server.stopp()
        slutt = time.monotonic() + 15
        while any(_lever(p) for p in barn) and time.monotonic() < slutt:
            time.sleep(0.2)
        assert not [p for p in barn if _lever(p)]
    finally:
        server.stopp()
