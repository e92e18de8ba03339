"""Prometheus metrics for one `oppgjor serve` process (prometheus-client).

Each process has its own registry and exposes only its own counts at `/metrics`; with
several replicas, scrape each one (deploy/README.md). Labels are route templates and status
codes, never raw paths: a path can hold a vedtak id, and labels must stay few.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

if TYPE_CHECKING:
    from services.system.bootstrap import Tjenester

HENDELSER_RUTE = "/v1/hendelser"
UTSTED_SLUTT = "/utsted"


class Metrikker:
    def __init__(self) -> None:
        self.register = CollectorRegistry()
        r = self.register
        self.varighet = Histogram(
            "oppgjor_http_foresporsel_sekunder",
            "Svartid per rute (mal, ikke sti), metode og status",
            ["metode", "rute", "status"],
            registry=r,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )
        self.batcher = Counter(
            "oppgjor_batcher", "Hendelsesbatcher mottatt, etter svarstatus", ["status"], registry=r
        )
        self.hendelser = Counter(
            "oppgjor_hendelser",
            "Hendelser i mottatte batcher, etter svarstatus (200: lagret, ellers avvist)",
            ["status"],
            registry=r,
        )
        self.utstedt = Counter(
            "oppgjor_utstedte_oppgjor", "Utstedte oppgjørsversjoner (201 på …/utsted)", registry=r
        )
        self.logg_hode = Gauge("oppgjor_logg_hode", "Siste posisjon i hendelsesloggen", registry=r)
        self.projeksjon = Gauge(
            "oppgjor_projeksjon_posisjon", "Posisjonen lesemodellen er projisert til", registry=r
        )
        self.etterslep = Gauge(
            "oppgjor_projeksjon_etterslep",
            "Loggens hode minus projisert posisjon (hendelser)",
            registry=r,
        )
        self.projektor_feil = Gauge(
            "oppgjor_projektor_feil_pa_rad", "Bakgrunnsprojektorens feil på rad", registry=r
        )
        self.database_oppe = Gauge(
            "oppgjor_database_tilgjengelig", "1 når databasen svarte ved siste måling", registry=r
        )

    def foresporsel(
        self, metode: str, rute: str, status: int, sekunder: float, antall_hendelser: int | None
    ) -> None:
        self.varighet.labels(metode, rute, str(status)).observe(sekunder)
        if metode == "POST" and rute == HENDELSER_RUTE:
            self.batcher.labels(str(status)).inc()
            if antall_hendelser is not None:
                self.hendelser.labels(str(status)).inc(antall_hendelser)
        elif metode == "POST" and rute.endswith(UTSTED_SLUTT) and status == 201:
            self.utstedt.inc()

    def eksponer(self, t: Tjenester) -> bytes:
        """The text exposition, with the projector's gauges measured now (blocking: call it
        in a worker thread)."""
        self.projektor_feil.set(t.helse.feil_pa_rad)
        try:
            hode, posisjon = t.projektor.hode(), t.projektor.posisjon()
        except Exception:  # the database is away: say so, and keep the last figures
            self.database_oppe.set(0)
        else:
            self.database_oppe.set(1)
            self.logg_hode.set(hode)
            self.projeksjon.set(posisjon)
            self.etterslep.set(hode - posisjon)
        return generate_latest(self.register)
