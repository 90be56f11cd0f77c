"""The Explore page, charts, map and feed link in headless Chromium, opened from file://.

Expected rows are computed from the catalog, not written down, so the tests follow the content.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator import enrich as e
from generator import explore as ex
from generator.build import read_catalog
from tests.browser import requested_urls, start_driver, stop_driver

from .conftest import CONTENT

pytestmark = pytest.mark.browser

WAIT = 10



@pytest.fixture(scope="module")
def catalog():
    found, _ = read_catalog(CONTENT)
    return found


def _wait(web):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(web, WAIT, poll_frequency=0.05)


def open_explore(web, site: Path, fragment: str = "") -> None:
    web.get((site / "explore.html").as_uri() + fragment)
    _wait(web).until(lambda d: d.execute_script(
        "const f = document.getElementById('cg-explore-form'); return f && !f.hidden"))


def show_all(web) -> None:
    """Press "Show more" until every matching row is in the table."""
    for _ in range(1000):
        more = web.find_elements("id", "cg-more")
        if not more or not more[0].is_displayed():
            return
        web.execute_script("arguments[0].scrollIntoView({block: 'center'})", more[0])
        more[0].click()


def shown_ids(web, every: bool = True) -> list[str]:
    if every:
        show_all(web)
    return web.execute_script(
        "return Array.from(document.querySelectorAll('#cg-table tbody tr td:first-child')).map(td => td.textContent)")


def count_text(web) -> str:
    return web.execute_script("return document.getElementById('cg-count').textContent")


def choose(web, facet: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select
    Select(web.find_element("id", f"cg-f-{facet}")).select_by_value(value)


def type_text(web, text: str) -> None:
    box = web.find_element("id", "cg-q")
    box.clear()
    box.send_keys(text)


def sort_by(web, label: str) -> None:
    button = web.find_element("css selector", f'#cg-table th[data-label="{label}"] button')
    web.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)  # clear of the sticky header
    button.click()


def test_text_filter_matches_ids_names_in_any_script_places_and_products(web, real_site, catalog):
    open_explore(web, real_site)
    assert count_text(web).startswith(f"{len(catalog.clusters)} clusters, sorted by ID")
    assert len(shown_ids(web)) == len(catalog.clusters)
    local = next(c for c in catalog.clusters if c.name_local and not c.name_local.isascii())
    with_product = next(c for c in catalog.clusters if c.products)
    with_region = next(c for c in catalog.clusters if c.region)
    for query, cluster in ((local.name_local, local), (with_product.products[0], with_product),
                           (with_region.region, with_region), (local.id.lower(), local)):
        type_text(web, query)
        ids = shown_ids(web)
        assert cluster.id in ids, (query, ids)
        expected = [c.id for c in catalog.clusters if query.lower() in " ".join(
            x for x in (c.id, c.name, c.name_local, c.region, c.district, c.sub_sector, *c.products,
                        catalog.vocab.label("countries", c.country), c.country) if x).lower()]
        assert ids == expected, query
        assert count_text(web).startswith(f"{len(ids)} cluster{'s' if len(ids) != 1 else ''} match, of {len(catalog.clusters)}")


def test_two_facets_combine_and_the_count_follows(web, real_site, catalog):
    open_explore(web, real_site)
    pairs = Counter((c.country, c.setting) for c in catalog.clusters)
    (country, setting), n = pairs.most_common(1)[0]
    assert n < len(catalog.clusters_in(country))  # the second facet really narrows the first
    choose(web, "country", country)
    assert shown_ids(web) == [c.id for c in catalog.clusters_in(country)]
    choose(web, "setting", setting)
    expected = [c.id for c in catalog.clusters if c.country == country and c.setting == setting]
    assert shown_ids(web) == expected
    assert count_text(web).startswith(f"{len(expected)} cluster{'s' if len(expected) != 1 else ''} match")
    assert web.find_element("id", "cg-count").get_attribute("aria-live") == "polite"
    # intervention need: sourced ratings, apart from the editors' reading
    rows = ex.explore_rows(catalog, e.completeness_by_id(catalog))
    area = Counter(a for r in rows for a in r["needs"]).most_common(1)[0][0]
    web.find_element("id", "cg-clear").click()
    choose(web, "need", f"source:{area}")
    assert shown_ids(web) == [r["id"] for r in rows if area in r["needs"]]


def test_every_column_sorts_both_ways(web, real_site, catalog):
    open_explore(web, real_site)
    sort_by(web, "Name")
    ids = shown_ids(web)
    names = web.execute_script(
        "return Array.from(document.querySelectorAll('#cg-table tbody tr td:nth-child(2)')).map(td => td.textContent)")
    assert names == sorted(names, key=lambda s: s.casefold())
    assert ids[0] == min(catalog.clusters, key=lambda c: c.name.casefold()).id
    sort_by(web, "Name")
    assert shown_ids(web) == ids[::-1]
    assert "descending" in web.find_element("css selector", 'th[data-col="name"]').get_attribute("aria-sort")
    sort_by(web, "Grid completeness")
    sort_by(web, "Grid completeness")
    done = e.completeness_by_id(catalog)
    counts = [done[i].recorded for i in shown_ids(web)]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    headers = web.find_elements("css selector", "#cg-table th button")
    assert len(headers) == len(ex.columns())


def test_state_lives_in_the_url_survives_a_reload_and_back_steps_through_it(web, real_site, catalog):
    open_explore(web, real_site)
    country = Counter(c.country for c in catalog.clusters).most_common(1)[0][0]
    choose(web, "country", country)
    first = web.current_url
    sort_by(web, "Name")
    sort_by(web, "Name")
    type_text(web, "a")
    url = web.current_url
    fragment = urlsplit(url).fragment
    assert f"country={country}" in fragment and "sort=name" in fragment and "dir=desc" in fragment and "q=a" in fragment
    ids = shown_ids(web)
    assert ids
    web.refresh()
    _wait(web).until(lambda d: d.execute_script("return !document.getElementById('cg-explore-form').hidden"))
    assert shown_ids(web) == ids
    assert web.find_element("id", "cg-q").get_attribute("value") == "a"
    assert web.find_element("id", "cg-f-country").get_attribute("value") == country
    web.back()  # the view before the text filter: sorted by name, descending
    _wait(web).until(lambda d: "q=a" not in d.current_url)
    _wait(web).until(lambda d: d.find_element("id", "cg-q").get_attribute("value") == "")
    expected = sorted((c for c in catalog.clusters if c.country == country), key=lambda c: c.name.casefold(), reverse=True)
    assert shown_ids(web)[0] == expected[0].id
    web.back()  # name ascending
    web.back()  # country only
    _wait(web).until(lambda d: d.current_url == first)
    assert shown_ids(web) == [c.id for c in catalog.clusters_in(country)]
    # a shared link opens the same view in a fresh page
    web.get("about:blank")
    web.get(url)
    _wait(web).until(lambda d: d.execute_script("return !document.getElementById('cg-explore-form').hidden"))
    assert shown_ids(web) == ids


def test_page_with_javascript_off_shows_the_full_table_by_id(real_site, catalog):
    assert len(catalog.clusters) <= ex.STATIC_ROWS_MAX
    driver = start_driver(javascript=False)
    try:
        driver.get((real_site / "explore.html").as_uri())
        cells = driver.find_elements("css selector", "#cg-table tbody tr td:first-child")
        assert [c.text for c in cells] == [c.id for c in catalog.clusters]
        assert not driver.find_element("id", "cg-explore-form").is_displayed()
        first_row = driver.find_element("css selector", "#cg-table tbody tr").text
        assert catalog.clusters[0].name in first_row
        assert driver.find_element("id", "cg-count").text.startswith(f"{len(catalog.clusters)} clusters")
    finally:
        stop_driver(driver)


# -- charts, map, feed link -------------------------------------------------------------------

def _smallest_text(web) -> tuple[float, str]:
    return web.execute_script("""
        let small = [1000, ''];
        for (const t of document.querySelectorAll('article svg text')) {
          const px = parseFloat(getComputedStyle(t).fontSize) * t.closest('svg').getScreenCTM().a;
          if (px < small[0]) small = [px, t.textContent];
        }
        return small;""")


@pytest.mark.parametrize("page", ["charts.html", "map.html"])
def test_charts_and_map_render_without_requests_and_text_stays_legible_at_390px(web, real_site, page):
    web.set_window_size(390, 900)
    try:
        requested_urls(web)
        web.get((real_site / page).as_uri())
        assert web.execute_script("return window.innerWidth") <= 400
        svgs = web.find_elements("css selector", "article svg[role]")
        assert svgs
        for svg in svgs:
            width = web.execute_script("return arguments[0].getBoundingClientRect().width", svg)
            assert 300 < width <= 390
            assert svg.find_element("css selector", "title").get_attribute("textContent")
        size, text = _smallest_text(web)
        if page == "charts.html":
            assert size >= 11, (size, text)
            assert web.find_elements("css selector", "article details table")  # the numbers as a table
        else:
            assert size == 1000 or size >= 11
        urls = requested_urls(web)
        assert urls and not [u for u in urls if urlsplit(u).scheme not in ("file", "data", "blob")]
    finally:
        web.set_window_size(1280, 1000)


def test_map_points_link_to_cluster_pages_and_the_list_reaches_each(web, real_site, catalog):
    web.get((real_site / "map.html").as_uri())
    hrefs = web.execute_script(
        "return Array.from(document.querySelectorAll('article svg a')).map(a => a.getAttribute('href'))")
    located = [c.id for c in catalog.clusters if c.coordinates]
    assert sorted(Path(h).stem for h in hrefs) == sorted(located)
    page = Path(unquote(urlsplit(web.current_url).path))
    assert all((page.parent / h).is_file() for h in hrefs)
    # the lists under "Clusters on the map", then those under "Not on the map"
    listed, unlisted = web.execute_script("""
        const stop = document.getElementById('not-on-the-map');
        const links = Array.from(document.querySelectorAll('article ul:not(.cg-map__legend) a'));
        const after = a => stop && (stop.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING);
        return [links.filter(a => !after(a)).map(a => a.getAttribute('href')),
                links.filter(a => after(a)).map(a => a.getAttribute('href'))];""")
    assert sorted(Path(h).stem for h in listed) == sorted(located)
    unlocated = [c.id for c in catalog.clusters if not c.coordinates]
    # every cluster without coordinates is listed, by ID (a long list is cut, and says so)
    assert [Path(h).stem for h in unlisted] == sorted(unlocated)[:len(unlisted)]
    assert bool(unlisted) == bool(unlocated)


def test_every_page_links_the_feed_in_its_head(real_site):
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.feeds = []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "link" and a.get("rel") == "alternate" and a.get("type") == "application/atom+xml":
                self.feeds.append(a["href"])

    pages = [p for p in real_site.rglob("*.html")]
    assert len(pages) > 50
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert len(parser.feeds) == 1, page
        if page.name == "404.html":  # served at any address, so MkDocs links its assets from the root
            assert parser.feeds[0] == "/feed.xml"
            continue
        assert (page.parent / parser.feeds[0]).resolve() == (real_site / "feed.xml").resolve(), page


# -- hostile records on the new pages ---------------------------------------------------------

@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    import shutil

    from .conftest import FIXTURE, build_into, write
    from .test_hostile import hostile_record
    work = tmp_path_factory.mktemp("hostile-explore")
    shutil.copytree(FIXTURE, work / "content")
    record = hostile_record().replace("setting: urban\n", "setting: urban\ncoordinates: {lat: 20.0, lon: 80.0}\n")
    write(work / "content" / "clusters" / "IN-0009.yaml", record)
    return build_into(work / "content", work)


def test_hostile_record_stays_text_in_explore_map_charts_gaps_and_feed(web, hostile):
    import xml.etree.ElementTree as ET

    from selenium.common.exceptions import NoAlertPresentException

    from .test_hostile import PAYLOADS

    for page in ("explore.html", "map.html", "charts.html", "gaps.html", "data.html"):
        web.get((hostile / page).as_uri())
        try:
            text = web.switch_to.alert.text
            pytest.fail(f"{page}: a dialog fired: {text!r}")
        except NoAlertPresentException:
            pass
        assert web.execute_script("return window.__cg_pwned === undefined"), page
    open_explore(web, hostile, "#q=onerror")
    assert shown_ids(web) == ["IN-0009"]
    row = web.find_element("css selector", "#cg-table tbody tr").text
    assert PAYLOADS[0] in row and PAYLOADS[1] in row
    web.get((hostile / "map.html").as_uri())
    title = web.execute_script(
        "return document.querySelector('article svg a[href$=\"IN-0009.html\"] title').textContent")
    assert title.startswith("IN-0009: Evil " + PAYLOADS[0])
    entry = ET.parse(hostile / "feed.xml").getroot()
    titles = [x.text for x in entry.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(t.startswith("IN-0009: Evil " + PAYLOADS[0]) for t in titles)


def test_more_rows_than_a_page_show_on_request_and_the_count_covers_all(web, tmp_path_factory):
    import shutil

    from .conftest import FIXTURE, build_into
    work = tmp_path_factory.mktemp("explore-many")
    shutil.copytree(FIXTURE, work / "content")
    record = (FIXTURE / "clusters" / "IN-0001.yaml").read_text(encoding="utf-8")
    total = ex.PAGE_SIZE + 12
    for n in range(2, total - 1):  # with the fixture's three records
        (work / "content" / "clusters" / f"IN-{n:04d}.yaml").write_text(record.replace("IN-0001", f"IN-{n:04d}"),
                                                                         encoding="utf-8")
    site = build_into(work / "content", work)
    open_explore(web, site)
    assert len(shown_ids(web, every=False)) == ex.PAGE_SIZE
    assert count_text(web) == f"{total} clusters, sorted by ID. Showing the first {ex.PAGE_SIZE}."
    more = web.find_element("id", "cg-more")
    assert more.is_displayed()
    more.click()
    assert len(shown_ids(web, every=False)) == total and not more.is_displayed()
    assert count_text(web) == f"{total} clusters, sorted by ID."


@pytest.mark.parametrize("fragment", ["#sort=__proto__", "#sort=hasOwnProperty&dir=desc", "#sort=valueOf",
                                      "#sort=constructor&country=__proto__", "#setting=toString&sort=id"])
def test_explore_reads_its_address_defensively(web, real_site, catalog, fragment):
    """Inherited names in the address are unknown values: ignored, and the filter still works."""
    web.get("about:blank")
    open_explore(web, real_site, fragment)
    assert web.get_log("browser") == [] or not [x for x in web.get_log("browser") if x["level"] == "SEVERE"]
    assert count_text(web).startswith(f"{len(catalog.clusters)} clusters, sorted by ID")
    first = catalog.clusters[0]
    type_text(web, first.id.lower())
    _wait(web).until(lambda d: shown_ids(d, every=False) == [first.id])
    assert "[object Object]" not in web.find_element("id", "cg-table").text
