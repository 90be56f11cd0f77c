"""Escape record text for each place it lands.

Record text is content, never markup. Two destinations in a Markdown page:

- Paragraphs of prose (:func:`md_block`) are written as raw HTML blocks, ``<p>…</p>`` with the
  text HTML-escaped. Python-Markdown sets a raw HTML block aside whole, so its cost is linear in
  the length of the text, and nothing inside it is read as Markdown.
- Text inside a line of Markdown (a heading, a table cell, a list item, link text) is escaped by
  :func:`md_inline`: a backslash before each character Python-Markdown or its enabled extensions
  read as inline syntax, ``&lt;``/``&amp;`` for the two HTML ones, and a backslash before a
  character that only means something at the start of a line when the text starts with it. The
  Markdown stays readable (``IN-0001`` is written as it is). Each escape is one match for
  Python-Markdown's inline processor, which costs time in the length of the line, so single-line
  fields are limited in length by the validator.

Each function returns :class:`markupsafe.Markup`, which the template environment's ``finalize``
leaves alone; anything else printed by a template is escaped with :func:`md_inline`, so
forgetting a filter is safe.
"""
from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup
from .errors import RenderError

# Inline syntax anywhere in a line: code, escapes, emphasis, links and images ('[' opens both),
# attribute lists ('{'), table cells ('|'), a heading's closing '#', raw HTML and entities.
_INLINE = re.compile(r"[\\`*_{}\[\]|#<&]")
_INLINE_ESCAPES = {"<": "&lt;", "&": "&amp;"}
# Syntax only at the start of a line: lists, block quotes, admonitions, definitions, rules.
_LINE_START = re.compile(r"^(?:[>!:=~]|[-+](?=[\s\-+]|$)|\d+[.)](?=\s|$))")
_SPACE = re.compile(r"\s+")
_URL_KEEP = "/:?#[]@!$&+,;=%~-._"


def _inline(text: str) -> str:
    text = _INLINE.sub(lambda m: _INLINE_ESCAPES.get(m.group(), "\\" + m.group()), text)
    start = _LINE_START.match(text)
    if start:
        # '-', '+', '>', '!', '.' and ')' take a backslash; ':', '=', '~' are not escapable, so an entity
        end = start.end() - 1
        char = text[end]
        text = text[:end] + (f"&#{ord(char)};" if char in ":=~" else "\\" + char) + text[end + 1:]
    return text


def collapse(text: object) -> str:
    """Fold all whitespace, line breaks included, into single spaces."""
    return _SPACE.sub(" ", str(text)).strip()


def md_inline(text: object) -> Markup:
    """Escape text for one line of Markdown: a heading, a table cell, a list item, link text."""
    return Markup(_inline(collapse(text)))


