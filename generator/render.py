"""Render the catalog into Markdown pages with the Jinja2 templates in ``templates/``.

Rendering reads no files but templates: it takes a finished catalog and returns a mapping of
docs-relative path to page text. Every value a template prints is escaped for Markdown by the
environment's ``finalize`` unless it is already :class:`Markup` (made by the escape functions).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

import jinja2
from markupsafe import Markup

from . import charts as ch
from . import enrich as e
from . import explore as ex
from . import export as xp
from . import gaps
from .escape import (RenderError, front_matter_text, front_matter_value, html_href, html_text, md_block, md_inline,
                     md_link, md_prose, safe_url)
from .figures import draw_figure
from .feed import FEED_SIZE
from .model import Catalog
from .resources import TEMPLATES
from .similar import similar_clusters



def home_nouns(clusters: int, countries: int, approaches: int) -> dict[str, str]:
    """The nouns after the home page's counts, singular or plural to agree with them."""
    return {"clusters": "cluster" if clusters == 1 else "clusters",
            "countries": "country" if countries == 1 else "countries",
            "approaches": "approach" if approaches == 1 else "approaches"}


@dataclass(frozen=True)
class SiteSettings:
    """Settings the pages need beyond the content."""

    repository: str | None = None
    """https URL of the repository on GitHub, for edit and correction links; None hides them."""
    branch: str = "main"
    """Branch that edit links point at."""
    cname: str | None = None
    """Custom domain written to CNAME when publishing."""
    site_url: str | None = None
    """``site_url`` of mkdocs.yml, for absolute ids and links in the feed; None keeps them relative."""


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

    env.filters.update(block=md_block, fm=fm, prose=md_prose, html=html_text, href=html_href,
                       url=lambda v: html_text(safe_url(v)),
                       number=lambda v: md_inline(e.format_number(v)))
    env.globals.update(ext_link=md_link, NOT_RECORDED=e.NOT_RECORDED)
    return env


def _date(value: dt.date) -> str:
    return value.isoformat()


