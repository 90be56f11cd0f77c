"""Compute everything a page shows, so templates only loop and print.

Page addresses are in :mod:`generator.addresses`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Mapping

from markupsafe import Markup

from .addresses import cluster_page, country_page, link, sector_page, typology_page
from .lang import derive_lang
from .model import Approach, Catalog, Cluster, Figure, Source

NOT_RECORDED = "not recorded"


SHOWN_ON_APPROACH = 100
"""Clusters listed on an approach page itself (and 10 on the approaches index); a longer list is
linked as its own split listing, so approach pages do not grow with the knowledge base."""

LISTING_ROWS = 500
"""Clusters per listing page: a longer listing is split into numbered pages (``x.md``, ``x-2.md``, …),
so no page grows with the size of the knowledge base (about 250 KB of HTML at most)."""


@dataclass(frozen=True)
class PagerItem:
    """One entry of a listing's page list."""

    number: int
    """Page number, from 1."""
    href: str | None
    """Link to that page, or None for the page it is shown on."""


@dataclass(frozen=True)
class Pager:
    """Where one page of a split listing sits among the others."""

    number: int
    """This page's number, from 1."""
    count: int
    """How many pages the listing has."""
    items: tuple[PagerItem, ...]
    """Every page of the listing, in order."""


def split_listing(path: str, clusters, size: int = LISTING_ROWS) -> list[tuple[str, tuple, Pager | None]]:
    """Split a listing into pages of at most ``size`` clusters: (path, clusters, pager) each.

    A listing that fits on one page keeps its path and gets no pager.
    """
    clusters = tuple(clusters)
    chunks = [clusters[i:i + size] for i in range(0, len(clusters), size)] or [()]
    if len(chunks) == 1:
        return [(path, chunks[0], None)]
    stem = path.removesuffix(".md")
    paths = [path] + [f"{stem}-{n}.md" for n in range(2, len(chunks) + 1)]
    out = []
    for number, (here, chunk) in enumerate(zip(paths, chunks), start=1):
        items = tuple(PagerItem(n, None if n == number else link(here, target))
                      for n, target in enumerate(paths, start=1))
        out.append((here, chunk, Pager(number, len(chunks), items)))
    return out


# -- Values shown on pages --------------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    """A piece of a cell: text, optionally linking to another page."""

    text: str
    """What is shown."""
    href: Markup | None = None
    """Relative link, when the text links somewhere."""
    lang: str | None = None
    """BCP 47 tag when the text is not English (a local-script name)."""


@dataclass(frozen=True)
class Cell:
    """One row of a grid: its label and its parts, or nothing recorded."""

    cell: str
    """Which cell of grid.yaml's ``identification_grid`` this row shows."""
    group: str
    """Row group (Identity, Location, …)."""
    label: str
    """Row label."""
    parts: tuple[Part, ...]
    """What the cell holds; empty means not recorded."""

    @property
    def recorded(self) -> bool:
        """Whether the cell holds anything."""
        return bool(self.parts)


@dataclass(frozen=True)
class NeedCell:
    """One row of the Intervention grid."""

    label: str
    """Area."""
    hint: str
    """What the area covers."""
    level: str
    """Need label, or 'not recorded'."""
    note: str
    """Note, or ''."""
    source: str
    """Source key, or ''."""
    recorded: bool
    """Whether a need other than 'unknown' is recorded."""
    editors: bool = False
    """Whether the rating is the editors' reading of the sources."""

    @property
    def shown(self) -> bool:
        """Whether the row has anything to show: a rating, or a note on an unknown need."""
        return self.recorded or bool(self.note)


def local_lang(record: Cluster | Approach) -> str | None:
    """BCP 47 tag of a record's local name: as stated, else derived from its script and country."""
    if not record.name_local:
        return None
    if record.name_local_lang:
        return record.name_local_lang
    country = record.country if isinstance(record, Cluster) else record.origin_country
    return derive_lang(record.name_local, country)


