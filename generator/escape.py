"""Escape record text for each place it lands.

Record text is content, never markup. Python-Markdown passes raw HTML through and gives
meaning to a great deal of punctuation (links, emphasis, tables, attribute lists, admonitions,
snippet markers), so every ASCII punctuation character that Markdown or HTML could read is
written as a numeric character reference. The browser shows the character; no Markdown or HTML
parser sees it as syntax. Each function returns :class:`markupsafe.Markup`, which the template
environment's ``finalize`` leaves alone; anything else printed by a template is escaped with
:func:`md_inline`, so forgetting a filter is safe.
"""
from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup

# Characters Markdown, its extensions (tables, attr_list, admonition, def_list, snippets) or HTML
# can read as syntax. Letters, digits, spaces and other punctuation pass through as they are.
_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~:<>&\"'=^$")
_SPACE = re.compile(r"\s+")
_URL_KEEP = "/:?#[]@!$&+,;=%~-._"


class RenderError(Exception):
    """Raised when something reaches the renderer that must never be printed (an unsafe URL)."""


def _entities(text: str) -> str:
    return "".join(f"&#{ord(ch)};" if ch in _MD_SPECIAL else ch for ch in text)


def collapse(text: object) -> str:
    """Fold all whitespace, line breaks included, into single spaces."""
    return _SPACE.sub(" ", str(text)).strip()


def md_inline(text: object) -> Markup:
    """Escape text for one line of Markdown: a heading, a table cell, a list item, link text."""
    return Markup(_entities(collapse(text)))


def md_block(text: object) -> Markup:
    """Escape multi-paragraph text: blank lines separate paragraphs, other breaks become spaces."""
    paragraphs = [collapse(p) for p in re.split(r"\n\s*\n", str(text))]
    return Markup("\n\n".join(_entities(p) for p in paragraphs if p))


def html_text(text: object) -> Markup:
    """Escape text for HTML content or a double-quoted attribute (used in the SVG figures)."""
    return Markup(html.escape(collapse(text), quote=True))


def safe_url(url: object) -> str:
    """Return an http(s) URL made safe for a Markdown link target, or raise :class:`RenderError`.

    The validator refuses other schemes already; this is a second, independent refusal.
    """
    text = str(url).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"[\s\x00-\x1f\x7f]", text):
        raise RenderError(f"refused URL {text[:60]!r}: only http(s) addresses are allowed")
    return quote(text, safe=_URL_KEEP).replace("(", "%28").replace(")", "%29")


def md_link(text: object, url: object) -> Markup:
    """Return a Markdown link with escaped text and a checked URL."""
    return Markup(f"[{md_inline(text)}]({safe_url(url)})")


def front_matter_text(text: object) -> Markup:
    """Escape a title or description for YAML front matter.

    MkDocs and Material write ``page.title`` and ``page.meta.description`` into ``<title>``, the
    search index and ``<meta>`` without escaping, so the value is HTML-escaped here and then
    written as a JSON string, which YAML reads as a double-quoted scalar.
    """
    return Markup(json.dumps(html.escape(collapse(text), quote=True), ensure_ascii=False))


def md_prose(text: object) -> Markup:
    """Escape project-written prose but keep its Markdown emphasis and lists.

    Concept pages are written by the project; they may use ``*emphasis*``, ``**strong**`` and
    ``- `` lists, never HTML or links (the validator refuses those, and ``<``/``&`` are escaped here).
    """
    out = []
    for line in str(text).splitlines():
        out.append(html.escape(line, quote=False).replace("{", "&#123;").replace("[", "&#91;"))
    return Markup("\n".join(out).strip())
