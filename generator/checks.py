"""Checks on the built site: nothing in it may make a request to another machine."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"(?:url\(\s*['\"]?|@import\s+['\"])\s*((?:[a-z][a-z0-9+.-]*:)?//[^'\")\s]+)", re.IGNORECASE)
_LOADING_ATTRS = {
    "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "embed": ("src",), "object": ("data",), "track": ("src",),
    "input": ("src",), "image": ("href", "xlink:href"), "use": ("href", "xlink:href"),
}
_HARMLESS_LINK_RELS = {"canonical", "alternate", "author", "license", "me", "next", "prev", "help", "search"}


@dataclass(frozen=True)
class ExternalReference:
    """A built page element that would load something from the network."""

    path: str
    """File in the site."""
    line: int
    """Line in the file."""
    what: str
    """Element and address."""

    def format(self) -> str:
        """One-line message."""
        return f"{self.path}:{self.line}: error: external request: {self.what}; expected files inside the site"


class _Scanner(HTMLParser):
    def __init__(self, path: str):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.found: list[ExternalReference] = []
        self._in_style = False

    def _flag(self, what: str) -> None:
        self.found.append(ExternalReference(self.path, self.getpos()[0], what))

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in _LOADING_ATTRS.get(tag, ()):
            value = values.get(name) or ""
            if any(_EXTERNAL.match(part.strip().split(" ")[0]) for part in value.split(",") if part.strip()):
                self._flag(f"<{tag} {name}=\"{value[:80]}\">")
        if tag == "link":
            rels = set((values.get("rel") or "").lower().split())
            if _EXTERNAL.match(values.get("href") or "") and not rels <= _HARMLESS_LINK_RELS:
                self._flag(f"<link rel=\"{values.get('rel')}\" href=\"{values.get('href', '')[:80]}\">")
        style = values.get("style") or ""
        for match in _CSS_URL.finditer(style):
            self._flag(f"style url {match.group(1)[:80]}")
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            for match in _CSS_URL.finditer(data):
                self._flag(f"<style> url {match.group(1)[:80]}")


def find_external_references(site: Path) -> list[ExternalReference]:
    """Scan every HTML and CSS file of a built site for references that load remote resources."""
    found: list[ExternalReference] = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        shown = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            scanner = _Scanner(shown)
            scanner.feed(path.read_text(encoding="utf-8", errors="replace"))
            scanner.close()
            found.extend(scanner.found)
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8", errors="replace")
            for match in _CSS_URL.finditer(text):
                found.append(ExternalReference(shown, text.count("\n", 0, match.start()) + 1, f"css url {match.group(1)[:80]}"))
    return found
