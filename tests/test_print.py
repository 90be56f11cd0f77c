"""A printed cluster page is a brief: Chromium's print-to-PDF of IN-0003 (the real content) is at most two
pages, names every source with its address, carries the citation and the permalink, and prints none of the
site's navigation, header, search or footer. The PDF's text is read with pypdf."""
from __future__ import annotations

import base64
import io
import re

import pytest

from generator import cite
from generator.build import read_catalog
from generator.changes import release_name
from generator.escape import safe_url
from tests.test_browser import open_page

from .conftest import CONTENT

pytestmark = pytest.mark.browser

BRIEF = "IN-0003"
CHROME = (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer",
          ".md-top", ".cg-crumbs", ".cg-quiet", ".cg-cite-format", ".cg-cite-files", ".cg-noprint")


@pytest.fixture(scope="module")
def cluster():
    catalog, _ = read_catalog(CONTENT)
    return next(c for c in catalog.clusters if c.id == BRIEF)


@pytest.fixture(scope="module")
def printed(web, real_site):
    """The brief as Chromium prints it (A4, no header or footer of the browser's own): pages and text."""
    from pypdf import PdfReader
    from selenium.webdriver.common.print_page_options import PrintOptions

    open_page(web, (real_site / "clusters" / f"{BRIEF}.html").as_uri())
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    pdf = PdfReader(io.BytesIO(base64.b64decode(web.print_page(options))))
    return len(pdf.pages), "\n".join(page.extract_text() for page in pdf.pages)


def _squeezed(text: str) -> str:
    # a long address wraps across lines in the PDF; compare without whitespace
    return re.sub(r"\s+", "", text)


def test_the_brief_is_at_most_two_pages(printed):
    pages, _ = printed
    assert 1 <= pages <= 2


def test_every_source_url_is_printed(printed, cluster):
    _, text = printed
    urls = [s.url for s in cluster.sources if s.url]
    assert urls, "IN-0003 should cite sources with addresses"
    # printed as the link's address: the URL as the page links it (non-ASCII characters percent-encoded)
    missing = [u for u in urls if _squeezed(safe_url(u)) not in _squeezed(text)]
    assert missing == []


def test_the_brief_holds_the_profile_grids_sources_citation_and_permalink(printed, cluster):
    _, text = printed
    flat = _squeezed(text)
    for heading in (f"{cluster.name} ({cluster.id})", "Identification grid", "Intervention grid", "Sources",
                    "Cite this record"):
        assert _squeezed(heading) in flat, heading
    citation = cite.record_citation(cluster, release_name(CONTENT))
    assert _squeezed(cite.plain_text(citation)) in flat
    assert _squeezed(f"Permalink: {citation.url}") in flat


def test_no_navigation_search_header_or_footer_prints(printed, web):
    _, text = printed
    for screen_only in ("Similar clusters", "Edit this record", "Source file:", "Skip to content",
                        "Made with", "Download:", "@misc{"):
        assert screen_only not in text
    web.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = web.execute_script("""
            return arguments[0].filter(sel => [...document.querySelectorAll(sel)].some(
                el => getComputedStyle(el).display !== "none"));""", list(CHROME))
    finally:
        web.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert shown == []
