"""JSON log lines: one object per line, the request id, and no exception message (a
database error's message can quote a row with personal data)."""

from __future__ import annotations

import json
import logging

from services.system.drift.jsonlogg import JsonFormat, foresporsel_id, velg_foresporsel_id


def _linje(record: logging.LogRecord) -> dict[str, object]:
    tekst = JsonFormat().format(record)
    assert "\n" not in tekst
    verdi: dict[str, object] = json.loads(tekst)
    return verdi


def test_en_linje_med_request_id_og_ekstra_felt() -> None:
    merke = foresporsel_id.set("spor-1234abcd")
    try:
        record = logging.makeLogRecord(
            {"name": "oppgjor.tilgang", "levelno": 20, "levelname": "INFO", "msg": "GET %s"}
        )
        record.args = ("/health",)
        record.status = 200
        linje = _linje(record)
    finally:
        foresporsel_id.reset(merke)
    assert linje["melding"] == "GET /health"
    assert linje["request_id"] == "spor-1234abcd"
    assert linje["status"] == 200
    assert linje["nivaa"] == "INFO"
    assert linje["logger"] == "oppgjor.tilgang"


def test_et_unntak_logges_med_type_og_rammer_men_uten_melding() -> None:
    try:
        raise ValueError("bruker_ref=01017010170 kunne ikke lagres")
    except ValueError:
        logger = logging.getLogger("test.jsonlogg")
        record = logger.makeRecord(
            "test.jsonlogg",
            logging.ERROR,
            __file__,
            1,
            "uventet feil",
            (),
            __import__("sys").exc_info(),
        )
    linje = _linje(record)
    assert linje["unntak"] == "ValueError"
    assert isinstance(linje["stakk"], list)
    assert "01017010170" not in json.dumps(linje)


def test_request_id_som_er_et_fodselsnummer_erstattes() -> None:
    assert velg_foresporsel_id("spor-01017010170") != "spor-01017010170"
    assert velg_foresporsel_id("3f2a9c1e-0000-4000-8000-123456789012") == (
        "3f2a9c1e-0000-4000-8000-123456789012"
    )
