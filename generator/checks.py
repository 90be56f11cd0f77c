"""Checks on the built site, in one walk over its files.

- Nothing in it may make a request to another machine (the site must work offline).
- No page may hold two elements with one ``id`` (a heading from record text that took an id of the
  theme's, such as ``__config``, breaks the theme's JavaScript on that page).
- Every XML file (the Atom feed, the sitemap) and SVG file must parse: one character an XML
  parser refuses would break the feed for every subscriber.
- No page may hold active content that no template put there: event-handler attributes,
  ``javascript:``/``vbscript:``/``data:`` addresses, a ``<script>`` other than the theme's own,
  ``<iframe>``, ``<object>``, ``<embed>``, ``<base>`` or ``<meta http-equiv="refresh">``. Record
  text is escaped where it lands; this is the independent last line, as a Content-Security-Policy
  would be, so that record text needs two mistakes to become code.
"""
from __future__ import annotations

import html
import os
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"(?:url\(\s*['\"]?|@import\s+['\"])\s*((?:[a-z][a-z0-9+.-]*:)?//[^'\")\s]+)", re.IGNORECASE)
_LOADING_ATTRS = {
    "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "embed": ("src",), "object": ("data",), "track": ("src",),
    "input": ("src",), "image": ("href", "xlink:href"), "use": ("href", "xlink:href"),
}
_HARMLESS_LINK_RELS = {"canonical", "alternate", "author", "license", "me", "next", "prev", "help", "search"}
_URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcdoc"}
_SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data):", re.IGNORECASE)
_FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
# Inline scripts Material for MkDocs writes into every page (its scope, palette and anchor scripts).
_THEME_INLINE_SCRIPTS = ("__md_scope=new URL(", "var palette=__md_get(", "var target=document.getElementById(location.hash")


@dataclass(frozen=True)
class SiteProblem:
    """A built page element that would load something from the network, or run code no template wrote."""

    path: str
    """File in the site."""
    line: int
    """Line in the file."""
    what: str
    """Element and address."""
    kind: str = "external request"
    """``external request`` or ``active content``."""

    def format(self) -> str:
        """One-line message."""
        expected = _EXPECTED.get(self.kind, "record text shown as text; no template writes this")
        return f"{self.path}:{self.line}: error: {self.kind}: {self.what}; expected {expected}"


_EXPECTED = {"external request": "files inside the site",
             "duplicate id": "each id once on a page (headings from records never take the theme's ids)",
             "malformed XML": "a file every XML parser reads"}


ExternalReference = SiteProblem


