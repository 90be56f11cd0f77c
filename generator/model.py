"""Typed, immutable values for the validated content, and the catalog that holds them all.

Raw YAML never travels past this module: :func:`build_catalog` turns validated documents into
frozen dataclasses, and everything after it (enrich, render, write) reads only these.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping

from .load import Document
from .spec import TYPOLOGY_FIELDS
from .vocab import Vocabularies


@dataclass(frozen=True)
class Source:
    """A published work cited by a record."""

    key: str
    """Short key by which the record refers to it."""
    author: str
    """Authors or issuing body."""
    year: int | None
    """Year of publication; None for an undated web page."""
    title: str
    """Title."""
    publisher: str | None = None
    """Journal or publisher."""
    url: str | None = None
    """http(s) address where it can be checked."""
    pages: str | None = None
    """Pages that support the record."""
    accessed: dt.date | None = None
    """For an undated web page, the date it was consulted."""
    kind: str | None = None
    """Key of ``source_kinds``: research, report, official, press or other; None when not stated."""


@dataclass(frozen=True)
class Figure:
    """One size figure, with its year and source."""

    measure: str
    """Key of ``size_measures`` (units, employment, turnover, exports)."""
    value: float
    """The figure."""
    unit: str | None
    """Unit; the measure's default unit when None."""
    year: int
    """Year the figure refers to."""
    source: Source
    """Where the figure is published."""
    note: str | None = None
    """Caveats."""


@dataclass(frozen=True)
class Need:
    """The need for intervention in one area (a cell of the Intervention grid)."""

    area: str
    """Key of ``intervention_areas``."""
    level: str
    """Key of ``needs``."""
    note: str | None
    """What the need is."""
    source: Source | None
    """Where that is said."""
    basis: str = "source"
    """Key of ``bases``: ``source``, or ``editors`` for the editors' reading."""


@dataclass(frozen=True)
class ApproachUse:
    """An approach applied in a cluster."""

    approach_id: str
    """ID of the approach record."""
    agency: str | None = None
    """Who applied it."""
    since: int | None = None
    """First year."""
    until: int | None = None
    """Last year."""
    note: str | None = None
    """What was done."""


@dataclass(frozen=True)
class Cluster:
    """One cluster on the Cluster Grid."""

    id: str
    """Cluster Grid ID, CC-NNNN."""
    name: str
    """English name."""
    name_local: str | None
    """Name in local script."""
    name_local_lang: str | None
    """BCP 47 tag of the local name, as the record states it (None: derive it from script and country)."""
    country: str
    """ISO 3166-1 alpha-2 code."""
    region: str | None
    """State or province."""
    district: str | None
    """District or town."""
    setting: str
    """Key of ``location_settings``."""
    coordinates: tuple[float, float] | None
    """(latitude, longitude)."""
    sector: str
    """Key of ``sectors``."""
    sub_sector: str | None
    """Sub-sector in words."""
    products: tuple[str, ...]
    """Main products."""
    regional_development: str | None
    """Level of regional development."""
    generic_infrastructure: tuple[tuple[str, str], ...]
    """(kind, description) pairs."""
    cluster_infrastructure: tuple[str, ...]
    """Cluster-specific facilities."""
    support_system: tuple[tuple[str, tuple[str, ...]], ...]
    """(role, names) pairs, roles with no names left out."""
    determinants: Mapping[str, str]
    """networks, informalisation_labour, informalisation_production, macro_policy -> text."""
    markets: Mapping[str, str]
    """Market layer -> extent; layers not given are absent."""
    typology: Mapping[str, str]
    """Typology basis (and ``policy_class``) -> type key; ``location`` is derived from the setting."""
    typology_basis: str | None
    """Key of ``bases``: whose reading the classification is."""
    typology_note: str | None
    """Whose reading the classification is."""
    size: tuple[Figure, ...]
    """Size figures in vocabulary order."""
    intervention: Mapping[str, Need]
    """Intervention area -> need; areas not given are absent."""
    approaches: tuple[ApproachUse, ...]
    """Approaches applied, in record order."""
    sources: tuple[Source, ...]
    """Works cited."""
    note: str | None
    """Caveats."""
    reviewed: dt.date
    """Date last checked against its sources."""


