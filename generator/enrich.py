"""Compute everything a page shows, so templates only loop and print.

Page addresses are in :mod:`generator.addresses`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Callable, Mapping

from markupsafe import Markup

from .addresses import cluster_page, country_page, link, sector_page, typology_page
from .lang import derive_lang
from .model import Approach, Catalog, Cluster, Figure, Source
from .spec import DETERMINANT_CELLS, IDENTIFICATION_CELLS, SPACE_CELLS, TYPOLOGY_CELLS
from .vocab import Vocabularies

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
    before: Markup = Markup("")
    """Separator printed before it (empty for the first)."""


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
        items = tuple(PagerItem(n, None if n == number else link(here, target), Markup(" · " if n > 1 else ""))
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
    before: Markup = Markup("")
    """Separator printed before it: empty for a cell's first part, '; ' for the others."""


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


def figure_value(figure: Figure, vocab: Vocabularies) -> str:
    """A size figure's value with its unit (the measure's default unit when the figure gives none)."""
    unit = figure.unit or vocab.term("size_measures", figure.measure).extra.get("unit") or ""
    return f"{format_number(figure.value)} {unit}".strip()


def figure_text(figure: Figure, vocab: Vocabularies) -> str:
    """Describe one size figure in a line: measure, value with unit, and year."""
    return f"{vocab.label('size_measures', figure.measure)}: {figure_value(figure, vocab)} ({figure.year})"


def citation(source: Source) -> tuple[str, str, str]:
    """Format a source as one line in three parts: author and year, the title (followed by a full stop; it links to the
    URL, so that each source link is named by its work), and the rest ("" when there is none)."""
    year = str(source.year) if source.year is not None else "n.d."
    rest = []
    if source.publisher:
        rest.append(f"{source.publisher}.")
    if source.pages:
        rest.append(f"Pages {source.pages}.")
    if source.accessed:
        rest.append(f"Accessed {source.accessed.isoformat()}.")
    return f"{source.author} ({year}).", source.title, " ".join(rest)


def _series(texts) -> tuple[Part, ...]:
    """Plain-text parts, separated."""
    return tuple(Part(t, before=_SEMICOLON if i else _NOTHING) for i, t in enumerate(texts))


_SEMICOLON, _NOTHING = Markup("; "), Markup("")


def _text(value: str | None) -> tuple[Part, ...]:
    return (Part(value),) if value else ()


def _typology(basis: str):
    vocab = "policy_classes" if basis == "policy_class" else f"typology:{basis}"

    def parts(c: Cluster, v: Vocabularies, here: str) -> tuple[Part, ...]:
        key = c.typology.get(basis)
        return () if key is None else (Part(v.label(vocab, key), link(here, typology_page(basis, key))),)
    return parts


def _markets(c: Cluster, v: Vocabularies, here: str) -> tuple[Part, ...]:
    if all(x == "unknown" for x in c.markets.values()):
        return ()
    return _series(f"{v.label('markets', m)}: {v.label('market_extents', x).lower()}" for m, x in c.markets.items())


def _determinant(name: str):
    return lambda c, v, here: _text(c.determinants.get(name))


CELL_PARTS: Mapping[str, Callable[[Cluster, Vocabularies, str], tuple[Part, ...]]] = {
    "id": lambda c, v, here: (Part(c.id),),
    "name": lambda c, v, here: (Part(c.name),),
    "name_local": lambda c, v, here: (Part(c.name_local, lang=local_lang(c)),) if c.name_local else (),
    "country": lambda c, v, here: (Part(f"{v.label('countries', c.country)} ({c.country})",
                                        link(here, country_page(c.country))),),
    "region": lambda c, v, here: _text(c.region),
    "district": lambda c, v, here: _text(c.district),
    "setting": lambda c, v, here: (Part(v.label("location_settings", c.setting)),),
    "coordinates": lambda c, v, here: (Part(f"{c.coordinates[0]:.3f}, {c.coordinates[1]:.3f}"),) if c.coordinates else (),
    "sector": lambda c, v, here: (Part(v.label("sectors", c.sector), link(here, sector_page(c.sector))),),
    "sub_sector": lambda c, v, here: _text(c.sub_sector),
    "products": lambda c, v, here: _series(c.products),
    "regional_development": lambda c, v, here: _text(c.regional_development),
    "generic_infrastructure": lambda c, v, here: _series(f"{v.label('generic_infrastructure_kinds', k)}: {t}"
                                                         for k, t in c.generic_infrastructure),
    "cluster_infrastructure": lambda c, v, here: _series(c.cluster_infrastructure),
    "support_system": lambda c, v, here: _series(f"{v.label('support_roles', r)}: {', '.join(names)}"
                                                 for r, names in c.support_system),
    "markets": _markets,
    "size": lambda c, v, here: _series(figure_text(f, v) for f in c.size),
    **{name: _determinant(name) for name in DETERMINANT_CELLS},
    **{cell: _typology(cell.removeprefix("typology:")) for cell in TYPOLOGY_CELLS},
}
"""How each cell of :data:`generator.spec.IDENTIFICATION_CELLS` is filled from a cluster (a test
checks that the two name the same cells)."""


def identification_cells(cluster: Cluster, catalog: Catalog, here: str | None = None) -> tuple[Cell, ...]:
    """The Identification grid of one cluster, row by row as grid.yaml lists them, linked from ``here``
    (the cluster's page by default)."""
    here = here or cluster_page(cluster.id)
    v = catalog.vocab
    return tuple(Cell(row["cell"], row["group"], row["label"], CELL_PARTS[row["cell"]](cluster, v, here))
                 for row in catalog.identification_rows)


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


PROFILE_CELLS = frozenset(IDENTIFICATION_CELLS) - {*SPACE_CELLS, "support_system", *DETERMINANT_CELLS}
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
    v = catalog.vocab
    return tuple(SizeFact(v.label("size_measures", f.measure), figure_value(f, v), f.year, numbers[f.source.key],
                          source_anchor(f.source.key)) for f in cluster.size)


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


@dataclass(frozen=True)
class ClusterGrids:
    """Both grids of one cluster, and how much of them is recorded: computed once per cluster."""

    ident: tuple[Cell, ...]
    """The Identification grid, linked from the cluster's page."""
    needs: tuple[NeedCell, ...]
    """The Intervention grid."""
    completeness: Completeness
    """Cells recorded over both grids."""


def cluster_grids(cluster: Cluster, catalog: Catalog) -> ClusterGrids:
    """Fill both grids of one cluster and count what they hold."""
    ident = identification_cells(cluster, catalog)
    needs = intervention_cells(cluster, catalog)
    done = Completeness(sum(c.recorded for c in ident) + sum(c.recorded for c in needs), len(ident) + len(needs))
    return ClusterGrids(ident, needs, done)


def completeness(cluster: Cluster, catalog: Catalog) -> Completeness:
    """Count recorded cells over both grids."""
    return cluster_grids(cluster, catalog).completeness


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


def thinnest(catalog: Catalog, limit: int = 20,
             done: Mapping[str, Completeness] | None = None) -> tuple[tuple[Cluster, Completeness], ...]:
    """The least complete clusters, for contributors to improve first (``done``: completeness by ID, when known)."""
    done = done if done is not None else completeness_by_id(catalog)
    scored = [(c, done[c.id]) for c in catalog.clusters]
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
