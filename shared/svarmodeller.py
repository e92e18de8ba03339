"""The JSON answers' shapes, for the OpenAPI document (what an integrator codes against).

These models document; the routes still build their answers as before (`response_model=None`
with `responses={200: {"model": ...}}`), so no answer changes by a byte. Money is a string
with two decimals, volumes and hours strings with four, instants ISO 8601 with offset,
dates YYYY-MM-DD. A field that is not always there is optional here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

Belop = str  # kroner, two decimals: "1234.50"
Volum = str  # hours or days, four decimals: "207.5000"
Tidspunkt = str  # ISO 8601 with offset
DatoTekst = str  # YYYY-MM-DD

BELOP = "Kroner, streng med to desimaler"
VOLUM = "Timer eller døgn, streng med fire desimaler"
TID = "ISO 8601-tidspunkt med tidssone"


class Kilde(BaseModel):
    """Where a figure comes from: the event in the log."""

    posisjon: int = Field(description="Loggposisjon")
    registrert: Tidspunkt = Field(description="Når hendelsen ble registrert (" + TID + ")")
    hendelse_id: str | None = Field(description="Fagsystemets hendelse-id; null for Hdir")
    type: str = Field(description="Hendelsestypen")


class Tabellversjon(Kilde):
    aar: int
    versjon: int


class Komponenter(BaseModel):
    vedtakstilskudd: Belop = Field(description=BELOP)
    rundsumtilskudd: Belop = Field(description=BELOP)
    inntektspaslag: Belop = Field(description=BELOP)
    sum: Belop = Field(description="Vedtakstilskudd + rundsum + inntektspåslag. " + BELOP)
    uttrekk: Belop = Field(description="Kvartalets andel av uttrekket. " + BELOP)
    differanse: Belop = Field(description="Sum minus uttrekk. " + BELOP)


class Advarsel(BaseModel):
    kode: str = Field(description="F.eks. mangler_sats")
    detail: str
    tjenestekode: str | None = None


class Vedtakslinje(BaseModel):
    vedtak_id: str
    volum: Volum = Field(description=VOLUM)
    belop: Belop = Field(description=BELOP)
    mangler_sats: bool


class Linje(BaseModel):
    tjenestekode: str
    tjenestegruppe: str
    enhet: str = Field(description="time eller dogn")
    volum: Volum = Field(description=VOLUM)
    sats: Belop | None = Field(description="Kroner per enhet; null når satsen mangler")
    belop: Belop = Field(description=BELOP)
    antall_vedtak: int
    mangler_sats: bool
    vedtak: list[Vedtakslinje] | None = Field(
        default=None, description="Med ?detaljer=vedtak, og alltid i utstedte dokumenter"
    )


class Linjeendring(BaseModel):
    tjenestekode: str
    volum: Volum
    belop: Belop


class Vedtaksendring(Linjeendring):
    vedtak_id: str


class Korreksjon(Komponenter):
    """The difference to the previous version, per component, line and vedtak line."""

    fra_versjon: int | None = None
    linjer: list[Linjeendring] = []
    vedtak: list[Vedtaksendring] = []


class Logghode(BaseModel):
    posisjon: int
    hash: str


class Oppgjor(Komponenter):
    """A municipality's quarter as known at `per`."""

    kommunenummer: str
    aar: int
    kvartal: int
    per: Tidspunkt = Field(description=TID)
    linjer: list[Linje]
    advarsler: list[Advarsel]
    satstabell: Tabellversjon | None = None
    grunnlag: Tabellversjon | None = None
    utstedt_versjon: int | None = Field(default=None, description="Siste utstedte versjon")
    endring_siden_utstedt: Komponenter | None = Field(
        default=None, description="Beregnet nå minus siste utstedte versjon"
    )


class UtstedtVersjon(Oppgjor):
    """An issued version: the document plus its version, hash chain and signature."""

    versjon: int
    type: str = Field(description="kvartalsoppgjor eller korreksjonsoppgjor")
    korreksjon: Korreksjon | None
    forrige_hash: str | None
    utstedt: Tidspunkt = Field(description="Når versjonen ble registrert (" + TID + ")")
    hash: str = Field(description="SHA-256 (hex) av dokumentet i RFC 8785-form")
    logg_hode: Logghode | None = None
    hash_algoritme: str | None = Field(default=None, description="sha256-jcs")
    signatur: str | None = Field(default=None, description="Kompakt JWS (ES256)")


class Versjoner(BaseModel):
    kommunenummer: str
    aar: int
    kvartal: int
    versjoner: list[UtstedtVersjon]


class Segment(BaseModel):
    fra: DatoTekst
    til: DatoTekst
    dager: int
    fravaersdager: int
    tjenestekode: str
    timer_per_uke: str | None = Field(description="Timer per uke; null for døgnkoder")
    bemanningsfaktor: int | None = Field(description="1 eller 2; null for døgnkoder")
    volum: Volum = Field(description=VOLUM)
    kilder: list[Kilde]


class Forklaringslinje(BaseModel):
    vedtak_id: str
    tjenestekode: str
    tjenestegruppe: str
    enhet: str
    volum: Volum
    sats: Belop | None
    belop: Belop
    mangler_sats: bool
    regel: str = Field(description="Regelen beløpet er regnet etter")
    segmenter: list[Segment]
    satstabell: Tabellversjon | None = None
    hendelser: list[Kilde]


