"""A municipality's population of vedtak, grown quarter by quarter towards its targets.

For each quarter in time order: renew time-limited vedtak, let the scenario hooks
(korreksjoner.py) add their stories, then per reporting group compare what the
planned vedtak contribute with the target and close the gap: new vedtak (start dates
spread over the quarter, the last one timed to the day) or, when over, end some early.
Everything planned later only touches later quarters, so a settled quarter stays as
calibrated; contributions come from the same exact calculator the tests use.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from demo import beregning, kalender, kilder
from demo.kalender import PERIODER, SLUTTDATO, STARTDATO
from demo.profiler import OMKODING, PROFILER, Kodevalg, Profil
from demo.vedtaksplan import Endring, Fravaer, Rapportering, VedtakPlan
from shared.events import tjenestekoder

Bidrag = dict[tuple[int, str], Decimal]  # (slot, gruppe) -> NOK
HALV = Decimal("0.5")
_PREFIKS = {"0138": "GER", "0926": "CD", "1243": "PRO", "1714": "VP"}
_TOLERANSE = Decimal("0.0005")  # of a quarter-group target
_BOLIG = ("HTBODK", "HTBON", "POBDK", "POBN", "PBBODK", "BPADK")


def halve_timer(verdi: float) -> Decimal:
    """A drawn number of hours, quantized to half hours, at least 0.5."""
    d = (Decimal(str(round(verdi, 3))) / HALV).quantize(Decimal(1), ROUND_HALF_UP) * HALV
    return max(d, HALV)


def tilfeldig_dato(rng: random.Random, fra: date, til: date) -> date:
    return fra + timedelta(days=rng.randint(0, (til - fra).days))


@dataclass
class Simulering:
    kommunenummer: str
    rng: random.Random
    maal: dict[tuple[int, str], Decimal]
    planer: dict[str, VedtakPlan] = field(default_factory=dict)
    bidrag: dict[str, Bidrag] = field(default_factory=dict)
    summer: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    brukere: list[str] = field(default_factory=list)
    kroker: list[Callable[[Simulering, int], None]] = field(default_factory=list)
    _teller: dict[str, int] = field(default_factory=dict)

    # -- bookkeeping ----------------------------------------------------------------

    def neste(self, hva: str) -> int:
        self._teller[hva] = self._teller.get(hva, 0) + 1
        return self._teller[hva]

    def beregn_bidrag(self, plan: VedtakPlan) -> Bidrag:
        """What the plan is paid per (slot, gruppe), asked of the product's regelverk."""
        if plan.annulleres is not None:
            return {}
        return beregning.bidrag(self.kommunenummer, plan.fakta())

    def lagre(self, plan: VedtakPlan, bidrag: Bidrag | None = None) -> None:
        """Add or replace a plan and keep the running sums exact."""
        for k, v in self.bidrag.get(plan.vedtak_id, {}).items():
            self.summer[k] -= v
        ny = self.beregn_bidrag(plan) if bidrag is None else bidrag
        for k, v in ny.items():
            self.summer[k] = self.summer.get(k, Decimal(0)) + v
        self.bidrag[plan.vedtak_id] = ny
        self.planer[plan.vedtak_id] = plan

    def sum(self, slot: int, gruppe: str) -> Decimal:
        return self.summer.get((slot, gruppe), Decimal(0))

    # -- new vedtak -----------------------------------------------------------------

    def ny_bruker(self, gjenbruk: float = 0.0) -> str:
        if self.brukere and self.rng.random() < gjenbruk:
            return self.rng.choice(self.brukere)
        ref = f"B-{self.kommunenummer}-{self.neste('bruker'):06d}"
        self.brukere.append(ref)
        return ref

    def ny_plan(
        self,
        gruppe: str,
        gyldig_fra: date,
        slot: int,
        *,
        kode: str | None = None,
        timer: Decimal | None = None,
        bruker: str | None = None,
        bestand: bool = False,
        rolig_til: date | None = None,
    ) -> VedtakPlan:
        """A new vedtak from `gyldig_fra`, planned for its whole life.

        Changes are planned only in quarters after `slot`, absences only after
        `rolig_til` (if given): what is being calibrated now stays as computed.
        """
        rng = self.rng
        profil = PROFILER[gruppe]
        valg = (
            next(v for v in profil.koder if v.kode == kode)
            if kode
            else rng.choices(profil.koder, weights=[v.vekt for v in profil.koder])[0]
        )
        vedtaksdato = gyldig_fra - timedelta(days=rng.randint(0, 21))
        if bestand:  # decided long before the scheme: the stock the trial inherited
            vedtaksdato = gyldig_fra - timedelta(days=rng.randint(0, 60))
        nr = self.neste("vedtak")
        plan = VedtakPlan(
            kommunenummer=self.kommunenummer,
            vedtak_id=f"{_PREFIKS[self.kommunenummer]}-{vedtaksdato.year}-{nr:05d}",
            bruker_ref=bruker or self.ny_bruker(0.2 if profil.per_time else 0.05),
            gruppe=gruppe,
            tjenestekode=valg.kode,
            gyldig_fra=gyldig_fra,
            vedtaksdato=vedtaksdato,
            utforer_id=rng.choice(profil.utforere)
            if profil.utforere and rng.random() < 0.7
            else None,
        )
        if valg.timer is not None:
            lav, typisk, hoy = valg.timer
            trukket = timer or halve_timer(rng.triangular(lav, hoy, typisk))
            plan.timer_per_uke = min(trukket, halve_timer(hoy))  # a renewal stays typical
            if valg.kode in _BOLIG and rng.random() < profil.dobbel_bemanning * 3:
                plan.bemanningsfaktor = 2
            elif rng.random() < 0.5:
                plan.bemanningsfaktor = 1
            plan.rapportering = self._rapportering()
        self._planlegg_slutt(plan, profil, bestand)
        start_endring = max(PERIODER[slot].slutt + timedelta(days=1), gyldig_fra)
        if valg.timer is not None:
            self._planlegg_endringer(plan, profil, valg, start_endring)
        self._planlegg_fravaer(plan, profil, max(gyldig_fra, STARTDATO, rolig_til or STARTDATO))
        return plan

    def _rapportering(self) -> Rapportering:
        rng = self.rng
        x = rng.random()
        # Most deliver 90-100 % of decided time; the audit should find a minority.
        if x < 0.05:
            profil, grad = "ingen", 0.0
        elif x < 0.08:
            profil, grad = "lav", rng.uniform(0.30, 0.60)
        elif x < 0.16:
            profil, grad = "lav", rng.uniform(0.70, 0.88)
        elif x < 0.20:
            profil, grad = "hull", rng.uniform(0.90, 1.0)
        elif x < 0.21:
            profil, grad = "over", rng.uniform(1.12, 1.25)
        else:
            profil, grad = "normal", rng.uniform(0.92, 1.0)
        return Rapportering(profil, Decimal(str(round(grad, 3))), rng.getrandbits(32))

    def _planlegg_slutt(self, plan: VedtakPlan, profil: Profil, bestand: bool) -> None:
        rng = self.rng
        if profil.opphold_dager is not None:  # a short stay: known length, mostly
            lav, typisk, hoy = profil.opphold_dager
            dager = round(rng.triangular(lav, hoy, typisk))
            siste = plan.gyldig_fra + timedelta(days=dager - 1)
            if bestand:
                siste = max(siste, STARTDATO + timedelta(days=rng.randint(0, 20)))
            if rng.random() < 0.7:
                plan.gyldig_til = siste
            else:  # discharged when ready: the stay is ended afterwards
                plan.siste_dag = siste if siste <= SLUTTDATO else None
            return
        assert profil.varighet_mnd is not None
        fra = max(plan.gyldig_fra, STARTDATO)
        if not bestand and rng.random() < profil.tidsbegrenset:
            maaneder = rng.choice((3, 6, 6, 12))
            plan.gyldig_til = _pluss_maaneder(plan.gyldig_fra, maaneder) - timedelta(days=1)
            if plan.gyldig_til < fra:
                plan.gyldig_til = None
            plan.fornyes = rng.random() < profil.fornyes
            return
        dager = max(30, round(rng.expovariate(1 / profil.varighet_mnd) * 30.44))
        siste = fra + timedelta(days=dager - 1)
        plan.siste_dag = siste if siste <= SLUTTDATO else None

    def _planlegg_endringer(
        self, plan: VedtakPlan, profil: Profil, valg: Kodevalg, fra: date
    ) -> None:
        rng = self.rng
        slutt = min(plan.slutt or SLUTTDATO, SLUTTDATO)
        if fra > slutt:
            return
        assert valg.timer is not None and plan.timer_per_uke is not None
        datoer: list[date] = []
        if profil.revurdering_per_aar:
            d = fra
            while True:
                d += timedelta(days=1 + int(rng.expovariate(profil.revurdering_per_aar / 365)))
                if d > slutt:
                    break
                datoer.append(d)
        timer = plan.timer_per_uke
        for d in datoer:
            timer = min(halve_timer(float(timer) * rng.uniform(0.75, 1.4)), Decimal(valg.timer[2]))
            plan.endringer.append(Endring(d, {"timer_per_uke": str(timer)}, kalender.slot_for(d)))
        if valg.kode in OMKODING and rng.random() < 0.05:
            d = tilfeldig_dato(rng, fra, slutt)
            if all(e.gjelder_fra != d for e in plan.endringer):
                plan.endringer.append(
                    Endring(d, {"tjenestekode": OMKODING[valg.kode]}, kalender.slot_for(d))
                )
        if valg.kode in _BOLIG and plan.bemanningsfaktor != 2 and rng.random() < 0.02:
            d = tilfeldig_dato(rng, fra, slutt)
            if all(e.gjelder_fra != d for e in plan.endringer):
                plan.endringer.append(Endring(d, {"bemanningsfaktor": 2}, kalender.slot_for(d)))
        plan.endringer.sort(key=lambda e: e.gjelder_fra)

    def _planlegg_fravaer(self, plan: VedtakPlan, profil: Profil, fra: date) -> None:
        rng = self.rng
        slutt = min(plan.slutt or SLUTTDATO, SLUTTDATO)
        if fra > slutt:
            return
        aar = ((slutt - fra).days + 1) / 365
        kandidater: list[tuple[date, int, str]] = []
        for arsak, rate, lengde in (
            ("sykehus", profil.sykehus_per_aar, (2, 5, 21)),
            ("ferie", profil.ferie_per_aar, (5, 14, 24)),
        ):
            for _ in range(_poisson(rng, rate * aar)):
                start = tilfeldig_dato(rng, fra, slutt)
                if arsak == "sykehus" and rng.random() < 0.1:
                    arsak = "institusjon"  # a short stay elsewhere
                kandidater.append((start, round(rng.triangular(*lengde)), arsak))
        forrige = fra - timedelta(days=1)
        for start, dager, arsak in sorted(kandidater):
            if start <= forrige:
                continue  # never overlapping: one absence at a time
            til = min(start + timedelta(days=dager - 1), slutt)
            plan.fravaer.append(
                Fravaer(
                    f"F-{self.kommunenummer}-{self.neste('fravaer'):06d}",
                    start,
                    til,
                    arsak if rng.random() > 0.03 else "annet",
                    annulleres=rng.random() < 0.04,
                )
            )
            forrige = til

    # -- the quarter loop ------------------------------------------------------------

    def kjor(self) -> None:
        for k in range(len(PERIODER)):
            if k == 0:
                self._bestand()
            self._fornyelser(k)
            for krok in self.kroker:
                krok(self, k)
            self._feilregistreringer(k)
            for _ in range(4):
                for gruppe in kilder.GRUPPER:
                    self._juster(k, gruppe)
                if all(self._innenfor(k, g) for g in kilder.GRUPPER):
                    break

    def _toleranse(self, k: int, gruppe: str) -> Decimal:
        return self.maal[(k, gruppe)] * _TOLERANSE

    def _innenfor(self, k: int, gruppe: str) -> bool:
        return abs(self.maal[(k, gruppe)] - self.sum(k, gruppe)) <= 2 * self._toleranse(k, gruppe)

    def _bestand(self) -> None:
        """The vedtak already running on 1 May 2016: about 95 % of the first target."""
        for gruppe in kilder.GRUPPER:
            profil = PROFILER[gruppe]
            tilbake = 30 if profil.opphold_dager else 4 * 365
            forsok = 0
            while self.sum(0, gruppe) < self.maal[(0, gruppe)] * Decimal("0.95") and forsok < 5000:
                forsok += 1
                start = STARTDATO - timedelta(days=self.rng.randint(1, tilbake))
                plan = self.ny_plan(gruppe, start, 0, bestand=True)
                self.lagre(plan)

    def _fornyelser(self, k: int) -> None:
        kv = PERIODER[k]
        for plan in list(self.planer.values()):
            til = plan.gyldig_til
            if not plan.fornyes or til is None or plan.slutt != til or plan.annulleres:
                continue
            start = til + timedelta(days=1)
            if not kv.start <= start <= kv.slutt:
                continue
            plan.fornyes = False
            t = plan.tilstand()
            if t is None or not t.perioder:
                continue
            siste = t.perioder[-1]
            timer = None
            if plan.timer_per_uke is not None:
                # keep the weekly hours the old vedtak ended with, give or take
                uke = next(
                    (
                        Decimal(e.felter["timer_per_uke"])
                        for e in reversed(plan.endringer)
                        if "timer_per_uke" in e.felter
                    ),
                    plan.timer_per_uke,
                )
                timer = halve_timer(float(uke) * self.rng.uniform(0.85, 1.2))
            gruppe = tjenestekoder()[siste.tjenestekode].tjenestegruppe
            self.lagre(
                self.ny_plan(
                    gruppe, start, k, kode=siste.tjenestekode, timer=timer, bruker=plan.bruker_ref
                )
            )

    def _feilregistreringer(self, k: int) -> None:
        """A few vedtak registered in error and annulled in the same batch."""
        kv = PERIODER[k]
        for _ in range(self.rng.randint(0, 2)):
            gruppe = self.rng.choice(("helsetjenester_i_hjemmet", "praktisk_bistand"))
            plan = self.ny_plan(gruppe, tilfeldig_dato(self.rng, *kalender.telte_dager(kv)), k)
            plan.endringer, plan.fravaer, plan.rapportering = [], [], None
            plan.siste_dag, plan.fornyes = None, False
            plan.annulleres = (k, "Registrert på feil bruker")
            plan.laast = True
            self.lagre(plan)

    def _juster(self, k: int, gruppe: str) -> None:
        gap = self.maal[(k, gruppe)] - self.sum(k, gruppe)
        if gap > self._toleranse(k, gruppe):
            self._fyll(k, gruppe)
        elif gap < -self._toleranse(k, gruppe):
            self._kutt(k, gruppe)

    def _fyll(self, k: int, gruppe: str) -> None:
        fra, til = kalender.telte_dager(PERIODER[k])
        for _ in range(20_000):
            rest = self.maal[(k, gruppe)] - self.sum(k, gruppe)
            if rest <= self._toleranse(k, gruppe):
                return
            plan = self.ny_plan(gruppe, tilfeldig_dato(self.rng, fra, til), k)
            b = self.beregn_bidrag(plan)
            if Decimal(0) < b.get((k, gruppe), Decimal(0)) <= rest:
                self.lagre(plan, b)
                continue
            finjustert = self._finjuster(k, gruppe, rest)
            if finjustert is None:
                return
            self.lagre(finjustert)

    def _finjuster(self, k: int, gruppe: str, rest: Decimal) -> VedtakPlan | None:
        """A vedtak whose contribution this quarter fits `rest` to within one day."""
        kv = PERIODER[k]
        fra, til = kalender.telte_dager(kv)
        plan = self.ny_plan(gruppe, fra, k, rolig_til=kv.slutt + timedelta(days=1))
        # Only a first guess at the length: the plan's real contribution is then computed.
        sats = beregning.satstabell(kv.aar).satser[plan.tjenestekode]
        per_dag = Fraction(sats)
        if plan.timer_per_uke is not None:
            per_dag *= Fraction(plan.timer_per_uke) * (plan.bemanningsfaktor or 1) / 7
        dager = min(int(Fraction(rest) / per_dag), kalender.antall_dager(fra, til))
        if dager < 1:
            return None
        if PROFILER[gruppe].opphold_dager is not None:
            dager = min(dager, 42)
            start = tilfeldig_dato(self.rng, fra, til - timedelta(days=dager - 1))
            plan.gyldig_fra, plan.gyldig_til, plan.siste_dag = (
                start,
                start + timedelta(days=dager - 1),
                None,
            )
        else:
            start = til - timedelta(days=dager - 1)
            plan.gyldig_fra = start
            if plan.slutt is not None and plan.slutt <= kv.slutt:
                plan.gyldig_til = plan.siste_dag = None
                plan.fornyes = False
        plan.vedtaksdato = start - timedelta(days=self.rng.randint(0, 14))
        prefiks, _, nr = plan.vedtak_id.split("-")  # the id carries the decision year
        plan.vedtak_id = f"{prefiks}-{plan.vedtaksdato.year}-{nr}"
        return plan

    def _kutt(self, k: int, gruppe: str) -> None:
        """End vedtak early until the group is back on target in quarter k.

        A vedtak may end on the quarter's eve (k > 0): gone from k, the earlier quarter
        untouched. Small groups need several rounds, as each round cuts a vedtak once.
        """
        fra, til = kalender.telte_dager(PERIODER[k])
        tidligst = fra - timedelta(days=1) if k > 0 else fra
        for _ in range(8):
            kandidater = [
                p
                for p in self.planer.values()
                if not p.laast
                and p.annulleres is None
                and {n for n in self.bidrag[p.vedtak_id] if n[0] == k} == {(k, gruppe)}
            ]
            self.rng.shuffle(kandidater)
            for plan in kandidater:
                if self.sum(k, gruppe) - self.maal[(k, gruppe)] <= self._toleranse(k, gruppe):
                    return
                self._kutt_en(k, gruppe, plan, max(tidligst, plan.gyldig_fra), til)

    def _kutt_en(self, k: int, gruppe: str, plan: VedtakPlan, lav: date, til: date) -> None:
        rest = self.sum(k, gruppe) - self.maal[(k, gruppe)]
        hoy = min(til - timedelta(days=1), (plan.slutt or til) - timedelta(days=1))
        if lav > hoy:
            return
        naa = self.bidrag[plan.vedtak_id][(k, gruppe)]

        def prov(siste: date) -> tuple[VedtakPlan, Bidrag, Decimal]:
            ny = copy.deepcopy(plan)
            ny.avslutt(siste)
            b = self.beregn_bidrag(ny)
            return ny, b, naa - b.get((k, gruppe), Decimal(0))

        forsok = prov(tilfeldig_dato(self.rng, lav, hoy))
        if forsok[2] > rest:
            # too much: the earliest later day that removes no more than `rest`
            a, o = lav, hoy
            beste: tuple[VedtakPlan, Bidrag, Decimal] | None = None
            while a <= o:
                midt = a + (o - a) // 2
                kandidat = prov(midt)
                if kandidat[2] > rest:
                    a = midt + timedelta(days=1)
                else:
                    beste, o = kandidat, midt - timedelta(days=1)
            if beste is None:
                return
            forsok = beste
        self.lagre(forsok[0], forsok[1])


def _pluss_maaneder(d: date, n: int) -> date:
    m = d.month - 1 + n
    aar, mnd = d.year + m // 12, m % 12 + 1
    dag = min(d.day, 28)
    return date(aar, mnd, dag)


def _poisson(rng: random.Random, lam: float) -> int:
    n, t = 0, rng.expovariate(1.0) if lam > 0 else 1.0
    while lam > 0 and t < lam:
        n += 1
        t += rng.expovariate(1.0)
    return n
