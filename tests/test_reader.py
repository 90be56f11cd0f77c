"""Pages as a reader meets them: phone layouts, figure text, languages of local names, precise search,
and keyboard access to search results, in headless Chromium at 1280 and 390 px.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_browser import cluster, is_cluster_page, open_page, page_path, search

pytestmark = pytest.mark.browser

CONTENT = Path(__file__).resolve().parent.parent / "content"
PHONE = 390
DESKTOP = 1280
MIN_FIGURE_TEXT = 11  # px



def width(web, pixels: int) -> None:
    """Make the page viewport ``pixels`` wide."""
    web.set_window_size(pixels, 900)
    inner = web.execute_script("return window.innerWidth")
    if inner != pixels:  # window chrome, if any, is added on top
        web.set_window_size(2 * pixels - inner, 900)


@pytest.fixture
def phone(web):
    width(web, PHONE)
    yield web
    width(web, DESKTOP)


# --- phone layouts ------------------------------------------------------------------------------

OVERFLOW = """
const column = document.querySelector("article.md-content__inner");
const limit = column.getBoundingClientRect().right + 0.5;
const out = [];
for (const table of column.querySelectorAll("table")) {
  const box = table.getBoundingClientRect();
  if (box.right > limit || table.scrollWidth > table.clientWidth + 1) out.push(table.innerText.slice(0, 60));
}
if (document.documentElement.scrollWidth > window.innerWidth) out.push("page scrolls sideways");
return out;
"""


def test_phone_cluster_tables_fit_the_column(phone, real_site):
    pages = sorted(p.name for p in (real_site / "clusters").glob("??-????.html"))
    assert len(pages) > 30
    wide = {}
    for name in pages:
        open_page(phone, (real_site / "clusters" / name).as_uri())
        found = phone.execute_script(OVERFLOW)
        if found:
            wide[name] = found
    assert not wide, wide


SCROLL_CUE = """
const out = [];
for (const table of document.querySelectorAll("article table")) {
  if (table.getBoundingClientRect().right <= table.closest("article").getBoundingClientRect().right + 0.5) continue;
  const wrap = table.closest(".md-typeset__scrollwrap");
  const first = table.querySelector("tbody td");
  const cue = wrap && getComputedStyle(wrap).overflowX === "auto"
    && getComputedStyle(wrap).backgroundImage.includes("radial-gradient");
  if (!cue || getComputedStyle(first).position !== "sticky") out.push(table.innerText.slice(0, 60));
}
if (document.documentElement.scrollWidth > window.innerWidth) out.push("page scrolls sideways");
return out;
"""


@pytest.mark.parametrize("page", ["index.html", "clusters/index.html", "countries/IN.html", "sectors/textiles-garments.html",
                                  "approaches/ovop.html"])
def test_phone_cluster_listings_fit_the_column(phone, real_site, page):
    open_page(phone, (real_site / page).as_uri())
    assert phone.execute_script(OVERFLOW) == []


@pytest.mark.parametrize("page", ["countries/index.html", "approaches/index.html", "typologies/index.html",
                                  "concepts/table5.html", "concepts/rural.html"])
def test_phone_wide_tables_scroll_with_a_cue_and_keep_their_first_column(phone, real_site, page):
    open_page(phone, (real_site / page).as_uri())
    assert phone.execute_script(SCROLL_CUE) == []


FIGURE_TEXT = """
const out = [];
for (const svg of document.querySelectorAll("article figure svg")) {
  if (!svg.getBoundingClientRect().width) continue;  // the drawing for the other screen size
  const scale = svg.getScreenCTM().a;
  for (const text of svg.querySelectorAll("text")) {
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    out.push([text.textContent, size]);
  }
}
return out;
"""


@pytest.mark.parametrize("page", ["index.html", "grid.html", "concepts/characteristics.html",
                                  "concepts/internationalisation.html", "concepts/cluster-grid.html"])
def test_phone_figure_text_is_readable(phone, real_site, page):
    open_page(phone, (real_site / page).as_uri())
    texts = phone.execute_script(FIGURE_TEXT)
    assert texts, f"no figure drawn on {page}"
    small = [(t, round(s, 1)) for t, s in texts if s < MIN_FIGURE_TEXT]
    assert not small, small


def test_desktop_figures_use_the_wide_drawing(web, real_site):
    open_page(web, (real_site / "concepts" / "characteristics.html").as_uri())
    shown = web.execute_script(
        "return Array.from(document.querySelectorAll('article figure svg'))"
        ".filter(s => s.getBoundingClientRect().width > 0).map(s => s.getAttribute('class'))")
    assert shown and set(shown) == {"cg-figure__wide"}, shown


# --- languages of local names -------------------------------------------------------------------

@pytest.mark.parametrize("cluster_id,lang", [("JP-0002", "ja"), ("TH-0001", "th"), ("BD-0001", "bn")])
def test_local_names_carry_their_language(web, real_site, cluster_id, lang):
    from selenium.webdriver.common.by import By
    name = cluster(cluster_id)["name_local"]
    for page in (f"clusters/{cluster_id}.html", "clusters/index.html"):
        open_page(web, (real_site / page).as_uri())
        spans = [s for s in web.find_elements(By.CSS_SELECTOR, "article [lang]") if s.text == name]
        assert spans, (page, name)
        assert {s.get_attribute("lang") for s in spans} == {lang}, page


# --- search precision ---------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["IN-0001", "in-0001", "IN0001"])
def test_search_for_an_id_gives_that_cluster_first_and_few_results(web, real_site, query):
    open_page(web, (real_site / "index.html").as_uri())
    hrefs = search(web, query)
    assert is_cluster_page(hrefs[0], "IN-0001"), hrefs[:3]
    assert len(hrefs) <= 5, hrefs


def test_search_for_another_country_id(web, real_site):
    open_page(web, (real_site / "index.html").as_uri())
    hrefs = search(web, "JP-0002")
    assert is_cluster_page(hrefs[0], "JP-0002") and len(hrefs) <= 5, hrefs


@pytest.mark.parametrize("query,approach", [("OVOP", "ovop"), ("OTOP", "otop"),
                                            ("one village one product", "ovop")])
def test_search_for_an_approach_gives_its_page_first(web, real_site, query, approach):
    open_page(web, (real_site / "index.html").as_uri())
    hrefs = search(web, query)
    assert page_path(hrefs[0]).endswith(f"/approaches/{approach}.html"), hrefs[:3]


def test_keyboard_reaches_search_results(web, real_site):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    open_page(web, (real_site / "index.html").as_uri())
    hrefs = search(web, "pottery")
    ActionChains(web).send_keys(Keys.TAB).perform()
    focused = web.execute_script("return document.activeElement.getAttribute('href')")
    assert focused and page_path(hrefs[0]).endswith(page_path(focused).lstrip("./")), (focused, hrefs[:2])
    ActionChains(web).send_keys(Keys.TAB).perform()
    second = web.execute_script("return document.activeElement.getAttribute('href')")
    assert second and second != focused
    ActionChains(web).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert web.execute_script("return document.activeElement.getAttribute('href')") == focused


def test_search_dialog_has_a_name(web, real_site):
    open_page(web, (real_site / "index.html").as_uri())
    assert web.execute_script("return document.querySelector('[role=dialog].md-search').getAttribute('aria-label')")
