"""End-to-end browser tests: the built site in headless Chromium, from disk and over HTTP.

Search, navigation, link targets, the no-external-requests promise and the SVG figures are
checked in a real browser. Without Chromium the module is skipped (see tests/browser.py).
"""
from __future__ import annotations

import functools
import http.server
import re
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from ruamel.yaml import YAML

from tests.browser import requested_urls

pytestmark = pytest.mark.browser

CONTENT = Path(__file__).resolve().parent.parent / "content"

WAIT = 10  # seconds: search runs asynchronously in a worker (a shim under file://)
SETTLE = 0.5  # seconds results must stay unchanged before they count as the final answer


def load(path: Path) -> dict:
    """One YAML file from the content folder."""
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def cluster(cluster_id: str) -> dict:
    """A cluster record from content/clusters."""
    return load(CONTENT / "clusters" / f"{cluster_id}.yaml")



# --- helpers -------------------------------------------------------------------------------

def _wait(web, timeout: float = WAIT):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(web, timeout, poll_frequency=0.1, ignored_exceptions=[StaleElementReferenceException])


def open_page(web, url: str) -> None:
    """Load a page and wait until its search box exists."""
    from selenium.webdriver.common.by import By
    web.get(url)
    _wait(web).until(lambda d: d.find_elements(By.CSS_SELECTOR, "input.md-search__input"))


def typed(query: str) -> str:
    """What the search box holds after typing ``query``: the page joins an ID's hyphen (IN-0001 -> IN0001,
    see assets/cluster-grid.js)."""
    return re.sub(r"\b([A-Za-z]{2})-(\d{4})\b", lambda m: m[1].upper() + m[2], query)


def search(web, query: str) -> list[str]:
    """Type ``query`` into the site's search box; return the result hrefs once they settle."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = web.find_element(By.CSS_SELECTOR, "input.md-search__input")
    web.execute_script("arguments[0].focus()", box)
    # Clear with real key presses so the page sees the empty query and drops old results.
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    _wait(web).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".md-search-result__item"))
    box.send_keys(query)

    state: dict = {"snap": None, "since": 0.0}

    def settled(d):
        hrefs = tuple(a.get_attribute("href") for a in
                      d.find_elements(By.CSS_SELECTOR, ".md-search-result__item > a"))
        meta = d.find_element(By.CSS_SELECTOR, ".md-search-result__meta").text
        now = time.monotonic()
        # aria-busy: the worker has not yet answered the last query sent (see generator/offline.py)
        answered = d.find_element(By.CSS_SELECTOR, ".md-search-result").get_attribute("aria-busy") == "false"
        if box.get_attribute("value") != typed(query) or not hrefs or not answered:
            state.update(snap=None)  # still typing, or results of an earlier query
            return False
        if (hrefs, meta) != state["snap"]:
            state.update(snap=(hrefs, meta), since=now)
            return False
        return list(hrefs) if now - state["since"] >= SETTLE else False

    try:
        return _wait(web).until(settled)
    except Exception as exc:  # noqa: BLE001 - re-raised with the query for a readable failure
        raise AssertionError(f"search for {query!r} gave no settled results within {WAIT}s") from exc


def page_path(href: str) -> str:
    """The path part of a result href, without ?h= or #fragment, percent-decoded."""
    return unquote(urlsplit(href).path)


def is_cluster_page(href: str, cluster_id: str) -> bool:
    return page_path(href).endswith(f"/clusters/{cluster_id}.html")


def h1(web) -> str:
    from selenium.webdriver.common.by import By
    return _wait(web).until(lambda d: d.find_element(By.CSS_SELECTOR, "article h1")).text.strip()


def click(web, css: str | None = None, link_text: str | None = None) -> None:
    """Click a link in the page content and wait for the next page to load."""
    from selenium.webdriver.common.by import By
    before = web.current_url
    if link_text is not None:
        link = web.find_element(By.CSS_SELECTOR, "article").find_element(By.LINK_TEXT, link_text)
    else:
        link = web.find_element(By.CSS_SELECTOR, css)
    web.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    _wait(web).until(lambda d: d.current_url != before and d.execute_script("return document.readyState") == "complete")


