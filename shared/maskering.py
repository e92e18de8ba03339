"""Last-line defence: no identity-shaped number leaves the service in an answer or a log.

Errors name the field that is wrong, never the value sent (shared/events/feilmelding.py and
the services' messages). Should a value still slip into an error `detail`, a field name, an
access-log `ressurs` or a log line, every 11-digit number in it (written together, or as
DDMMYY NNNNN with one space, dot, hyphen or no-break space, plain or URL-encoded) is
replaced by `[skjult]`.
Any 11 digits are masked, valid identity or not: this is the net under the check, so it
does not try to be clever. A longer run of digits (a log position, a hash) is left alone.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

# \d, not [0-9]: Arabic-Indic and other digits are digits to a reader too. The separator
# may also be URL-encoded, as a path is in an access log line ("010170%2010170").
_ELLEVE_SIFFER = re.compile(r"(?<!\d)\d{6}(?:[ .\-\u00a0]|%20|%C2%A0)?\d{5}(?!\d)", re.IGNORECASE)
SKJULT = "[skjult]"


def masker(tekst: str) -> str:
    """The text with every 11-digit number replaced by `[skjult]`."""
    return _ELLEVE_SIFFER.sub(SKJULT, tekst)


def masker_verdi(verdi: Any) -> Any:
    """Strings masked; anything else (numbers, None, objects) as it is."""
    return masker(verdi) if isinstance(verdi, str) else verdi


def _masker_argument(verdi: Any) -> Any:
    """A log argument: strings masked; an object (a URL) masked as its text if needed."""
    if isinstance(verdi, str):
        return masker(verdi)
    if verdi is None or isinstance(verdi, int | float):
        return verdi  # numbers keep their type: formats such as %d need it
    tekst = str(verdi)
    maskert = masker(tekst)
    return verdi if maskert == tekst else maskert


_installert = False
_installer_las = threading.Lock()


def installer_loggmaskering() -> None:
    """Mask every log record of the process, whatever logger or handler writes it.

    A record factory rather than a filter: uvicorn configures its own handlers when it
    starts, and a filter on them would have to be re-added. The message and its arguments
    are masked one by one, so formatters that read `args` (uvicorn's access log) keep
    working; an exception's text is formatted here once, masked, and reused by formatters.
    """
    global _installert
    with _installer_las:
        if _installert:
            return
        forrige = logging.getLogRecordFactory()

        def fabrikk(*args: Any, **kwargs: Any) -> logging.LogRecord:
            post = forrige(*args, **kwargs)
            post.msg = masker_verdi(post.msg)
            if isinstance(post.args, tuple):
                post.args = tuple(_masker_argument(a) for a in post.args)
            elif isinstance(post.args, dict):
                post.args = {k: _masker_argument(v) for k, v in post.args.items()}
            if post.exc_info and post.exc_info[1] is not None:
                post.exc_text = masker(logging.Formatter().formatException(post.exc_info))
            return post

        logging.setLogRecordFactory(fabrikk)
        _installert = True
