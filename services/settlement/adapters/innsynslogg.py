"""The access log: reads of person-level data (vedtak lines, the log), who read and when."""

from __future__ import annotations

import logging

from sqlalchemy import insert

from shared.lagring.database import Lager
from shared.lagring.logg import naa
from shared.lagring.tabeller import innsynslogg
from shared.maskering import masker

logger = logging.getLogger("oppgjor.innsyn")


class Innsynsskriver:
    """Serves the port `services.settlement.porter.Innsynslogg`: one row per read."""

    def __init__(self, lager: Lager) -> None:
        self.lager = lager

    def registrer(
        self, organisasjonsnummer: str, rolle: str, kommunenummer: str | None, ressurs: str
    ) -> None:
        # `ressurs` may hold a path the caller chose (a vedtak_id): an 11-digit number in it
        # is masked, so the access log never keeps an identity.
        ressurs = masker(ressurs)
        with self.lager.transaksjon() as s:
            s.execute(
                insert(innsynslogg).values(
                    tidspunkt=naa(),
                    organisasjonsnummer=organisasjonsnummer,
                    rolle=rolle,
                    kommunenummer=kommunenummer,
                    ressurs=ressurs,
                )
            )
        # The resource (which vedtak) stays in the table, which only auditors read: process
        # logs travel further and must name no vedtak (issue 7, operations).
        logger.info("innsyn org=%s kommune=%s", organisasjonsnummer, kommunenummer)
