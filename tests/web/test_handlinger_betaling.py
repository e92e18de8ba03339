"""Payments and the balance from the pages: the API's figures, the API's scopes and
municipalities, CSRF. On SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import HOBOL, REVISJON, Token
from tests.web.html import les
from tests.web.scenario import Scenario
from tests.web.skjema import api, csrf, hent, post

SALDO = "/ui/kommuner/0138/saldo"


def test_utbetaling_registreres_og_saldo_er_apiets(
    klient: TestClient, hdir: dict[str, str], scenario: Scenario
) -> None:
    svar = hent(klient, SALDO, hdir)
    felt = {
        "aar": "2017",
        "kvartal": "1",
        "belop": "1 000 000,50",
        "betalt_dato": "2017-05-02",
        "referanse": "Utbetaling K1",
    }
    # The form carries its own utbetaling_id: the same form sent twice is one payment.
    id_start = svar.text.index('name="utbetaling_id" value="') + 28
    utbetaling_id = svar.text[id_start : svar.text.index('"', id_start)]
    data = {**felt, "utbetaling_id": utbetaling_id}
    ok = post(klient, "/ui/kommuner/0138/utbetalinger", hdir, data, csrf(svar.text))
    assert ok.status_code == 303, ok.text
    s = les(hent(klient, ok.headers["location"], hdir).text)
    assert s.ider["melding"]["data-status"] == "ok"
    fasit = api(klient, "/v1/kommuner/0138/saldo", hdir, per=s.per)
    assert fasit["betalt"] == "1000000.50"
    assert s.rad("saldo", "totalt") == {k: fasit[k] for k in ("utstedt", "betalt", "saldo")}
    for k in fasit["kvartaler"]:
        vist = s.rad("saldo", f"{k['aar']}-{k['kvartal']}")
        assert vist == {
            "utstedt_versjon": str(k["utstedt_versjon"]),
            "utstedt": k["utstedt"],
            "betalt": k["betalt"],
            "saldo": k["saldo"],
        }
    # The same form sent twice is refused (409 on the page), not paid twice.
    igjen = post(klient, "/ui/kommuner/0138/utbetalinger", hdir, data, csrf(svar.text))
    assert igjen.status_code == 409
    assert "allerede registrert" in les(igjen.text).tekst
    assert api(klient, "/v1/kommuner/0138/saldo", hdir)["betalt"] == "1000000.50"
    # A bad amount is shown beside the form, nothing registered.
    feil = post(
        klient,
        "/ui/kommuner/0138/utbetalinger",
        hdir,
        {**felt, "belop": "mye"},
        csrf(svar.text),
    )
    assert feil.status_code == 422
    assert les(feil.text).ider["melding"]["data-status"] == "feil"
    # Without a CSRF token: refused, nothing registered.
    uten = post(klient, "/ui/kommuner/0138/utbetalinger", hdir, {**felt, "belop": "5"}, None)
    assert uten.status_code == 403
    assert api(klient, "/v1/kommuner/0138/saldo", hdir)["betalt"] == "1000000.50"


def test_kommunen_ser_bare_egen_saldo_og_kan_ikke_betale(
    klient: TestClient, auth: Token, hdir: dict[str, str], scenario: Scenario
) -> None:
    kommune = auth(HOBOL, "sio:oppgjor.read")
    s = les(hent(klient, SALDO, kommune).text)
    fasit = api(klient, "/v1/kommuner/0138/saldo", kommune, per=s.per)
    assert s.rad("saldo", "totalt")["saldo"] == fasit["saldo"]
    assert "registrer-utbetaling" not in s.ider  # no payment form without oppgjor.write
    annen = hent(klient, "/ui/kommuner/0926/saldo", kommune, status=403)
    assert annen.headers["content-type"].startswith("text/html")
    token = csrf(hent(klient, SALDO, hdir).text)
    felt = {"aar": "2017", "kvartal": "1", "belop": "5", "betalt_dato": "2017-05-02"}
    nekt = post(klient, "/ui/kommuner/0138/utbetalinger", kommune, felt, token)
    assert nekt.status_code == 403
    assert api(klient, "/v1/kommuner/0138/saldo", hdir)["betalt"] == "0.00"
    # The auditor reads the balance as the API lets it, and has no payment form either.
    revisor = auth(REVISJON, "sio:revisjon.read")
    assert "registrer-utbetaling" not in les(hent(klient, SALDO, revisor).text).ider
