"""The project's event contract: what case systems and Hdir send, and what the log keeps.

Plain, versioned pydantic models. Business rules live in the services, not here.
"""

from shared.events.hdir import (
    AarGjenapnet,
    AarLast,
    GrunnlagPublisert,
    OppgjorUtstedt,
    SatserPublisert,
    SatsLinje,
    UtbetalingRegistrert,
)
from shared.events.katalog import Tjenestekode, finn_tjenestekode, tjenestekoder
from shared.events.vedtak import (
    HENDELSE_TYPER,
    FravaerAnnullert,
    FravaerRegistrert,
    Hendelse,
    HendelseAdapter,
    UtfortTidRapportert,
    VedtakAnnullert,
    VedtakEndret,
    VedtakFattet,
    VedtakOpphort,
)

__all__ = [
    "HENDELSE_TYPER",
    "AarGjenapnet",
    "AarLast",
    "FravaerAnnullert",
    "FravaerRegistrert",
    "GrunnlagPublisert",
    "Hendelse",
    "HendelseAdapter",
    "OppgjorUtstedt",
    "SatsLinje",
    "SatserPublisert",
    "Tjenestekode",
    "UtbetalingRegistrert",
    "UtfortTidRapportert",
    "VedtakAnnullert",
    "VedtakEndret",
    "VedtakFattet",
    "VedtakOpphort",
    "finn_tjenestekode",
    "tjenestekoder",
]