def source_anchor(key: str) -> Markup:
    """Fragment id of a source in a page's numbered references; keys are validated slugs."""
    return Markup(f"src-{key}")


def format_number(value: float) -> str:
    """Print a figure with thousands separators, keeping its decimals."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def figure_text(figure: Figure, catalog: Catalog) -> str:
    """Describe one size figure: label, value, unit, year and source key."""
    measure = catalog.vocab.term("size_measures", figure.measure)
    unit = figure.unit or measure.extra.get("unit") or ""
    text = f"{measure.label}: {format_number(figure.value)} {unit} ({figure.year})"
    return text.replace("  ", " ")


def citation(source: Source) -> str:
    """Format a source as one line of text (the URL is linked separately)."""
    year = str(source.year) if source.year is not None else "n.d."
    parts = [f"{source.author} ({year}). {source.title}."]
    if source.publisher:
        parts.append(f"{source.publisher}.")
    if source.pages:
        parts.append(f"Pages {source.pages}.")
    if source.accessed:
        parts.append(f"Accessed {source.accessed.isoformat()}.")
    return " ".join(parts)


def _typology_parts(cluster: Cluster, basis: str, catalog: Catalog, here: str) -> tuple[Part, ...]:
    key = cluster.typology.get(basis)
    if key is None:
        return ()
    vocab = "policy_classes" if basis == "policy_class" else f"typology:{basis}"
    return (Part(catalog.vocab.label(vocab, key), link(here, typology_page(basis, key))),)


IDENTIFICATION_CELLS = frozenset({
    "id", "name", "name_local", "country", "region", "district", "setting", "coordinates", "sector", "sub_sector",
    "products", "regional_development", "generic_infrastructure", "cluster_infrastructure", "support_system",
    "networks", "informalisation_labour", "informalisation_production", "macro_policy", "markets", "size",
    "policy_class", "typology:sectoral", "typology:spatial", "typology:location", "typology:market_performance",
    "typology:emergence"})
"""The cells a row of grid.yaml's ``identification_grid`` may name; each is filled below."""


def identification_cells(cluster: Cluster, catalog: Catalog) -> tuple[Cell, ...]:
    """The Identification grid of one cluster, row by row as grid.yaml lists them."""
    here = cluster_page(cluster.id)
    v = catalog.vocab
    texts = {
        "id": cluster.id, "name": cluster.name, "name_local": cluster.name_local, "region": cluster.region,
        "district": cluster.district, "sub_sector": cluster.sub_sector,
        "regional_development": cluster.regional_development,
        **{k: cluster.determinants.get(k) for k in ("networks", "informalisation_labour",
                                                      "informalisation_production", "macro_policy")},
    }
    cells = []
    for row in catalog.identification_rows:
        name = row["cell"]
        parts: tuple[Part, ...] = ()
        if name == "name_local":
            parts = (Part(cluster.name_local, lang=local_lang(cluster)),) if cluster.name_local else ()
        elif name in texts:
            parts = (Part(texts[name]),) if texts[name] else ()
        elif name == "country":
            parts = (Part(f"{v.label('countries', cluster.country)} ({cluster.country})",
                          link(here, country_page(cluster.country))),)
        elif name == "setting":
            parts = (Part(v.label("location_settings", cluster.setting)),)
        elif name == "coordinates" and cluster.coordinates:
            parts = (Part(f"{cluster.coordinates[0]:.3f}, {cluster.coordinates[1]:.3f}"),)
        elif name == "sector":
            parts = (Part(v.label("sectors", cluster.sector), link(here, sector_page(cluster.sector))),)
        elif name == "products":
            parts = tuple(Part(p) for p in cluster.products)
        elif name == "generic_infrastructure":
            parts = tuple(Part(f"{v.label('generic_infrastructure_kinds', k)}: {t}") for k, t in cluster.generic_infrastructure)
        elif name == "cluster_infrastructure":
            parts = tuple(Part(x) for x in cluster.cluster_infrastructure)
        elif name == "support_system":
            parts = tuple(Part(f"{v.label('support_roles', r)}: {', '.join(names)}") for r, names in cluster.support_system)
        elif name == "markets":
            if any(e != "unknown" for e in cluster.markets.values()):
                parts = tuple(Part(f"{v.label('markets', m)}: {v.label('market_extents', e).lower()}")
                              for m, e in cluster.markets.items())
        elif name == "size":
            parts = tuple(Part(figure_text(f, catalog)) for f in cluster.size)
        elif name.startswith("typology:") or name == "policy_class":
            parts = _typology_parts(cluster, name.removeprefix("typology:"), catalog, here)
        cells.append(Cell(name, row["group"], row["label"], parts))
    return tuple(cells)


