"""The Explore page: one table of every cluster, with filters, sorting and a state kept in the URL.

Everything the page shows is computed here. The rows go to the browser as a data script
(``explore-data.js``, a file that assigns them, so it loads from ``file://`` where fetching JSON
does not), and ``assets/explore.js`` filters and sorts them. Without JavaScript the page shows
the same table as HTML, sorted by ID, while the knowledge base has at most
:data:`STATIC_ROWS_MAX` clusters; above that it points to the cluster listings and the CSV, so
that the page stays small.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Mapping

from . import enrich as e
from .addresses import cluster_page
from .model import Catalog, Cluster

DATA_SCRIPT = "explore-data.js"
PAGE = "explore.md"
STATIC_ROWS_MAX = 2000
"""Most rows the page carries as HTML for readers without JavaScript (about 0.5 KB each)."""
PAGE_SIZE = 100
"""Rows the script shows at once; a button shows more (the count always covers every match)."""
REACHED = ("minor", "major")
"""Market extents that count as reaching a market."""


@dataclass(frozen=True)
class Column:
    """One column of the table."""

    key: str
    """Sort key in the URL."""
    label: str
    """Heading."""


@dataclass(frozen=True)
class Option:
    """One choice of a facet filter."""

    value: str
    """Value kept in the URL."""
    label: str
    """What the reader sees."""
    count: int
    """Clusters that match it."""
    group: str = ""
    """Option group heading, when the facet has groups."""


@dataclass(frozen=True)
class Facet:
    """One facet filter."""

    key: str
    """Its name in the URL."""
    label: str
    """Its label."""
    options: tuple[Option, ...]
    """Its choices, in vocabulary order."""
    groups: tuple[str, ...] = ()
    """Option group headings in order, when the options are grouped."""


def columns() -> tuple[Column, ...]:
    """The table's columns, in order."""
    return (Column("id", "ID"), Column("name", "Name"), Column("local", "Local name"), Column("country", "Country"),
            Column("setting", "Setting"), Column("sector", "Sector"), Column("sectoral", "Sectoral type"),
            Column("policy", "Policy class"), Column("markets", "Markets reached"),
            Column("grid", "Grid completeness"), Column("needs", "High need in"))


def markets_reached(c: Cluster) -> tuple[str, ...]:
    """Market layers the cluster reaches (minor or major extent), in vocabulary order."""
    return tuple(m for m, extent in c.markets.items() if extent in REACHED)


def high_needs(c: Cluster, basis: str) -> tuple[str, ...]:
    """Intervention areas rated high need, on one basis (``source`` or ``editors``)."""
    return tuple(a for a, n in c.intervention.items() if n.level == "high" and n.basis == basis)


def _typology_vocab(basis: str) -> str:
    return "policy_classes" if basis == "policy_class" else f"typology:{basis}"


def _row(c: Cluster, catalog: Catalog, done: e.Completeness, market_order: Mapping[str, int]) -> dict:
    v = catalog.vocab
    reached = markets_reached(c)
    text = [c.region, c.district, c.sub_sector, *c.products, v.label("countries", c.country), c.country]
    return {
        "id": c.id, "name": c.name, "local": c.name_local or "", "country": c.country, "setting": c.setting,
        "sector": c.sector, "t": {b: c.typology.get(b, "") for b in v.basis_labels},
        "policy": c.typology.get("policy_class", ""), "markets": list(reached),
        # widest market reached first, then how many layers: a global cluster sorts above a local one
        "mrank": max((market_order[m] for m in reached), default=-1) * 10 + len(reached),
        "grid": [done.recorded, done.total], "needs": list(high_needs(c, "source")),
        "needs_ed": list(high_needs(c, "editors")), "text": " ".join(x for x in text if x),
        "href": cluster_page(c.id).removesuffix(".md") + ".html",
    }


def explore_rows(catalog: Catalog, completeness: Mapping[str, e.Completeness]) -> list[dict]:
    """One row per cluster, by ID: the data the table filters, sorts and prints."""
    order = {m: i for i, m in enumerate(catalog.vocab.keys("markets"))}
    return [_row(c, catalog, completeness[c.id], order) for c in catalog.clusters]


