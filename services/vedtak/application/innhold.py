"""A hendelse's content fingerprint, so a resend can be told from a changed reuse of an id."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel


def innholdshash(hendelse: BaseModel) -> str:
    """SHA-256 of the parsed hendelse's JSON, in the model's field order.

    Decimals serialise normalised (shared/events/typer.py), so "2", 2 and "2.0" are the same
    content, as api.md lets numbers arrive either way; absent and null are alike too.
    """
    return hashlib.sha256(hendelse.model_dump_json().encode()).hexdigest()