class Renderer:
    """Renders each page type; one method per page type, each yielding (path, text)."""

    def __init__(self, catalog: Catalog, settings: SiteSettings, files: Mapping[str, bytes] | None = None):
        self.catalog = catalog
        self.settings = settings
        self.env = environment()
        self.v = catalog.vocab
        self._by_type = e.lookup_table(catalog)
        # every listing shows completeness: compute it once per cluster, not once per listing
        self._done = e.completeness_by_id(catalog)
        self._similar = similar_clusters(catalog, self._done)
        files = files if files is not None else xp.site_files(catalog, self._done, settings.site_url)
        self._downloads = [dict(name=d.path.rsplit("/", 1)[-1], path=Markup(d.path), size=xp.format_size(d.size),
                                files=d.files, label=d.label) for d in xp.downloads(files)]

    def page(self, template: str, **context: Any) -> str:
        """Render one template."""
        self.env.front_matter = []
        text = self.env.get_template(template).render(v=self.v, **context)
        self.last_front_matter = list(self.env.front_matter)
        return text

    def label(self, vocab: str, key: str) -> str:
        """Label of a vocabulary word."""
        return self.v.label(vocab, key)

    @staticmethod
    def source_rows(sources) -> list[dict]:
        """Rows of a source list: key, anchor, citation text and URL."""
        return [dict(key=s.key, anchor=e.source_anchor(s.key), text=e.citation(s), url=s.url) for s in sources]

    def cluster_rows(self, here: str, clusters) -> list[dict]:
        """Rows of a cluster listing: link, name, country, sector, policy class, completeness."""
        rows = []
        for c in clusters:
            done = self._done[c.id]
            rows.append(dict(
                id=c.id, name=c.name, name_local=c.name_local, lang=e.local_lang(c), href=e.link(here, e.cluster_page(c.id)),
                country=self.label("countries", c.country), country_href=e.link(here, e.country_page(c.country)),
                sector=self.label("sectors", c.sector),
                policy=self.label("policy_classes", c.typology["policy_class"]) if "policy_class" in c.typology else None,
                setting=self.label("location_settings", c.setting), reviewed=_date(c.reviewed),
                recorded=done.recorded, total=done.total))
        return rows

    # -- page types ------------------------------------------------------------------------------

    def home(self) -> Iterator[tuple[str, str]]:
        here = "index.md"
        c = self.catalog
        yield here, self.page(
            "home.md.j2", clusters=len(c.clusters), approaches=len(c.approaches),
            countries=len({x.country for x in c.clusters}),
            nouns=home_nouns(len(c.clusters), len({x.country for x in c.clusters}), len(c.approaches)),
            by_country=e.country_counts(c, here),
            by_policy=e.counts_by(c, here, "policy_classes", lambda x: x.typology.get("policy_class"),
                                  lambda k: e.typology_page("policy_class", k)),
            by_sectoral=e.counts_by(c, here, "typology:sectoral", lambda x: x.typology.get("sectoral"),
                                    lambda k: e.typology_page("sectoral", k)),
            recent=self.cluster_rows(here, e.recently_reviewed(c, done=self._done)),
            figure=Markup(draw_figure("grid", self.catalog)),
            unclassified_policy=sum("policy_class" not in x.typology for x in c.clusters),
            unclassified_sectoral=sum("sectoral" not in x.typology for x in c.clusters),
            downloads=self._downloads)

    def clusters(self) -> Iterator[tuple[str, str]]:
        here = "clusters/index.md"
        thin = [dict(id=cl.id, name=cl.name, href=e.link(here, e.cluster_page(cl.id)), recorded=d.recorded,
                     total=d.total) for cl, d in e.thinnest(self.catalog)]
        for page, chunk, pager in e.split_listing(here, self.catalog.clusters):
            yield page, self.page("clusters.md.j2", rows=self.cluster_rows(page, chunk), pager=pager,
                                  thin=thin if page == here else [])

    def cluster_pages(self, clusters=None) -> Iterator[tuple[str, str]]:
        """One page per cluster (all of the catalog's, or the ones given), in ID order."""
        for cluster in self.catalog.clusters if clusters is None else clusters:
            yield e.cluster_page(cluster.id), self.cluster(cluster)

    def cluster(self, c) -> str:
        here = e.cluster_page(c.id)
        done = self._done[c.id]
        numbers = e.source_numbers(c.sources)
        uses = []
        for use in c.approaches:
            approach = self.catalog.approach(use.approach_id)
            years = ""
            if use.since and use.until:
                years = f"{use.since}–{use.until}"
            elif use.since:
                years = f"since {use.since}"
            elif use.until:
                years = f"until {use.until}"
            uses.append(dict(name=approach.name, href=e.link(here, e.approach_page(approach.id)),
                             agency=use.agency, years=years or None, note=use.note))
        title = f"{c.name} ({c.id})"
        country = self.label("countries", c.country)
        place = ", ".join(x for x in (c.district, c.region, country) if x)
        description = f"{c.name}: {self.label('sectors', c.sector)} cluster in {place}. Cluster Grid ID {c.id}."
        edit = correction = None
        if self.settings.repository:
            repo = self.settings.repository.rstrip("/")
            edit = f"{repo}/edit/{self.settings.branch}/content/clusters/{c.id}.yaml"
            correction = f"{repo}/issues/new?template=cluster.yml&title=Correction%3A+{c.id}&cluster_id={c.id}"
        ident = e.identification_cells(c, self.catalog)
        by_cell = {cell.cell: cell for cell in ident}
        types = [cell for cell in ident
                 if cell.recorded and (cell.cell.startswith("typology:") or cell.cell == "policy_class")]
        needs = e.intervention_cells(c, self.catalog)
        rated = [dict(label=n.label, level=n.level, note=n.note, editors=n.editors,
                      ref=numbers.get(n.source), anchor=e.source_anchor(n.source) if n.source else None)
                 for n in needs if n.shown]
        return self.page(
            "cluster.md.j2", c=c, title=title, description=description,
            search_alias=c.id.replace("-", ""), local_lang=e.local_lang(c),
            country=country, country_href=e.link(here, e.country_page(c.country)),
            clusters_href=e.link(here, "clusters/index.md"),
            district_region=", ".join(x for x in (c.district, c.region) if x),
            setting=self.label("location_settings", c.setting),
            coordinates=by_cell["coordinates"].parts[0].text if "coordinates" in by_cell and by_cell["coordinates"].recorded else None,
            sector=self.label("sectors", c.sector), sector_href=e.link(here, e.sector_page(c.sector)),
            types=types, markets=by_cell["markets"].parts if "markets" in by_cell else (),
            size=e.size_facts(c, self.catalog, numbers),
            grid_rows=[cell for cell in ident if cell.recorded and cell.cell not in e.PROFILE_CELLS],
            ident_missing=e.gap([x.label for x in ident if not x.recorded], "cell", "cells"),
            rated=rated, unrated=e.gap([n.label for n in needs if not n.shown], "area", "areas"),
            editors_label=e.lower_first(self.label("bases", "editors")),
            done=done, uses=uses, sources=self.source_rows(c.sources),
            size_notes=[dict(label=self.label("size_measures", f.measure), note=f.note) for f in c.size if f.note],
            reviewed=_date(c.reviewed), edit=edit, correction=correction,
            typology_basis=self.label("bases", c.typology_basis) if c.typology_basis else "",
            grid_href=e.link(here, "grid.md"), contribute_href=e.link(here, "contribute.md"),
            similar=[dict(id=m.cluster.id, name=m.cluster.name, href=e.link(here, e.cluster_page(m.cluster.id)),
                          country=self.label("countries", m.cluster.country), why=m.why)
                     for m in self._similar[c.id]])

    def countries(self) -> Iterator[tuple[str, str]]:
        here = "countries/index.md"
        tally = {code: len(self.catalog.clusters_in(code)) for code in self.catalog.countries()}
        table5 = [dict(group=r.income_group, group_label=self.label("income_groups", r.income_group),
                       country=self.label("countries", r.country), href=e.link(here, e.country_page(r.country)),
                       total=r.total, high_tech=r.high_tech, here=tally.get(r.country, 0)) for r in self.catalog.table5]
        in_table5 = {r.country for r in self.catalog.table5}
        others = [dict(country=self.label("countries", code), href=e.link(here, e.country_page(code)), here=tally[code])
                  for code in sorted(tally, key=lambda k: self.label("countries", k)) if code not in in_table5]
        yield here, self.page("countries.md.j2", table5=table5, others=others, source=self.catalog.table5_source,
                              notes=self.catalog.table5_notes)
        counts = {r.country: r for r in self.catalog.table5}
        for code in self.catalog.countries():
            row = counts.get(code)
            for page, chunk, pager in e.split_listing(e.country_page(code), self.catalog.clusters_in(code)):
                yield page, self.page("country.md.j2", code=code, name=self.label("countries", code),
                                      rows=self.cluster_rows(page, chunk), pager=pager, table5=row,
                                      group_label=self.label("income_groups", row.income_group) if row else None,
                                      index_href=e.link(page, here))

    def sectors(self) -> Iterator[tuple[str, str]]:
        here = "sectors/index.md"
        groups = self.catalog.clusters_by(lambda c: c.sector)
        items = [dict(label=t.label, href=e.link(here, e.sector_page(t.key)), count=len(groups.get(t.key, ())))
                 for t in self.v.terms["sectors"]]
        yield here, self.page("sectors.md.j2", items=items)
        for term in self.v.terms["sectors"]:
            for page, chunk, pager in e.split_listing(e.sector_page(term.key), groups.get(term.key, ())):
                yield page, self.page("listing.md.j2", title=f"Sector: {term.label}", intro=None,
                                      rows=self.cluster_rows(page, chunk), pager=pager,
                                      back=dict(text="All sectors", href=e.link(page, here)))

    def typologies(self) -> Iterator[tuple[str, str]]:
        here = "typologies/index.md"
        bases = []
        for basis, label in self.v.basis_labels.items():
            types = [dict(label=t.label, feature=t.extra.get("feature", ""), after=t.extra.get("after"),
                          href=e.link(here, e.typology_page(basis, t.key)),
                          count=len(self._by_type.get(f"{basis}:{t.key}", ())))
                     for t in self.v.terms[f"typology:{basis}"]]
            bases.append(dict(label=label, types=types, derived=basis == "location"))
        policy = [dict(label=t.label, href=e.link(here, e.typology_page("policy_class", t.key)),
                       count=len(self._by_type.get(f"policy_class:{t.key}", ())))
                  for t in self.v.terms["policy_classes"]]
        concept = next((x for x in self.catalog.concepts if x.id == "typologies"), None)
        yield here, self.page("typologies.md.j2", bases=bases, policy=policy,
                              concept_href=e.link(here, e.concept_page(concept.id)) if concept else None)
        for basis, vocab, key in e.typology_types(self.catalog):
            term = self.v.term(vocab, key)
            basis_label = "Policy class (Das 2008)" if basis == "policy_class" else self.v.basis_labels[basis]
            listing = e.split_listing(e.typology_page(basis, key), self._by_type.get(f"{basis}:{key}", ()))
            for page, chunk, pager in listing:
                yield page, self.page("listing.md.j2", title=f"{basis_label}: {term.label}",
                                      intro=term.extra.get("feature"), rows=self.cluster_rows(page, chunk), pager=pager,
                                      back=dict(text="All typologies", href=e.link(page, here)))

    def approaches(self) -> Iterator[tuple[str, str]]:
        here = "approaches/index.md"
        groups = []
        for term in self.v.terms["approach_groups"]:
            members = [dict(name=a.name, href=e.link(here, e.approach_page(a.id)), features=a.features,
                            assessment=a.assessment, in_table3=a.in_table3,
                            count=len(self.catalog.clusters_applying(a.id)),
                            clusters=[dict(id=c.id, name=c.name, href=e.link(here, e.cluster_page(c.id)))
                                      for c in self.catalog.clusters_applying(a.id)[:10]],
                            more=max(0, len(self.catalog.clusters_applying(a.id)) - 10))
                       for a in self.catalog.approaches if a.group == term.key]
            if members:
                groups.append(dict(label=term.label, members=members))
        table3 = [m for g in groups for m in g["members"] if m["in_table3"]]
        yield here, self.page("approaches.md.j2", groups=groups, table3=table3)
        pairs = e.comparable_pairs(self.catalog)
        for a in self.catalog.approaches:
            page = e.approach_page(a.id)
            applying = tuple(self.catalog.clusters_applying(a.id))
            full = None
            if len(applying) > e.SHOWN_ON_APPROACH:
                full = dict(count=len(applying), href=e.link(page, e.approach_clusters_page(a.id)))
                for listing, chunk, pager in e.split_listing(e.approach_clusters_page(a.id), applying):
                    yield listing, self.page("listing.md.j2", title=f"Clusters that applied {a.name}", intro=None,
                                             rows=self.cluster_rows(listing, chunk), pager=pager,
                                             back=dict(text=a.name, href=e.link(listing, page)))
            related = [dict(name=self.catalog.approach(r).name, href=e.link(page, e.approach_page(r))) for r in a.related]
            compare = [dict(name=(y if x.id == a.id else x).name, href=e.link(page, e.compare_page(x.id, y.id)))
                       for x, y in pairs if a.id in (x.id, y.id)]
            yield page, self.page(
                "approach.md.j2", a=a, group=self.label("approach_groups", a.group), local_lang=e.local_lang(a),
                origin_country=self.label("countries", a.origin_country) if a.origin_country else None,
                origin_level=self.label("approach_levels", a.origin_level) if a.origin_level else None,
                dimensions=[dict(label=self.label("comparison_dimensions", k), points=p) for k, p in a.dimensions.items()],
                related=related, compare=compare,
                clusters=self.cluster_rows(page, applying[:e.SHOWN_ON_APPROACH]), full=full,
                sources=self.source_rows(a.sources),
                reviewed=_date(a.reviewed), index_href=e.link(page, here))

    def comparisons(self) -> Iterator[tuple[str, str]]:
        here = "compare/index.md"
        pairs = e.comparable_pairs(self.catalog)
        items = [dict(a=a.name, b=b.name, href=e.link(here, e.compare_page(a.id, b.id)),
                      dims=[self.label("comparison_dimensions", d) for d in e.shared_dimensions(a, b)]) for a, b in pairs]
        yield here, self.page("compare.md.j2", items=items)
        for a, b in pairs:
            page = e.compare_page(a.id, b.id)
            rows = [dict(label=self.label("comparison_dimensions", d), anchor=e.slug(d), a=a.dimensions[d], b=b.dimensions[d])
                    for d in e.shared_dimensions(a, b)]
            only = [dict(label=self.label("comparison_dimensions", d), who=x.name)
                    for x in (a, b) for d in x.dimensions if d not in e.shared_dimensions(a, b)]
            yield page, self.page("pair.md.j2", a=a, b=b, rows=rows, only=only,
                                  a_href=e.link(page, e.approach_page(a.id)), b_href=e.link(page, e.approach_page(b.id)),
                                  index_href=e.link(page, here),
                                  sources=self.source_rows({s.key: s for s in a.sources + b.sources}.values()))

    def concepts(self) -> Iterator[tuple[str, str]]:
        here = "concepts/index.md"
        items = [dict(title=c.title, summary=c.summary, href=e.link(here, e.concept_page(c.id))) for c in self.catalog.concepts]
        yield here, self.page("concepts.md.j2", items=items)
        for c in self.catalog.concepts:
            blocks = [dict(heading=b.heading, text=b.text, table=b.table,
                           figure=Markup(draw_figure(b.figure, self.catalog)) if b.figure else None) for b in c.blocks]
            yield e.concept_page(c.id), self.page(
                "concept.md.j2", c=c, blocks=blocks, index_href=e.link(e.concept_page(c.id), here),
                references=self.source_rows(c.references))

    def grid(self) -> Iterator[tuple[str, str]]:
        here = "grid.md"
        yield here, self.page("grid.md.j2", rows=self.catalog.identification_rows,
                              areas=self.v.terms["intervention_areas"],
                              figure=Markup(draw_figure("grid", self.catalog)))

    def explore(self) -> Iterator[tuple[str, str]]:
        rows = ex.explore_rows(self.catalog, self._done)
        yield ex.PAGE, self.page("explore.md.j2", facets=ex.facets(self.catalog, rows), columns=ex.columns(),
                                 rows=ex.static_rows(self.catalog, rows), total=len(rows),
                                 static_max=ex.STATIC_ROWS_MAX, page_size=ex.PAGE_SIZE,
                                 downloads=self._downloads, licence_url=Markup(xp.LICENCE_URL))

    def charts(self) -> Iterator[tuple[str, str]]:
        yield "charts.md", self.page("charts.md.j2", charts=ch.charts(self.catalog), total=len(self.catalog.clusters))

    def map(self) -> Iterator[tuple[str, str]]:
        here = "map.md"
        drawn = ch.asia_map(self.catalog, here, ex.PAGE)
        yield here, self.page("map.md.j2", svg=drawn.svg, legend=drawn.legend, groups=drawn.groups,
                              located=drawn.located, unlocated=drawn.unlocated, aggregated=drawn.aggregated,
                              total=len(self.catalog.clusters))

    def gaps(self) -> Iterator[tuple[str, str]]:
        here = "gaps.md"
        thin = [dict(id=c.id, name=c.name, href=e.link(here, e.cluster_page(c.id)), recorded=d.recorded, total=d.total)
                for c, d in gaps.thinnest_records(self.catalog, self._done)]
        countries = [dict(label=g.label, href=e.link(here, e.country_page(g.country)), here=g.here, table5=g.table5,
                          share=gaps.share_text(g.percent)) for g in gaps.country_gaps(self.catalog)]
        guide = None
        if self.settings.repository:
            guide = f"{self.settings.repository.rstrip('/')}/blob/{self.settings.branch}/CONTRIBUTING.md"
        yield here, self.page("gaps.md.j2", cells=gaps.cell_gaps(self.catalog), thin=thin, countries=countries,
                              total=len(self.catalog.clusters), guide=guide)

    def data(self) -> Iterator[tuple[str, str]]:
        yield "data.md", self.page("data.md.j2", downloads=self._downloads, licence_url=Markup(xp.LICENCE_URL),
                                   schema_version=xp.SCHEMA_VERSION, column_count=len(xp.csv_columns(self.catalog)),
                                   feed_size=FEED_SIZE)

    def contribute(self) -> Iterator[tuple[str, str]]:
        vocabularies = [dict(name=name, terms=self.v.terms[name]) for name in
                        ("location_settings", "sectors", "market_extents", "needs", "policy_classes")]
        yield "contribute.md", self.page("contribute.md.j2", vocabularies=vocabularies,
                                         repository=self.settings.repository)


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


