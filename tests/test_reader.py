"""Pages as a reader meets them: phone layouts, figure text, languages of local names, precise search,
and keyboard access to search results, in headless Chromium at 1280 and 390 px.
"""
from __future__ import annotations

import re
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


# --- the project's CSS and SVG colours, as built ----------------------------------------------

COLOUR = re.compile(r"#[0-9a-f]{6}|#[0-9a-f]{3}|none|currentColor", re.IGNORECASE)
SVG_PAINT = re.compile(r'<(?:circle|rect|path|polygon|polyline|line|ellipse|text)\b[^>]*?\b(fill|stroke)="([^"]*)"')


def built_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_colour_in_every_built_svg_is_a_colour(real_site):
    # a Markdown escape ("\#0072b2") or any other stray text makes the browser paint the shape black
    bad = {}
    for page in built_pages(real_site):
        text = page.read_text(encoding="utf-8")
        if "<svg" not in text:
            continue
        wrong = sorted({v for _, v in SVG_PAINT.findall(text) if not COLOUR.fullmatch(v)})
        if wrong:
            bad[str(page.relative_to(real_site))] = wrong[:3]
    assert not bad, bad


def test_map_legend_shows_each_colour_in_a_row(web, real_site):
    page = real_site / "map.html"
    built = re.findall(r'<svg class="cg-map__swatch"[^>]*><circle [^>]*fill="([^"]*)"', page.read_text(encoding="utf-8"))
    assert len(built) >= 5 and len(set(built)) == len(built), built
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in built), built
    open_page(web, page.as_uri())
    shown = web.execute_script("""
      const legend = document.querySelector('.cg-map__legend');
      return {display: getComputedStyle(legend).display,
              tops: Array.from(legend.children).map(li => Math.round(li.getBoundingClientRect().top)),
              fills: Array.from(legend.querySelectorAll('circle')).map(c => getComputedStyle(c).fill)};""")
    rgb = [f"rgb({int(c[1:3], 16)}, {int(c[3:5], 16)}, {int(c[5:7], 16)})" for c in built]
    assert shown["fills"] == rgb
    assert shown["display"] == "flex" and len(set(shown["tops"])) < len(shown["tops"]), shown  # items share rows


def test_search_results_hide_the_id_tags(web, real_site):
    open_page(web, (real_site / "index.html").as_uri())
    search(web, "IN-0013")
    shown = web.execute_script("""
      return Array.from(document.querySelectorAll('.md-search-result .md-tags'))
        .filter(t => getComputedStyle(t).display !== 'none').map(t => t.textContent.trim());""")
    assert web.execute_script("return document.querySelectorAll('.md-search-result .md-tags').length"), "no tags to hide"
    assert shown == []


CHART_TEXT = """
const body = parseFloat(getComputedStyle(document.querySelector('article.md-typeset')).fontSize);
const out = [];
for (const svg of document.querySelectorAll('article svg.cg-chart__svg')) {
  const scale = svg.getScreenCTM().a;
  for (const text of svg.querySelectorAll('text')) out.push(parseFloat(getComputedStyle(text).fontSize) * scale);
}
return [body, out];
"""


def test_desktop_chart_text_is_no_larger_than_body_text(web, real_site):
    width(web, DESKTOP)
    open_page(web, (real_site / "charts.html").as_uri())
    body, sizes = web.execute_script(CHART_TEXT)
    assert sizes and max(sizes) <= body + 0.1, (body, max(sizes))
    assert min(sizes) >= MIN_FIGURE_TEXT


# --- contrast of every text in every SVG ------------------------------------------------------

SVG_TEXT_COLOURS = """
function rgba(css) {
  const m = css.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const v = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
}
function over(top, under, opacity) {
  const a = top[3] * opacity;
  return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a));
}
let page = rgba(getComputedStyle(document.body).backgroundColor);
if (!page || page[3] === 0) page = [255, 255, 255, 1];
page = page.slice(0, 3);
const out = [];
for (const svg of document.querySelectorAll('article svg')) {
  if (!svg.getBoundingClientRect().width) continue;  // the drawing for the other screen size
  const shapes = Array.from(svg.querySelectorAll('rect, circle, ellipse, polygon, path'));
  for (const text of svg.querySelectorAll('text')) {
    const box = text.getBBox();
    const x = box.x + box.width / 2, y = box.y + box.height / 2;
    let bg = page;
    for (const shape of shapes) {
      if (!(shape.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;  // painted after
      if (shape.closest('marker, defs')) continue;
      const s = getComputedStyle(shape), fill = rgba(s.fill);
      if (!fill || fill[3] === 0) continue;
      const b = shape.getBBox();
      if (x < b.x || x > b.x + b.width || y < b.y || y > b.y + b.height) continue;
      bg = over(fill, bg, parseFloat(s.fillOpacity) * parseFloat(s.opacity));
    }
    const s = getComputedStyle(text), fill = rgba(s.fill);
    out.push([text.textContent, over(fill, bg, parseFloat(s.fillOpacity) * parseFloat(s.opacity)), bg]);
  }
}
return out;
"""