def labels(catalog: Catalog) -> dict[str, dict[str, str]]:
    """Every label the script prints, by vocabulary: the rows carry keys only."""
    v = catalog.vocab
    out = {"country": {code: v.label("countries", code) for code in sorted({c.country for c in catalog.clusters})},
           "setting": {t.key: t.label for t in v.terms["location_settings"]},
           "sector": {t.key: t.label for t in v.terms["sectors"]},
           "policy": {t.key: t.label for t in v.terms["policy_classes"]},
           "market": {t.key: t.label for t in v.terms["markets"]},
           "area": {t.key: t.label for t in v.terms["intervention_areas"]}}
    for basis in v.basis_labels:
        out[f"t.{basis}"] = {t.key: t.label for t in v.terms[f"typology:{basis}"]}
    return out


def facets(catalog: Catalog, rows: list[dict]) -> tuple[Facet, ...]:
    """Every facet filter with its options and how many clusters each matches."""
    v = catalog.vocab
    names = labels(catalog)

    def tally(values) -> Counter:
        return Counter(x for x in values if x)

    def simple(key: str, label: str, vocab: dict[str, str], counts: Counter, order=None) -> Facet:
        keys = order if order is not None else list(vocab)
        return Facet(key, label, tuple(Option(k, vocab[k], counts[k]) for k in keys if counts[k]))

    out = [simple("country", "Country", names["country"], tally(r["country"] for r in rows),
                  sorted(names["country"], key=lambda k: names["country"][k])),
           simple("setting", "Setting", names["setting"], tally(r["setting"] for r in rows)),
           simple("sector", "Sector", names["sector"], tally(r["sector"] for r in rows))]
    for basis, label in v.basis_labels.items():
        out.append(simple(f"t.{basis}", f"Table 6: {label}", names[f"t.{basis}"], tally(r["t"][basis] for r in rows)))
    out.append(simple("policy", "Policy class", names["policy"], tally(r["policy"] for r in rows)))
    out.append(simple("market", "Market reached", names["market"], tally(m for r in rows for m in r["markets"])))
    sourced = tally(a for r in rows for a in r["needs"])
    editors = tally(a for r in rows for a in r["needs_ed"])
    groups = (v.label("bases", "source"), v.label("bases", "editors"))
    options = [Option(f"source:{k}", lbl, sourced[k], groups[0]) for k, lbl in names["area"].items() if sourced[k]]
    options += [Option(f"editors:{k}", lbl, editors[k], groups[1]) for k, lbl in names["area"].items() if editors[k]]
    out.append(Facet("need", "High need in", tuple(options),
                     tuple(g for g in groups if any(o.group == g for o in options))))
    return tuple(out)


def static_rows(catalog: Catalog, rows: list[dict]) -> list[dict]:
    """The table as HTML cells for readers without JavaScript, or none above :data:`STATIC_ROWS_MAX`."""
    if len(rows) > STATIC_ROWS_MAX:
        return []
    names = labels(catalog)
    out = []
    for r in rows:
        out.append(dict(
            id=r["id"], href=r["href"], name=r["name"], local=r["local"], country=names["country"][r["country"]],
            setting=names["setting"][r["setting"]], sector=names["sector"][r["sector"]],
            sectoral=names["t.sectoral"].get(r["t"]["sectoral"], ""), policy=names["policy"].get(r["policy"], ""),
            markets=", ".join(names["market"][m] for m in r["markets"]),
            grid=f"{r['grid'][0]} of {r['grid'][1]}",
            needs="; ".join([names["area"][a] for a in r["needs"]]
                            + [f"{names['area'][a]} (editors' reading)" for a in r["needs_ed"]])))
    return out


def data_script(catalog: Catalog, rows: list[dict]) -> bytes:
    """The data script: assigns the rows and labels to ``window.CG_EXPLORE``."""
    data = {"columns": [c.key for c in columns()], "labels": labels(catalog), "rows": rows,
            "bases": list(catalog.vocab.basis_labels)}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # JSON is JavaScript, except that older engines end a string at these two characters
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return ("/* Cluster Grid: the Explore page's rows (generated; data licence CC BY 4.0). */\n"
            f"window.CG_EXPLORE = {text};\n").encode("utf-8")
