"""HTTP API routers (api.md), one module per resource."""
