"""The demo data set: deterministic, valid against the contract and regelverk 3."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from decimal import Decimal

from stdnum.no import fodselsnummer

from demo import (
    Datasett,
    PubliserGrunnlag,
    PubliserSatser,
    SendHendelser,
    UtstedKvartal,
    lag_datasett,
)
from demo.kalender import PERIODER
from shared.events import HendelseAdapter, tjenestekoder
from tests.demo.regler import kontroller

KOMMUNER = ("0138", "0926", "1243", "1714")


def test_same_seed_gives_the_same_data_set(datasett: Datasett) -> None:
    assert lag_datasett(2017) == datasett


def test_every_event_parses_with_the_contract_after_a_json_round_trip(
    datasett: Datasett,
) -> None:
    for h in datasett.hendelser():
        modell = HendelseAdapter.validate_json(json.dumps(h))
        assert str(modell.hendelse_id) == h["hendelse_id"]
        assert modell.type == h["type"]


def test_events_satisfy_the_validation_rules_in_send_order(datasett: Datasett) -> None:
    feil = kontroller(datasett.steg)
    assert feil == [], "\n".join(feil[:20])


def test_no_bruker_ref_is_a_fodselsnummer(datasett: Datasett) -> None:
    refs = {h["bruker_ref"] for h in datasett.hendelser() if h["type"] == "VedtakFattet"}
    assert refs
    assert all(re.fullmatch(r"B-\d{4}-\d{6}", r) for r in refs)
    assert not [
        r for r in refs if fodselsnummer.is_valid(r) or fodselsnummer.is_valid(re.sub(r"\D", "", r))
    ]


def test_size_is_realistic_but_fast(datasett: Datasett) -> None:
    assert 30_000 <= datasett.antall_hendelser_totalt <= 80_000
    assert set(datasett.antall_vedtak) == set(KOMMUNER)
    assert set(datasett.hendelser_per_type) == {
        "VedtakFattet",
        "VedtakEndret",
        "VedtakOpphort",
        "VedtakAnnullert",
        "FravaerRegistrert",
        "FravaerAnnullert",
        "UtfortTidRapportert",
    }


def test_steps_come_in_the_order_the_runner_needs(datasett: Datasett) -> None:
    steg = datasett.steg
    assert [type(s) for s in steg[:10]] == [PubliserSatser] * 2 + [PubliserGrunnlag] * 8
    utstedt = [
        (s.aar, s.kvartal) for s in steg if isinstance(s, UtstedKvartal) and not s.korreksjon
    ]
    assert utstedt == [(kv.aar, kv.nr) for kv in PERIODER for _ in KOMMUNER]
    # Each quarter's events are sent before that quarter is issued, the corrections after all.
    sist_utstedt = max(
        i for i, s in enumerate(steg) if isinstance(s, UtstedKvartal) and not s.korreksjon
    )
    for i, s in enumerate(steg):
        if isinstance(s, SendHendelser) and s.periode != "korreksjon":
            kv = next(k for k in PERIODER if str(k) == s.periode)
            issue = next(
                j
                for j, u in enumerate(steg)
                if isinstance(u, UtstedKvartal) and (u.aar, u.kvartal) == (kv.aar, kv.nr)
            )
            assert i < issue
        if isinstance(s, SendHendelser) and s.periode == "korreksjon":
            assert i > sist_utstedt
        if isinstance(s, UtstedKvartal) and s.korreksjon:
            assert i > sist_utstedt


def test_content_is_realistic(datasett: Datasett) -> None:
    fattet = [h for h in datasett.hendelser() if h["type"] == "VedtakFattet"]
    katalog = tjenestekoder()
    per_time = [h for h in fattet if katalog[h["tjenestekode"]].enhet == "time"]
    dogn = [h for h in fattet if katalog[h["tjenestekode"]].enhet == "dogn"]
    assert all("timer_per_uke" not in h and "bemanningsfaktor" not in h for h in dogn)
    assert sum(1 for h in per_time if h.get("bemanningsfaktor") == 2) >= 20
    # Short stays that start and end.
    kort = [h for h in dogn if katalog[h["tjenestekode"]].tjenestegruppe == "korttidsopphold"]
    assert sum(1 for h in kort if "gyldig_til" in h) > len(kort) / 2
    # Typical hours: home nursing mostly 2-20 h/week, practical help mostly 1-8.
    for kode, lav, hoy in (("HTAMDK", 2, 20), ("PBAMDK", 1, 8), ("BPADK", 10, 40)):
        timer = [Decimal(h["timer_per_uke"]) for h in per_time if h["tjenestekode"] == kode]
        assert timer and all(lav - 1 <= t <= hoy * Decimal("1.3") for t in timer), kode
    typer = Counter(h["type"] for h in datasett.hendelser())
    assert typer["FravaerAnnullert"] >= 10 and typer["VedtakAnnullert"] >= 5
    arsaker = Counter(h["arsak"] for h in datasett.hendelser() if h["type"] == "FravaerRegistrert")
    assert arsaker["sykehus"] and arsaker["ferie"]
    omkodet = [
        h for h in datasett.hendelser() if h["type"] == "VedtakEndret" and "tjenestekode" in h
    ]
    assert any(h["tjenestekode"].startswith("PB") for h in omkodet)
    assert any(h["tjenestekode"].startswith("HT") for h in omkodet)


def test_delivered_time_has_gaps_for_the_audit(datasett: Datasett) -> None:
    """Most time vedtak report monthly at 70-100 %; some never report, some far below."""
    katalog = tjenestekoder()
    aktive = {
        (h["kommunenummer"], h["vedtak_id"]): h
        for h in datasett.hendelser()
        if h["type"] == "VedtakFattet" and katalog[h["tjenestekode"]].enhet == "time"
    }
    rapportert = Counter(
        (h["kommunenummer"], h["vedtak_id"])
        for h in datasett.hendelser()
        if h["type"] == "UtfortTidRapportert"
    )
    uten = [v for v in aktive if v not in rapportert]
    assert len(uten) >= 0.03 * len(aktive)
    assert len(rapportert) >= 0.8 * len(aktive)
    rapporter = [h for h in datasett.hendelser() if h["type"] == "UtfortTidRapportert"]
    assert all(
        date.fromisoformat(h["periode_fra"]).month == date.fromisoformat(h["periode_til"]).month
        for h in rapporter
    )