@dataclass(frozen=True)
class Approach:
    """One intervention approach."""

    id: str
    """Slug."""
    name: str
    """Name."""
    name_local: str | None
    """Name in local script."""
    name_local_lang: str | None
    """BCP 47 tag of the local name, as the record states it (None: derive it from script and country)."""
    group: str
    """Key of ``approach_groups``."""
    in_table3: bool
    """One of Table 3's six approaches."""
    origin_country: str | None
    """Country of origin."""
    origin_place: str | None
    """Place of origin."""
    origin_year: int | None
    """Year it began."""
    origin_level: str | None
    """Key of ``approach_levels``."""
    summary: str
    """Summary."""
    features: tuple[str, ...]
    """Key features."""
    assessment: str | None
    """The paper's assessment."""
    dimensions: Mapping[str, tuple[str, ...]]
    """Comparison dimension -> points."""
    related: tuple[str, ...]
    """Related approach IDs."""
    variants: str | None
    """Variants."""
    sources: tuple[Source, ...]
    """Works cited."""
    reviewed: dt.date
    """Date last checked."""


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells on a concept page."""

    columns: tuple[str, ...]
    """Column headings."""
    rows: tuple[tuple[str, ...], ...]
    """Rows of cells."""
    source: str | None
    """Where it comes from."""


@dataclass(frozen=True)
class Block:
    """One section of a concept page."""

    heading: str
    """Heading."""
    text: str | None
    """Project-written prose."""
    table: Table | None
    """A table."""
    figure: str | None
    """Name of a diagram."""


@dataclass(frozen=True)
class Concept:
    """A concept page."""

    id: str
    """Slug."""
    title: str
    """Title."""
    order: int
    """Menu position."""
    summary: str
    """Opening paragraph."""
    blocks: tuple[Block, ...]
    """Sections."""
    references: tuple[Source, ...]
    """Works cited."""


@dataclass(frozen=True)
class CountRow:
    """One row of Table 5."""

    country: str
    """ISO code."""
    income_group: str
    """LI, LMI, UMI or HI."""
    total: int
    """Number of clusters in Das et al. (2007)."""
    high_tech: int | None
    """High-tech clusters, when given."""


@dataclass(frozen=True)
class Catalog:
    """Everything the site shows, validated and sorted."""

    vocab: Vocabularies
    """Every vocabulary."""
    clusters: tuple[Cluster, ...]
    """Clusters sorted by ID."""
    approaches: tuple[Approach, ...]
    """Approaches sorted by name."""
    concepts: tuple[Concept, ...]
    """Concept pages sorted by order."""
    table5: tuple[CountRow, ...]
    """Table 5 rows in the paper's order."""
    table5_source: str
    """Table 5's source line."""
    table5_notes: tuple[str, ...]
    """Table 5's caveats."""
    identification_rows: tuple[Mapping[str, str], ...]
    """Identification grid rows from grid.yaml (group, label, cell)."""
    _approach_by_id: Mapping[str, Approach] = field(default_factory=dict, repr=False)

    def approach(self, ident: str) -> Approach:
        """Return one approach by ID."""
        return self._approach_by_id[ident]

    def clusters_in(self, country: str) -> tuple[Cluster, ...]:
        """Return the clusters of one country, by ID."""
        return tuple(c for c in self.clusters if c.country == country)

    def clusters_by(self, key) -> Mapping[str, tuple[Cluster, ...]]:
        """Group clusters by ``key(cluster)`` (which may return None to skip), each group by ID."""
        groups: dict[str, list[Cluster]] = defaultdict(list)
        for cluster in self.clusters:
            value = key(cluster)
            if value is not None:
                groups[value].append(cluster)
        return {k: tuple(v) for k, v in groups.items()}

    def clusters_by_approach(self) -> Mapping[str, tuple[Cluster, ...]]:
        """Group clusters by the approaches they applied (a cluster once per approach), each group by ID."""
        groups: dict[str, list[Cluster]] = defaultdict(list)
        for cluster in self.clusters:
            for ident in dict.fromkeys(u.approach_id for u in cluster.approaches):
                groups[ident].append(cluster)
        return {k: tuple(v) for k, v in groups.items()}

    def countries(self) -> tuple[str, ...]:
        """Return the country codes that have clusters or Table 5 rows, sorted."""
        return tuple(sorted({c.country for c in self.clusters} | {r.country for r in self.table5}))


# -- Building values from validated documents ----------------------------------------------------

def _opt(data: Mapping[str, Any], key: str) -> Any:
    value = data.get(key)
    return str(value) if isinstance(value, str) else value


def _sources(items: Any) -> tuple[Source, ...]:
    return tuple(Source(key=str(s["key"]), author=str(s["author"]), year=s.get("year"), title=str(s["title"]),
                        publisher=_opt(s, "publisher"), url=_opt(s, "url"), pages=_opt(s, "pages"),
                        accessed=s.get("accessed"), kind=_opt(s, "kind"))
                 for s in items or ())


def _in_order(data: Mapping[str, Any] | None, order: tuple[str, ...]) -> list[str]:
    data = data or {}
    return [k for k in order if k in data]


