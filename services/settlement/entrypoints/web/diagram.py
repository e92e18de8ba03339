"""Bar charts as plain SVG geometry, computed server-side (no JavaScript, works offline).

Coordinates are computed with Decimal like every other figure here, and each chart comes
with a text title and description; the page shows its data table beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

BREDDE = Decimal(640)
HOYDE = Decimal(300)
VENSTRE = Decimal(96)  # room for the axis labels
HOYRE = Decimal(12)
TOPP = Decimal(14)
BUNN = Decimal(36)

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), distinct in order.
PALETT = (
    "#1f4e79",
    "#b35806",
    "#2d6a4f",
    "#7b2d8b",
    "#a4161a",
    "#0b7285",
    "#5c4033",
    "#c2185b",
    "#37474f",
    "#3f51b5",
    "#6b5b00",
)


@dataclass(frozen=True)
class Serie:
    navn: str
    farge: str
    verdier: Sequence[Decimal]


@dataclass(frozen=True)
class Stolpe:
    x: str
    y: str
    bredde: str
    hoyde: str
    farge: str
    tittel: str


@dataclass(frozen=True)
class Merke:
    """An axis tick (y) or a category label (x), with its text."""

    posisjon: str
    tekst: str


@dataclass(frozen=True)
class Diagram:
    id: str
    tittel: str
    beskrivelse: str
    bredde: str
    hoyde: str
    venstre: str
    hoyre: str
    grunnlinje: str
    stolper: tuple[Stolpe, ...]
    ymerker: tuple[Merke, ...]
    xmerker: tuple[Merke, ...]
    serier: tuple[Serie, ...]
    xetikett_y: str


def _k(d: Decimal) -> str:
    """An SVG coordinate: two decimals are far below a pixel."""
    return format(d.quantize(Decimal("0.01")), "f")


def _steg(maks: Decimal, antall: int = 4) -> Decimal:
    """A round tick step (1, 2 or 5 x 10^n) giving about `antall` ticks up to `maks`."""
    raa = maks / antall
    base = Decimal(1).scaleb(raa.adjusted())
    for m in (1, 2, 5, 10):
        if base * m >= raa:
            return base * m
    return base * 10  # pragma: no cover - the loop always returns


def _akse(maks: Decimal) -> tuple[Decimal, Decimal]:
    if maks <= 0:
        return Decimal(1), Decimal(1)
    steg = _steg(maks)
    return steg * (maks / steg).to_integral_value(rounding=ROUND_CEILING), steg


@dataclass(frozen=True)
class _Ramme:
    """The frame shared by both kinds: axis, ticks and one slot per category."""

    id: str
    tittel: str
    beskrivelse: str
    kategorier: Sequence[str]
    serier: Sequence[Serie]
    topp: Decimal
    steg: Decimal
    aksetekst: Callable[[Decimal], str]

    @property
    def grunn(self) -> Decimal:
        return HOYDE - BUNN

    @property
    def felt(self) -> Decimal:
        return (BREDDE - VENSTRE - HOYRE) / max(len(self.kategorier), 1)

    def hoyde(self, v: Decimal) -> Decimal:
        return max(v, Decimal(0)) / self.topp * (HOYDE - TOPP - BUNN)

    def diagram(self, stolper: Sequence[Stolpe]) -> Diagram:
        ymerker = []
        v = Decimal(0)
        while v <= self.topp:
            ymerker.append(Merke(_k(self.grunn - self.hoyde(v)), self.aksetekst(v)))
            v += self.steg
        return Diagram(
            id=self.id,
            tittel=self.tittel,
            beskrivelse=self.beskrivelse,
            bredde=_k(BREDDE),
            hoyde=_k(HOYDE),
            venstre=_k(VENSTRE),
            hoyre=_k(BREDDE - HOYRE),
            grunnlinje=_k(self.grunn),
            stolper=tuple(stolper),
            ymerker=tuple(ymerker),
            xmerker=tuple(
                Merke(_k(VENSTRE + self.felt * i + self.felt / 2), k)
                for i, k in enumerate(self.kategorier)
            ),
            serier=tuple(self.serier),
            xetikett_y=_k(self.grunn + Decimal(22)),
        )


def _ramme(
    id_: str,
    tittel: str,
    beskrivelse: str,
    kategorier: Sequence[str],
    serier: Sequence[Serie],
    maks: Decimal,
    aksetekst: Callable[[Decimal], str],
) -> _Ramme:
    topp, steg = _akse(maks)
    return _Ramme(id_, tittel, beskrivelse, kategorier, serier, topp, steg, aksetekst)


def stablet(
    id_: str,
    tittel: str,
    beskrivelse: str,
    kategorier: Sequence[str],
    serier: Sequence[Serie],
    verditekst: Callable[[Decimal], str],
    aksetekst: Callable[[Decimal], str],
) -> Diagram:
    """One bar per category, the series stacked on each other."""
    totaler = [sum((s.verdier[i] for s in serier), Decimal(0)) for i in range(len(kategorier))]
    r = _ramme(
        id_, tittel, beskrivelse, kategorier, serier, max(totaler, default=Decimal(0)), aksetekst
    )
    bredde = r.felt * Decimal("0.55")
    stolper = []
    for i, kategori in enumerate(kategorier):
        x = VENSTRE + r.felt * i + (r.felt - bredde) / 2
        bunn = r.grunn
        for s in serier:
            h = r.hoyde(s.verdier[i])
            if h <= 0:
                continue
            tittel_ = f"{kategori}, {s.navn}: {verditekst(s.verdier[i])}"
            stolper.append(Stolpe(_k(x), _k(bunn - h), _k(bredde), _k(h), s.farge, tittel_))
            bunn -= h
    return r.diagram(stolper)


def gruppert(
    id_: str,
    tittel: str,
    beskrivelse: str,
    kategorier: Sequence[str],
    serier: Sequence[Serie],
    verditekst: Callable[[Decimal], str],
    aksetekst: Callable[[Decimal], str],
) -> Diagram:
    """Per category, one bar per series side by side."""
    maks = max((v for s in serier for v in s.verdier), default=Decimal(0))
    r = _ramme(id_, tittel, beskrivelse, kategorier, serier, maks, aksetekst)
    gruppe = r.felt * Decimal("0.7")
    bredde = gruppe / max(len(serier), 1)
    stolper = []
    for i, kategori in enumerate(kategorier):
        start = VENSTRE + r.felt * i + (r.felt - gruppe) / 2
        for j, s in enumerate(serier):
            h = r.hoyde(s.verdier[i])
            tittel_ = f"{kategori}, {s.navn}: {verditekst(s.verdier[i])}"
            stolper.append(
                Stolpe(
                    _k(start + bredde * j),
                    _k(r.grunn - h),
                    _k(bredde - Decimal(2)),
                    _k(h),
                    s.farge,
                    tittel_,
                )
            )
    return r.diagram(stolper)
