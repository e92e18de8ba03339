"""CSRF protection for every form that changes something: a token tied to the login.

The token is an HMAC of the fixed purpose string keyed by the person's credential (the
login cookie, or the Authorization header a script sends). Another site can neither read
the HttpOnly cookie nor a page, so it cannot make the token; the server keeps no state,
so every replica accepts it, and logging out (a new credential) retires it. The Origin
check of the login form stays in front as a second line.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from markupsafe import Markup
from starlette.datastructures import FormData

from services.settlement.entrypoints.web import KAKE
from services.settlement.entrypoints.web.innlogging import samme_opphav

FELT = "_csrf"
FORMAL = b"oppgjor-skjema-v1"
MAKS_FELT = 50  # the largest form (a payment) has eight fields
MAKS_FIL = 2 * 1024 * 1024
AVVIST = (
    "Skjemaet mangler et gyldig sikkerhetstoken. Last siden på nytt og send skjemaet derfra; "
    "ingenting er endret."
)


def _legitimasjon(request: Request) -> str | None:
    """The same credential the page was read with: the header wins, else the cookie."""
    hode = request.headers.get("Authorization")
    if hode:
        return hode.removeprefix("Bearer ").strip() or None
    return request.cookies.get(KAKE) or None


def token(request: Request) -> str:
    """The token for this person's forms ("" without a login: no form then validates)."""
    legitimasjon = _legitimasjon(request)
    if legitimasjon is None:
        return ""
    return hmac.new(legitimasjon.encode(), FORMAL, hashlib.sha256).hexdigest()


def skjult_felt(request: Request) -> Markup:
    """The hidden input every form that posts carries."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FELT, token(request))


async def les_skjema(request: Request) -> FormData:
    """The posted form, once its origin and CSRF token hold; else a 403 page, nothing done."""
    if not samme_opphav(request):
        raise HTTPException(403, "Skjemaet kom fra et annet nettsted; ingenting er endret.")
    skjema = await request.form(max_files=1, max_fields=MAKS_FELT, max_part_size=MAKS_FIL)
    sendt = skjema.get(FELT)
    forventet = token(request)
    if not isinstance(sendt, str) or not forventet or not hmac.compare_digest(sendt, forventet):
        raise HTTPException(403, AVVIST)
    return skjema


# A route takes the checked form as a dependency and stays a plain `def`: its service calls
# then run in the thread pool like the API's, never on the event loop.
Skjema = Annotated[FormData, Depends(les_skjema)]
