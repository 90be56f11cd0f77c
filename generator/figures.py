"""Diagrams drawn at build time as inline SVG, so they show offline with no script.

The seed's Figures 1-3 are missing from its text; these are drawn from its prose. Labels come
from grid.yaml where they exist, and all text is HTML-escaped.
"""
from __future__ import annotations

import math

from .escape import html_text
from .model import Catalog

_STYLE = ('font-family="sans-serif" font-size="13" fill="currentColor"')


def _text(x: float, y: float, label: str, size: int = 13, weight: str = "normal", anchor: str = "middle") -> str:
    return (f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-weight="{weight}">{html_text(label)}</text>')


def _box(x: float, y: float, w: float, h: float, label: str, sub: str = "") -> str:
    # filled with the page background, so that lines behind a box never cross its label
    parts = [f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" rx="8" '
             f'style="fill: var(--md-default-bg-color, #fff)" stroke="currentColor" stroke-width="1.5"/>', _text(x + w / 2, y + h / 2 + (0 if sub else 5), label,
                                                                   weight="bold")]
    if sub:
        parts.append(_text(x + w / 2, y + h / 2 + 18, sub, size=11))
    return "".join(parts)


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="currentColor" '
            f'stroke-width="1.5" marker-end="url(#cg-arrow)"/>')


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    marker = ('<defs><marker id="cg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
              'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>')
    return (f'<figure class="cg-figure"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{html_text(title)}" {_STYLE}><title>{html_text(title)}</title>{marker}'
            + "".join(body) + f"</svg><figcaption>{html_text(title)}</figcaption></figure>")


def characteristics() -> str:
    """Figure 1: the triangle of sector / sub-sector, space and support system around the cluster."""
    cx, cy, r = 320, 200, 150
    points = [(cx, cy - r), (cx - r * math.cos(math.pi / 6), cy + r / 2), (cx + r * math.cos(math.pi / 6), cy + r / 2)]
    body = [f'<polygon points="{" ".join(f"{x:.0f},{y:.0f}" for x, y in points)}" fill="none" '
            f'stroke="currentColor" stroke-width="1.5" stroke-dasharray="5 4"/>',
            _box(cx - 60, cy - 5, 120, 40, "Cluster")]
    labels = [("Sector / sub-sector", "size, technology, inputs"), ("Space", "regional development, infrastructure"),
              ("Support system", "networks, institutions")]
    for (x, y), (label, sub) in zip(points, labels):
        body.append(_box(x - 95, y - 25, 190, 50, label, sub))
    return _svg(640, 400, "Figure 1 (redrawn): principal characteristics of a cluster", body)


def determinants(catalog: Catalog) -> str:
    """Figure 2: three determinants acting on each other and on the layered markets reached."""
    body = []
    names = [("Strength of networks", 40), ("Degree and nature of informalisation", 250), ("Macro policy environment", 460)]
    for label, x in names:
        body.append(_box(x, 30, 190, 60, label.split(" of ")[0] if len(label) > 26 else label,
                         ("of " + label.split(" of ", 1)[1]) if len(label) > 26 else ""))
        body.append(_arrow(x + 95, 90, 345, 168))
    body.append('<line x1="230" y1="60" x2="250" y2="60" stroke="currentColor" stroke-width="1.5" '
                'marker-end="url(#cg-arrow)" marker-start="url(#cg-arrow)"/>')
    body.append('<line x1="440" y1="60" x2="460" y2="60" stroke="currentColor" stroke-width="1.5" '
                'marker-end="url(#cg-arrow)" marker-start="url(#cg-arrow)"/>')
    body.append(_box(245, 170, 200, 44, "Market access of the cluster"))
    markets = [t.label for t in catalog.vocab.terms["markets"]]
    for i, label in enumerate(markets):
        width = 160 + i * 110
        x = 345 - width / 2
        y = 240 + i * 34
        body.append(f'<rect x="{x:.0f}" y="{y}" width="{width}" height="30" rx="4" fill="none" '
                    f'stroke="currentColor" stroke-opacity="0.6"/>')
        body.append(_text(345, y + 20, f"{label} ({label[0]})"))
    return _svg(690, 390, "Figure 2 (redrawn): key determinants of cluster performance and the layered markets "
                          "they lead to", body)


def value_chain() -> str:
    """Figure 3: a simple value chain from conceptualisation to waste disposal."""
    stages = ["Conceptualisation and design", "Inputs and production", "Marketing and distribution",
              "Final consumption", "Waste disposal and recycling"]
    body = []
    for i, stage in enumerate(stages):
        x = 10 + i * 150
        first, _, rest = stage.partition(" and ")
        body.append(_box(x, 40, 125, 60, first, f"and {rest}" if rest else ""))
        if i < len(stages) - 1:
            body.append(_arrow(x + 125, 70, x + 150, 70))
    body.append(_text(380, 140, "Upgrading: moving to higher-value stages of the chain", size=12))
    return _svg(760, 160, "Figure 3 (redrawn): a simple value chain model", body)


def grid(catalog: Catalog) -> str:
    """The Cluster Grid: a unique ID opening two grids, Identification and Intervention."""
    groups = list(dict.fromkeys(row["group"] for row in catalog.identification_rows))
    areas = [t.label for t in catalog.vocab.terms["intervention_areas"]]
    height = 80 + 22 * max(len(groups), len(areas))
    body = [_box(270, 10, 200, 44, "Unique ID (e.g. IN-0001)"), _arrow(330, 54, 180, 80), _arrow(410, 54, 560, 80)]
    body.append(_text(180, 100, "Identification grid (Table 7)", weight="bold"))
    body.append(_text(560, 100, "Intervention grid (Table 8)", weight="bold"))
    for i, label in enumerate(groups):
        body.append(_text(180, 124 + 22 * i, label, size=12))
    for i, label in enumerate(areas):
        body.append(_text(560, 124 + 22 * i, label, size=12))
    return _svg(740, height + 40, "The Cluster Grid: one ID, two grids (rows derived from Das 2008, Chapter V)", body)


def draw_figure(name: str, catalog: Catalog) -> str:
    """Return one named diagram as an SVG figure."""
    if name == "characteristics":
        return characteristics()
    if name == "determinants":
        return determinants(catalog)
    if name == "value_chain":
        return value_chain()
    if name == "grid":
        return grid(catalog)
    raise ValueError(f"no figure named {name!r}")