def contrast(a, b) -> float:
    def lum(c):
        c = [v / 255 for v in c]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def pages_with_svg_text(site: Path) -> list[str]:
    found = []
    for page in built_pages(site):
        text = page.read_text(encoding="utf-8")
        article = text.split('<article class="md-content__inner md-typeset">', 1)[-1]
        if "<svg" in article and "<text" in article:
            found.append(str(page.relative_to(site)))
    return found


@pytest.mark.parametrize("pixels", [DESKTOP, PHONE])
def test_every_svg_text_reaches_aa_contrast(web, real_site, pixels):
    pages = pages_with_svg_text(real_site)
    assert "charts.html" in pages and len(pages) >= 3, pages
    width(web, pixels)
    low = []
    try:
        for page in pages:
            open_page(web, (real_site / page).as_uri())
            texts = web.execute_script(SVG_TEXT_COLOURS)
            assert texts, page
            low += [(page, t, round(contrast(fg, bg), 2)) for t, fg, bg in texts if contrast(fg, bg) < 4.5]
    finally:
        width(web, DESKTOP)
    assert not low, low[:10]


# --- layout slips -------------------------------------------------------------------------------

def paragraphs(page: Path) -> list[str]:
    """The text of each paragraph of a built page's article."""
    import html
    article = page.read_text(encoding="utf-8").split('<article class="md-content__inner md-typeset">', 1)[1]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", p)).split())
            for p in re.findall(r"<p\b[^>]*>(.*?)</p>", article, re.DOTALL)]


def test_approach_page_labels_each_start_a_paragraph(real_site):
    labels = ("Local name:", "Group:", "Origin:", "Side by side:", "Related approaches:", "Variants:")
    pages = sorted((real_site / "approaches").glob("*.html"))
    merged = {}
    for page in pages:
        for p in paragraphs(page):
            found = [label for label in labels if label in p]
            if len(found) > 1 or (found and not p.startswith(found[0])):
                merged.setdefault(page.name, []).append(p[:80])
    assert len(pages) > 5 and not merged, merged
    assert any(p.startswith("Side by side:") for p in paragraphs(real_site / "approaches" / "ovop.html"))


def test_compare_page_contents_list_every_section(web, real_site):
    pages = sorted((real_site / "compare").glob("*-vs-*.html"))
    assert pages
    for page in pages:
        open_page(web, page.as_uri())
        headings = web.execute_script(
            "return Array.from(document.querySelectorAll('article h2')).map(h => [h.id, h.textContent.trim()])")
        toc = web.execute_script(
            "return Array.from(document.querySelectorAll('nav.md-nav--secondary a.md-nav__link'))"
            ".map(a => [a.hash.slice(1), a.textContent.trim()])")
        assert len(headings) >= 2 and toc == headings, (page.name, toc, headings)


def test_country_page_has_no_link_to_itself(real_site):
    pages = sorted((real_site / "countries").glob("??.html"))
    selfish = {}
    for page in pages:
        article = page.read_text(encoding="utf-8").split('<article class="md-content__inner md-typeset">', 1)[1]
        hrefs = re.findall(r'<a [^>]*href="([^"#]*)(?:#[^"]*)?"', article.split("</article>", 1)[0])
        count = sum(1 for h in hrefs if h in ("", page.name, f"../countries/{page.name}"))
        if count:
            selfish[page.name] = count
    assert len(pages) > 5 and not selfish, selfish


