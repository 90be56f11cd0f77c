"""Preview one record: a small site holding it and the pages around it, built in seconds.

Only the vocabularies, approaches, concept pages and the one record are read, so the preview
costs the same however many clusters the knowledge base holds.
"""
from __future__ import annotations

from pathlib import Path

from dataclasses import replace

from .build import build
from .load import load_content, load_document
from .model import Catalog, build_catalog
from .problems import ContentError
from .validate import validate_content


def preview_catalog(content_dir: Path, record: Path) -> Catalog:
    """Load everything but the other clusters, validate, and return a one-cluster catalog."""
    base, problems = load_content(content_dir, clusters=False)
    doc, found = load_document(record)
    problems.extend(found)
    if base is None or doc is None:
        raise ContentError(problems)
    content = replace(base, clusters=(doc,))
    checked = validate_content(content)
    problems.extend(checked.problems)
    if any(p.severity == "error" for p in problems):
        raise ContentError(problems)
    return build_catalog(checked.vocab, [doc], list(content.approaches), list(content.concepts), content.table5,
                         checked.identification_rows)


def build_preview(content_dir: Path, record: Path, site: Path, config: Path, docs: Path) -> Catalog:
    """Build the preview site for one record into ``site``."""
    catalog = preview_catalog(content_dir, record)
    build(content_dir, site, config, docs, catalog=catalog)
    return catalog


def record_page(record: Path) -> str:
    """The path of a record's own page in the built site (cluster pages are named after their file)."""
    return f"clusters/{record.stem}.html"
