"""Page addresses: where each page of the site sits, and the relative links between pages.

Every address is a docs-relative POSIX path built from a validated ID or vocabulary key, so no
part of it is ever empty, ``.`` or ``..``; :func:`link` relies on that.
"""
from __future__ import annotations

from markupsafe import Markup

HOME = "index.md"
CLUSTERS = "clusters/index.md"
COUNTRIES = "countries/index.md"
SECTORS = "sectors/index.md"
TYPOLOGIES = "typologies/index.md"
APPROACHES = "approaches/index.md"
COMPARISONS = "compare/index.md"
CONCEPTS = "concepts/index.md"
GRID = "grid.md"
EXPLORE = "explore.md"
CHARTS = "charts.md"
MAP = "map.md"
GAPS = "gaps.md"
DATA = "data.md"
CONTRIBUTE = "contribute.md"


def slug(key: str) -> str:
    """Turn a vocabulary key into an address part."""
    return key.replace("_", "-")


def cluster_page(ident: str) -> str:
    """Docs-relative path of a cluster page."""
    return f"clusters/{ident}.md"


def country_page(code: str) -> str:
    """Docs-relative path of a country page."""
    return f"countries/{code}.md"


def sector_page(key: str) -> str:
    """Docs-relative path of a sector page."""
    return f"sectors/{slug(key)}.md"


def typology_page(basis: str, key: str) -> str:
    """Docs-relative path of one typology type's page (``policy_class`` included)."""
    prefix = "policy" if basis == "policy_class" else slug(basis)
    return f"typologies/{prefix}-{slug(key)}.md"


def approach_page(ident: str) -> str:
    """Docs-relative path of an approach page."""
    return f"approaches/{ident}.md"


def approach_clusters_page(ident: str) -> str:
    """Docs-relative path of the full listing of the clusters that applied an approach."""
    return f"approaches/{ident}-clusters.md"


def compare_page(a: str, b: str) -> str:
    """Docs-relative path of the comparison of two approaches (IDs in sorted order)."""
    first, second = sorted((a, b))
    return f"compare/{first}-vs-{second}.md"


def concept_page(ident: str) -> str:
    """Docs-relative path of a concept page."""
    return f"concepts/{ident}.md"


def link(here: str, target: str) -> Markup:
    """Relative link from one docs page to another.

    Computed by string arithmetic rather than ``posixpath.relpath`` (which resolves both paths
    against the working directory, and was a third of the render time at 1,000 records): both
    paths are clean docs-relative addresses made by this module.
    """
    folder = here.rpartition("/")[0]
    if not folder:
        return Markup(target)
    if target.startswith(folder + "/") and "/" not in target[len(folder) + 1:]:
        return Markup(target[len(folder) + 1:])  # the common case: a page in the same folder
    ups = folder.split("/")
    parts = target.split("/")
    same = 0
    while same < len(ups) and same < len(parts) - 1 and ups[same] == parts[same]:
        same += 1
    return Markup("../" * (len(ups) - same) + "/".join(parts[same:]))
