"""Citations: each cluster record and the data set as a whole, as plain text, BibTeX, RIS and CSL-JSON.

A citation names the record's ID and title (the cluster's name), the data release the site was
built from (``SiteSettings.release``: "unreleased, commit …" until releases exist), the date (the
record's ``reviewed`` date; for the data set, the newest one), the permalink (under ``site_url``
when mkdocs.yml sets it, else the page's site-relative address), the publisher and the authors.
Everything is computed here from the catalog; each format escapes its own text (BibTeX with
:func:`generator.escape.bibtex_text`, RIS with :func:`generator.escape.ris_text`, CSL-JSON with
``json.dumps``), so the same catalog and release always give the same bytes.

The CSL-JSON beside a cluster page is ``clusters/ID.csl.json``, because ``clusters/ID.json``
already holds the record's data (see :mod:`generator.export`).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from .addresses import cluster_page
from .escape import bibtex_text, bibtex_url, ris_text
from .model import Catalog, Cluster

PUBLISHER = "Cluster Grid"
AUTHORS = "Cluster Grid contributors"
DATASET_TITLE = "Cluster Grid: an open knowledge base of industrial clusters in Asia"
UNRELEASED = "unreleased"
"""The release named by a build that has no release to name (and no git commit to point at)."""
DATASET_STEM = "cluster-grid"
FORMATS = (("bib", "BibTeX"), ("ris", "RIS"), ("csl.json", "CSL-JSON"))
"""File suffix and name of each citation format, in the order pages show them."""


@dataclass(frozen=True)
class Citation:
    """What a citation of one record, or of the data set, says."""

    key: str
    """Citation key (BibTeX key, RIS ``ID``, CSL ``id``): ``clustergrid-IN-0001`` or ``clustergrid``."""
    ident: str | None
    """The record's Cluster Grid ID; None for the data set."""
    title: str
    """The cluster's name, or the data set's title."""
    release: str
    """The data release: 'unreleased, commit 0123abcd4567' or 'unreleased'."""
    date: dt.date
    """The record's review date (for the data set, the newest review date)."""
    url: str
    """Permalink: absolute under ``site_url``, else the site-relative page address."""
    stem: str
    """Docs-relative path of the citation files without their suffix (``clusters/IN-0001``)."""

    @property
    def note(self) -> str:
        """What the record is and which release it is from, in words."""
        what = f"Cluster Grid record {self.ident}, reviewed" if self.ident else "Data set, newest review"
        return f"{what} {self.date.isoformat()}. Data release: {self.release}."


def _permalink(site_url: str | None, page: str) -> str:
    return site_url.rstrip("/") + "/" + page if site_url else page


def record_citation(c: Cluster, release: str, site_url: str | None = None) -> Citation:
    """The citation of one cluster record."""
    page = cluster_page(c.id).removesuffix(".md") + ".html"
    return Citation(f"clustergrid-{c.id}", c.id, c.name, release, c.reviewed, _permalink(site_url, page),
                    page.removesuffix(".html"))


def dataset_citation(catalog: Catalog, release: str, site_url: str | None = None) -> Citation:
    """The citation of the data set as a whole: dated by its newest review, pointing at the site's home page."""
    dates = [c.reviewed for c in catalog.clusters] + [a.reviewed for a in catalog.approaches]
    newest = max(dates, default=dt.date(1970, 1, 1))
    home = site_url.rstrip("/") + "/" if site_url else "index.html"
    return Citation("clustergrid", None, DATASET_TITLE, release, newest, home, DATASET_STEM)


def plain_text(c: Citation) -> str:
    """A ready citation in words (author, year, title, what and when, publisher, release, address)."""
    what = f"data set record {c.ident}, reviewed" if c.ident else "data set, newest review"
    return (f"{AUTHORS} ({c.date.year}). {c.title} [{what} {c.date.isoformat()}]. "
            f"{PUBLISHER}, data release: {c.release}. {c.url}")


def bibtex(c: Citation) -> str:
    """One ``@misc`` entry; the corporate author is braced so that no style splits it into names."""
    fields = [("author", "{" + bibtex_text(AUTHORS) + "}"), ("title", bibtex_text(c.title)),
              ("howpublished", bibtex_text(PUBLISHER)), ("publisher", bibtex_text(PUBLISHER)),
              ("year", str(c.date.year)), ("date", c.date.isoformat()), ("version", bibtex_text(c.release)),
              ("note", bibtex_text(c.note)), ("url", bibtex_url(c.url))]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}\n"


def ris(c: Citation) -> str:
    """One RIS reference: ``TAG  - value`` lines ending with CRLF, from ``TY`` to ``ER``."""
    lines = [("TY", "DATA"), ("ID", c.key), ("AU", AUTHORS), ("TI", ris_text(c.title)), ("PY", str(c.date.year)),
             ("DA", c.date.strftime("%Y/%m/%d")), ("PB", PUBLISHER), ("ET", ris_text(c.release)),
             ("N1", ris_text(c.note)), ("UR", ris_text(c.url))]
    if c.ident:
        lines.insert(2, ("AN", c.ident))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines) + "ER  - \r\n"


def csl_item(c: Citation) -> dict:
    """One CSL-JSON item (type ``dataset``)."""
    item = {"id": c.key, "type": "dataset", "title": c.title, "author": [{"literal": AUTHORS}],
            "publisher": PUBLISHER, "issued": {"date-parts": [[c.date.year, c.date.month, c.date.day]]},
            "version": c.release, "URL": c.url, "note": c.note}
    if c.ident:
        item["number"] = c.ident
    return item


def csl_json(c: Citation) -> str:
    """A CSL-JSON document: a list holding the one item."""
    return json.dumps([csl_item(c)], ensure_ascii=False, indent=1) + "\n"


RENDER = {"bib": bibtex, "ris": ris, "csl.json": csl_json}
"""Each format's suffix and the function that writes it."""


def citation_files(catalog: Catalog, release: str, site_url: str | None = None) -> dict[str, bytes]:
    """Every citation file, docs-relative path -> bytes: three beside each cluster page, three for the data set."""
    files = {}
    for c in [record_citation(x, release, site_url) for x in catalog.clusters] + \
             [dataset_citation(catalog, release, site_url)]:
        for suffix, _name in FORMATS:
            files[f"{c.stem}.{suffix}"] = RENDER[suffix](c).encode("utf-8")
    return files
