"""JSON kept as text by the read model and written into answers unparsed (issue 9)."""

from __future__ import annotations

import orjson
import pytest

from shared.lagring.jsontekst import Jsontekst, fragment

KILDER = '[{"posisjon":3,"type":"UtfortTidRapportert"},{"posisjon":9,"navn":"Ås"}]'


def test_skrives_som_teksten_den_er() -> None:
    svar = orjson.dumps({"rapporter": Jsontekst(KILDER), "n": 1}, default=fragment)
    assert svar == b'{"rapporter":' + KILDER.encode() + b',"n":1}'
    assert orjson.loads(svar)["rapporter"] == orjson.loads(KILDER)


def test_leses_som_listen_den_holder() -> None:
    tekst = Jsontekst(KILDER)
    assert len(tekst) == 2
    assert tekst[1]["navn"] == "Ås"
    assert tekst[-1:] == [{"posisjon": 9, "navn": "Ås"}]
    assert [k["posisjon"] for k in tekst] == [3, 9]
    assert tekst == orjson.loads(KILDER)
    assert tekst == Jsontekst(KILDER.replace(",", ", "))  # the same list, other spacing
    assert tekst != [] and tekst != KILDER and Jsontekst("[]") == []


def test_annet_enn_jsontekst_avvises_av_skriveren() -> None:
    with pytest.raises(TypeError):
        orjson.dumps({"x": object()}, default=fragment)
    with pytest.raises(TypeError):
        len(Jsontekst('{"ikke": "en liste"}'))
