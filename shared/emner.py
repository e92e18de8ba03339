"""Stable names ("topics") for the classes whose instances the event log stores.

The library stores each event under its class's topic, which by default is the module
path (`services.vedtak.domain.vedtak:Vedtak.Endret`): moving or renaming a class would
then break every stored log. Each stored class instead declares `TOPIC` (the library's
explicit topics: new events are stored under that name, eventsourcing.utils.get_topic), and
the module paths that logs written before 2026-11 hold are registered as aliases here
(eventsourcing.utils.register_topic), so those still resolve wherever the class lives now.
"""

from __future__ import annotations

from eventsourcing.utils import register_topic

PREFIKS = "omsorgsoppgjor/"


def emne(navn: str) -> str:
    """A stable topic: not a module path, so it says nothing about where the class lives."""
    return PREFIKS + navn


def registrer_gamle(gamle: dict[str, type]) -> None:
    """Old topics (module paths in logs written before stable names) -> today's classes."""
    for topic, klasse in gamle.items():
        register_topic(topic, klasse)
