"""A hendelse's content fingerprint, so a resend can be told from a changed reuse of an id."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel


def _kanonisk(verdi: Any) -> Any:
    if isinstance(verdi, Decimal):
        # "2", 2 and "2.0" are the same number, so the same content (api.md: numbers may
        # arrive as JSON numbers or decimal strings).
        return format(verdi.normalize(), "f")
    if isinstance(verdi, date | UUID):
        return str(verdi)
    if isinstance(verdi, dict):
        return {k: _kanonisk(v) for k, v in verdi.items()}
    if isinstance(verdi, list | tuple):
        return [_kanonisk(v) for v in verdi]
    return verdi


def innholdshash(hendelse: BaseModel) -> str:
    kanonisk = _kanonisk(hendelse.model_dump())
    tekst = json.dumps(kanonisk, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(tekst.encode()).hexdigest()
