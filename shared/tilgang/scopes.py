"""The Maskinporten scopes of the API and which roles may hold them."""

from __future__ import annotations

VEDTAK_WRITE = "sio:vedtak.write"
OPPGJOR_READ = "sio:oppgjor.read"
OPPGJOR_WRITE = "sio:oppgjor.write"
REVISJON_READ = "sio:revisjon.read"

ALLE_SCOPES: frozenset[str] = frozenset({VEDTAK_WRITE, OPPGJOR_READ, OPPGJOR_WRITE, REVISJON_READ})

# A token's scopes only count when the organisation's role may hold them (api.md, the
# "who" column), so a municipality can never publish satser even with a token that says so.
SCOPES_FOR_ROLLE: dict[str, frozenset[str]] = {
    "kommune": frozenset({VEDTAK_WRITE, OPPGJOR_READ}),
    "revisjon": frozenset({REVISJON_READ}),
    "hdir": frozenset({OPPGJOR_READ, OPPGJOR_WRITE, REVISJON_READ}),
}
