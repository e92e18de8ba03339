"""The command line's own words in Norwegian: "Bruk:", "Valg", "Vis denne hjelpen og avslutt."

typer (with its vendored click) writes its help frame in English and offers no translation
catalogue, so the few fixed strings a person reads in `--help` are replaced here, once,
before any help is drawn. The commands' own help texts are Norwegian where they are written.
The names patched are typer's (pinned in requirements.lock); tests/system/test_cli_hjelp.py
fails when an upgrade brings the English back.
"""

from __future__ import annotations

from typing import Any

import typer.core
import typer.rich_utils
from typer._click import core as click_core
from typer._click import formatting

HJELP = "Vis denne hjelpen og avslutt."
BRUK = "Bruk: "

_BRUKSORD = (("[OPTIONS]", "[VALG]"), ("COMMAND [ARGS]...", "KOMMANDO [ARGUMENTER]..."))

# typer's type labels (`<bool>`, `<int range>`) in words; a flag shows none.
_TYPER = {
    "<bool>": None,
    "<str>": "<tekst>",
    "<int>": "<heltall>",
    "<int range>": "<heltall>",
    "<dir>": "<katalog>",
    "<file>": "<fil>",
    "<path>": "<sti>",
}


def _norsk_type(tekst: str | None) -> str | None:
    return _TYPER.get(tekst, tekst) if tekst is not None else None


def bruk_norsk_hjelp() -> None:
    """Put the Norwegian strings in place (idempotent)."""
    ru: Any = typer.rich_utils
    ru.DEFAULT_STRING = "[standard: {}]"
    ru.ENVVAR_STRING = "[miljøvariabel: {}]"
    ru.REQUIRED_LONG_STRING = "[påkrevd]"
    ru.DEPRECATED_STRING = "(utgått) "
    ru.ARGUMENTS_PANEL_TITLE = "Argumenter"
    ru.OPTIONS_PANEL_TITLE = "Valg"
    ru.COMMANDS_PANEL_TITLE = "Kommandoer"
    ru.ERRORS_PANEL_TITLE = "Feil"
    ru.ABORTED_TEXT = "Avbrutt."
    ru.RICH_HELP = "Se [blue]'{command_path} {help_option}'[/] for hjelp."
    if getattr(click_core.Command.get_help_option, "_norsk", False):
        return

    hjelpevalg = click_core.Command.get_help_option

    def norsk_hjelpevalg(self: Any, ctx: Any) -> Any:
        valg = hjelpevalg(self, ctx)
        if valg is not None:
            valg.help = HJELP
        return valg

    norsk_hjelpevalg._norsk = True  # type: ignore[attr-defined]
    click_core.Command.get_help_option = norsk_hjelpevalg  # type: ignore[method-assign]

    skriv_bruk = formatting.HelpFormatter.write_usage

    def norsk_bruk(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        for engelsk, norsk in _BRUKSORD:
            args = args.replace(engelsk, norsk)
        skriv_bruk(self, prog, args, BRUK if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = norsk_bruk  # type: ignore[method-assign]

    for klasse in (typer.core.TyperOption, typer.core.TyperArgument):
        vis_type = klasse.display_type_rich

        def norsk_vis_type(self: Any, ctx: Any, _vis: Any = vis_type) -> str | None:
            return _norsk_type(_vis(self, ctx))

        klasse.display_type_rich = norsk_vis_type  # type: ignore[method-assign]
