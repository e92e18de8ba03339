"""regelverk 4.6 on the domain's figures: the korreksjon and "nothing changed" are exact,
and the rendered korreksjon is byte for byte what the earlier string-based code gave."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from services.settlement.application.dokument import oppgjorsdokument
from services.settlement.application.korreksjon import tall_fra_dokument, vis_korreksjon
from services.settlement.domain.beregning import Kvartalsberegning, beregn_kvartal
from services.settlement.domain.korreksjon import differanse, kvartalstall, uendret

from .fabrikk import Logg, grunnlag, satstabell

PER = datetime(2017, 6, 1, tzinfo=UTC)


def beregn(logg: Logg) -> Kvartalsberegning:
    return beregn_kvartal("0138", 2017, 1, logg.hendelser, satstabell(2017), grunnlag(2017))


def _gammel_differanse(ny: dict[str, Any], gammel: dict[str, Any]) -> dict[str, Any]:
    """The korreksjon as the earlier code computed it, on rendered strings (kept here only
    to show the rendered answer did not change)."""

    def d(v: str | None) -> Decimal:
        return Decimal(v) if v is not None else Decimal(0)

    def fmt(v: Decimal, p: int) -> str:
        return format(v.quantize(Decimal(1).scaleb(-p)), "f")

    komponenter = (
        "vedtakstilskudd",
        "rundsumtilskudd",
        "inntektspaslag",
        "sum",
        "uttrekk",
        "differanse",
    )
    ut: dict[str, Any] = {k: fmt(d(ny[k]) - d(gammel[k]), 2) for k in komponenter}
    g = {linje["tjenestekode"]: linje for linje in gammel["linjer"]}
    n = {linje["tjenestekode"]: linje for linje in ny["linjer"]}
    ut["linjer"] = []
    for kode in sorted(g.keys() | n.keys()):
        volum = d(n.get(kode, {}).get("volum")) - d(g.get(kode, {}).get("volum"))
        belop = d(n.get(kode, {}).get("belop")) - d(g.get(kode, {}).get("belop"))
        if volum or belop:
            ut["linjer"].append(
                {"tjenestekode": kode, "volum": fmt(volum, 4), "belop": fmt(belop, 2)}
            )

    def vedtak(dok: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
        return {
            (li["tjenestekode"], v["vedtak_id"]): v for li in dok["linjer"] for v in li["vedtak"]
        }

    nv, gv = vedtak(ny), vedtak(gammel)
    ut["vedtak"] = []
    for kode, vid in sorted(nv.keys() | gv.keys()):
        volum = d(nv.get((kode, vid), {}).get("volum")) - d(gv.get((kode, vid), {}).get("volum"))
        belop = d(nv.get((kode, vid), {}).get("belop")) - d(gv.get((kode, vid), {}).get("belop"))
        if volum or belop:
            ut["vedtak"].append(
                {
                    "tjenestekode": kode,
                    "vedtak_id": vid,
                    "volum": fmt(volum, 4),
                    "belop": fmt(belop, 2),
                }
            )
    return ut


def to_versjoner() -> tuple[Kvartalsberegning, Kvartalsberegning]:
    logg = Logg()
    logg.fattet("V1", "HTAMDK", "2016-11-01", timer_per_uke="7.5")
    logg.fattet("V2", "PBAMDK", "2017-01-15")
    logg.fattet("V3", "HTAMDK", "2017-02-01", timer_per_uke="3")
    gammel = beregn(logg)
    logg.endret("V1", "2017-02-10", timer_per_uke="10")
    logg.annullert("V3")
    logg.fattet("V4", "HTAMDK", "2017-03-01", timer_per_uke="1.25")
    return beregn(logg), gammel


def test_korreksjonen_er_eksakt_og_lik_den_gamle_gjengivelsen() -> None:
    ny, gammel = to_versjoner()
    k = differanse(kvartalstall(ny), kvartalstall(gammel))
    assert dict(k.komponenter)["vedtakstilskudd"] == ny.vedtakstilskudd - gammel.vedtakstilskudd
    assert [(v.vedtak_id, v.belop) for v in k.vedtak] == [
        ("V1", ny.linjer[0].vedtak[0].belop - gammel.linjer[0].vedtak[0].belop),
        ("V3", -gammel.linjer[0].vedtak[1].belop),
        ("V4", ny.linjer[0].vedtak[1].belop),
    ]
    assert [li.tjenestekode for li in k.linjer] == ["HTAMDK"]  # PBAMDK did not move
    ny_dok = oppgjorsdokument(ny, PER, detaljer=True)
    gammel_dok = oppgjorsdokument(gammel, PER, detaljer=True)
    assert json.dumps(vis_korreksjon(k)) == json.dumps(_gammel_differanse(ny_dok, gammel_dok))
    # The issued document's figures, parsed back, are the same exact figures.
    assert tall_fra_dokument(ny_dok) == kvartalstall(ny)


def test_ingenting_endret() -> None:
    ny, gammel = to_versjoner()
    assert uendret(kvartalstall(ny), kvartalstall(ny)) is True
    assert uendret(kvartalstall(ny), kvartalstall(gammel)) is False