class _Scanner(HTMLParser):
    def __init__(self, path: str, site: Path | None = None):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.site = site
        self.found: list[SiteProblem] = []
        self._in_style = False
        self._script: tuple[int, bool] | None = None  # (line, is an inline theme script candidate)
        self._script_text: list[str] = []

    def _flag(self, what: str, kind: str = "external request") -> None:
        self.found.append(SiteProblem(self.path, self.getpos()[0], what, kind))

    def _site_script(self, src: str) -> bool:
        """Whether a script address names a .js file of the built site (the theme's and vendored scripts)."""
        if self.site is None or _EXTERNAL.match(src) or re.match(r"^\s*[a-z][a-z0-9+.-]*:", src, re.IGNORECASE):
            return False
        path = src.split("?", 1)[0].split("#", 1)[0]
        base = self.site if path.startswith("/") else (self.site / self.path).parent
        target = (base / path.lstrip("/")).resolve()
        site = self.site.resolve()
        return target.suffix == ".js" and site in target.parents and target.is_file()

    def _active(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Flag event handlers, script addresses, foreign scripts and embedding elements."""
        for name, value in attrs:
            if name.startswith("on"):
                self._flag(f"<{tag} {name}=\"{(value or '')[:60]}\">", "active content")
            elif name in _URL_ATTRS and value and _SCRIPT_URL.match(value):
                self._flag(f"<{tag} {name}=\"{value[:60]}\">", "active content")
        values = dict(attrs)
        if tag in _FORBIDDEN_TAGS:
            self._flag(f"<{tag}>", "active content")
        elif tag == "meta" and (values.get("http-equiv") or "").strip().lower() == "refresh":
            self._flag("<meta http-equiv=\"refresh\">", "active content")
        elif tag == "script":
            src = values.get("src")
            kind = (values.get("type") or "").strip().lower()
            if src is not None:
                if not self._site_script(src):
                    self._flag(f"<script src=\"{src[:60]}\">", "active content")
                self._script = None
            elif kind == "application/json" and values.get("id") == "__config":
                self._script = None  # the theme's configuration: data, never run
            else:
                self._script = (self.getpos()[0], True)
                self._script_text = []

    def handle_starttag(self, tag, attrs):
        self._active(tag, attrs)
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
        if tag == "script" and self._script is not None:
            text = "".join(self._script_text).strip()
            if not text.startswith(_THEME_INLINE_SCRIPTS):
                self.found.append(SiteProblem(self.path, self._script[0], f"<script>{text[:60]}", "active content"))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)
        if self._in_style:
            for match in _CSS_URL.finditer(data):
                self._flag(f"<style> url {match.group(1)[:80]}")


# Anything that could make the full scan report a problem. A page in which none of these occurs
# is clean, so the (much slower) HTML parser only reads pages that hold one: the fast path may
# send a clean page to the parser, never let a problem through. Entities other than the four that
# MkDocs writes (and its apostrophe) are suspect too, since the parser decodes them
# (``&#106;avascript:``). The tests in tests/test_hostile.py run both paths.
_TAG = re.compile(r"<[^>]*>")
_SUSPECT_WORDS = ("javascript:", "vbscript:", "data:", "http-equiv", "url(", "@import", "<iframe", "<object",
                  "<embed", "<base", "<frame", "<applet")
"""Lower-cased words whose presence anywhere sends a page to the full scan."""
_SUSPECT_TAG = re.compile(  # searched in the page's lower-cased tags
    r"""\son[a-z]+\s*=|\s(?:src|srcset|poster|data|xlink:href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//"""
    r"""|<(?:link|image|use)\b[^>]*\shref\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//"""
    r"""|&(?!amp;|quot;|lt;|gt;|\#x27;|\#39;)[#a-z]""")
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_THEME_CONFIG = re.compile(r"""^(?=.*\sid=["']?__config["'\s>])(?=.*\stype=["']?application/json).*$""",
                           re.IGNORECASE | re.DOTALL)


def _clean(text: str, page: str, site: Path, known: dict) -> bool:
    """Whether a page certainly holds nothing the full scan would report (see ``_SUSPECT_*``)."""
    scripts = _SCRIPT.findall(text)
    # script bodies are judged by their start below, as the full scan judges them
    text = _SCRIPT.sub(lambda m: f"<script{m.group(1)}></script>", text)
    low = text.lower()
    if any(word in low for word in _SUSPECT_WORDS) or _SUSPECT_TAG.search("\n".join(_TAG.findall(low))):
        return False
    for attrs, body in scripts:
        src = _SRC.search(attrs)
        if src:
            address = next(g for g in src.groups() if g is not None)
            key = (posixpath.dirname(page), address)
            if key not in known:
                known[key] = _Scanner(page, site)._site_script(address)
            if not known[key]:
                return False
        elif not _THEME_CONFIG.match(attrs) and not body.strip().startswith(_THEME_INLINE_SCRIPTS):
            return False
    return True


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def duplicate_ids(text: str, shown: str) -> list[SiteProblem]:
    """Every id that a second element of the page takes again (scripts and comments left out)."""
    text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    text = _SCRIPT.sub(lambda m: f"<script{m.group(1)}>" + "\n" * m.group(2).count("\n") + "</script>", text)
    seen: set[str] = set()
    found = []
    for tag in _TAG.finditer(text):
        for match in _ID.finditer(tag.group()):
            ident = html.unescape(next(g for g in match.groups() if g is not None))
            if ident in seen:
                line = text.count("\n", 0, tag.start()) + 1
                found.append(SiteProblem(shown, line, f'id="{ident[:60]}" used twice', "duplicate id"))
            seen.add(ident)
    return found


def check_xml(text: str, shown: str) -> list[SiteProblem]:
    """The file parses as XML, or the parser's complaint with its line."""
    try:
        ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as error:
        return [SiteProblem(shown, error.position[0], str(error).split(":")[0], "malformed XML")]
    return []


def check_page(text: str, shown: str, site: Path, known: dict | None = None) -> list[SiteProblem]:
    """Scan one built HTML page (``shown``: its path in the site) for remote requests, active content
    and ids used twice.

    ``known`` caches which script addresses name a file of the site, across the pages of one build.
    """
    repeated = duplicate_ids(text, shown)
    if _clean(text, shown, site, {} if known is None else known):
        return repeated
    scanner = _Scanner(shown, site)
    scanner.feed(text)
    scanner.close()
    return scanner.found + repeated


def check_built_site(site: Path, checked: set[str] | frozenset[str] = frozenset()) -> list[SiteProblem]:
    """Scan every HTML and CSS file of a built site once: remote requests and active content.

    Pages named in ``checked`` (site-relative paths) were checked already, as MkDocs wrote them
    (see :mod:`generator.overlap`), and are skipped.
    """
    found: list[SiteProblem] = []
    known: dict = {}
    for folder, dirs, names in os.walk(site):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith((".html", ".css", ".xml", ".svg")):
                continue
            path = Path(folder, name)
            if not path.is_file():
                continue
            shown = path.relative_to(site).as_posix()
            if shown in checked:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if name.endswith(".html"):
                found.extend(check_page(text, shown, site, known))
            elif name.endswith((".xml", ".svg")):
                found.extend(check_xml(text, shown))
            else:
                for match in _CSS_URL.finditer(text):
                    found.append(SiteProblem(shown, text.count("\n", 0, match.start()) + 1,
                                             f"css url {match.group(1)[:80]}"))
    return sorted(found, key=lambda x: (x.path.split("/"), x.line))


def find_external_references(site: Path) -> list[SiteProblem]:
    """Only the references that would load remote resources (see :func:`check_built_site`)."""
    return [x for x in check_built_site(site) if x.kind == "external request"]
