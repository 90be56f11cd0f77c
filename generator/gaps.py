"""The Gaps page: where the Cluster Grid is thinnest, so contributors know where to start."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from . import enrich as e
from .model import Catalog, Cluster

CELLS_SHOWN = 12
RECORDS_SHOWN = 20


@dataclass(frozen=True)
class CellGap:
    """One grid cell and how many records fill it."""

    grid: str
    """Identification or Intervention."""
    label: str
    """Row label."""
    recorded: int
    """Records that fill it."""
    percent: int
    """Share of all records, rounded down."""


@dataclass(frozen=True)
class CountryGap:
    """A Table 5 country: records here against the paper's tentative count."""

    country: str
    """ISO code."""
    label: str
    """Country name."""
    here: int
    """Records on the Cluster Grid."""
    table5: int
    """Table 5's tentative count."""
    percent: float
    """Records as a share of the tentative count."""


def cell_gaps(catalog: Catalog, limit: int = CELLS_SHOWN,
              grids: Mapping[str, e.ClusterGrids] | None = None) -> tuple[CellGap, ...]:
    """The grid cells least often recorded (ties in grid order); ``grids`` by cluster ID, when already filled."""
    ident_counts = [0] * len(catalog.identification_rows)
    areas = catalog.vocab.terms["intervention_areas"]
    need_counts = [0] * len(areas)
    for c in catalog.clusters:
        filled = grids[c.id] if grids is not None else e.cluster_grids(c, catalog)
        for i, cell in enumerate(filled.ident):
            ident_counts[i] += cell.recorded
        for i, cell in enumerate(filled.needs):
            need_counts[i] += cell.recorded
    total = len(catalog.clusters)

    def pct(n: int) -> int:
        return n * 100 // total if total else 0
    cells = [CellGap("Identification", row["label"], n, pct(n)) for row, n in zip(catalog.identification_rows, ident_counts)]
    cells += [CellGap("Intervention", t.label, n, pct(n)) for t, n in zip(areas, need_counts)]
    order = sorted(range(len(cells)), key=lambda i: (cells[i].recorded, i))
    return tuple(cells[i] for i in order[:limit])


def thinnest_records(catalog: Catalog, completeness: Mapping[str, e.Completeness],
                     limit: int = RECORDS_SHOWN) -> tuple[tuple[Cluster, e.Completeness], ...]:
    """The least complete records, fewest cells first (ties by ID)."""
    ordered = sorted(catalog.clusters, key=lambda c: (completeness[c.id].recorded, c.id))
    return tuple((c, completeness[c.id]) for c in ordered[:limit])


def country_gaps(catalog: Catalog) -> tuple[CountryGap, ...]:
    """Table 5's countries, fewest records against their tentative count first."""
    here: dict[str, int] = {}
    for c in catalog.clusters:
        here[c.country] = here.get(c.country, 0) + 1
    rows = [CountryGap(r.country, catalog.vocab.label("countries", r.country), here.get(r.country, 0), r.total,
                       100 * here.get(r.country, 0) / r.total if r.total else 100.0) for r in catalog.table5]
    return tuple(sorted(rows, key=lambda g: (g.percent, -(g.table5 - g.here), g.label)))


def share_text(percent: float) -> str:
    """A share in words: one decimal, or two significant digits below 1% (6,400 tentative, 1 here: 0.016%)."""
    if 0 < percent < 1:
        return f"{percent:.2g}%"
    return f"{percent:.1f}%"