def broken_internal_links(web, site: Path) -> list[str]:
    """Links on the current (file://) page that point inside the site but not to an existing file."""
    page = Path(unquote(urlsplit(web.current_url).path))
    raw = web.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    root = site.resolve()
    broken = []
    for href in raw:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # external (http, https, mailto) or a same-page #anchor / ?query
        target = (page.parent / unquote(parts.path)).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            broken.append(f"{href} -> {target}")
    return broken


def served(site: Path):
    """Serve ``site`` on 127.0.0.1 at a free port in a thread; return (server, origin)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # noqa: D401 - silence request logging
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.server_address[1]}"


# --- 1. search for local names, English names, countries, regions, products ----------------

LOCAL_NAMES = ["TH-0001", "JP-0003", "IN-0007"]  # Thai, Japanese, Devanagari name_local


@pytest.mark.browser
@pytest.mark.parametrize("cluster_id", LOCAL_NAMES)
def test_search_local_name_finds_cluster_first(web, real_site, cluster_id):
    name_local = cluster(cluster_id)["name_local"]
    assert name_local and not name_local.isascii()
    open_page(web, (real_site / "index.html").as_uri())
    hrefs = search(web, name_local)
    assert any(is_cluster_page(h, cluster_id) for h in hrefs), (name_local, hrefs)
    assert is_cluster_page(hrefs[0], cluster_id), (name_local, hrefs[:3])


@pytest.mark.browser
def test_search_english_name_country_region_product(web, real_site):
    record = cluster("TH-0001")
    countries = load(CONTENT / "countries.yaml")
    countries = countries["countries"]
    pakistan = countries["PK"]["name"]
    assert pakistan == "Pakistan"
    open_page(web, (real_site / "index.html").as_uri())

    for query in (record["name"], record["region"], record["products"][0]):
        hrefs = search(web, query)
        assert any(is_cluster_page(h, record["id"]) for h in hrefs), (query, hrefs)

    hrefs = search(web, pakistan)
    pk_pages = [h for h in hrefs if "/clusters/PK-" in page_path(h)]
    assert pk_pages, (pakistan, hrefs)


@pytest.mark.browser
def test_search_finds_whole_words_and_plurals(web, real_site):
    # Words a stemmer would shorten ("pottery" -> "potteri") must still be found whole, and a
    # singular must find its plural: the first cluster among the results names the word, and the
    # record of each query's example cluster does too. Many clusters now match "garments", so
    # the example need not be on the first screen of results.
    open_page(web, (real_site / "index.html").as_uri())
    for query, cluster_id in (("pottery", "JP-0002"), ("garments", "VN-0001"), ("garment", "VN-0001"),
                              ("lacquerware", "IN-0004")):
        record = cluster(cluster_id)
        assert query.lower() in " ".join([record["name"], record.get("sub_sector", "")] + record.get("products", [])).lower()
        hrefs = search(web, query)
        clusters = [page_path(h).rsplit("/", 1)[-1].removesuffix(".html") for h in hrefs if "/clusters/" in page_path(h)]
        assert clusters, (query, hrefs)
        first = cluster(clusters[0])
        words = " ".join([first["name"], first.get("sub_sector", "")] + first.get("products", [])).lower()
        assert query.lower() in words, (query, clusters[0])


# --- 2. search for an ID ---------------------------------------------------------------------

@pytest.mark.browser
def test_search_id_gives_cluster_first(web, real_site):
    open_page(web, (real_site / "index.html").as_uri())
    for cluster_id in ("IN-0001", "TH-0001", "CN-0003"):
        assert (CONTENT / "clusters" / f"{cluster_id}.yaml").is_file()
        hrefs = search(web, cluster_id)
        assert is_cluster_page(hrefs[0], cluster_id), (cluster_id, hrefs[:3])


# --- 3. navigation by clicks, and every internal link resolves -------------------------------

@pytest.mark.browser
def test_navigation_by_clicks_and_internal_links(web, real_site):
    home = (real_site / "index.html").as_uri()
    th = cluster("TH-0001")
    otop = load(CONTENT / "approaches" / "otop.yaml")
    ovop = load(CONTENT / "approaches" / "ovop.yaml")
    broken: dict[str, list[str]] = {}

    def check_links():
        bad = broken_internal_links(web, real_site)
        if bad:
            broken[web.current_url] = bad

    open_page(web, home)
    assert h1(web) == "Cluster Grid"
    check_links()

    # Home -> an index page -> a page it lists, for clusters, approaches and comparisons.
    journeys = [
        ("Browse all clusters", "clusters/index.html", "All clusters",
         f'{th["id"]}.html', f"clusters/{th['id']}.html", f"{th['name']} ({th['id']})"),
        ("Intervention approaches", "approaches/index.html", "Intervention approaches",
         "otop.html", "approaches/otop.html", otop["name"]),
        ("side-by-side comparisons", "compare/index.html", "Compare approaches",
         "otop-vs-ovop.html", "compare/otop-vs-ovop.html", f"{otop['name']} and {ovop['name']}"),
    ]
    for link_text, index, index_h1, href, target, target_h1 in journeys:
        open_page(web, home)
        click(web, link_text=link_text)
        assert page_path(web.current_url).endswith("/" + index)
        assert h1(web) == index_h1
        check_links()
        click(web, css=f'article a[href="{href}"]')
        assert page_path(web.current_url).endswith("/" + target)
        assert h1(web) == target_h1
        check_links()

    assert not broken, broken


# --- 4. no external requests, from disk and over HTTP ----------------------------------------

PAGES = ["index.html", "clusters/TH-0001.html", "approaches/otop.html", "compare/otop-vs-ovop.html",
         "concepts/characteristics.html"]


@pytest.mark.browser
def test_no_external_requests_from_file(web, real_site):
    requested_urls(web)  # drop what earlier tests requested
    for page in PAGES:
        open_page(web, (real_site / page).as_uri())
    assert search(web, "TH-0001")
    urls = requested_urls(web)
    assert any(u.endswith("/search/search_index.js") for u in urls), urls  # the log is not empty
    outside = [u for u in urls if urlsplit(u).scheme not in ("file", "data", "blob")]
    assert not outside, outside


@pytest.mark.browser
def test_search_from_file_runs_in_a_real_worker_without_script_errors(web, real_site):
    """From disk, search runs in a Blob-started Web Worker (no iframe shim), and no script fails."""
    web.get_log("browser")  # drop earlier messages
    open_page(web, (real_site / "index.html").as_uri())
    assert web.execute_script("return window.Worker.name") == "SearchWorker"
    assert search(web, "pottery")
    assert not web.find_elements("css selector", "iframe"), "search must not fall back to an iframe"
    # Material reads sitemap.xml beside every <link rel="alternate"> (meant for language versions);
    # the Atom feed link is one, and from file:// the browser blocks that read. It is harmless.
    errors = [e["message"] for e in web.get_log("browser") if e["level"] == "SEVERE" and "sitemap.xml" not in e["message"]]
    assert errors == []


@pytest.mark.browser
def test_no_external_requests_over_http(web, real_site):
    server, thread, origin = served(real_site)
    try:
        requested_urls(web)
        for page in PAGES:
            open_page(web, f"{origin}/{page}")
        hrefs = search(web, "TH-0001")
        assert is_cluster_page(hrefs[0], "TH-0001"), hrefs[:3]
        urls = requested_urls(web)
        assert any(u.startswith(f"{origin}/assets/") for u in urls), urls
        outside = [u for u in urls if not (u.startswith(origin + "/") or urlsplit(u).scheme in ("data", "blob"))]
        assert not outside, outside
    finally:
        web.get("about:blank")
        server.shutdown()
        server.server_close()
        thread.join(5)


# --- 5. the SVG figures render ---------------------------------------------------------------

@pytest.mark.browser
def test_concept_figures_render(web, real_site):
    from selenium.webdriver.common.by import By
    open_page(web, (real_site / "concepts" / "characteristics.html").as_uri())
    # each figure holds a wide and a narrow drawing; CSS shows one of them
    figures = [svg for svg in web.find_elements(By.CSS_SELECTOR, "article figure svg") if svg.is_displayed()]
    assert figures, "no inline <svg> figure in the characteristics page"
    for svg in figures:
        box = web.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]", svg)
        assert box[0] > 100 and box[1] > 50, (svg.get_attribute("aria-label"), box)
