"""Structured logs: one JSON object per line, each carrying the request id it belongs to.

Log lines must never carry personal data. So the formatter writes an exception's type and
the frames it passed through, but not its message: a database error's message can quote the
SQL parameters of the row it failed on, and that row can hold a `bruker_ref`.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from stdnum.no import fodselsnummer

foresporsel_id: ContextVar[str | None] = ContextVar("foresporsel_id", default=None)

# A sane request id: a short token of safe characters (a UUID, a trace id). An id we echo
# and log must never carry a fødselsnummer or D-number, so none may hide in it.
_SANN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
_ELLEVE_SIFFER = re.compile(r"(?=(\d{11}))")

# Attributes every LogRecord has; anything else was passed with `extra=` and is a field.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}


def velg_foresporsel_id(innsendt: str | None) -> str:
    """The caller's X-Request-ID if it is a sane token, else a fresh one."""
    if (
        innsendt
        and _SANN_ID.fullmatch(innsendt)
        and not any(fodselsnummer.is_valid(m) for m in _ELLEVE_SIFFER.findall(innsendt))
    ):
        return innsendt
    return uuid.uuid4().hex


class JsonFormat(logging.Formatter):
    """One JSON object per line: tid, nivaa, logger, melding, request_id and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        linje: dict[str, Any] = {
            "tid": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "nivaa": record.levelname,
            "logger": record.name,
            "melding": record.getMessage(),
        }
        if (fid := foresporsel_id.get()) is not None:
            linje["request_id"] = fid
        for navn, verdi in record.__dict__.items():
            if navn not in _STANDARD and not navn.startswith("_"):
                linje[navn] = verdi
        if record.exc_info and record.exc_info[0] is not None:
            _, unntak, spor = record.exc_info
            linje["unntak"] = type(unntak).__name__
            linje["stakk"] = [
                f"{r.filename}:{r.lineno} {r.name}" for r in traceback.extract_tb(spor)
            ]
        return json.dumps(linje, ensure_ascii=False, default=str)


def loggoppsett(niva: str = "INFO") -> dict[str, Any]:
    """A logging.config.dictConfig for the process: every logger, uvicorn's too, as JSON.

    Uvicorn's own access log is switched off (`access_log=False`); the request middleware
    writes one access line per request instead, with the route template and the request id.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormat}},
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["json"], "level": niva},
        "loggers": {
            navn: {"handlers": [], "level": niva, "propagate": True}
            for navn in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }
