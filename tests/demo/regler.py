"""An independent replay of the validation rules (regelverk 3) over the demo's steps.

It keeps each vedtak's state as the server would and collects every violation, so a
test failure names the event that the server would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from demo import SendHendelser, Steg
from demo.kilder import satser
from shared.events import tjenestekoder


@dataclass
class _Vedtak:
    gyldig_fra: date
    siste: date | None
    kode: str
    annullert: bool = False
    fravaer: dict[str, bool] = field(default_factory=dict)  # id -> annulled

    def overlapper(self, fra: date, til: date) -> bool:
        return fra <= (self.siste or date.max) and til >= self.gyldig_fra


def _d(verdi: Any) -> date:
    return date.fromisoformat(str(verdi))


def _sjekk_enhetsfelt(kode: str, h: dict[str, Any], feil: list[str], hvem: str) -> None:
    katalog = tjenestekoder().get(kode)
    if katalog is None:
        feil.append(f"{hvem}: ukjent kode {kode}")
        return
    if katalog.enhet == "dogn" and ("timer_per_uke" in h or "bemanningsfaktor" in h):
        feil.append(f"{hvem}: timefelt på døgnkode {kode}")
    if "timer_per_uke" in h and not Decimal(0) < Decimal(str(h["timer_per_uke"])) <= 168:
        feil.append(f"{hvem}: timer_per_uke {h['timer_per_uke']}")
    if "bemanningsfaktor" in h and h["bemanningsfaktor"] not in (1, 2):
        feil.append(f"{hvem}: bemanningsfaktor {h['bemanningsfaktor']}")


def kontroller(steg: list[Steg]) -> list[str]:
    """Every violation of regelverk 3 (and of the batch layout) in send order."""
    feil: list[str] = []
    vedtak: dict[tuple[str, str], _Vedtak] = {}
    ider: set[str] = set()
    for s in steg:
        if not isinstance(s, SendHendelser):
            continue
        if not 0 < len(s.hendelser) <= 1000:
            feil.append(f"batch med {len(s.hendelser)} hendelser")
        fattet_her = {h["vedtak_id"] for h in s.hendelser if h["type"] == "VedtakFattet"}
        for h in s.hendelser:
            hvem = f"{h['type']} {h['kommunenummer']}/{h['vedtak_id']} ({s.periode})"
            _sjekk_batchregler(h, s, fattet_her, ider, feil, hvem)
            nokkel = (h["kommunenummer"], h["vedtak_id"])
            v = vedtak.get(nokkel)
            if h["type"] == "VedtakFattet":
                if v is not None:
                    feil.append(f"{hvem}: vedtak_id gjenbrukt")
                    continue
                vedtak[nokkel] = _fattet(h, feil, hvem)
            elif v is None or v.annullert:
                feil.append(f"{hvem}: ukjent eller annullert vedtak")
            else:
                _LIVSLOP[h["type"]](v, h, feil, hvem)
    return feil


def _sjekk_batchregler(
    h: dict[str, Any],
    s: SendHendelser,
    fattet_her: set[str],
    ider: set[str],
    feil: list[str],
    hvem: str,
) -> None:
    if h["hendelse_id"] in ider:
        feil.append(f"{hvem}: hendelse_id brukt før")
    ider.add(h["hendelse_id"])
    if h["kommunenummer"] != s.kommunenummer:
        feil.append(f"{hvem}: feil kommune i batch")
    if h["type"] != "VedtakFattet" and h["vedtak_id"] in fattet_her:
        feil.append(f"{hvem}: avhenger av fattet i samme batch")


def _fattet(h: dict[str, Any], feil: list[str], hvem: str) -> _Vedtak:
    fra = _d(h["gyldig_fra"])
    til = _d(h["gyldig_til"]) if h.get("gyldig_til") else None
    if til is not None and til < fra:
        feil.append(f"{hvem}: gyldig_til før gyldig_fra")
    kode = h["tjenestekode"]
    _sjekk_enhetsfelt(kode, h, feil, hvem)
    katalog = tjenestekoder().get(kode)
    if katalog is not None and katalog.enhet == "time" and "timer_per_uke" not in h:
        feil.append(f"{hvem}: timekode uten timer_per_uke")
    if any(kode not in satser()[aar] for aar in (2016, 2017)):
        feil.append(f"{hvem}: {kode} mangler sats")
    return _Vedtak(fra, til, kode)


def _endret(v: _Vedtak, h: dict[str, Any], feil: list[str], hvem: str) -> None:
    if not v.gyldig_fra <= _d(h["gjelder_fra"]) <= (v.siste or date.max):
        feil.append(f"{hvem}: gjelder_fra utenfor gyldighet")
    if not any(f in h for f in ("tjenestekode", "timer_per_uke", "bemanningsfaktor", "utforer_id")):
        feil.append(f"{hvem}: endrer ingenting")
    v.kode = h.get("tjenestekode", v.kode)
    _sjekk_enhetsfelt(v.kode, h, feil, hvem)


def _opphort(v: _Vedtak, h: dict[str, Any], feil: list[str], hvem: str) -> None:
    if not v.gyldig_fra <= _d(h["siste_dag"]) <= (v.siste or date.max):
        feil.append(f"{hvem}: siste_dag utenfor gyldighet")
    v.siste = _d(h["siste_dag"])


def _annullert(v: _Vedtak, h: dict[str, Any], feil: list[str], hvem: str) -> None:
    v.annullert = True


def _fravaer(v: _Vedtak, h: dict[str, Any], feil: list[str], hvem: str) -> None:
    fra, til = _d(h["fra"]), _d(h["til"])
    if fra > til or not v.overlapper(fra, til):
        feil.append(f"{hvem}: fravær {fra}..{til} utenfor gyldighet")
    v.fravaer[h["fravaer_id"]] = False


def _fravaer_annullert(v: _Vedtak, h: dict[str, Any], feil: list[str], hvem: str) -> None:
    if v.fravaer.get(h["fravaer_id"]) is not False:
        feil.append(f"{hvem}: ukjent fravær {h['fravaer_id']}")
    v.fravaer[h["fravaer_id"]] = True


def _rapport(v: _Vedtak, h: dict[str, Any], feil: list[str], hvem: str) -> None:
    fra, til = _d(h["periode_fra"]), _d(h["periode_til"])
    timer = Decimal(str(h["utforte_timer"]))
    if fra > til or not v.overlapper(fra, til):
        feil.append(f"{hvem}: rapport {fra}..{til} utenfor gyldighet")
    if not 0 <= timer <= 48 * ((til - fra).days + 1):
        feil.append(f"{hvem}: utforte_timer {timer}")


# The rules for every event after the fattet, by type.
_LIVSLOP: dict[str, Callable[[_Vedtak, dict[str, Any], list[str], str], None]] = {
    "VedtakEndret": _endret,
    "VedtakOpphort": _opphort,
    "VedtakAnnullert": _annullert,
    "FravaerRegistrert": _fravaer,
    "FravaerAnnullert": _fravaer_annullert,
    "UtfortTidRapportert": _rapport,
}
