"""Charts and the map of Asia, drawn at build time as inline SVG: no script, no network.

Each chart is 360 units wide with text of 12 units, so that at a 390 px wide screen (about
358 px of content) no text renders smaller than 11 px; wider screens scale it up to a cap set
in the stylesheet. Every chart has an accessible title and its numbers as a table (printed by
the template behind a ``<details>``). All record text is HTML-escaped.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup

from . import enrich as e
from .addresses import cluster_page, country_page, link
from .escape import html_text
from .geo import Projection, asia_box, load_world, outline_paths
from .model import Catalog

WIDTH = 360
FONT = 12
ROW = 36
BAR_SPACE = WIDTH - 56
INK = "#00695c"
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
"""Okabe-Ito colours, distinguishable with common colour-vision deficiencies."""
UNCLASSIFIED = "#757575"
PAGE = "#ffffff"
"""The page background the heat map's translucent cells are seen against (Material's light scheme)."""
AA = 4.5
"""WCAG AA contrast for normal text; chart text is 12 units, below the large-text size at any width."""
MAP_POINTS_MAX = 2000
"""Above this many located clusters the map draws one point per country and class, linking to the
matching Explore view, so the page stays small."""


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG and the same numbers as a table."""

    key: str
    """Anchor and id prefix."""
    title: str
    """Accessible title and caption."""
    svg: Markup
    """The drawing."""
    head: tuple[str, ...]
    """Table column headings."""
    rows: tuple[tuple[str, ...], ...]
    """Table rows, as text."""
    note: str = ""
    """Where the numbers come from, or a caveat."""


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a value and an optional note printed after the label."""

    label: str
    value: int
    note: str = ""


def _text(x: float, y: float, label: str, anchor: str = "start", fill: str = "currentColor",
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{FONT}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}">{html_text(label)}</text>')


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _mix(colour: str, opacity: float, under: str = PAGE) -> str:
    """The opaque colour of ``colour`` at ``opacity`` seen over ``under``."""
    return "#" + "".join(f"{round(a * opacity + b * (1 - opacity)):02x}" for a, b in zip(_rgb(colour), _rgb(under)))


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two opaque colours."""
    def luminance(colour: str) -> float:
        c = [v / 255 for v in _rgb(colour)]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(cell: str) -> str:
    """The text colour for a cell: white where it reaches AA contrast, else black.

    Black, not the page's text colour (87% black): where white falls short (cell luminance above
    0.18), black reaches 4.6:1 or more, and the 87% black does not on the cells just past that point.
    """
    return "#ffffff" if contrast("#ffffff", cell) >= AA else "#000000"


def _svg(key: str, title: str, height: float, body: Sequence[str], role: str = "img") -> Markup:
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="{role}" '
                  f'aria-labelledby="{key}-title" font-family="sans-serif" class="cg-chart__svg">'
                  f'<title id="{key}-title">{html_text(title)}</title>' + "".join(body) + "</svg>")


def bar_chart(key: str, title: str, bars: Sequence[Bar], head: tuple[str, ...],
              rows: tuple[tuple[str, ...], ...], note: str = "") -> Chart:
    """Horizontal bars, each under its label, scaled to the largest value."""
    top = max((b.value for b in bars), default=0) or 1
    body = []
    for i, b in enumerate(bars):
        y = i * ROW
        body.append(_text(0, y + 13, f"{b.label}{' · ' + b.note if b.note else ''}"))
        width = BAR_SPACE * b.value / top
        body.append(f'<rect x="0" y="{y + 18}" width="{width:.1f}" height="12" fill="{INK}"/>')
        body.append(_text(width + 4, y + 29, f"{b.value:,}"))
    return Chart(key, title, _svg(key, title, max(len(bars), 1) * ROW + 4, body), head, rows, note)


def country_chart(catalog: Catalog) -> Chart:
    """Records per country, each beside Table 5's tentative count."""
    tally = Counter(c.country for c in catalog.clusters)
    table5 = {r.country: r.total for r in catalog.table5}
    codes = sorted(set(tally) | set(table5), key=lambda k: (-tally[k], catalog.vocab.label("countries", k)))
    name = lambda k: catalog.vocab.label("countries", k)  # noqa: E731
    bars = [Bar(name(k), tally[k], f"Table 5: {table5[k]:,}" if k in table5 else "not in Table 5") for k in codes]
    rows = tuple((name(k), f"{tally[k]:,}", f"{table5[k]:,}" if k in table5 else "–") for k in codes)
    return bar_chart("chart-countries", "Records per country, beside Table 5's tentative counts", bars,
                     ("Country", "Records here", "Table 5 tentative count"), rows,
                     f"Table 5: {catalog.table5_source}" if catalog.table5_source else "")