def md_block(text: object) -> Markup:
    """Write multi-paragraph text as raw HTML paragraphs: blank lines separate them, other breaks become spaces."""
    paragraphs = [collapse(p) for p in re.split(r"\n\s*\n", str(text))]
    return Markup("\n\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p))


def html_text(text: object) -> Markup:
    """Escape text for HTML content or a double-quoted attribute (used in the SVG figures)."""
    return Markup(html.escape(collapse(text), quote=True))


def html_pre(text: object) -> Markup:
    """Escape text for an HTML ``<pre>`` block, keeping its lines (a citation to copy)."""
    return Markup(html.escape(str(text), quote=False))


# BibTeX counts braces to find where a field ends, even after a backslash, so '{' and '}' in text
# become commands whose own braces balance; the other LaTeX specials take their usual escapes.
_BIBTEX = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
           "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#", "_": r"\_",
           "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_BIBTEX_SPECIAL = re.compile(r"[\\{}%&$#_^~]")


def bibtex_text(text: object) -> str:
    """Escape text for a brace-delimited BibTeX field: one line, braces balanced, LaTeX specials escaped."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX[m.group()], collapse(text))


def bibtex_url(url: object) -> str:
    """A URL for BibTeX's ``url`` field, which styles print verbatim: only braces, backslashes and spaces are
    percent-encoded (they would unbalance the field or end the URL)."""
    return "".join(f"%{ord(ch):02X}" if ch in "{}\\ " else ch for ch in collapse(url))


def ris_text(text: object) -> str:
    """Text for the value of one RIS line: a tag's value ends at the line's end, so it is folded to one line."""
    return collapse(text)


def html_href(href: object) -> Markup:
    """Escape a site-relative link for an HTML attribute, pointing at the built page.

    MkDocs rewrites ``.md`` links only in Markdown, not in raw HTML blocks, so the page address
    is written as it will be built (``use_directory_urls: false`` in mkdocs.yml).
    """
    text = str(href)
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", text, re.IGNORECASE):
        raise RenderError(f"refused link {ascii(text[:60])}: html_href is for links inside the site")
    text = re.sub(r"\.md(?=$|#)", ".html", text)
    return Markup(html.escape(text, quote=True))


def safe_url(url: object) -> str:
    """Return an http(s) URL made safe for a Markdown link target, or raise :class:`RenderError`.

    The validator refuses other schemes already; this is a second, independent refusal.
    """
    text = str(url).strip()
    shown = ascii(text[:60])
    if re.search(r"[\s\x00-\x1f\x7f-\x9f]", text):
        raise RenderError(f"refused URL {shown}: it holds a space or control character")
    try:
        parts = urlsplit(text)
        host, port = parts.hostname, parts.port  # both raise ValueError on a malformed address
    except ValueError as error:
        raise RenderError(f"refused URL {shown}: {error}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise RenderError(f"refused URL {shown}: only http(s) addresses are allowed")
    if not host or not re.fullmatch(r"[\w.-]+|[0-9a-f:.]+", host) or port == 0:
        raise RenderError(f"refused URL {shown}: no valid host name")
    return quote(text, safe=_URL_KEEP).replace("(", "%28").replace(")", "%29")


def md_link(text: object, url: object) -> Markup:
    """Return a Markdown link with escaped text and a checked URL."""
    return Markup(f"[{md_inline(text)}]({safe_url(url)})")


def front_matter_value(text: object) -> str:
    """The value a title or description must read back as from the front matter."""
    return html.escape(collapse(text), quote=True)


def front_matter_text(text: object) -> Markup:
    """Escape a title or description for YAML front matter.

    MkDocs and Material write ``page.title`` and ``page.meta.description`` into ``<title>``, the
    search index and ``<meta>`` without escaping, so the value is HTML-escaped here. It is then
    written as a YAML double-quoted scalar in which every character that is not printable (and
    so could make a YAML parser refuse the front matter, turning it into page text) is a
    ``\\u``/``\\U`` escape. The build reads every page's front matter back with MkDocs' parser.
    """
    def esc(ch: str) -> str:
        if ch in "\\\"":
            return "\\" + ch
        if ch == " " or ch.isprintable():
            return ch
        return f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"
    return Markup('"' + "".join(esc(ch) for ch in front_matter_value(text)) + '"')


_STRONG = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"\*(?=\S)([^*\n]+?)(?<=\S)\*")
_LIST_ITEM = re.compile(r"^[-*] +")


def _emphasis(text: str) -> str:
    # neither pattern crosses another '*', so each scan is linear in the text
    text = html.escape(text, quote=False)
    return _EMPHASIS.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", text))


def md_prose(text: object) -> Markup:
    """Write project-written prose as raw HTML blocks, keeping its ``*emphasis*``, ``**strong**`` and ``- `` lists.

    Concept pages are written by the project; they may use those three forms, never HTML or links
    (the validator refuses those, and everything else is HTML-escaped here). They are converted
    here rather than by Python-Markdown so that the cost stays linear in the length of the text.
    """
    blocks = []
    for chunk in re.split(r"\n\s*\n", str(text).strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(_LIST_ITEM.match(line) for line in lines):
            items = "\n".join(f"<li>{_emphasis(collapse(_LIST_ITEM.sub('', line)))}</li>" for line in lines)
            blocks.append(f"<ul>\n{items}\n</ul>")
        else:
            blocks.append(f"<p>{_emphasis(collapse(' '.join(lines)))}</p>")
    return Markup("\n\n".join(blocks))


def heading_id(value: str, separator: str) -> str:
    """The id of a heading (Python-Markdown's ``toc`` slug), never one the theme uses.

    Material for MkDocs gives its own elements ids that start with ``__`` (``__config``,
    ``__drawer``, ``__search``, ``__palette_0``…); a heading from record text that took one would
    come before the theme's element and break its JavaScript on that page. So a heading's id never
    starts with an underscore. Set as ``toc: slugify:`` in mkdocs.yml.
    """
    from markdown.extensions.toc import slugify
    return slugify(value, separator).lstrip("_") or "section"
