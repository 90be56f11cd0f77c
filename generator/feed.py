"""The changes feed: an Atom document of the clusters most recently added or revised.

Entries are keyed on each record's ``reviewed`` date, newest first (ties by ID), so the same
content always gives the same bytes. With ``site_url`` set in mkdocs.yml, ids and links are
absolute; without it, ids are URNs and links are relative to the feed (which sits at the site root).
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from . import enrich as e
from .addresses import cluster_page
from .model import Catalog, Cluster

FEED = "feed.xml"
FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"


def newest(catalog: Catalog, limit: int = FEED_SIZE) -> tuple[Cluster, ...]:
    """The clusters in the feed: newest ``reviewed`` first, ties by ID."""
    return e.recently_reviewed(catalog, limit)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _page(ident: str) -> str:
    return cluster_page(ident).removesuffix(".md") + ".html"


def render_feed(catalog: Catalog, site_url: str | None = None) -> bytes:
    """The Atom feed as UTF-8 XML (ElementTree escapes every text and attribute)."""
    ET.register_namespace("", ATOM)
    base = site_url.rstrip("/") + "/" if site_url else ""
    entries = newest(catalog)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    feed = ET.Element(f"{{{ATOM}}}feed")
    add(feed, "title", "Cluster Grid: clusters added or revised")
    add(feed, "subtitle", f"The {FEED_SIZE} most recently reviewed cluster records, newest first.")
    add(feed, "id", base + FEED if base else "urn:cluster-grid:feed")
    add(feed, "link", rel="self", type="application/atom+xml", href=base + FEED)
    add(feed, "link", rel="alternate", type="text/html", href=base + "index.html")
    updated = max((c.reviewed for c in entries), default=dt.date(1970, 1, 1))
    add(feed, "updated", _stamp(updated))
    author = add(feed, "author")
    add(author, "name", "Cluster Grid contributors")
    add(feed, "rights", "Data: CC BY 4.0")
    v = catalog.vocab
    for c in entries:
        entry = add(feed, "entry")
        add(entry, "title", f"{c.id}: {c.name}")
        add(entry, "id", base + _page(c.id) if base else f"urn:cluster-grid:cluster:{c.id}")
        add(entry, "link", rel="alternate", type="text/html", href=base + _page(c.id))
        add(entry, "updated", _stamp(c.reviewed))
        place = ", ".join(x for x in (c.district, c.region, v.label("countries", c.country)) if x)
        add(entry, "summary", f"{v.label('sectors', c.sector)} cluster in {place}. Reviewed {c.reviewed.isoformat()}.")
        add(entry, "category", term=c.sector, label=v.label("sectors", c.sector))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
