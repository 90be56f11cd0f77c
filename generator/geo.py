"""Country outlines for the map of Asia: read TopoJSON, project, clip and simplify at build time.

The outlines are Natural Earth's (public domain), vendored from the npm package ``world-atlas``
in ``generator/world-atlas/`` (read at build time only: the site carries the drawn map, not the data). TopoJSON stores each border once as a quantised, delta-encoded
arc that polygons share; :func:`decode_polygons` turns a topology into plain rings of
(longitude, latitude). Small enough to keep here rather than add a dependency.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .errors import MapDataError

WORLD = Path(__file__).with_name("world-atlas") / "countries-50m.json"

Point = tuple[float, float]
Ring = list[Point]


def _arcs(topology: dict) -> list[list[Point]]:
    transform = topology.get("transform")
    out = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        out.append(points)
    return out


def _ring(indexes: Sequence[int], arcs: list[list[Point]]) -> Ring:
    ring: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # consecutive arcs share their joining point: keep it once
        ring.extend(points[1:] if ring else points)
    return ring


def decode_polygons(topology: dict, name: str) -> list[tuple[str, list[Ring]]]:
    """Return (feature name, rings) for each geometry of one object of a TopoJSON topology."""
    arcs = _arcs(topology)
    out = []
    for geometry in topology["objects"][name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [_ring(ring, arcs) for polygon in polygons for ring in polygon]
        out.append((str(geometry.get("properties", {}).get("name", "")), rings))
    return out


def load_world(path: Path = WORLD) -> dict:
    """Read the vendored topology."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise MapDataError(f"{path}: cannot read the map outlines: {error}") from None


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection of a longitude/latitude box onto a box ``width`` wide, north up."""

    west: float
    """Western edge, degrees."""
    east: float
    """Eastern edge."""
    south: float
    """Southern edge."""
    north: float
    """Northern edge."""
    width: float
    """Width in SVG units."""

    @property
    def height(self) -> float:
        """Height in SVG units."""
        return (self.north - self.south) * self.width / (self.east - self.west) / math.cos(
            math.radians((self.north + self.south) / 2))

    def __call__(self, lon: float, lat: float) -> Point:
        k = self.width / (self.east - self.west)
        return ((lon - self.west) * k, (self.north - lat) * self.height / (self.north - self.south))


ASIA = (60.0, 150.0, -11.0, 50.0)
"""Default box (west, east, south, north): Pakistan to Japan, Indonesia to Mongolia."""


def asia_box(points: Iterable[Point], margin: float = 2.0) -> tuple[float, float, float, float]:
    """The default box of Asia, widened to hold every (lat, lon) point with a margin."""
    west, east, south, north = ASIA
    for lat, lon in points:
        west, east = min(west, lon - margin), max(east, lon + margin)
        south, north = min(south, lat - margin), max(north, lat + margin)
    return max(west, -180.0), min(east, 180.0), max(south, -85.0), min(north, 85.0)


def _clip(ring: Ring, width: float, height: float) -> Ring:
    """Sutherland-Hodgman: clip a ring to the rectangle [0, width] x [0, height]."""
    edges = ((0, 0.0, True), (0, width, False), (1, 0.0, True), (1, height, False))
    for axis, limit, keep_above in edges:
        if not ring:
            break
        inside = (lambda p: p[axis] >= limit) if keep_above else (lambda p: p[axis] <= limit)
        out: Ring = []
        previous = ring[-1]
        for current in ring:
            if inside(current):
                if not inside(previous):
                    out.append(_cross(previous, current, axis, limit))
                out.append(current)
            elif inside(previous):
                out.append(_cross(previous, current, axis, limit))
            previous = current
        ring = out
    return ring


def _cross(a: Point, b: Point, axis: int, limit: float) -> Point:
    t = (limit - a[axis]) / (b[axis] - a[axis])
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def _simplify(ring: Ring, tolerance: float) -> Ring:
    kept: Ring = []
    for p in ring:
        if not kept or abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= tolerance:
            kept.append(p)
    return kept


def outline_paths(topology: dict, projection: Projection, tolerance: float = 0.8) -> list[tuple[str, str]]:
    """(country name, SVG path data) for every country inside the box, clipped to it, sorted by name."""
    out = []
    margin = 1.0
    for name, rings in decode_polygons(topology, "countries"):
        parts = []
        for ring in rings:
            if not ring:
                continue
            lons = [p[0] for p in ring]
            lats = [p[1] for p in ring]
            if (max(lons) < projection.west - margin or min(lons) > projection.east + margin
                    or max(lats) < projection.south - margin or min(lats) > projection.north + margin):
                continue
            projected = _simplify(_clip([projection(lon, lat) for lon, lat in ring], projection.width,
                                        projection.height), tolerance)
            if len(projected) >= 3:
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in projected) + "Z")
        if parts:
            out.append((name, "".join(parts)))
    return sorted(out)
