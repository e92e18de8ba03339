"""Scenario hooks: the stories of the trial that the calibration must work around.

"Os and Stjørdal had corrections in Q4 that also concern earlier periods in 2017"
(regelverk 1): 2:1 staffing the case system could not record at first, recoding
between health services and practical help, a vedtak registered late, and a
duplicate that is annulled. They are all sent in the correction slot after Q4 2017
has been issued, but they are planned before the quarters they touch are calibrated,
so the corrected (final) figures still meet the targets.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from demo.kalender import K2017, KORREKSJON, PERIODER, SLUTTDATO
from demo.profiler import OMKODING
from demo.simulering import Simulering, tilfeldig_dato
from demo.vedtaksplan import Endring, VedtakPlan

KORRIGERENDE_KOMMUNER = ("1243", "1714")  # Os and Stjørdal


def _kandidater(
    sim: Simulering,
    k: int,
    koder: tuple[str, ...],
    varer_til: date,
    pred: Callable[[VedtakPlan], bool] = lambda p: True,
) -> list[VedtakPlan]:
    """Untouched running vedtak with one of `koder`, decided before quarter k."""
    return [
        p
        for p in sim.planer.values()
        if p.tjenestekode in koder
        and not p.laast
        and p.annulleres is None
        and not p.sent_registrert
        and not p.endringer
        and p.fattet_slot < k
        and (p.slutt is None or p.slutt >= varer_til)
        and pred(p)
    ]


def _endre(sim: Simulering, plan: VedtakPlan, endring: Endring) -> None:
    plan.endringer.append(endring)
    plan.endringer.sort(key=lambda e: e.gjelder_fra)
    plan.laast = True
    sim.lagre(plan)


def omkoding_ved_hopp(sim: Simulering, k: int) -> None:
    """A block recoding from health services to practical help at a quarter start.

    Where practical help jumps by half or more from one quarter to the next (Os, Q4
    2017: 2.9 -> 7.5 MNOK) the municipality recoded running vedtak rather than deciding
    new ones; about 70 % of the jump is moved that way.
    """
    if k == 0:
        return
    forrige = sim.maal[(k - 1, "praktisk_bistand")]
    hopp = sim.maal[(k, "praktisk_bistand")] - forrige
    if hopp <= forrige / 2:
        return
    kv = PERIODER[k]
    kandidater = _kandidater(sim, k, ("HTAMDK", "HTBODK"), kv.slutt + timedelta(days=1))
    sim.rng.shuffle(kandidater)
    flyttet = Decimal(0)
    for plan in kandidater:
        if flyttet >= hopp * Decimal("0.7"):
            break
        flyttet += sim.bidrag[plan.vedtak_id].get((k - 1, "helsetjenester_i_hjemmet"), Decimal(0))
        _endre(sim, plan, Endring(kv.start, {"tjenestekode": OMKODING[plan.tjenestekode]}, k))


def fjerde_kvartal_korreksjoner(sim: Simulering, k: int) -> None:
    if sim.kommunenummer not in KORRIGERENDE_KOMMUNER:
        return
    rng = sim.rng
    if k == K2017[1]:
        q1 = PERIODER[k]
        # 2:1 staffing decided in Q1, recorded only in Q4 (regelverk 1).
        for plan in rng.sample(
            _kandidater(
                sim,
                k,
                ("POBDK", "POBN", "HTBODK", "HTBON"),
                date(2017, 6, 30),
                lambda p: p.bemanningsfaktor != 2,
            ),
            6,
        ):
            d = tilfeldig_dato(rng, q1.start + timedelta(days=1), q1.slutt - timedelta(days=10))
            _endre(sim, plan, Endring(d, {"bemanningsfaktor": 2}, KORREKSJON))
        # Recoded back to January: help at home that was health care, and vice versa.
        for kode, n in (("HTAMDK", 3), ("PBAMDK", 1)):
            for plan in rng.sample(_kandidater(sim, k, (kode,), date(2017, 6, 30)), n):
                d = tilfeldig_dato(rng, date(2017, 1, 15), date(2017, 3, 15))
                _endre(sim, plan, Endring(d, {"tjenestekode": OMKODING[kode]}, KORREKSJON))
    elif k == K2017[2]:
        q2 = PERIODER[k]
        for plan in rng.sample(_kandidater(sim, k, ("HTBODK",), date(2017, 9, 30)), 2):
            d = tilfeldig_dato(rng, q2.start, q2.slutt - timedelta(days=20))
            _endre(sim, plan, Endring(d, {"tjenestekode": "PBBODK"}, KORREKSJON))
        # Decided in Q2, registered in the case system only in Q4.
        for gruppe in ("omsorgslonn", "helsetjenester_i_hjemmet", "praktisk_bistand_opplaering"):
            plan = sim.ny_plan(gruppe, tilfeldig_dato(rng, q2.start, date(2017, 5, 31)), k)
            plan.sent_registrert = plan.laast = True
            sim.lagre(plan)
        # A duplicate of a running vedtak, paid Q2-Q4 until annulled in the correction.
        original = rng.choice(_kandidater(sim, k, ("HTAMDK",), SLUTTDATO))
        fra = tilfeldig_dato(rng, max(original.gyldig_fra, q2.start), date(2017, 5, 31))
        nr = sim.neste("vedtak")
        sim.lagre(
            VedtakPlan(
                kommunenummer=sim.kommunenummer,
                vedtak_id=f"{original.vedtak_id.rsplit('-', 2)[0]}-2017-{nr:05d}",
                bruker_ref=original.bruker_ref,
                gruppe=original.gruppe,
                tjenestekode=original.tjenestekode,
                gyldig_fra=fra,
                vedtaksdato=fra,
                timer_per_uke=original.timer_per_uke,
                bemanningsfaktor=original.bemanningsfaktor,
                annulleres=(
                    KORREKSJON,
                    f"Dobbeltregistrert: samme vedtak som {original.vedtak_id}",
                ),
                laast=True,
            )
        )


KROKER: tuple[Callable[[Simulering, int], None], ...] = (
    omkoding_ved_hopp,
    fjerde_kvartal_korreksjoner,
)
