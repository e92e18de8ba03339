"""Figures the Norwegian way ("1 234 567,89 kr"), formatted from the API's decimal strings.

Always through Decimal, never float: what is shown is exactly what the API says, only
grouped in thousands with a comma for the decimal point.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MELLOMROM = "\u00a0"  # no-break space: "1 234" never wraps between its groups
MINUS = "\u2212"  # a real minus sign, read as "minus" by screen readers
TOM = "–"

try:
    OSLO: ZoneInfo | None = ZoneInfo("Europe/Oslo")
except ZoneInfoNotFoundError:  # no tz database: show the instant's own offset
    OSLO = None


def _desimal(verdi: str | Decimal | int | None) -> Decimal | None:
    if verdi is None or verdi == "":
        return None
    try:
        return verdi if isinstance(verdi, Decimal) else Decimal(verdi)
    except InvalidOperation:
        raise ValueError(f"{verdi!r} er ikke et desimaltall") from None


def tall(verdi: str | Decimal | int | None, desimaler: int | None = None) -> str:
    """`"1234567.5"` -> `"1 234 567,5"`; keeps the decimals it is given unless told."""
    d = _desimal(verdi)
    if d is None:
        return TOM
    if desimaler is not None:
        d = d.quantize(Decimal(1).scaleb(-desimaler))
    tekst = format(abs(d), ",f").replace(",", MELLOMROM).replace(".", ",")
    return (MINUS if d < 0 else "") + tekst


def kroner(verdi: str | Decimal | None) -> str:
    """`"-1234567.89"` -> `"−1 234 567,89 kr"`."""
    return TOM if _desimal(verdi) is None else f"{tall(verdi, 2)}{MELLOMROM}kr"


def volum(verdi: str | Decimal | None) -> str:
    return tall(verdi, 4)


def prosent(andel: str | Decimal | None) -> str:
    """An audit share `"0.6809"` -> `"68,09 %"` (exactly: the share has four decimals)."""
    d = _desimal(andel)
    return TOM if d is None else f"{tall(d * 100, 2)}{MELLOMROM}%"


def aksetall(verdi: Decimal) -> str:
    """Axis ticks: as few decimals as the value needs."""
    return tall(verdi.normalize() if verdi != verdi.to_integral() else verdi.to_integral())


def tidspunkt(iso: str | None) -> str:
    """An ISO 8601 instant as Norwegian local time, e.g. "22.11.2026 kl. 12:08:28"."""
    if not iso:
        return TOM
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if OSLO is not None and t.tzinfo is not None:
        t = t.astimezone(OSLO)
    return t.strftime("%d.%m.%Y kl. %H:%M:%S")