def vocabulary_chart(catalog: Catalog, key: str, title: str, vocab: str, value_of, heading: str) -> Chart:
    """Clusters per term of one vocabulary, in its order, with the unclassified last."""
    tally = Counter(value_of(c) for c in catalog.clusters)
    bars = [Bar(t.label, tally[t.key]) for t in catalog.vocab.terms[vocab]]
    bars.append(Bar(e.NOT_RECORDED.capitalize(), tally[None]))
    return bar_chart(key, title, bars, (heading, "Clusters"), tuple((b.label, f"{b.value:,}") for b in bars))


def market_chart(catalog: Catalog) -> Chart:
    """Market reach: for each layer, how many clusters reach it to a major, minor or no extent."""
    v = catalog.vocab
    extents = ("major", "minor", "none")
    colours = {"major": INK, "minor": "#80cbc4", "none": "#e0e0e0", "other": "#ffffff"}
    total = len(catalog.clusters) or 1
    body = []
    legend = [(k, v.label("market_extents", k)) for k in extents] + [("other", "Unknown or not recorded")]
    for i, (k, label) in enumerate(legend):
        x, y = (i % 3) * 120, (i // 3) * 20
        body.append(f'<rect x="{x}" y="{y + 3}" width="12" height="12" fill="{colours[k]}" stroke="#616161"/>')
        body.append(_text(x + 17, y + 13, label))
    rows = []
    top = 48
    for i, term in enumerate(v.terms["markets"]):
        counts = Counter(c.markets.get(term.key) for c in catalog.clusters)
        values = [counts[k] for k in extents] + [total - sum(counts[k] for k in extents) if catalog.clusters else 0]
        y = top + i * ROW
        body.append(_text(0, y + 13, f"{term.label}: {values[0] + values[1]:,} reached"))
        x = 0.0
        for k, n in zip(list(extents) + ["other"], values):
            w = (WIDTH - 2) * n / total
            if w:
                body.append(f'<rect x="{x:.1f}" y="{y + 18}" width="{w:.1f}" height="12" fill="{colours[k]}" '
                            f'stroke="#616161" stroke-width="0.5"/>')
            x += w
        rows.append((term.label, *(f"{n:,}" for n in values)))
    title = "Market reach: clusters reaching each market layer"
    return Chart("chart-markets", title, _svg("chart-markets", title, top + len(rows) * ROW + 4, body),
                 ("Market", *(v.label("market_extents", k) for k in extents), "Unknown or not recorded"), tuple(rows),
                 "A market counts as reached when its extent is minor or major.")


def need_heatmap(catalog: Catalog, basis: str) -> Chart:
    """Intervention needs across the grid: areas against need levels, counting ratings on one basis."""
    v = catalog.vocab
    levels = v.terms["needs"]
    areas = v.terms["intervention_areas"]
    counts = Counter((a, n.level) for c in catalog.clusters for a, n in c.intervention.items() if n.basis == basis)
    top = max(counts.values(), default=0) or 1
    col = WIDTH / len(levels)
    body = [_text(col * j + col / 2, 14, t.label, anchor="middle", weight="bold") for j, t in enumerate(levels)]
    rows = []
    for i, area in enumerate(areas):
        y = 24 + i * 46
        body.append(_text(0, y + 13, area.label))
        for j, level in enumerate(levels):
            n = counts[(area.key, level.key)]
            shade = round(0.06 + 0.94 * n / top, 2)
            body.append(f'<rect x="{col * j + 1:.1f}" y="{y + 18}" width="{col - 2:.1f}" height="22" fill="{INK}" '
                        f'fill-opacity="{shade:.2f}"/>')
            body.append(_text(col * j + col / 2, y + 33, f"{n:,}", anchor="middle", fill=text_on(_mix(INK, shade))))
        rows.append((area.label, *(f"{counts[(area.key, t.key)]:,}" for t in levels)))
    label = v.label("bases", basis)
    key = f"chart-needs-{basis}"
    title = f"Intervention needs across the grid ({label.lower()}): clusters per area and level of need"
    return Chart(key, title, _svg(key, title, 24 + len(areas) * 46 + 4, body), ("Area", *(t.label for t in levels)),
                 tuple(rows), "Each cell counts the clusters whose record rates that area at that level, on this basis.")


def charts(catalog: Catalog) -> tuple[Chart, ...]:
    """Every chart of the charts page, in order."""
    out = [country_chart(catalog),
           vocabulary_chart(catalog, "chart-sectoral", "Clusters by sectoral type (Table 6)", "typology:sectoral",
                            lambda c: c.typology.get("sectoral"), "Sectoral type"),
           vocabulary_chart(catalog, "chart-policy", "Clusters by policy class (Das 2008, Chapter V)", "policy_classes",
                            lambda c: c.typology.get("policy_class"), "Policy class"),
           market_chart(catalog), need_heatmap(catalog, "source")]
    if any(n.basis == "editors" for c in catalog.clusters for n in c.intervention.values()):
        out.append(need_heatmap(catalog, "editors"))
    return tuple(out)


# -- The map ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class MapEntry:
    """One item of the list under the map."""

    text: str
    """What the link says."""
    href: Markup
    """Where it goes (a Markdown link: the cluster's page, or on a very large map the country's)."""
    detail: str
    """Policy class, or how many."""


@dataclass(frozen=True)
class MapGroup:
    """The list under the map, one group per country."""

    country: str
    """Country name."""
    entries: tuple[MapEntry, ...]
    """Its clusters (or, on a very large map, its counts per class)."""


@dataclass(frozen=True)
class LegendItem:
    """A colour of the map and what it means."""

    swatch: Markup
    """The colour as a small SVG circle, written here with the map (escaped for HTML, never for Markdown)."""
    label: str
    count: int


def _swatch(colour: str) -> Markup:
    return Markup(f'<svg class="cg-map__swatch" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">'
                  f'<circle cx="6" cy="6" r="5" fill="{html_text(colour)}"/></svg>')


@dataclass(frozen=True)
class AsiaMap:
    """The map of Asia, its legend and the list of what it shows."""

    svg: Markup
    legend: tuple[LegendItem, ...]
    groups: tuple[MapGroup, ...]
    located: int
    """Clusters with coordinates."""
    unlocated: int
    """Clusters without."""
    aggregated: bool
    """True when points stand for several clusters (more than :data:`MAP_POINTS_MAX` located)."""


def _html_href(here: str, target: str) -> Markup:
    """A link from raw HTML on one page to another page (``.md`` becomes ``.html``)."""
    return Markup(str(link(here, target)).removesuffix(".md") + ".html")


def asia_map(catalog: Catalog, here: str, explore_page: str) -> AsiaMap:
    """Draw every located cluster on Natural Earth's outlines of Asia, coloured by policy class."""
    v = catalog.vocab
    colours = {t.key: PALETTE[i % len(PALETTE)] for i, t in enumerate(v.terms["policy_classes"])}
    located = [c for c in catalog.clusters if c.coordinates]
    projection = Projection(*asia_box(c.coordinates for c in located), width=WIDTH)
    title = "Map of Asia: clusters with coordinates, coloured by policy class"
    body = [f'<rect x="0" y="0" width="{WIDTH}" height="{projection.height:.1f}" fill="#e3f2fd"/>']
    for _name, d in outline_paths(load_world(), projection):
        body.append(f'<path d="{d}" fill="#f5f5f5" stroke="#9e9e9e" stroke-width="0.4"/>')
    aggregated = len(located) > MAP_POINTS_MAX
    groups: dict[str, list[MapEntry]] = defaultdict(list)
    if not aggregated:
        for c in located:
            x, y = projection(c.coordinates[1], c.coordinates[0])
            policy = c.typology.get("policy_class")
            label = v.label("policy_classes", policy) if policy else "Policy class not recorded"
            href = _html_href(here, cluster_page(c.id))
            body.append(f'<a href="{href}"><circle cx="{x:.1f}" cy="{y:.1f}" r="4" '
                        f'fill="{colours.get(policy, UNCLASSIFIED)}" stroke="#ffffff" stroke-width="1">'
                        f'<title>{html_text(f"{c.id}: {c.name} ({label})")}</title></circle></a>')
            groups[c.country].append(MapEntry(f"{c.id}: {c.name}", link(here, cluster_page(c.id)), label))
    else:
        # one point per country and class, at the mean of its clusters: bounded however many records there are
        places: dict[tuple, list] = defaultdict(list)
        for c in located:
            places[(c.country, c.typology.get("policy_class", ""))].append(projection(c.coordinates[1], c.coordinates[0]))
        for (country, policy), pts in sorted(places.items()):
            x, y = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
            href = Markup(f"{link(here, explore_page).removesuffix('.md')}.html#country={country}"
                          + (f"&amp;policy={policy}" if policy else ""))
            label = v.label("policy_classes", policy) if policy else "Policy class not recorded"
            tip = f"{v.label('countries', country)}: {len(pts):,} clusters ({label})"
            body.append(f'<a href="{href}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{min(3 + math.sqrt(len(pts)) / 4, 12):.1f}" '
                        f'fill="{colours.get(policy, UNCLASSIFIED)}" fill-opacity="0.8" stroke="#ffffff" stroke-width="1">'
                        f'<title>{html_text(tip)}</title></circle></a>')
            groups[country].append(MapEntry(label, link(here, country_page(country)), f"{len(pts):,} clusters"))
    tally = Counter(c.typology.get("policy_class") for c in located)
    legend = [LegendItem(_swatch(colours[t.key]), t.label, tally[t.key]) for t in v.terms["policy_classes"]]
    legend.append(LegendItem(_swatch(UNCLASSIFIED), "Policy class not recorded", tally[None]))
    ordered = sorted(groups, key=lambda k: v.label("countries", k))
    svg = Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {projection.height:.0f}" '
                 f'role="group" aria-labelledby="map-title" class="cg-map__svg">'
                 f'<title id="map-title">{html_text(title)}</title>' + "".join(body) + "</svg>")
    return AsiaMap(svg, tuple(legend), tuple(MapGroup(v.label("countries", k), tuple(groups[k])) for k in ordered),
                   len(located), len(catalog.clusters) - len(located), aggregated)
