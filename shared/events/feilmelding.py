"""Contract validation messages that say what is wrong with a field, never what was sent.

Sent values are free text and may hold an identity, so no error echoes them. Pydantic's
own messages name the constraint, not the value, with one exception handled here: an
unknown discriminator tag ("Input tag 'x' found using 'type' ...").
"""

from __future__ import annotations

from typing import Any


def feiltekst(feil: Any) -> str:
    """The message of one pydantic error (an ErrorDetails mapping), without the value."""
    if feil.get("type") == "union_tag_invalid":
        ctx = feil.get("ctx") or {}
        felt = str(ctx.get("discriminator", "type")).strip("'")
        return f"ukjent {felt}; forventet en av {ctx.get('expected_tags', '')}"
    return str(feil.get("msg", ""))