class Forklaring(BaseModel):
    kommunenummer: str
    aar: int
    kvartal: int
    per: Tidspunkt
    vedtak_id: str
    linjer: list[Forklaringslinje]


class Differanse(Komponenter):
    linjer: list[Linjeendring]
    vedtak: list[Vedtaksendring]


class Endring(BaseModel):
    kommunenummer: str
    aar: int
    kvartal: int
    fra: Tidspunkt
    til: Tidspunkt
    fra_oppgjor: Komponenter
    til_oppgjor: Komponenter
    differanse: Differanse


class NasjonalRad(Komponenter):
    kommunenummer: str
    advarsler: list[Advarsel]
    utstedt_versjon: int | None
    utstedt_sum: Belop | None
    korreksjon_ventende: bool
    ventende_belop: Belop | None


class Nasjonalt(BaseModel):
    aar: int
    kvartal: int
    per: Tidspunkt
    kommuner: list[NasjonalRad]
    totalt: Komponenter


class Saldokvartal(BaseModel):
    aar: int
    kvartal: int
    utstedt_versjon: int | None
    utstedt: Belop
    betalt: Belop
    saldo: Belop


class Saldo(BaseModel):
    kommunenummer: str
    per: Tidspunkt
    utstedt: Belop = Field(description="Sum av siste utstedte versjon per kvartal. " + BELOP)
    betalt: Belop = Field(description=BELOP)
    saldo: Belop = Field(description="Utstedt minus betalt. " + BELOP)
    kvartaler: list[Saldokvartal]


class Utbetaling(BaseModel):
    type: str = Field(description="UtbetalingRegistrert")
    utbetaling_id: str
    kommunenummer: str
    aar: int
    kvartal: int
    belop: str = Field(description="Beløpet slik det ble sendt (kroner)")
    betalt_dato: DatoTekst
    referanse: str | None


class Tjenesterad(BaseModel):
    tjenestekode: str
    vedtatte_timer: Volum
    utforte_timer: Volum
    andel: str | None = Field(description="Utført / vedtatt, fire desimaler; null uten vedtak")


class Vedtaksrad(Tjenesterad):
    vedtak_id: str
    flagg: list[str] = Field(description="ingen_rapport, under_terskel, over_vedtak")
    rapporter: list[Kilde]


class VedtattUtfort(BaseModel):
    kommunenummer: str
    aar: int
    kvartal: int
    per: Tidspunkt
    terskel: str
    tjenester: list[Tjenesterad]
    vedtak: list[Vedtaksrad]


class Logghendelse(BaseModel):
    posisjon: int
    registrert: Tidspunkt
    type: str
    hendelse_id: str | None
    vedtak_id: str | None
    data: dict[str, Any] = Field(description="Hendelsen slik den ble sendt eller publisert")


class Hendelsesside(BaseModel):
    kommunenummer: str
    per: Tidspunkt
    etter: int
    hendelser: list[Logghendelse]
    neste_etter: int | None = Field(description="Fortsett med ?etter=; null på siste side")


class Innsynsrad(BaseModel):
    tidspunkt: Tidspunkt
    organisasjonsnummer: str
    rolle: str
    kommunenummer: str
    ressurs: str


class Innsyn(BaseModel):
    kommuner: list[str]
    innsyn: list[Innsynsrad]


class Versjonskontroll(BaseModel):
    kommunenummer: str
    aar: int
    kvartal: int
    versjon: int
    posisjon: int | None = None
    hash: str | None = None
    hash_algoritme: str | None = None
    gyldig: bool
    kontroller: dict[str, str] = Field(description="Kontroll -> ok eller feil")
    feil: list[Any]


class Verifisering(BaseModel):
    kommunenummer: str
    aar: int | None
    kvartal: int | None
    gyldig: bool
    antall_versjoner: int
    logg: dict[str, Any]
    versjoner: list[Versjonskontroll]
    feil: list[Any]


class Satstabell(BaseModel):
    aar: int
    versjon: int
    publisert: Kilde
    satser: list[dict[str, str]] = Field(description='[{"tjenestekode", "sats"}], sats i kroner')


class Grunnlag(BaseModel):
    kommunenummer: str
    aar: int
    versjon: int
    uttrekk: Belop = Field(description="For hele året. " + BELOP)
    rundsum: Belop = Field(description="For hele året. " + BELOP)
    inntektspaslag: Belop = Field(description="For hele året. " + BELOP)
    startdato: DatoTekst | None
    publisert: Kilde | None = Field(default=None, description="Bare ved lesing")


class Aarslas(BaseModel):
    kommunenummer: str
    aar: int
    last: bool = Field(description="true: året er låst; false: gjenåpnet")


class Jwks(BaseModel):
    keys: list[dict[str, Any]] = Field(description="JWK-er (EC P-256, ES256) med kid")


class Helse(BaseModel):
    status: str = Field(description="ok eller feil")
    database: str
    logg_posisjon: int
    projeksjon_posisjon: int
    etterslep: int
    grunner: list[Any] | None = Field(default=None, description="Når status er feil")


class Status(BaseModel):
    status: str


def dok(modell: type[BaseModel], beskrivelse: str, status: int = 200) -> dict[int | str, Any]:
    """OpenAPI `responses` entry documenting an answer the route builds itself."""
    return {status: {"model": modell, "description": beskrivelse}}
