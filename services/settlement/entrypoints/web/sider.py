"""The pages under /ui. Each calls the same application services as its API endpoint, with
the same scopes and municipality checks, so a page shows exactly the API's figures.

`?per=` works on every page as in the API and is carried along in the links; `?format=csv`
or `xlsx` downloads what the page shows, in the API's export format.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from services.settlement.application.korreksjon import differanse
from services.settlement.domain.fakta import tid
from services.settlement.entrypoints.api import eksport
from services.settlement.entrypoints.api.felles import Aar, Knr, Kvartal, Tj
from services.settlement.entrypoints.api.grenser import tolk_terskel
from services.settlement.entrypoints.web import (
    diagram,
    format,
    handlinger,
    innlogging,
    tabell,
    tabeller,
    vedtakssider,
    visning,
)
from services.settlement.entrypoints.web.innlogging import Leser
from services.settlement.entrypoints.web.kjent import krev_kjent_kommune
from services.settlement.entrypoints.web.maler import vis
from services.settlement.entrypoints.web.rute import SideRute
from services.settlement.entrypoints.web.tid import Per
from shared.problem import Problem

router = APIRouter(prefix="/ui", route_class=SideRute, include_in_schema=False)
router.include_router(innlogging.router)
router.include_router(handlinger.router)  # the forms that change something (issue 10)
router.include_router(vedtakssider.router)

Nedlasting = eksport.NedlastingParam
# `?tabell=` (which CSV table); the parameter is named tabell_ here, beside the module.
Tabell = Annotated[str | None, Query(alias="tabell", pattern=r"^[a-z_]{1,30}$")]
KVARTALER = (1, 2, 3, 4)
STANDARD_TERSKEL = Decimal("0.90")


def _per_param(request: Request) -> str | None:
    return request.query_params.get("per") or None


@router.get("")
def start(request: Request, t: Tj, tilgang: Leser, per: Per) -> Response:
    siste = t.lesing.siste_utstedte_kvartal(tilgang, per)
    egne = sorted(tilgang.kommuner)
    if tilgang.rolle == "kommune" and len(egne) == 1:
        # A municipality's own page, not a national page with one row.
        aar = siste[0] if siste is not None else per.year
        sti = f"/ui/kommuner/{egne[0]}/{aar}"
        return RedirectResponse(visning.url(sti, per=_per_param(request)), status_code=303)
    if siste is not None:
        sti = f"/ui/oppgjor/{siste[0]}/{siste[1]}"
        return RedirectResponse(visning.url(sti, per=_per_param(request)), status_code=303)
    return vis(
        request,
        "start.html",
        tilgang=tilgang,
        kommuner=t.lesing.synlige_kommuner(tilgang, per) or sorted(tilgang.kommuner),
        aar=per.year,
    )


@router.get("/oppgjor")
def velg_kvartal(
    request: Request,
    tilgang: Leser,
    aar: Annotated[int, Query(ge=2000, le=2100)],
    kvartal: Annotated[int, Query(ge=1, le=4)],
) -> Response:
    """The start page's form: on to the chosen quarter."""
    sti = visning.url(f"/ui/oppgjor/{aar}/{kvartal}", per=_per_param(request))
    return RedirectResponse(sti, status_code=303)


@router.get("/oppgjor/{aar}/{kvartal}")
def nasjonalt(
    request: Request,
    aar: Aar,
    kvartal: Kvartal,
    per: Per,
    t: Tj,
    tilgang: Leser,
    format_: Nedlasting = None,
    tabell_: Tabell = None,
) -> Response:
    oversikt = t.lesing.nasjonal(tilgang, aar, kvartal, per)
    valg = tabell.les_valg(request.query_params, tabeller.KOMMUNER)
    rader = tabeller.kommunerader(oversikt)
    if format_ is not None:
        utvalgte = tabell.utvalg(rader, valg, tabeller.KOMMUNER, sokefelt="kommune")
        ark = eksport.nasjonalt_ark({**oversikt, "kommuner": utvalgte})
        return eksport.svar(ark, format_, f"oppgjor_{aar}_K{kvartal}", tabell_)
    return vis(
        request,
        "nasjonalt.html",
        tilgang=tilgang,
        o=oversikt,
        side=tabell.del_opp(rader, valg, tabeller.KOMMUNER, sokefelt="kommune"),
        aar=aar,
        kvartal=kvartal,
        forrige=visning.forrige_kvartal(aar, kvartal),
        neste=visning.neste_kvartal(aar, kvartal),
    )


