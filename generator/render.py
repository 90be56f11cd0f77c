"""Render the catalog into Markdown pages with the Jinja2 templates in ``templates/``.

Rendering reads no files but templates: it takes a finished catalog and returns a mapping of
docs-relative path to page text. Every value a template prints is escaped for Markdown by the
environment's ``finalize`` unless it is already :class:`Markup` (made by the escape functions).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

import jinja2
from markupsafe import Markup

from . import enrich as e
from .escape import RenderError, front_matter_text, html_text, md_block, md_inline, md_link, md_prose
from .figures import draw_figure
from .model import Catalog
from .resources import TEMPLATES



@dataclass(frozen=True)
class SiteSettings:
    """Settings the pages need beyond the content."""

    repository: str | None = None
    """https URL of the repository on GitHub, for edit and correction links; None hides them."""
    branch: str = "main"
    """Branch that edit links point at."""
    cname: str | None = None
    """Custom domain written to CNAME when publishing."""


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
    env.filters.update(block=md_block, fm=front_matter_text, prose=md_prose, html=html_text,
                       number=lambda v: md_inline(e.format_number(v)))
    env.globals.update(ext_link=md_link, NOT_RECORDED=e.NOT_RECORDED)
    return env


def _date(value: dt.date) -> str:
    return value.isoformat()


class Renderer:
    """Renders each page type; one method per page type, each yielding (path, text)."""

    def __init__(self, catalog: Catalog, settings: SiteSettings):
        self.catalog = catalog
        self.settings = settings
        self.env = environment()
        self.v = catalog.vocab
        self._by_type = e.lookup_table(catalog)
        # every listing shows completeness: compute it once per cluster, not once per listing
        self._done = {c.id: e.completeness(c, catalog) for c in catalog.clusters}

    def page(self, template: str, **context: Any) -> str:
        """Render one template."""
        return self.env.get_template(template).render(v=self.v, **context)

    def label(self, vocab: str, key: str) -> str:
        """Label of a vocabulary word."""
        return self.v.label(vocab, key)

    @staticmethod
    def source_rows(sources) -> list[dict]:
        """Rows of a source list: key, citation text and URL."""
        return [dict(key=s.key, text=e.citation(s), url=s.url) for s in sources]

    def cluster_rows(self, here: str, clusters) -> list[dict]:
        """Rows of a cluster listing: link, name, country, sector, policy class, completeness."""
        rows = []
        for c in clusters:
            done = self._done[c.id]
            rows.append(dict(
                id=c.id, name=c.name, name_local=c.name_local, href=e.link(here, e.cluster_page(c.id)),
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
            by_country=e.country_counts(c, here),
            by_policy=e.counts_by(c, here, "policy_classes", lambda x: x.typology.get("policy_class"),
                                  lambda k: e.typology_page("policy_class", k)),
            by_sectoral=e.counts_by(c, here, "typology:sectoral", lambda x: x.typology.get("sectoral"),
                                    lambda k: e.typology_page("sectoral", k)),
            recent=self.cluster_rows(here, e.recently_reviewed(c)),
            unclassified_policy=sum("policy_class" not in x.typology for x in c.clusters),
            unclassified_sectoral=sum("sectoral" not in x.typology for x in c.clusters))

    def clusters(self) -> Iterator[tuple[str, str]]:
        here = "clusters/index.md"
        thin = [dict(id=cl.id, name=cl.name, href=e.link(here, e.cluster_page(cl.id)), recorded=d.recorded,
                     total=d.total) for cl, d in e.thinnest(self.catalog)]
        for page, chunk, pager in e.split_listing(here, self.catalog.clusters):
            yield page, self.page("clusters.md.j2", rows=self.cluster_rows(page, chunk), pager=pager,
                                  thin=thin if page == here else [])
        for cluster in self.catalog.clusters:
            yield e.cluster_page(cluster.id), self.cluster(cluster)

    def cluster(self, c) -> str:
        here = e.cluster_page(c.id)
        done = self._done[c.id]
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
        place = ", ".join(x for x in (c.district, c.region, self.label("countries", c.country)) if x)
        description = f"{c.name}: {self.label('sectors', c.sector)} cluster in {place}. Cluster Grid ID {c.id}."
        edit = correction = None
        if self.settings.repository:
            repo = self.settings.repository.rstrip("/")
            edit = f"{repo}/edit/{self.settings.branch}/content/clusters/{c.id}.yaml"
            correction = f"{repo}/issues/new?template=cluster.yml&title=Correction%3A+{c.id}&cluster_id={c.id}"
        return self.page(
            "cluster.md.j2", c=c, title=title, description=description, place=place,
            country=self.label("countries", c.country), country_href=e.link(here, e.country_page(c.country)),
            sector=self.label("sectors", c.sector), sector_href=e.link(here, e.sector_page(c.sector)),
            ident=e.identification_cells(c, self.catalog), needs=e.intervention_cells(c, self.catalog),
            done=done, uses=uses, sources=self.source_rows(c.sources),
            size_notes=[dict(label=self.label("size_measures", f.measure), note=f.note) for f in c.size if f.note],
            reviewed=_date(c.reviewed), edit=edit, correction=correction,
            typology_basis=self.label("bases", c.typology_basis) if c.typology_basis else "",
            grid_href=e.link(here, "grid.md"))

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
                            clusters=[dict(id=c.id, name=c.name, href=e.link(here, e.cluster_page(c.id)))
                                      for c in self.catalog.clusters_applying(a.id)])
                       for a in self.catalog.approaches if a.group == term.key]
            if members:
                groups.append(dict(label=term.label, members=members))
        table3 = [m for g in groups for m in g["members"] if m["in_table3"]]
        yield here, self.page("approaches.md.j2", groups=groups, table3=table3)
        pairs = e.comparable_pairs(self.catalog)
        for a in self.catalog.approaches:
            page = e.approach_page(a.id)
            related = [dict(name=self.catalog.approach(r).name, href=e.link(page, e.approach_page(r))) for r in a.related]
            compare = [dict(name=(y if x.id == a.id else x).name, href=e.link(page, e.compare_page(x.id, y.id)))
                       for x, y in pairs if a.id in (x.id, y.id)]
            yield page, self.page(
                "approach.md.j2", a=a, group=self.label("approach_groups", a.group),
                origin_country=self.label("countries", a.origin_country) if a.origin_country else None,
                origin_level=self.label("approach_levels", a.origin_level) if a.origin_level else None,
                dimensions=[dict(label=self.label("comparison_dimensions", k), points=p) for k, p in a.dimensions.items()],
                related=related, compare=compare,
                clusters=self.cluster_rows(page, self.catalog.clusters_applying(a.id)),
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
            rows = [dict(label=self.label("comparison_dimensions", d), a=a.dimensions[d], b=b.dimensions[d])
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

    def contribute(self) -> Iterator[tuple[str, str]]:
        vocabularies = [dict(name=name, terms=self.v.terms[name]) for name in
                        ("location_settings", "sectors", "market_extents", "needs", "policy_classes")]
        yield "contribute.md", self.page("contribute.md.j2", vocabularies=vocabularies,
                                         repository=self.settings.repository)


def render_pages(catalog: Catalog, settings: SiteSettings) -> Mapping[str, str]:
    """Render every page; return docs-relative path -> Markdown text."""
    renderer = Renderer(catalog, settings)
    pages: dict[str, str] = {}
    for stage in (renderer.home, renderer.clusters, renderer.countries, renderer.sectors, renderer.typologies,
                  renderer.approaches, renderer.comparisons, renderer.concepts, renderer.grid, renderer.contribute):
        for path, text in stage():
            if path in pages:
                raise RenderError(f"two pages would be written to {path}")
            pages[path] = text
    return pages
