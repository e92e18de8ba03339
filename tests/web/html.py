"""Reads the figures a page shows: every element with data-felt and data-verdi, keyed by
its table and row, plus the page's structure for the accessibility checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

TOMME = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Side:
    tall: dict[tuple[str, str, str], str] = field(default_factory=dict)
    ider: dict[str, dict[str, str]] = field(default_factory=dict)
    overskrifter: list[int] = field(default_factory=list)
    tabeller: int = 0
    tekster: list[str] = field(default_factory=list)
    th_uten_scope: int = 0
    svg: list[dict[str, str]] = field(default_factory=list)
    lenker: list[str] = field(default_factory=list)
    elementer: dict[str, int] = field(default_factory=dict)
    html_lang: str | None = None
    kontroller: list[dict[str, str]] = field(default_factory=list)
    etiketter: set[str] = field(default_factory=set)

    def rad(self, tabell: str, rad: str) -> dict[str, str]:
        return {f: v for (t, r, f), v in self.tall.items() if t == tabell and r == rad}

    def rader(self, tabell: str) -> list[str]:
        sett: list[str] = []
        for t, r, _ in self.tall:
            if t == tabell and r not in sett:
                sett.append(r)
        return sett

    @property
    def per(self) -> str:
        return self.ider["per"]["data-verdi"]

    @property
    def tekst(self) -> str:
        return " ".join(" ".join(self.tekster).split())

    @property
    def raatekst(self) -> str:
        """The text with its no-break spaces kept (`tekst` folds all whitespace)."""
        return "".join(self.tekster)


class _Leser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.side = Side()
        self.stabel: list[tuple[str, dict[str, str]]] = []

    def _naermeste(self, attr: str, tag: str | None = None) -> str:
        for t, a in reversed(self.stabel):
            if attr in a and (tag is None or t == tag):
                return a[attr]
        return ""

    def _struktur(self, tag: str, a: dict[str, str]) -> None:
        """The page's shape: elements, language, headings, tables, header cells, charts."""
        s = self.side
        s.elementer[tag] = s.elementer.get(tag, 0) + 1
        if tag == "html":
            s.html_lang = a.get("lang")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            s.overskrifter.append(int(tag[1]))
        if tag == "table":
            s.tabeller += 1
        if tag == "th" and "scope" not in a and "colspan" not in a:
            s.th_uten_scope += 1
        if tag == "svg":
            s.svg.append(a)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        s = self.side
        self._struktur(tag, a)
        if tag == "a" and "href" in a:
            s.lenker.append(a["href"])
        if "id" in a:
            s.ider[a["id"]] = a
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            s.kontroller.append(a)
        if tag == "label" and "for" in a:
            s.etiketter.add(a["for"])
        if tag not in TOMME:
            self.stabel.append((tag, a))
        if "data-felt" in a and "data-verdi" in a:
            nokkel = (self._naermeste("id", "table"), self._naermeste("data-rad"), a["data-felt"])
            s.tall[nokkel] = a["data-verdi"]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in TOMME and self.stabel and self.stabel[-1][0] == tag:
            self.stabel.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stabel) - 1, -1, -1):
            if self.stabel[i][0] == tag:
                del self.stabel[i:]
                return

    def handle_data(self, data: str) -> None:
        if not any(t in ("script", "style", "title") for t, _ in self.stabel):
            self.side.tekster.append(data)


def les(html: str) -> Side:
    leser = _Leser()
    leser.feed(html)
    leser.close()
    return leser.side