def render_pages(catalog: Catalog, settings: SiteSettings, files: Mapping[str, bytes] | None = None,
                 clusters: bool = True, renderer: "Renderer | None" = None) -> Mapping[str, str]:
    """Render every page; return docs-relative path -> Markdown text.

    ``files`` are the data files the site carries (see :func:`generator.export.site_files`), for
    the sizes the pages show; they are computed here when not given. With ``clusters=False`` the
    cluster pages are left out: a build renders them with :func:`render_cluster_pages` in a
    second process while MkDocs runs (see :mod:`generator.overlap`).
    """
    renderer = renderer or Renderer(catalog, settings, files)
    pages: dict[str, str] = {}
    stages = [renderer.home, renderer.clusters, renderer.countries, renderer.sectors, renderer.typologies,
              renderer.approaches, renderer.comparisons, renderer.concepts, renderer.grid, renderer.explore,
              renderer.charts, renderer.map, renderer.gaps, renderer.data, renderer.contribute]
    if clusters:
        stages.insert(2, renderer.cluster_pages)
    for stage in stages:
        for path, text in stage():
            if path in pages:
                raise RenderError(f"two pages would be written to {path}")
            check_front_matter(path, text, renderer.last_front_matter)
            pages[path] = text
    return pages


def render_cluster_pages(renderer: Renderer, clusters=None) -> Iterator[tuple[str, str]]:
    """Render cluster pages one at a time, each checked like every other page (see :func:`render_pages`)."""
    for path, text in renderer.cluster_pages(clusters):
        check_front_matter(path, text, renderer.last_front_matter)
        yield path, text
