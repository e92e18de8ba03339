"""The Jinja2 environment: autoescaped templates, Norwegian number filters, page helpers."""

from __future__ import annotations

from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from services.settlement.entrypoints.web import MALER, format, tid, visning

_miljo = jinja2.Environment(
    loader=jinja2.FileSystemLoader(MALER),
    autoescape=True,
    undefined=jinja2.StrictUndefined,  # a misspelt name fails the tests, not silently blank
    trim_blocks=True,
    lstrip_blocks=True,
)
_miljo.filters.update(
    kroner=format.kroner,
    tall=format.tall,
    volum=format.volum,
    prosent=format.prosent,
    tidspunkt=format.tidspunkt,
    kommunenavn=visning.kommunenavn,
    gruppenavn=visning.gruppenavn,
)
_miljo.globals.update(
    url=visning.url,
    vedtak_url=visning.vedtak_url,
    hendelser_url=visning.hendelser_url,
    KOMPONENTER=visning.KOMPONENTER,
    FLAGG=visning.FLAGG,
    TYPER=visning.TYPER,
    ENHETER=visning.ENHETER,
)
maler = Jinja2Templates(env=_miljo)

# Pages never end up in shared caches: they carry person-level and tenant-specific data.
_HODER = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


# Not carried by the time-travel form: `per` is its own field, and a new instant starts
# on the first page, as a page, not a download.
_IKKE_MED = {"per", "side", "format"}


def vis(request: Request, mal: str, status: int = 200, **kontekst: Any) -> Response:
    kontekst.setdefault("tilgang", None)
    per_param = request.query_params.get("per") or None
    kontekst.setdefault("per_param", per_param)
    # The time-travel bar in base.html: the field's value, what it says, the way back to now.
    kontekst.setdefault("per_skjema", tid.skjemaverdi(per_param))
    kontekst.setdefault("per_vist", tid.vist(per_param))
    kontekst.setdefault(
        "per_beholdt", [(k, v) for k, v in request.query_params.multi_items() if k not in _IKKE_MED]
    )
    kontekst.setdefault(
        "naa_lenke",
        visning.url(
            request.url.path,
            {k: v for k, v in request.query_params.items() if k not in ("per", "side")},
        ),
    )
    return maler.TemplateResponse(request, mal, kontekst, status_code=status, headers=_HODER)
