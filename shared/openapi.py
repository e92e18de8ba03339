"""OpenAPI for request bodies the routes parse themselves (for exact decimals)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def _losen(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _losen(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _losen(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_losen(v, defs) for v in node]
    return node


def innebygd_skjema(modell: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its `$defs` inlined: pydantic's local references point
    at the schema's own root, which inside an OpenAPI document does not exist."""
    skjema = modell.model_json_schema()
    losnet: dict[str, Any] = _losen(skjema, skjema.get("$defs", {}))
    return losnet


def kropp_dok(modell: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for a JSON body described by `modell`."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": innebygd_skjema(modell)}},
        }
    }
