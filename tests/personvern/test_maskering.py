"""The last line of defence: 11-digit numbers are masked in problems and log lines."""

from __future__ import annotations

import logging
import sys

import pytest
from uvicorn.logging import AccessFormatter

from shared.maskering import installer_loggmaskering, masker
from shared.problem import Problem

HID = "0f0e0d0c-0b0a-4909-8807-a15076500565"  # a UUID's last group may hold 11 digits


@pytest.mark.parametrize(
    ("tekst", "forventet"),
    [
        ("vedtak 01017010170 finnes ikke", "vedtak [skjult] finnes ikke"),
        ("fnr:01017010171.", "fnr:[skjult]."),  # any 11 digits, valid identity or not
        ("010170 10170 og 010170-10170", "[skjult] og [skjult]"),
        ("/vedtak/010170%2010170", "/vedtak/[skjult]"),
        ("٠١٠١٧٠١٠١٧٠", "[skjult]"),
        ("posisjon 9223372036854775807", "posisjon 9223372036854775807"),  # a longer run
        ("0101701017", "0101701017"),  # ten digits
        ("beløp 1 000 000 000 000", "beløp 1 000 000 000 000"),
    ],
)
def test_masker(tekst: str, forventet: str) -> None:
    assert masker(tekst) == forventet


def test_problemet_maskerer_detalj_og_felt_men_ikke_hendelse_id() -> None:
    p = Problem(
        404,
        "vedtak 01017010170 finnes ikke",
        errors=[
            {
                "index": 0,
                "hendelse_id": HID,
                "felt": "ekstra.41017010164",
                "detail": "fikk 010170 10170",
            }
        ],
    )
    assert p.som_json() == {
        "type": "https://omsorgsoppgjor.no/problem/404",
        "title": "Finnes ikke",
        "status": 404,
        "detail": "vedtak [skjult] finnes ikke",
        "errors": [
            {
                "index": 0,
                "hendelse_id": HID,
                "felt": "ekstra.[skjult]",
                "detail": "fikk [skjult]",
            }
        ],
    }


def test_loggen_maskerer_meldinger_argumenter_og_unntak() -> None:
    installer_loggmaskering()
    installer_loggmaskering()  # twice is once
    logger = logging.getLogger("test.maskering")
    post = logger.makeRecord(
        logger.name, logging.INFO, __file__, 1, "bruker %s leste %s", ("01017010170", 7), None
    )
    assert post.getMessage() == "bruker [skjult] leste 7"

    # uvicorn's access log reads its arguments as a tuple: the shape is kept.
    tilgang = logging.getLogger("uvicorn.access").makeRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        (
            "127.0.0.1:5000",
            "GET",
            "/v1/kommuner/0138/oppgjor/2017/1/vedtak/01017010170",
            "1.1",
            404,
        ),
        None,
    )
    linje = AccessFormatter("%(client_addr)s %(request_line)s %(status_code)s").format(tilgang)
    assert (
        linje
        == "127.0.0.1:5000 GET /v1/kommuner/0138/oppgjor/2017/1/vedtak/[skjult] HTTP/1.1 404 Not Found"
    )

    try:
        raise ValueError("ugyldig verdi 41017010164")
    except ValueError:
        feil = logger.makeRecord(
            logger.name, logging.ERROR, __file__, 1, "uventet feil", (), sys.exc_info()
        )
    tekst = logging.Formatter().format(feil)
    assert "ValueError: ugyldig verdi [skjult]" in tekst
    assert "41017010164" not in tekst
