"""`?format=` is answered or refused, never silently ignored.

The three table views (API and pages) export as csv, excel-csv or xlsx. Every other view
has one representation; a `?format=` there would be dropped without a word, and a person
asking for a spreadsheet would get JSON or a page instead. So a view that does not take
`format` answers a 406 in Norwegian: a problem for the API, an error page under /ui (the
pages' route class renders it). `format=json` on an API view is what it gives anyway, so
that is answered.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from shared.problem import Problem

MELDING = (
    "Denne visningen kan ikke lastes ned; ?format= (csv, excel-csv, xlsx) finnes på "
    "tabellvisningene for kvartalsoppgjør, nasjonalt kvartal og vedtatt mot utført tid. "
    "Fjern ?format= for å se visningen."
)


def _tar_format(avhengighet: Dependant) -> bool:
    """True when the route (or one of its dependencies) reads the query parameter `format`."""
    if any(p.alias == "format" for p in avhengighet.query_params):
        return True
    return any(_tar_format(d) for d in avhengighet.dependencies)


def avvis_ukjent_format(request: Request) -> None:
    """App-wide dependency: a 406 for `?format=` on a route that has no such parameter."""
    verdier = request.query_params.getlist("format")
    rute = request.scope.get("route")
    if not verdier or not isinstance(rute, APIRoute):
        return
    if _tar_format(rute.dependant):  # a short walk, and only when ?format= is there
        return
    if verdier == ["json"] and not request.url.path.startswith("/ui"):
        return
    raise Problem(406, MELDING)