def intervention_cells(cluster: Cluster, catalog: Catalog) -> tuple[NeedCell, ...]:
    """The Intervention grid of one cluster, one row per area."""
    cells = []
    for term in catalog.vocab.terms["intervention_areas"]:
        need = cluster.intervention.get(term.key)
        hint = str(term.extra.get("hint", ""))
        if need is None:
            cells.append(NeedCell(term.label, hint, NOT_RECORDED, "", "", False))
        else:
            cells.append(NeedCell(term.label, hint, catalog.vocab.label("needs", need.level), need.note or "",
                                  need.source.key if need.source else "", need.level != "unknown",
                                  need.basis == "editors"))
    return tuple(cells)


PROFILE_CELLS = frozenset({
    "id", "name", "name_local", "country", "region", "district", "setting", "coordinates", "sector", "sub_sector",
    "products", "markets", "size", "policy_class", "typology:sectoral", "typology:spatial", "typology:location",
    "typology:market_performance", "typology:emergence"})
"""Identification cells that a cluster page shows in its profile summary rather than in the grid table."""


def lower_first(label: str) -> str:
    """Lower-case a label's first letter for use inside a sentence, keeping acronyms ('IPR') as they are."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


@dataclass(frozen=True)
class SizeFact:
    """A size figure as the profile shows it, with the number of its source in the references."""

    label: str
    """Measure, e.g. 'Employment'."""
    value: str
    """Formatted value with its unit."""
    year: int
    """Year the figure refers to."""
    ref: int
    """Number of its source in the page's references."""
    anchor: Markup
    """Fragment id of that source."""


def size_facts(cluster: Cluster, catalog: Catalog, numbers: Mapping[str, int]) -> tuple[SizeFact, ...]:
    """The size figures of a cluster, each pointing at its numbered source."""
    facts = []
    for f in cluster.size:
        measure = catalog.vocab.term("size_measures", f.measure)
        unit = f.unit or measure.extra.get("unit") or ""
        facts.append(SizeFact(measure.label, f"{format_number(f.value)} {unit}".strip(), f.year,
                              numbers[f.source.key], source_anchor(f.source.key)))
    return tuple(facts)


def source_numbers(sources) -> dict[str, int]:
    """Number of each source key in a page's reference list (1-based, in record order)."""
    return {s.key: i for i, s in enumerate(sources, 1)}


@dataclass(frozen=True)
class Gap:
    """The empty rows of one grid, summed up in one line."""

    labels: tuple[str, ...]
    """Row labels, lower-cased for a sentence, in grid order."""
    count: int
    """How many rows are empty."""
    noun: str
    """What a row is called ('cells', 'areas')."""


def gap(labels, one: str, many: str) -> Gap | None:
    """Sum up the empty rows of a grid; None when none is empty."""
    found = tuple(lower_first(x) for x in labels)
    return Gap(found, len(found), one if len(found) == 1 else many) if found else None


@dataclass(frozen=True)
class Completeness:
    """How much of a cluster's grid is recorded."""

    recorded: int
    """Cells recorded."""
    total: int
    """Cells in both grids."""


