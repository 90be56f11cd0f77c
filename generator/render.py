"""Render page models into Markdown with the Jinja2 templates in ``templates/``.

Rendering reads no files but templates and computes nothing: :class:`generator.pages.PageBuilder`
makes one typed page model per page, and this module maps each model to its template. Every value
a template prints is escaped for Markdown by the environment's ``finalize`` unless it is already
:class:`Markup` (made by the escape functions).
"""
from __future__ import annotations

from dataclasses import fields
from typing import Any, Iterable, Iterator, Mapping

import jinja2
from markupsafe import Markup

from . import enrich as e
from . import pages as pg
from .escape import (RenderError, front_matter_text, front_matter_value, html_href, html_pre, html_text, md_block, md_inline,
                     md_link, md_prose, safe_url)
from .model import Catalog
from .pages import PageBuilder, SiteSettings
from .resources import TEMPLATES

__all__ = ["SiteSettings", "environment", "render_cluster_pages", "render_pages"]

TEMPLATE_OF: Mapping[type, str] = {
    pg.HomePage: "home.md.j2", pg.ClustersPage: "clusters.md.j2", pg.ClusterPage: "cluster.md.j2",
    pg.CountriesPage: "countries.md.j2", pg.CountryPage: "country.md.j2", pg.SectorsPage: "sectors.md.j2",
    pg.ListingPage: "listing.md.j2", pg.TypologiesPage: "typologies.md.j2", pg.ApproachesPage: "approaches.md.j2",
    pg.ApproachPage: "approach.md.j2", pg.ComparisonsPage: "compare.md.j2", pg.PairPage: "pair.md.j2",
    pg.ConceptsPage: "concepts.md.j2", pg.ConceptPage: "concept.md.j2", pg.GridPage: "grid.md.j2",
    pg.ExplorePage: "explore.md.j2", pg.ChartsPage: "charts.md.j2", pg.MapPage: "map.md.j2",
    pg.GapsPage: "gaps.md.j2", pg.DataPage: "data.md.j2", pg.ContributePage: "contribute.md.j2",
}
"""The template of each page model; a model's fields are the template's variables."""

_FIELDS = {kind: tuple(f.name for f in fields(kind)) for kind in TEMPLATE_OF}


def _join(items: Iterable[Any], separator: str = "") -> Markup:
    """Join printed values with a separator written in the template; each value is escaped as
    ``finalize`` escapes it (values already escaped by a filter, such as ``| html``, stay as they are)."""
    return Markup(separator).join(_finalize(item) for item in items)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        raise RenderError("a template printed an empty value; guard it with 'if' and print 'not recorded'")
    if isinstance(value, bool):
        raise RenderError("a template printed a boolean")
    return md_inline(value)


def environment() -> jinja2.Environment:
    """Return the template environment: strict, and escaping every printed value for Markdown.

    ``autoescape`` is on so that macro output is Markup and is not escaped twice; ``finalize``
    does the escaping (for Markdown, not HTML) before autoescape would see a plain string.
    """
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             autoescape=True, finalize=_finalize, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.front_matter = []  # what each page's front matter must read back as, in order (see check_front_matter)

    def fm(value: Any) -> Markup:
        env.front_matter.append(front_matter_value(value))
        return front_matter_text(value)

    env.filters.update(block=md_block, fm=fm, prose=md_prose, html=html_text, href=html_href, pre=html_pre,
                       url=lambda v: html_text(safe_url(v)),
                       number=lambda v: md_inline(e.format_number(v)), join=_join)
    env.globals.update(ext_link=md_link, NOT_RECORDED=e.NOT_RECORDED)
    return env


class Renderer:
    """Renders page models with one template environment."""

    def __init__(self):
        self.env = environment()
        self._templates: dict[type, jinja2.Template] = {}

    def render(self, path: str, model: Any) -> str:
        """Render one page model with its template; check that its front matter reads back as written."""
        kind = type(model)
        template = self._templates.get(kind)
        if template is None:
            template = self._templates[kind] = self.env.get_template(TEMPLATE_OF[kind])
        self.env.front_matter = []
        text = template.render({name: getattr(model, name) for name in _FIELDS[kind]})
        check_front_matter(path, text, self.env.front_matter)
        return text


def check_front_matter(path: str, text: str, meant: list[str]) -> None:
    """Read a page's front matter back with MkDocs' own parser; raise :class:`RenderError` unless it matches.

    A value MkDocs' YAML parser refused would make it read the whole front matter as page text.
    """
    from mkdocs.utils.meta import get_data

    body, meta = get_data(text)
    # text values, top level or in a list (a page's search tags)
    values = [v for value in meta.values() for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
    read = iter(values)
    # every value written through the 'fm' filter, in order, among the values MkDocs read
    if not all(any(value == other for other in read) for value in meant) or \
            (text.startswith("---\n") and not meta):
        raise RenderError(f"{path}: the front matter does not read back as written "
                          f"(wrote {len(meant)} text value(s), MkDocs read {len(values)} matching or not); nothing was built")


def render_cluster_pages(catalog: Catalog, settings: SiteSettings, ids: Iterable[str] | None = None,
                         builder: PageBuilder | None = None) -> Iterator[tuple[str, str]]:
    """Render the cluster pages whose ID is in ``ids`` (all of them when None), in ID order.

    Yields (docs-relative Markdown path, text). The pages of a subset are exactly the pages a full
    build writes for those clusters, so the cluster pages can be rendered in parts (in several
    processes) and put together. ``builder`` shares the page builder of :func:`render_pages`.
    """
    builder = builder or PageBuilder(catalog, settings)
    renderer = Renderer()
    for path, model in builder.cluster_pages(ids):
        yield path, renderer.render(path, model)


def render_pages(catalog: Catalog, settings: SiteSettings, files: Mapping[str, bytes] | None = None,
                 clusters: bool = True, builder: PageBuilder | None = None) -> Mapping[str, str]:
    """Render every page; return docs-relative path -> Markdown text.

    The cluster pages come from :func:`render_cluster_pages`, the other pages from the page models
    of :meth:`generator.pages.PageBuilder.all_pages`. ``files`` are the data files the site carries
    (see :func:`generator.export.site_files`), for the sizes the pages show; they are computed
    here when not given. With ``clusters=False`` the cluster pages are left out: a build renders
    them in a second process while MkDocs runs (see :mod:`generator.overlap`), with the same
    ``builder``.
    """
    builder = builder or PageBuilder(catalog, settings, files)
    renderer = Renderer()
    pages: dict[str, str] = {}

    def add(path: str, text: str) -> None:
        if path in pages:
            raise RenderError(f"two pages would be written to {path}")
        pages[path] = text
    for path, model in builder.all_pages():
        add(path, renderer.render(path, model))
    if clusters:
        for path, text in render_cluster_pages(catalog, settings, None, builder):
            add(path, text)
    return pages
