"""Rendering: golden pages for the fixture knowledge base, and what a template may not do."""
from __future__ import annotations

import difflib

import pytest

from generator.escape import RenderError
from generator.render import environment

from .update_golden import GOLDEN, rendered


def _first_difference(pages: dict[str, str], golden: dict[str, str]) -> str:
    """A unified diff of the first page (in path order) that differs from its golden file."""
    path = next(p for p in sorted(pages) if pages[p] != golden[p])
    diff = difflib.unified_diff(golden[path].splitlines(keepends=True), pages[path].splitlines(keepends=True),
                                f"tests/golden/{path}", f"rendered/{path}")
    return "".join(diff)


def test_golden_pages_match():
    pages = rendered()
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(golden), "page set changed: run `make golden` and review the diff"
    changed = [path for path in sorted(pages) if pages[path] != golden[path]]
    assert not changed, (f"{len(changed)} page(s) differ from golden files; the first one:\n"
                         f"{_first_difference(pages, golden)}\nrun `make golden` and review the diff")


def test_golden_cluster_page_carries_the_grid():
    page = rendered()["clusters/IN-0001.md"]
    # the front-matter title is HTML-escaped (no Markdown entities); the grids are raw HTML blocks
    assert page.startswith('---\ntitle: "Fixture knitwear cluster (IN-0001)"\n')
    # the profile: size figures link to their numbered source; the local name carries its language
    assert '<dd>Number of units: 6,250 units (2007; <a href="#src-fixture2009">source 1</a>)</dd>' in page
    assert '<li id="src-fixture2009">' in page
    assert '<dd><span lang="hi">फिक्स्चर</span></dd>' in page
    assert "<dd>25 of 37 cells recorded" in page
    # recorded grid rows are listed, empty ones summed up in one line
    assert "<tr><td>Strength of networks</td>" in page
    assert "not recorded" not in page
    assert "Not yet recorded: " in page and '<a href="../contribute.html">Help fill these</a>' in page


def test_template_printing_none_fails_loudly():
    env = environment()
    with pytest.raises(RenderError, match="printed an empty value"):
        env.from_string("{{ value }}").render(value=None)


def test_template_undefined_fails_loudly():
    import jinja2
    env = environment()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


def test_printed_text_is_escaped_by_default():
    env = environment()
    out = env.from_string("{{ value }}").render(value="<b>[x](javascript:y)</b>")
    assert out == "&lt;b>\\[x\\](javascript:y)&lt;/b>"


def test_long_listings_are_split_into_numbered_pages(monkeypatch):
    """A listing over the page size is split; every cluster is listed once, and the pages link up."""
    import re

    from generator import enrich
    monkeypatch.setattr(enrich, "LISTING_ROWS", 1)
    monkeypatch.setattr(enrich.split_listing, "__defaults__", (1,))
    pages = rendered()
    listing = sorted(p for p in pages if re.fullmatch(r"clusters/index(-\d+)?\.md", p))
    ids = [re.findall(r'<td><a href="([A-Z]{2}-\d{4})\.html">', pages[p].split("## Thinnest")[0]) for p in listing]
    assert all(len(found) == 1 for found in ids), ids
    assert len(listing) == len({found[0] for found in ids}) > 1, listing
    assert '\n\n<div class="cg-listing">' in pages["clusters/index-2.md"], "the table must stand apart from the page list"
    assert "Page 1 of" in pages["clusters/index.md"] and "[2](index-2.md)" in pages["clusters/index.md"]
    assert "[1](index.md)" in pages["clusters/index-2.md"]
    assert "## Thinnest records" in pages["clusters/index.md"]
    assert "## Thinnest records" not in pages["clusters/index-2.md"]


def test_approach_pages_link_a_long_list_of_clusters_instead_of_growing(monkeypatch):
    """Past SHOWN_ON_APPROACH, an approach page shows the first clusters and links the full split listing."""
    from generator import enrich
    monkeypatch.setattr(enrich, "SHOWN_ON_APPROACH", 0)
    pages = rendered()
    page = pages["approaches/handholding.md"]
    assert "The first 0 of 1; [all of them](handholding-clusters.md)." in page
    assert "IN-0001.html" in pages["approaches/handholding-clusters.md"]
    assert "IN-0001.html" not in page.split("## Clusters that applied it")[1].split("## Sources")[0]


def test_every_identification_cell_and_figure_is_declared_once_in_the_spec():
    from generator import spec
    from generator.enrich import CELL_PARTS
    from generator.figures import DRAWINGS
    assert set(CELL_PARTS) == set(spec.IDENTIFICATION_CELLS)
    assert set(DRAWINGS) == set(spec.FIGURES)


def test_cluster_pages_render_in_parts_as_in_a_full_build():
    from generator.build import read_catalog
    from generator.render import render_cluster_pages
    from .update_golden import FIXTURE, SETTINGS
    catalog, _ = read_catalog(FIXTURE)
    full = rendered()
    ids = [c.id for c in catalog.clusters]
    parts = dict(render_cluster_pages(catalog, SETTINGS, ids[1:])) | dict(render_cluster_pages(catalog, SETTINGS, ids[:1]))
    assert sorted(parts) == sorted(p for p in full if p.startswith("clusters/") and not p.startswith("clusters/index"))
    assert all(parts[p] == full[p] for p in parts)
