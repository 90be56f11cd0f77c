"""Similar clusters: the same sector or sectoral type in other countries, up to five per cluster.

Linear in the number of records: clusters are grouped once by (sector, sectoral type), by
sector and by sectoral type, each group ordered once (most complete record first, then ID), and
cut to a short list that still holds the first five of any other country. Each cluster then
reads at most three short lists.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping

from . import enrich as e
from .model import Catalog, Cluster

LIMIT = 5


@dataclass(frozen=True)
class Match:
    """A similar cluster and why it matches."""

    cluster: Cluster
    """The similar cluster."""
    why: str
    """Why it matches, in words."""


def _short_list(members: list[Cluster], limit: int) -> tuple[Cluster, ...]:
    """Keep at most ``limit`` per country, stopping at ``2 * limit``: enough for any one country left out."""
    kept: list[Cluster] = []
    per_country: dict[str, int] = defaultdict(int)
    for c in members:
        if per_country[c.country] < limit:
            kept.append(c)
            per_country[c.country] += 1
            if len(kept) >= 2 * limit:
                break
    return tuple(kept)


def similar_clusters(catalog: Catalog, completeness: Mapping[str, e.Completeness],
                     limit: int = LIMIT) -> Mapping[str, tuple[Match, ...]]:
    """For every cluster ID, up to ``limit`` similar clusters in other countries, best first."""
    v = catalog.vocab
    rank = sorted(catalog.clusters, key=lambda c: (-completeness[c.id].recorded, c.id))
    both: dict[tuple, list[Cluster]] = defaultdict(list)
    sector: dict[str, list[Cluster]] = defaultdict(list)
    sectoral: dict[str, list[Cluster]] = defaultdict(list)
    for c in rank:
        sector[c.sector].append(c)
        if "sectoral" in c.typology:
            sectoral[c.typology["sectoral"]].append(c)
            both[(c.sector, c.typology["sectoral"])].append(c)
    short = {name: {k: _short_list(g, limit) for k, g in groups.items()}
             for name, groups in (("both", both), ("sector", sector), ("sectoral", sectoral))}
    out: dict[str, tuple[Match, ...]] = {}
    for c in catalog.clusters:
        sector_label = v.label("sectors", c.sector)
        tiers = []
        if "sectoral" in c.typology:
            type_label = v.label("typology:sectoral", c.typology["sectoral"])
            tiers.append((short["both"][(c.sector, c.typology["sectoral"])],
                          f"same sector ({sector_label}) and sectoral type ({type_label})"))
        tiers.append((short["sector"][c.sector], f"same sector ({sector_label})"))
        if "sectoral" in c.typology:
            tiers.append((short["sectoral"][c.typology["sectoral"]], f"same sectoral type ({type_label})"))
        chosen: list[Match] = []
        seen = {c.id}
        for members, why in tiers:
            for other in members:
                if len(chosen) == limit:
                    break
                if other.country != c.country and other.id not in seen:
                    chosen.append(Match(other, why))
                    seen.add(other.id)
        out[c.id] = tuple(chosen)
    return out