def test_phone_headline_keeps_the_id_whole(phone, real_site):
    catalog = sorted(((len(cluster(p.stem)["name"]), p.stem) for p in (CONTENT / "clusters").glob("??-????.yaml")),
                     reverse=True)
    broken = {}
    for _, cluster_id in catalog[:12]:  # the longest names: the ID falls at the end of a line somewhere
        open_page(phone, (real_site / "clusters" / f"{cluster_id}.html").as_uri())
        lines = phone.execute_script("""
          const span = document.querySelector('article h1 .cg-id');
          if (!span) return -1;
          const range = document.createRange(); range.selectNodeContents(span);
          return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;""")
        if lines != 1:
            broken[cluster_id] = lines
        assert phone.title.startswith(f"{cluster(cluster_id)['name']} ({cluster_id})"), phone.title
    assert not broken, broken


def test_reader_pages_do_not_show_source_file_paths(real_site):
    shown = [p.name for p in sorted((real_site / "clusters").glob("??-????.html"))
             if "content/clusters/" in p.read_text(encoding="utf-8").split("<article", 1)[1].split("</article>", 1)[0]]
    assert not shown, shown


# --- links and focus ----------------------------------------------------------------------------

SAME_NAME_LINKS = """
const targets = {};
for (const a of document.querySelectorAll('a[href]')) {
  const name = (a.getAttribute('aria-label') || a.textContent).replace(/\\s+/g, ' ').trim().toLowerCase();
  if (!name) continue;
  (targets[name] = targets[name] || new Set()).add(a.href);
}
return Object.entries(targets).filter(([, t]) => t.size > 1).map(([n, t]) => [n, Array.from(t)]);
"""


@pytest.mark.parametrize("page", ["index.html", "explore.html", "clusters/IN-0001.html", "clusters/IN-0013.html",
                                  "approaches/ovop.html", "compare/otop-vs-ovop.html", "data.html", "countries/IN.html"])
def test_links_of_one_name_lead_to_one_place(web, real_site, page):
    open_page(web, (real_site / page).as_uri())
    assert web.execute_script(SAME_NAME_LINKS) == []


def test_source_links_are_named_by_their_work(real_site):
    from generator.build import read_catalog
    catalog, _ = read_catalog(CONTENT)
    titles = {s.url: s.title for c in catalog.clusters for s in c.sources if s.url}
    import html
    named = {}
    for page in sorted((real_site / "clusters").glob("??-????.html")):
        refs = page.read_text(encoding="utf-8").split('<ol class="cg-refs">', 1)[1].split("</ol>", 1)[0]
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', refs):
            named[html.unescape(href)] = html.unescape(text)
    assert len(named) > 20
    wrong = {url: text for url, text in named.items() if url in titles and text != titles[url]}
    assert not wrong, list(wrong.items())[:5]


def ax_node(web, css: str) -> dict:
    """The accessibility tree's node for an element: its role, name and properties, as Chromium computes them."""
    root = web.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = web.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": css})["nodeId"]
    ax = web.execute_cdp_cmd("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"][0]
    return {"role": ax["role"]["value"], "name": ax.get("name", {}).get("value"),
            **{p["name"]: p["value"].get("value") for p in ax.get("properties", [])}}


def test_explore_sort_state_is_announced_on_the_column_heading(web, real_site):
    # Chromium's accessibility tree gives the names; aria-sort (which it does not list) is read from the page
    from selenium.webdriver.support.ui import WebDriverWait
    sorted_by = "return Array.from(document.querySelectorAll('th[aria-sort]')).map(h => [h.dataset.col, h.getAttribute('aria-sort')])"
    web.get((real_site / "explore.html").as_uri())
    WebDriverWait(web, 10).until(lambda d: d.execute_script("return !!document.querySelector('th .cg-sort')"))
    assert web.execute_script(sorted_by) == [["id", "ascending"]]
    for col, label in (("id", "ID"), ("name", "Name")):
        heading, button = ax_node(web, f'th[data-col="{col}"]'), ax_node(web, f'th[data-col="{col}"] .cg-sort')
        assert (heading["role"], heading["name"]) == ("columnheader", label), heading
        assert (button["role"], button["name"]) == ("button", label), button
    for _ in range(2):
        web.execute_script("document.querySelector('th[data-col=\"name\"] .cg-sort').click()")
    WebDriverWait(web, 10).until(lambda d: d.execute_script(sorted_by) == [["name", "descending"]])
    assert ax_node(web, 'th[data-col="name"]')["name"] == "Name"