def build_cluster(doc: Document, vocab: Vocabularies) -> Cluster:
    """Turn one validated cluster document into a :class:`Cluster`."""
    d = doc.data
    sources = _sources(d.get("sources"))
    by_key = {s.key: s for s in sources}
    space = d.get("space") or {}
    generic = space.get("generic_infrastructure") or {}
    support = d.get("support_system") or {}
    typology_data = d.get("typology") or {}
    typology = {basis: str(typology_data[basis]) for basis in TYPOLOGY_FIELDS
                if basis in typology_data}
    typology["location"] = vocab.term("location_settings", d["setting"]).extra.get("spatial", "urban")
    size_data = d.get("size") or {}
    size = tuple(Figure(measure=m, value=size_data[m]["value"], unit=_opt(size_data[m], "unit"),
                        year=int(size_data[m]["year"]), source=by_key[size_data[m]["source"]],
                        note=_opt(size_data[m], "note"))
                 for m in _in_order(size_data, vocab.keys("size_measures")))
    needs = d.get("intervention") or {}
    intervention = {a: Need(a, str(needs[a]["need"]), _opt(needs[a], "note"),
                            by_key.get(needs[a].get("source")) if needs[a].get("source") else None,
                            str(needs[a].get("basis", "source")))
                    for a in _in_order(needs, vocab.keys("intervention_areas"))}
    coords = d.get("coordinates")
    return Cluster(
        id=str(d["id"]), name=str(d["name"]), name_local=_opt(d, "name_local"),
        name_local_lang=_opt(d, "name_local_lang"), country=str(d["country"]),
        region=_opt(d, "region"), district=_opt(d, "district"), setting=str(d["setting"]),
        coordinates=(float(coords["lat"]), float(coords["lon"])) if coords else None,
        sector=str(d["sector"]), sub_sector=_opt(d, "sub_sector"),
        products=tuple(str(p) for p in d.get("products") or ()),
        regional_development=_opt(space, "regional_development"),
        generic_infrastructure=tuple((k, str(generic[k])) for k in _in_order(generic, vocab.keys("generic_infrastructure_kinds"))),
        cluster_infrastructure=tuple(str(x) for x in space.get("cluster_infrastructure") or ()),
        support_system=tuple((r, tuple(str(n) for n in support[r])) for r in _in_order(support, vocab.keys("support_roles"))
                             if support[r]),
        determinants={k: str(v) for k, v in (d.get("determinants") or {}).items()},
        markets={m: str((d.get("markets") or {})[m]) for m in _in_order(d.get("markets"), vocab.keys("markets"))},
        typology=typology, typology_basis=_opt(typology_data, "basis"), typology_note=_opt(typology_data, "note"),
        size=size, intervention=intervention,
        approaches=tuple(ApproachUse(str(u["id"]), _opt(u, "agency"), u.get("since"), u.get("until"), _opt(u, "note"))
                         for u in d.get("approaches") or ()),
        sources=sources, note=_opt(d, "note"), reviewed=d["reviewed"],
    )


def build_approach(doc: Document, vocab: Vocabularies) -> Approach:
    """Turn one validated approach document into an :class:`Approach`."""
    d = doc.data
    origin = d.get("origin") or {}
    dims = d.get("dimensions") or {}
    return Approach(
        id=str(d["id"]), name=str(d["name"]), name_local=_opt(d, "name_local"),
        name_local_lang=_opt(d, "name_local_lang"), group=str(d["group"]),
        in_table3=bool(d.get("in_table3", False)), origin_country=_opt(origin, "country"),
        origin_place=_opt(origin, "place"), origin_year=origin.get("year"), origin_level=_opt(origin, "level"),
        summary=str(d["summary"]), features=tuple(str(f) for f in d.get("features") or ()),
        assessment=_opt(d, "assessment"),
        dimensions={k: tuple(str(p) for p in dims[k]) for k in _in_order(dims, vocab.keys("comparison_dimensions"))},
        related=tuple(str(r) for r in d.get("related") or ()), variants=_opt(d, "variants"),
        sources=_sources(d.get("sources")), reviewed=d["reviewed"],
    )


def build_concept(doc: Document) -> Concept:
    """Turn one validated concept document into a :class:`Concept`."""
    d = doc.data
    blocks = []
    for b in d["blocks"]:
        t = b.get("table")
        table = Table(tuple(str(c) for c in t["columns"]), tuple(tuple(str(c) for c in r) for r in t["rows"]),
                      _opt(t, "source")) if t else None
        blocks.append(Block(str(b["heading"]), _opt(b, "text"), table, _opt(b, "figure")))
    return Concept(str(d["id"]), str(d["title"]), int(d["order"]), str(d["summary"]), tuple(blocks),
                   _sources(d.get("references")))


def build_catalog(vocab: Vocabularies, clusters: list[Document], approaches: list[Document],
                  concepts: list[Document], table5: Document | None,
                  identification_rows: tuple[Mapping[str, str], ...]) -> Catalog:
    """Assemble the catalog from validated documents, every listing sorted explicitly."""
    built = sorted((build_cluster(doc, vocab) for doc in clusters), key=lambda c: c.id)
    methods = sorted((build_approach(doc, vocab) for doc in approaches), key=lambda a: (a.name.lower(), a.id))
    pages = sorted((build_concept(doc) for doc in concepts), key=lambda c: (c.order, c.id))
    rows: tuple[CountRow, ...] = ()
    source, notes = "", ()
    if table5 is not None:
        rows = tuple(CountRow(str(r["country"]), str(r["income_group"]), int(r["total"]), r.get("high_tech"))
                     for r in table5.data["rows"])
        source = str(table5.data.get("source", ""))
        notes = tuple(str(n) for n in table5.data.get("notes") or ())
    return Catalog(vocab=vocab, clusters=tuple(built), approaches=tuple(methods), concepts=tuple(pages),
                   table5=rows, table5_source=source, table5_notes=notes, identification_rows=identification_rows,
                   _approach_by_id={a.id: a for a in methods})