@router.get("/kommuner/{kommunenummer}/{aar}")
def kommune(
    request: Request, kommunenummer: Knr, aar: Aar, per: Per, t: Tj, tilgang: Leser
) -> Response:
    krev_kjent_kommune(request, t, tilgang, kommunenummer)
    # Only the per-code totals are shown here, no vedtak rows: not a person-level read.
    kvartalene = t.lesing.aaret(kommunenummer, aar, per, STANDARD_TERSKEL)
    dokumenter = [dokument for dokument, _ in kvartalene]
    timer = [visning.timer_totalt(rapport["tjenester"]) for _, rapport in kvartalene]
    grupper = visning.belop_per_gruppe(dokumenter)
    etiketter = [f"K{k}" for k in KVARTALER]
    farger = {
        g: diagram.PALETT[i % len(diagram.PALETT)] for i, g in enumerate(visning.GRUPPEREKKEFOLGE)
    }
    tilskudd = diagram.stablet(
        "tilskudd-diagram",
        f"Vedtakstilskudd per tjenestegruppe og kvartal {aar}, {visning.kommunenavn(kommunenummer)}",
        "Stablede stolper, én per kvartal, delt etter tjenestegruppe. "
        "Tallene står i tabellen ved siden av.",
        etiketter,
        [
            diagram.Serie(
                r.navn, farger.get(r.nokkel, diagram.PALETT[-1]), [Decimal(v) for v in r.verdier]
            )
            for r in grupper
        ],
        format.kroner,
        lambda v: f"{format.aksetall(v)}\u00a0kr",
    )
    tid_diagram = diagram.gruppert(
        "timer-diagram",
        f"Vedtatt og utført tid per kvartal {aar}, {visning.kommunenavn(kommunenummer)}",
        "To stolper per kvartal: vedtatte timer og rapportert utførte timer. "
        "Tallene står i tabellen ved siden av.",
        etiketter,
        [
            diagram.Serie("Vedtatt", diagram.PALETT[0], [Decimal(v) for v, _ in timer]),
            diagram.Serie("Utført", diagram.PALETT[1], [Decimal(u) for _, u in timer]),
        ],
        lambda v: f"{format.volum(v)} timer",
        lambda v: f"{format.aksetall(v)}\u00a0t",
    )
    return vis(
        request,
        "kommune.html",
        tilgang=tilgang,
        knr=kommunenummer,
        aar=aar,
        per=dokumenter[0]["per"],
        dokumenter=list(zip(KVARTALER, dokumenter, strict=True)),
        aarssum=visning.komponenter_per_kvartal(dokumenter),
        grupper=grupper,
        timer=[(k, *t) for k, t in zip(KVARTALER, timer, strict=True)],
        tilskudd=tilskudd,
        tid_diagram=tid_diagram,
    )


