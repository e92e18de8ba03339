"""Server-rendered web pages under /ui: the same services and figures as the API, for people."""

from pathlib import Path

STATISK = Path(__file__).with_name("static")
MALER = Path(__file__).with_name("templates")
KAKE = "oppgjor_token"  # the login cookie: the API's bearer token, HttpOnly, SameSite=Strict
