"""Bulk downloads: every record as JSON and CSV, one JSON file beside each cluster page.

The JSON is the record, normalised: every field present (``null`` when not recorded), maps in
vocabulary order, sources in full. The CSV is one row per cluster with the grid flattened into
columns, for spreadsheets: UTF-8 with a byte-order mark, lists one item per line within a cell,
and text cells that a spreadsheet could run as a formula prefixed with an apostrophe. Both are
read back by :func:`read_clusters_json` and :func:`read_clusters_csv`, so a test can check that
they hold exactly what the model holds.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from . import enrich as e
from .addresses import approach_page, cluster_page
from .cite import UNRELEASED, citation_files
from .explore import DATA_SCRIPT, data_script, explore_rows
from .feed import FEED, FEED_SIZE, render_feed
from .spec import ID_PATTERN
from .model import Approach, ApproachUse, Catalog, Cluster, Figure, Need, Source

SCHEMA_VERSION = 1
"""Bumped when a field of the downloads changes meaning or is removed."""
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CLUSTERS_JSON = "clusters.json"
CLUSTERS_CSV = "clusters.csv"
APPROACHES_JSON = "approaches.json"
LIST_SEPARATOR = "\n"
"""Joins the items of a list within one CSV cell (an item's own line breaks become spaces)."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?$")


_CLUSTER_JSON = re.compile("clusters/" + ID_PATTERN.strip("^$") + r"\.json")


def cluster_json_page(ident: str) -> str:
    """Docs-relative path of the JSON file beside a cluster page."""
    return f"clusters/{ident}.json"


# -- JSON ------------------------------------------------------------------------------------

def _source(s: Source) -> dict:
    return {"key": s.key, "author": s.author, "year": s.year, "title": s.title, "publisher": s.publisher,
            "url": s.url, "pages": s.pages, "accessed": s.accessed.isoformat() if s.accessed else None,
            "kind": s.kind}


def cluster_record(c: Cluster, catalog: Catalog, done: e.Completeness) -> dict:
    """One cluster as a JSON-ready mapping: every field present, ``None`` when not recorded."""
    v = catalog.vocab
    return {
        "id": c.id, "name": c.name, "name_local": c.name_local, "name_local_lang": c.name_local_lang,
        "country": c.country, "country_name": v.label("countries", c.country), "region": c.region, "district": c.district,
        "setting": c.setting,
        "coordinates": {"lat": c.coordinates[0], "lon": c.coordinates[1]} if c.coordinates else None,
        "sector": c.sector, "sub_sector": c.sub_sector, "products": list(c.products),
        "space": {"regional_development": c.regional_development,
                  "generic_infrastructure": dict(c.generic_infrastructure),
                  "cluster_infrastructure": list(c.cluster_infrastructure)},
        "support_system": {role: list(names) for role, names in c.support_system},
        "determinants": dict(c.determinants),
        "markets": dict(c.markets),
        "typology": {**{b: c.typology.get(b) for b in v.basis_labels},
                     "policy_class": c.typology.get("policy_class"), "basis": c.typology_basis, "note": c.typology_note},
        "size": {f.measure: {"value": f.value, "unit": f.unit, "year": f.year, "source": f.source.key, "note": f.note}
                 for f in c.size},
        "intervention": {area: {"need": n.level, "basis": n.basis, "source": n.source.key if n.source else None,
                                "note": n.note} for area, n in c.intervention.items()},
        "approaches": [{"id": u.approach_id, "agency": u.agency, "since": u.since, "until": u.until, "note": u.note}
                       for u in c.approaches],
        "sources": [_source(s) for s in c.sources],
        "note": c.note, "reviewed": c.reviewed.isoformat(),
        "page": cluster_page(c.id).removesuffix(".md") + ".html",
        "grid": {"recorded": done.recorded, "total": done.total},
    }


def approach_record(a: Approach) -> dict:
    """One approach as a JSON-ready mapping."""
    return {
        "id": a.id, "name": a.name, "name_local": a.name_local, "name_local_lang": a.name_local_lang,
        "group": a.group, "in_table3": a.in_table3,
        "origin": {"country": a.origin_country, "place": a.origin_place, "year": a.origin_year,
                   "level": a.origin_level},
        "summary": a.summary, "features": list(a.features), "assessment": a.assessment,
        "dimensions": {k: list(points) for k, points in a.dimensions.items()}, "related": list(a.related),
        "variants": a.variants, "sources": [_source(s) for s in a.sources], "reviewed": a.reviewed.isoformat(),
        "page": approach_page(a.id).removesuffix(".md") + ".html",
    }


def _dumps(data: Any, indent: int | None = 1) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=False) + "\n"


