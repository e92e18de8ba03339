"""Authentication and tenancy: Maskinporten-shaped tokens, the organisation registry,
FastAPI dependencies and the ``oppgjor token`` / ``oppgjor orgs`` commands.

Import from the modules (kept free of package-level imports so the CLI does not pull in
FastAPI): ``scopes`` (scope constants), ``nokler`` (local signing key), ``jwks`` (key
sources), ``token`` (``lag_token``, ``verifiser_token``), ``register``
(``Organisasjonsregister``), ``avhengigheter`` (``TilgangsKontroll``, ``krev_scope``)
and ``cli`` (``registrer``).
"""
