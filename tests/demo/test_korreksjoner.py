"""Os and Stjørdal send Q4 corrections that reach back into 2017 (regelverk 1, 4.6)."""

from __future__ import annotations

from demo import Datasett, SendHendelser, UtstedKvartal
from demo.kalender import KORREKSJON, Kvartal
from tests.demo.kalibrering import Resultat, beregn


def _korreksjonshendelser(datasett: Datasett, knr: str) -> list[dict[str, object]]:
    return [
        h
        for s in datasett.steg
        if isinstance(s, SendHendelser) and s.periode == "korreksjon" and s.kommunenummer == knr
        for h in s.hendelser
    ]


def test_os_and_stjordal_get_correction_settlements_for_earlier_2017_quarters(
    datasett: Datasett,
) -> None:
    reissued = [s for s in datasett.steg if isinstance(s, UtstedKvartal) and s.korreksjon]
    for knr in ("1243", "1714"):
        kvartaler = {s.kvartal for s in reissued if s.kommunenummer == knr and s.aar == 2017}
        assert len(kvartaler & {1, 2, 3}) >= 2, knr
    assert all(s.aar == 2017 for s in reissued)
    assert all(s.forventet_type == "korreksjonsoppgjor" for s in reissued)


def test_corrections_tell_the_trial_stories(datasett: Datasett) -> None:
    for knr in ("1243", "1714"):
        hs = _korreksjonshendelser(datasett, knr)
        sene = [h for h in hs if h["type"] == "VedtakFattet"]
        # Changes to vedtak sent earlier: they reach back into the first half of 2017.
        endret = [
            h
            for h in hs
            if h["type"] == "VedtakEndret" and h["vedtak_id"] not in {v["vedtak_id"] for v in sene}
        ]
        assert any(h.get("bemanningsfaktor") == 2 for h in endret)
        assert any("tjenestekode" in h for h in endret)
        assert all("2017-01-01" <= str(h["gjelder_fra"]) < "2017-07-01" for h in endret)
        assert sene and all("2017-04-01" <= str(h["gyldig_fra"]) <= "2017-06-30" for h in sene)
        assert any(h["type"] == "VedtakAnnullert" for h in hs)


def test_each_reissued_quarter_changes_its_total(datasett: Datasett, resultat: Resultat) -> None:
    """So that the server never answers 409 'nothing changed' to a planned re-issue."""
    foer = beregn(datasett, til_og_med_slot=KORREKSJON - 1).per_kvartal()
    etter = resultat.per_kvartal()
    reissued = {(k, a, n) for k, a, n in datasett.korreksjoner}
    for (knr, kv), belop in etter.items():
        endret = foer.get((knr, kv)) != belop
        assert endret == ((knr, kv.aar, kv.nr) in reissued), (knr, kv)
    assert all(Kvartal(a, n) >= Kvartal(2017, 1) for _, a, n in reissued)  # never 2016