@router.get("/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}")
def oppgjor(
    request: Request,
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    per: Per,
    t: Tj,
    tilgang: Leser,
    detaljer: Literal["vedtak"] | None = None,
    format_: Nedlasting = None,
    tabell_: Tabell = None,
) -> Response:
    krev_kjent_kommune(request, t, tilgang, kommunenummer)
    dokument = t.lesing.dokument(
        tilgang, kommunenummer, aar, kvartal, per, detaljer=detaljer == "vedtak"
    )
    valg = tabell.les_valg(request.query_params, tabeller.VEDTAKSLINJER)
    rader = tabeller.vedtaksrader(dokument)
    if format_ is not None:
        ark = eksport.oppgjor_ark(tabeller.filtrert_dokument(dokument, valg))
        navn = f"oppgjor_{kommunenummer}_{aar}_K{kvartal}"
        return eksport.svar(ark, format_, navn, tabell_ or "linjer")
    return vis(
        request,
        "oppgjor.html",
        tilgang=tilgang,
        knr=kommunenummer,
        aar=aar,
        kvartal=kvartal,
        dok=dokument,
        detaljer=detaljer == "vedtak",
        side=tabell.del_opp(rader, valg, tabeller.VEDTAKSLINJER),
        valg_koder=tabeller.koder(dokument["linjer"]),
        valg_grupper=tabeller.grupper(dokument["linjer"]),
    )


@router.get("/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}/versjoner")
def versjoner(
    request: Request,
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    per: Per,
    t: Tj,
    tilgang: Leser,
    fra: Annotated[int | None, Query(ge=1)] = None,
    til: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    krev_kjent_kommune(request, t, tilgang, kommunenummer)
    utstedte = t.lesing.versjoner(tilgang, kommunenummer, aar, kvartal, per)
    etter_nr = {v["versjon"]: v for v in utstedte}
    sammenligning = None
    if fra is not None or til is not None:
        if fra is None or til is None:
            raise Problem(422, "Velg både en fra-versjon og en til-versjon.")
        ukjente = [str(n) for n in (fra, til) if n not in etter_nr]
        if ukjente:
            raise Problem(404, f"Versjon {' og '.join(ukjente)} er ikke utstedt for kvartalet.")
        sammenligning = differanse(etter_nr[til], etter_nr[fra])
    return vis(
        request,
        "versjoner.html",
        tilgang=tilgang,
        knr=kommunenummer,
        aar=aar,
        kvartal=kvartal,
        per=tid(per),
        versjoner=utstedte,
        fra=fra if fra is not None else (1 if utstedte else None),
        til=til if til is not None else (utstedte[-1]["versjon"] if utstedte else None),
        sammenligning=sammenligning,
    )


def _terskel(tekst: str) -> Decimal:
    """The form's threshold: "0,85" or "0.85" (people type commas), within the API's bounds."""
    return tolk_terskel(tekst.replace(",", "."))


@router.get("/revisjon/kommuner/{kommunenummer}/{aar}/{kvartal}")
def revisjon(
    request: Request,
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    per: Per,
    t: Tj,
    tilgang: Leser,
    terskel: Annotated[str, Query(max_length=20)] = "0.90",
    kun_flagget: bool = False,  # read by tabell.les_valg; declared so bad values are 422
    format_: Nedlasting = None,
    tabell_: Tabell = None,
) -> Response:
    krev_kjent_kommune(request, t, tilgang, kommunenummer)
    grense = _terskel(terskel)
    valg = tabell.les_valg(request.query_params, tabeller.REVISJON, flagg=True)
    # Vedtak rows are person-level: logged exactly as the API logs them.
    rapport = t.lesing.vedtatt_utfort(tilgang, kommunenummer, aar, kvartal, per, grense)
    if format_ is not None:
        ark = eksport.revisjon_ark(tabeller.filtrert_rapport(rapport, valg))
        navn = f"vedtatt_utfort_{kommunenummer}_{aar}_K{kvartal}"
        return eksport.svar(ark, format_, navn, tabell_ or "vedtak")
    return vis(
        request,
        "revisjon.html",
        tilgang=tilgang,
        knr=kommunenummer,
        aar=aar,
        kvartal=kvartal,
        r=rapport,
        side=tabell.del_opp(rapport["vedtak"], valg, tabeller.REVISJON),
        valg_koder=tabeller.koder(rapport["vedtak"]),
        valg_grupper=tabeller.grupper(rapport["vedtak"]),
        terskel_tekst=terskel,
    )