def content_hash(records: list[dict]) -> str:
    """SHA-256 of the records in canonical JSON (sorted keys, no spaces): changes whenever any record does."""
    canonical = json.dumps(records, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _envelope(kind: str, records: list[dict]) -> dict:
    return {"schema_version": SCHEMA_VERSION, "dataset": f"Cluster Grid {kind}", "licence": LICENCE,
            "licence_url": LICENCE_URL, "content_hash": content_hash(records), "count": len(records), kind: records}


# -- CSV -------------------------------------------------------------------------------------

def csv_columns(catalog: Catalog) -> tuple[str, ...]:
    """Every CSV column, in order; the grid's vocabularies decide how many there are."""
    v = catalog.vocab
    cols = ["id", "name", "name_local", "country", "country_name", "region", "district", "setting", "latitude",
            "longitude", "sector", "sub_sector", "products", "regional_development"]
    cols += [f"generic_infrastructure.{k}" for k in v.keys("generic_infrastructure_kinds")]
    cols += ["cluster_infrastructure"]
    cols += [f"support_system.{k}" for k in v.keys("support_roles")]
    cols += [f"determinants.{k}" for k in ("networks", "informalisation_labour", "informalisation_production",
                                             "macro_policy")]
    cols += [f"markets.{k}" for k in v.keys("markets")]
    for m in v.keys("size_measures"):
        cols += [f"size.{m}.{part}" for part in ("value", "unit", "year", "source", "note")]
    cols += [f"typology.{b}" for b in v.basis_labels] + ["policy_class", "typology.basis", "typology.note"]
    for area in v.keys("intervention_areas"):
        cols += [f"intervention.{area}.{part}" for part in ("need", "basis", "source", "note")]
    cols += ["approaches", "sources", "note", "reviewed", "grid_recorded", "grid_total"]
    return tuple(cols)


NUMERIC_COLUMNS = re.compile(r"^(latitude|longitude|size\.[a-z_]+\.(value|year)|grid_recorded|grid_total)$")
"""Columns written as numbers; every other column is text."""


def neutralise(text: str) -> str:
    """Prefix a text cell a spreadsheet could read as a formula (or that starts with the prefix) with ``'``."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _joined(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(" ".join(str(x).splitlines()) for x in items)


def csv_row(record: Mapping[str, Any], catalog: Catalog) -> dict[str, str]:
    """Flatten one JSON record into CSV cells (text, before neutralising)."""
    row: dict[str, Any] = {k: record[k] for k in ("id", "name", "name_local", "country", "country_name", "region",
                                                  "district", "setting", "sector", "sub_sector", "note", "reviewed")}
    coords = record["coordinates"] or {}
    row["latitude"], row["longitude"] = coords.get("lat"), coords.get("lon")
    row["products"] = _joined(record["products"])
    row["regional_development"] = record["space"]["regional_development"]
    for k in catalog.vocab.keys("generic_infrastructure_kinds"):
        row[f"generic_infrastructure.{k}"] = record["space"]["generic_infrastructure"].get(k)
    row["cluster_infrastructure"] = _joined(record["space"]["cluster_infrastructure"])
    for k in catalog.vocab.keys("support_roles"):
        row[f"support_system.{k}"] = _joined(record["support_system"].get(k, ()))
    for k, text in record["determinants"].items():
        row[f"determinants.{k}"] = text
    for k, extent in record["markets"].items():
        row[f"markets.{k}"] = extent
    for m, fig in record["size"].items():
        for part in ("value", "unit", "year", "source", "note"):
            row[f"size.{m}.{part}"] = fig[part]
    for k, value in record["typology"].items():
        row["policy_class" if k == "policy_class" else f"typology.{k}"] = value
    for area, need in record["intervention"].items():
        for part in ("need", "basis", "source", "note"):
            row[f"intervention.{area}.{part}"] = need[part]
    row["approaches"] = _joined(u["id"] for u in record["approaches"])
    row["sources"] = _joined(s["key"] for s in record["sources"])
    row["grid_recorded"], row["grid_total"] = record["grid"]["recorded"], record["grid"]["total"]
    out = {}
    for col in csv_columns(catalog):
        value = row.get(col)
        if value is None or value == "":
            out[col] = ""
        elif NUMERIC_COLUMNS.match(col):
            out[col] = str(int(value)) if isinstance(value, int) else repr(float(value))
        else:
            out[col] = neutralise(str(value))
    return out


def render_csv(records: list[dict], catalog: Catalog) -> bytes:
    """The CSV download: a header row and one row per cluster, UTF-8 with a BOM, CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=csv_columns(catalog), lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow(csv_row(record, catalog))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# -- Files -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Download:
    """One file of the downloads, with its size, for the pages that list them."""

    path: str
    """Docs-relative path."""
    label: str
    """What it holds."""
    size: int
    """Bytes."""
    files: int = 1
    """How many files (the per-cluster JSON files are one entry)."""


def export_files(catalog: Catalog, completeness: Mapping[str, e.Completeness]) -> dict[str, bytes]:
    """Every download, docs-relative path -> bytes."""
    records = [cluster_record(c, catalog, completeness[c.id]) for c in catalog.clusters]
    files = {CLUSTERS_JSON: _dumps(_envelope("clusters", records)).encode("utf-8"),
             CLUSTERS_CSV: render_csv(records, catalog),
             APPROACHES_JSON: _dumps(_envelope("approaches", [approach_record(a) for a in catalog.approaches])).encode("utf-8")}
    for record in records:
        files[cluster_json_page(record["id"])] = _dumps({"schema_version": SCHEMA_VERSION, "licence": LICENCE,
                                                          "licence_url": LICENCE_URL, "cluster": record}).encode("utf-8")
    return files


def downloads(files: Mapping[str, bytes]) -> tuple[Download, ...]:
    """The downloads the site lists, with their sizes."""
    # the record's data, not its citations (clusters/ID.bib, .ris, .csl.json sit beside it)
    per_cluster = sorted(p for p in files if _CLUSTER_JSON.fullmatch(p))
    out = [Download(CLUSTERS_JSON, "every cluster record, normalised (JSON)", len(files[CLUSTERS_JSON])),
           Download(CLUSTERS_CSV, "one row per cluster, the grids flattened into columns (CSV, UTF-8)",
                    len(files[CLUSTERS_CSV])),
           Download(APPROACHES_JSON, "every intervention approach (JSON)", len(files[APPROACHES_JSON]))]
    if per_cluster:
        out.append(Download(per_cluster[0], "one JSON file beside each cluster page, clusters/ID.json", sum(len(files[p]) for p in per_cluster), len(per_cluster)))
    if FEED in files:
        out.append(Download(FEED, f"changes feed: the {FEED_SIZE} most recently reviewed clusters (Atom)",
                            len(files[FEED])))
    return tuple(out)


def format_size(size: int) -> str:
    """Bytes in words: 812 bytes, 14.2 KB, 3.1 MB (1 KB = 1,000 bytes)."""
    if size < 1000:
        return f"{size:,} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.1f} KB"
    return f"{size / 1_000_000:.1f} MB"


# -- Reading back ----------------------------------------------------------------------------

def _source_from(d: Mapping[str, Any]) -> Source:
    return Source(key=d["key"], author=d["author"], year=d["year"], title=d["title"], publisher=d["publisher"],
                  url=d["url"], pages=d["pages"],
                  accessed=dt.date.fromisoformat(d["accessed"]) if d["accessed"] else None, kind=d["kind"])


def cluster_from_record(d: Mapping[str, Any]) -> Cluster:
    """Rebuild a :class:`Cluster` from its JSON record."""
    sources = tuple(_source_from(s) for s in d["sources"])
    by_key = {s.key: s for s in sources}
    typology = {k: v for k, v in d["typology"].items() if k not in ("basis", "note") and v is not None}
    return Cluster(
        id=d["id"], name=d["name"], name_local=d["name_local"], name_local_lang=d.get("name_local_lang"),
        country=d["country"], region=d["region"],
        district=d["district"], setting=d["setting"],
        coordinates=(d["coordinates"]["lat"], d["coordinates"]["lon"]) if d["coordinates"] else None,
        sector=d["sector"], sub_sector=d["sub_sector"], products=tuple(d["products"]),
        regional_development=d["space"]["regional_development"],
        generic_infrastructure=tuple(d["space"]["generic_infrastructure"].items()),
        cluster_infrastructure=tuple(d["space"]["cluster_infrastructure"]),
        support_system=tuple((r, tuple(names)) for r, names in d["support_system"].items()),
        determinants=dict(d["determinants"]), markets=dict(d["markets"]), typology=typology,
        typology_basis=d["typology"]["basis"], typology_note=d["typology"]["note"],
        size=tuple(Figure(m, f["value"], f["unit"], f["year"], by_key[f["source"]], f["note"]) for m, f in d["size"].items()),
        intervention={a: Need(a, n["need"], n["note"], by_key[n["source"]] if n["source"] else None, n["basis"])
                      for a, n in d["intervention"].items()},
        approaches=tuple(ApproachUse(u["id"], u["agency"], u["since"], u["until"], u["note"]) for u in d["approaches"]),
        sources=sources, note=d["note"], reviewed=dt.date.fromisoformat(d["reviewed"]))


def read_clusters_json(data: bytes) -> tuple[dict, list[dict]]:
    """Parse clusters.json; return its envelope (without the records) and the records."""
    envelope = json.loads(data.decode("utf-8"))
    records = envelope.pop("clusters")
    return envelope, records


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise`: drop the one apostrophe it adds."""
    return text[1:] if text.startswith("'") else text


def read_clusters_csv(data: bytes) -> list[dict[str, Any]]:
    """Parse clusters.csv into one mapping per row: numbers as numbers, empty cells as ``None``."""
    if not data.startswith(b"\xef\xbb\xbf"):
        raise ValueError("clusters.csv has no UTF-8 byte-order mark")
    rows = []
    for raw in csv.DictReader(io.StringIO(data[3:].decode("utf-8"), newline="")):
        row: dict[str, Any] = {}
        for col, cell in raw.items():
            if cell == "":
                row[col] = None
            elif NUMERIC_COLUMNS.match(col):
                if not _NUMBER.match(cell):
                    raise ValueError(f"column {col}: {cell!r} is not a number")
                row[col] = float(cell) if any(ch in cell for ch in ".e") else int(cell)
            else:
                row[col] = unneutralise(cell)
        rows.append(row)
    return rows


def site_files(catalog: Catalog, completeness: Mapping[str, e.Completeness],
               site_url: str | None = None, release: str = UNRELEASED) -> dict[str, bytes]:
    """Every file the site carries beside its pages: downloads, citations, the Explore data script, the feed."""
    files = export_files(catalog, completeness)
    files.update(citation_files(catalog, release, site_url))
    files[DATA_SCRIPT] = data_script(catalog, explore_rows(catalog, completeness))
    files[FEED] = render_feed(catalog, site_url)
    return files
