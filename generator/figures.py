"""Diagrams drawn at build time as inline SVG, so they show offline with no script.

The seed's Figures 1-3 are missing from its text; these are drawn from its prose. Labels come
from grid.yaml where they exist, and all text is HTML-escaped.
"""
from __future__ import annotations

import math
from typing import Callable, Mapping

from .escape import html_text
from .model import Catalog

_STYLE = ('font-family="sans-serif" font-size="13" fill="currentColor"')


def _text(x: float, y: float, label: str, size: int = 13, weight: str = "normal", anchor: str = "middle") -> str:
    return (f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-weight="{weight}">{html_text(label)}</text>')


def _box(x: float, y: float, w: float, h: float, label: str, sub: str = "", sub_size: int = 11) -> str:
    # filled with the page background, so that lines behind a box never cross its label
    parts = [f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" rx="8" '
             f'style="fill: var(--md-default-bg-color, #fff)" stroke="currentColor" stroke-width="1.5"/>', _text(x + w / 2, y + h / 2 + (0 if sub else 5), label,
                                                                   weight="bold")]
    if sub:
        parts.append(_text(x + w / 2, y + h / 2 + 18, sub, size=sub_size))
    return "".join(parts)


class _Drawing:
    """One SVG drawing of a figure; its arrow marker has an id of its own, so two drawings can share a page."""

    def __init__(self, name: str):
        self.marker = f"cg-arrow-{name}"

    def arrow(self, x1: float, y1: float, x2: float, y2: float, both: bool = False) -> str:
        start = f' marker-start="url(#{self.marker})"' if both else ""
        return (f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="currentColor" '
                f'stroke-width="1.5" marker-end="url(#{self.marker})"{start}/>')

    def svg(self, width: int, height: int, title: str, body: list[str], variant: str) -> str:
        marker = (f'<defs><marker id="{self.marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                  'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/>'
                  '</marker></defs>')
        return (f'<svg class="cg-figure__{variant}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
                f'role="img" aria-label="{html_text(title)}" {_STYLE}><title>{html_text(title)}</title>{marker}'
                + "".join(body) + "</svg>")


def _figure(name: str, title: str, wide, narrow) -> str:
    """A figure holding a wide drawing and a narrow one for phones; CSS shows one of them."""
    return (f'<figure class="cg-figure">{wide(_Drawing(name + "-wide"))}{narrow(_Drawing(name + "-narrow"))}'
            f"<figcaption>{html_text(title)}</figcaption></figure>")


# Narrow drawings are 340 units wide and shown at most 360 px wide: at a 390 px screen's 358 px
# column, 12-unit text is drawn at about 12.6 px.
NARROW = 340
SMALL = 12


def characteristics() -> str:
    """Figure 1: the triangle of sector / sub-sector, space and support system around the cluster."""
    title = "Figure 1 (redrawn): principal characteristics of a cluster"
    labels = [("Sector / sub-sector", "size, technology, inputs"), ("Space", "regional development, infrastructure"),
              ("Support system", "networks, institutions")]

    def wide(d: _Drawing) -> str:
        cx, cy, r = 320, 200, 150
        points = [(cx, cy - r), (cx - r * math.cos(math.pi / 6), cy + r / 2), (cx + r * math.cos(math.pi / 6), cy + r / 2)]
        body = [f'<polygon points="{" ".join(f"{x:.0f},{y:.0f}" for x, y in points)}" fill="none" '
                f'stroke="currentColor" stroke-width="1.5" stroke-dasharray="5 4"/>',
                _box(cx - 60, cy - 5, 120, 40, "Cluster")]
        for (x, y), (label, sub) in zip(points, labels):
            body.append(_box(x - 95, y - 25, 190, 50, label, sub))
        return d.svg(640, 400, title, body, "wide")

    def narrow(d: _Drawing) -> str:
        # the cluster on top, its three characteristics hanging from one dashed line
        body = [f'<path d="M 40 54 V {90 + 2 * 70 + 27} M 40 {90 + 27} H 70 M 40 {160 + 27} H 70 M 40 {230 + 27} H 70" '
                'fill="none" stroke="currentColor" stroke-width="1.5" stroke-dasharray="5 4"/>',
                _box(10, 10, 120, 44, "Cluster")]
        for i, (label, sub) in enumerate(labels):
            body.append(_box(70, 90 + 70 * i, 260, 54, label, sub, sub_size=SMALL))
        return d.svg(NARROW, 310, title, body, "narrow")

    return _figure("characteristics", title, wide, narrow)


def determinants(catalog: Catalog) -> str:
    """Figure 2: three determinants acting on each other and on the layered markets reached."""
    title = "Figure 2 (redrawn): key determinants of cluster performance and the layered markets they lead to"
    names = [("Strength of networks", ""), ("Degree and nature", "of informalisation"),
             ("Macro policy environment", "")]
    markets = [t.label for t in catalog.vocab.terms["markets"]]

    def wide(d: _Drawing) -> str:
        body = []
        for (label, sub), x in zip(names, (40, 250, 460)):
            body.append(_box(x, 30, 190, 60, label, sub))
            body.append(d.arrow(x + 95, 90, 345, 168))
        body.append(d.arrow(230, 60, 250, 60, both=True))
        body.append(d.arrow(440, 60, 460, 60, both=True))
        body.append(_box(245, 170, 200, 44, "Market access of the cluster"))
        for i, label in enumerate(markets):
            width = 160 + i * 110
            x = 345 - width / 2
            y = 240 + i * 34
            body.append(f'<rect x="{x:.0f}" y="{y}" width="{width}" height="30" rx="4" fill="none" '
                        f'stroke="currentColor" stroke-opacity="0.6"/>')
            body.append(_text(345, y + 20, f"{label} ({label[0]})"))
        return d.svg(690, 390, title, body, "wide")

    def narrow(d: _Drawing) -> str:
        body = []
        for i, (label, sub) in enumerate(names):
            y = 10 + 66 * i
            body.append(_box(20, y, 300, 50, label, sub, sub_size=SMALL))
            if i:
                body.append(d.arrow(170, y - 16, 170, y, both=True))
        body.append(d.arrow(170, 10 + 66 * 2 + 50, 170, 222))
        body.append(_box(45, 222, 250, 44, "Market access of the cluster"))
        for i, label in enumerate(markets):
            width = 150 + i * 50
            y = 282 + i * 34
            body.append(f'<rect x="{170 - width / 2:.0f}" y="{y}" width="{width}" height="30" rx="4" fill="none" '
                        f'stroke="currentColor" stroke-opacity="0.6"/>')
            body.append(_text(170, y + 20, f"{label} ({label[0]})"))
        return d.svg(NARROW, 282 + 34 * len(markets) + 6, title, body, "narrow")

    return _figure("determinants", title, wide, narrow)


def value_chain() -> str:
    """Figure 3: a simple value chain from conceptualisation to waste disposal."""
    title = "Figure 3 (redrawn): a simple value chain model"
    stages = ["Conceptualisation and design", "Inputs and production", "Marketing and distribution",
              "Final consumption", "Waste disposal and recycling"]

    def wide(d: _Drawing) -> str:
        body = []
        for i, stage in enumerate(stages):
            x = 10 + i * 150
            first, _, rest = stage.partition(" and ")
            body.append(_box(x, 40, 125, 60, first, f"and {rest}" if rest else ""))
            if i < len(stages) - 1:
                body.append(d.arrow(x + 125, 70, x + 150, 70))
        body.append(_text(380, 140, "Upgrading: moving to higher-value stages of the chain", size=12))
        return d.svg(760, 160, title, body, "wide")

    def narrow(d: _Drawing) -> str:
        body = []
        for i, stage in enumerate(stages):
            y = 10 + 62 * i
            body.append(_box(20, y, 300, 40, stage))
            if i < len(stages) - 1:
                body.append(d.arrow(170, y + 40, 170, y + 62))
        y = 10 + 62 * len(stages)
        body.append(_text(170, y + 4, "Upgrading: moving to higher-value", size=SMALL))
        body.append(_text(170, y + 20, "stages of the chain", size=SMALL))
        return d.svg(NARROW, y + 30, title, body, "narrow")

    return _figure("value-chain", title, wide, narrow)


def grid(catalog: Catalog) -> str:
    """The Cluster Grid: a unique ID opening two grids, Identification and Intervention."""
    title = "The Cluster Grid: one ID, two grids (rows derived from Das 2008, Chapter V)"
    groups = list(dict.fromkeys(row["group"] for row in catalog.identification_rows))
    areas = [t.label for t in catalog.vocab.terms["intervention_areas"]]

    def wide(d: _Drawing) -> str:
        height = 80 + 22 * max(len(groups), len(areas))
        body = [_box(270, 10, 200, 44, "Unique ID (e.g. IN-0001)"), d.arrow(330, 54, 180, 80), d.arrow(410, 54, 560, 80)]
        body.append(_text(180, 100, "Identification grid (Table 7)", weight="bold"))
        body.append(_text(560, 100, "Intervention grid (Table 8)", weight="bold"))
        for i, label in enumerate(groups):
            body.append(_text(180, 124 + 22 * i, label, size=12))
        for i, label in enumerate(areas):
            body.append(_text(560, 124 + 22 * i, label, size=12))
        return d.svg(740, height + 40, title, body, "wide")

    def narrow(d: _Drawing) -> str:
        # the ID on top; one line from it leads to each grid, the two one under the other
        body = [_box(70, 10, 200, 44, "Unique ID (e.g. IN-0001)")]
        y, tops = 74, []
        for heading, rows in (("Identification grid (Table 7)", groups), ("Intervention grid (Table 8)", areas)):
            box_h = 30 + 20 * len(rows)
            tops.append(y)
            body.append(f'<rect x="32" y="{y}" width="300" height="{box_h}" rx="8" fill="none" '
                        f'stroke="currentColor" stroke-width="1.5"/>')
            body.append(_text(182, y + 22, heading, weight="bold"))
            for i, label in enumerate(rows):
                body.append(_text(182, y + 44 + 20 * i, label, size=SMALL))
            y += box_h + 20
        body.insert(0, f'<path d="M 70 32 H 12 V {tops[-1] + 17}" fill="none" stroke="currentColor" stroke-width="1.5"/>')
        body.extend(d.arrow(12, top + 17, 32, top + 17) for top in tops)
        return d.svg(NARROW, y - 10, title, body, "narrow")

    return _figure("grid", title, wide, narrow)


DRAWINGS: Mapping[str, Callable[[Catalog], str]] = {
    "characteristics": lambda catalog: characteristics(),
    "determinants": determinants,
    "value_chain": lambda catalog: value_chain(),
    "grid": grid,
}
"""How each figure of :data:`generator.spec.FIGURES` is drawn (a test checks that the two name the same figures)."""


def draw_figure(name: str, catalog: Catalog) -> str:
    """Return one named diagram as an SVG figure; names are validated against ``spec.FIGURES``."""
    return DRAWINGS[name](catalog)
