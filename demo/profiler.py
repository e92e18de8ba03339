"""What a typical vedtak looks like in each reporting group: codes, hours, durations.

The figures are plausible, not measured: hours per week as IPLOS ranges them, stays
as municipalities run them. They only shape the population; the amounts are then
calibrated to the published totals (simulering.py).
"""

from __future__ import annotations

from dataclasses import dataclass

Trekant = tuple[float, float, float]  # (lav, typisk, høy) for random.triangular


@dataclass(frozen=True)
class Kodevalg:
    kode: str
    vekt: int
    timer: Trekant | None = None  # hours per week; None for dogn codes


@dataclass(frozen=True)
class Profil:
    gruppe: str
    koder: tuple[Kodevalg, ...]
    varighet_mnd: float | None  # mean remaining life (exponential); None: stays
    opphold_dager: Trekant | None = None  # length of a short stay (dogn)
    tidsbegrenset: float = 0.0  # share decided with a gyldig_til up front
    fornyes: float = 0.0  # share of time-limited vedtak renewed when they run out
    dobbel_bemanning: float = 0.0  # share with 2:1 staffing from the start
    revurdering_per_aar: float = 0.0  # hour changes (VedtakEndret) per year
    sykehus_per_aar: float = 0.0
    ferie_per_aar: float = 0.0
    utforere: tuple[str, ...] = ()

    @property
    def per_time(self) -> bool:
        return self.koder[0].timer is not None


_HJEMME = ("hjemmetjenesten-sone-nord", "hjemmetjenesten-sone-sor", "hjemmetjenesten-natt")
_BOLIG = ("bofellesskap-solbakken", "bofellesskap-elvely", "omsorgsboliger-sentrum")

PROFILER: dict[str, Profil] = {
    p.gruppe: p
    for p in (
        Profil(
            "helsetjenester_i_hjemmet",
            (
                Kodevalg("HTAMDK", 52, (2, 5, 20)),
                Kodevalg("HTAMN", 8, (1, 2.5, 8)),
                Kodevalg("HTBODK", 24, (8, 18, 40)),
                Kodevalg("HTBON", 9, (6, 14, 35)),
                Kodevalg("HTST", 7, (3, 8, 20)),
            ),
            varighet_mnd=16,
            tidsbegrenset=0.15,
            fornyes=0.6,
            dobbel_bemanning=0.04,
            revurdering_per_aar=0.6,
            sykehus_per_aar=0.35,
            ferie_per_aar=0.1,
            utforere=_HJEMME,
        ),
        Profil(
            "praktisk_bistand",
            (
                Kodevalg("PBAMDK", 64, (1, 3, 8)),
                Kodevalg("PBAMN", 4, (1, 2, 6)),
                Kodevalg("PBBODK", 24, (4, 10, 30)),
                Kodevalg("PBBON", 8, (4, 8, 20)),
            ),
            varighet_mnd=20,
            tidsbegrenset=0.2,
            fornyes=0.7,
            revurdering_per_aar=0.4,
            sykehus_per_aar=0.25,
            ferie_per_aar=0.2,
            utforere=("hjemmehjelpen", *_BOLIG),
        ),
        Profil(
            "praktisk_bistand_opplaering",
            (
                Kodevalg("POAMDK", 18, (4, 10, 25)),
                Kodevalg("POAMN", 4, (3, 6, 15)),
                Kodevalg("POBDK", 58, (10, 28, 60)),
                Kodevalg("POBN", 20, (8, 20, 50)),
            ),
            varighet_mnd=48,
            dobbel_bemanning=0.08,
            revurdering_per_aar=0.3,
            sykehus_per_aar=0.05,
            ferie_per_aar=0.6,
            utforere=_BOLIG,
        ),
        Profil(
            "bpa",
            (Kodevalg("BPADK", 80, (10, 22, 40)), Kodevalg("BPAN", 20, (5, 12, 30))),
            varighet_mnd=60,
            revurdering_per_aar=0.3,
            ferie_per_aar=0.5,
        ),
        Profil(
            "omsorgslonn",
            (Kodevalg("OL", 1, (4, 10, 25)),),
            varighet_mnd=20,
            tidsbegrenset=0.5,
            fornyes=0.8,
            revurdering_per_aar=0.3,
            ferie_per_aar=0.3,
        ),
        Profil(
            "stottekontakt",
            (
                Kodevalg("SK1", 60, (1, 3, 8)),
                Kodevalg("SK08", 8, (2, 4, 10)),
                Kodevalg("SK05", 20, (2, 4, 10)),
                Kodevalg("SK03", 7, (2, 4, 10)),
                Kodevalg("SK01", 5, (2, 4, 10)),
            ),
            varighet_mnd=18,
            tidsbegrenset=0.4,
            fornyes=0.6,
            ferie_per_aar=0.6,
            utforere=("frivilligsentralen", "kulturtjenesten"),
        ),
        Profil(
            "avlastning_utenfor_institusjon",
            (Kodevalg("AUI", 1, (4, 10, 30)),),
            varighet_mnd=15,
            tidsbegrenset=0.4,
            fornyes=0.7,
            revurdering_per_aar=0.4,
            ferie_per_aar=0.5,
            utforere=("avlastningsboligen",),
        ),
        Profil(
            "dagsenter",
            (
                Kodevalg("DA1", 14, (6, 15, 30)),
                Kodevalg("DA08", 10, (6, 15, 30)),
                Kodevalg("DA05", 26, (6, 15, 30)),
                Kodevalg("DA03", 14, (6, 15, 30)),
                Kodevalg("D1", 10, (6, 12, 30)),
                Kodevalg("D05", 16, (6, 12, 30)),
                Kodevalg("D03", 10, (6, 12, 30)),
            ),
            varighet_mnd=24,
            revurdering_per_aar=0.3,
            sykehus_per_aar=0.2,
            ferie_per_aar=0.8,
            utforere=("dagsenteret",),
        ),
        Profil(
            "langtidsopphold",
            (
                Kodevalg("LOKO", 55),
                Kodevalg("LOKJ", 5),
                Kodevalg("AKO", 5),
                Kodevalg("LSKO", 25),
                Kodevalg("LSKJ", 3),
                Kodevalg("LFKO", 7),
            ),
            varighet_mnd=28,
            sykehus_per_aar=0.3,
            utforere=("sykehjemmet",),
        ),
        Profil(
            "korttidsopphold",
            (
                Kodevalg("TUKO", 24),
                Kodevalg("TUKJ", 4),
                Kodevalg("TRKO", 25),
                Kodevalg("TRKJ", 3),
                Kodevalg("TAKO", 30),
                Kodevalg("TAKJ", 4),
                Kodevalg("TANKO", 10),
            ),
            varighet_mnd=None,
            opphold_dager=(3, 12, 42),
            utforere=("sykehjemmet",),
        ),
    )
}

# Recoding between health services and practical help (regelverk 1): same setting.
OMKODING: dict[str, str] = {
    "HTAMDK": "PBAMDK",
    "PBAMDK": "HTAMDK",
    "HTAMN": "PBAMN",
    "PBAMN": "HTAMN",
    "HTBODK": "PBBODK",
    "PBBODK": "HTBODK",
    "HTBON": "PBBON",
    "PBBON": "HTBON",
}