def completeness(cluster: Cluster, catalog: Catalog) -> Completeness:
    """Count recorded cells over both grids."""
    ident = identification_cells(cluster, catalog)
    need = intervention_cells(cluster, catalog)
    return Completeness(sum(c.recorded for c in ident) + sum(c.recorded for c in need), len(ident) + len(need))


def completeness_by_id(catalog: Catalog) -> Mapping[str, Completeness]:
    """Completeness of every cluster, by ID: computed once, read by every listing and download."""
    return {c.id: completeness(c, catalog) for c in catalog.clusters}


@dataclass(frozen=True)
class Count:
    """A labelled count with the page it links to."""

    label: str
    """What is counted."""
    count: int
    """How many clusters."""
    href: Markup | None = None
    """Relative link to the listing."""


def counts_by(catalog: Catalog, here: str, vocab: str, key, page) -> tuple[Count, ...]:
    """Count clusters per vocabulary term, in vocabulary order, leaving out terms with none."""
    tally = Counter(k for k in (key(c) for c in catalog.clusters) if k is not None)
    return tuple(Count(t.label, tally[t.key], link(here, page(t.key))) for t in catalog.vocab.terms[vocab]
                 if tally[t.key])


def country_counts(catalog: Catalog, here: str) -> tuple[Count, ...]:
    """Count clusters per country, by country name."""
    tally = Counter(c.country for c in catalog.clusters)
    rows = [Count(catalog.vocab.label("countries", code), n, link(here, country_page(code))) for code, n in tally.items()]
    return tuple(sorted(rows, key=lambda r: r.label))


def shared_dimensions(a: Approach, b: Approach) -> tuple[str, ...]:
    """Comparison dimensions both approaches record, in vocabulary order."""
    return tuple(d for d in a.dimensions if d in b.dimensions)


def comparable_pairs(catalog: Catalog) -> tuple[tuple[Approach, Approach], ...]:
    """Every pair of approaches with at least one shared dimension, sorted by their IDs."""
    ordered = sorted(catalog.approaches, key=lambda a: a.id)
    return tuple((a, b) for a, b in combinations(ordered, 2) if shared_dimensions(a, b))


def thinnest(catalog: Catalog, limit: int = 20) -> tuple[tuple[Cluster, Completeness], ...]:
    """The least complete clusters, for contributors to improve first."""
    scored = [(c, completeness(c, catalog)) for c in catalog.clusters]
    return tuple(sorted(scored, key=lambda p: (p[1].recorded, p[0].id))[:limit])


def recently_reviewed(catalog: Catalog, limit: int = 10,
                      done: Mapping[str, Completeness] | None = None) -> tuple[Cluster, ...]:
    """The most recently reviewed clusters, newest first; on one day the fullest records first (when
    ``done`` gives completeness), then by ID."""
    def key(c: Cluster):
        return (-c.reviewed.toordinal(), -done[c.id].recorded if done else 0, c.id)
    return tuple(sorted(catalog.clusters, key=key)[:limit])


def typology_types(catalog: Catalog) -> tuple[tuple[str, str, str], ...]:
    """Every (basis, vocabulary, key) of Table 6 and the policy classes, in order."""
    out = []
    for basis in catalog.vocab.basis_labels:
        out.extend((basis, f"typology:{basis}", t.key) for t in catalog.vocab.terms[f"typology:{basis}"])
    out.extend(("policy_class", "policy_classes", t.key) for t in catalog.vocab.terms["policy_classes"])
    return tuple(out)


def lookup_table(catalog: Catalog) -> Mapping[str, tuple]:
    """Clusters per typology type, computed once for all typology pages."""
    groups: dict[str, list[Cluster]] = {}
    for cluster in catalog.clusters:
        for basis, key in cluster.typology.items():
            groups.setdefault(f"{basis}:{key}", []).append(cluster)
    return {k: tuple(v) for k, v in groups.items()}
