"""Hostile records: text from strangers never becomes markup or code, anywhere it lands."""
from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.escape import RenderError, md_inline, md_link, safe_url
from generator.write import WriteError, Writer

from .conftest import build_into, write

PAYLOADS = [
    '</title><script>alert("t1")</script>',
    '<img src=x onerror=alert("i1")>',
    '[click](javascript:alert("l1"))',
    '{: onclick="alert(\'a1\')" }',
    '--8<-- "/etc/passwd"',
    '!!! danger "Admonition"',
    '{{ 7*7 }} {% raw %}',
    'a | b | c',
    '" onmouseover="alert(\'q1\')',
    '<a href="javascript:alert(\'h1\')">x</a>',
    '<svg onload=alert("s1")>',
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
]
ALL = " ".join(PAYLOADS)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def hostile_record() -> str:
    """A valid record with every payload in every text field."""
    return f"""id: IN-0009
name: {_q("Evil " + ALL + " line" + chr(10) + "break")}
name_local: {_q(ALL)}
country: IN
region: {_q(ALL)}
district: {_q(ALL)}
setting: urban
sector: crafts
sub_sector: {_q(ALL)}
products: [{", ".join(_q(p) for p in PAYLOADS)}]
space:
  regional_development: {_q(ALL)}
  generic_infrastructure: {{electricity: {_q(ALL)}, roads_transport: {_q(ALL)}}}
  cluster_infrastructure: [{_q(ALL)}]
support_system:
  ngos: [{_q(ALL)}]
  buyers_traders: [{_q(ALL)}]
determinants:
  networks: {_q(ALL + chr(10) + chr(10) + ALL)}
  informalisation_labour: {_q(ALL)}
  informalisation_production: {_q(ALL)}
  macro_policy: {_q(ALL)}
markets: {{local: major}}
typology: {{sectoral: artisanal, policy_class: artisanal, note: {_q(ALL)}}}
size:
  turnover: {{value: 1, unit: {_q(ALL)}, year: 2001, source: evil, note: {_q(ALL)}}}
intervention:
  finance_credit: {{need: high, note: {_q(ALL)}, source: evil}}
approaches:
  - {{id: handholding, agency: {_q(ALL)}, note: {_q(ALL)}}}
sources:
  - {{key: evil, author: {_q(ALL)}, year: 2001, title: {_q(ALL)}, publisher: {_q(ALL)}, pages: {_q(ALL)},
     url: "https://sample.test/a_(b)?c=1&d=[2]"}}
note: {_q(ALL)}
reviewed: 2026-01-01
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    import shutil
    from .conftest import FIXTURE
    work = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURE, work / "content")
    write(work / "content" / "clusters" / "IN-0009.yaml", hostile_record())
    return build_into(work / "content", work)


class _Scan(HTMLParser):
    """Collects everything in a page that could run: handlers, script URLs, injected elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.danger: list[str] = []
        self.tags: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.danger.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "data") and value and \
                    value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.danger.append(f"<{tag} {name}={value[:40]}>")
        if tag in ("iframe", "img", "svg", "object", "embed") and tag not in ("svg",):
            self.danger.append(f"<{tag}>")
        self._script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script and "alert" in data:
            self.danger.append("script with alert")


def test_no_page_carries_executable_markup(hostile_site):
    for path in sorted(hostile_site.rglob("*.html")):
        scan = _Scan()
        scan.feed(path.read_text(encoding="utf-8"))
        assert scan.danger == [], f"{path.relative_to(hostile_site)}: {scan.danger}"


def test_payloads_are_shown_as_text(hostile_site):
    raw = (hostile_site / "clusters" / "IN-0009.html").read_text(encoding="utf-8")
    text = html.unescape(raw)
    for payload in PAYLOADS:
        assert payload in text, payload
    # the title: escaped in <title>, and the line break shown as a space
    title = raw.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and html.unescape(title).startswith("Evil </title><script>")
    assert "line break (IN-0009)" in html.unescape(title)
    description = raw.split('<meta name="description" content="', 1)[1].split('"', 1)[0]
    assert "<" not in description and "Evil" in description
    assert "49" not in text.split("{{ 7*7 }}")[0][-5:]
    # no admonition, snippet or attribute list was made of them
    assert 'class="admonition' not in raw
    assert "root:" not in raw


def test_search_index_holds_no_markup_from_records(hostile_site):
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [d for d in index["docs"] if d["location"].startswith("clusters/IN-0009")]
    assert entries
    for entry in entries:
        for field in ("title", "text"):
            for tag in ("<script", "<img", "<svg", "<iframe", "<a href=\"javascript"):
                assert tag not in entry[field], (entry["location"], field, tag)
    assert "alert" in entries[0]["title"]  # the payload is indexed, as text


def test_links_from_records_are_http_only(hostile_site):
    raw = (hostile_site / "clusters" / "IN-0009.html").read_text(encoding="utf-8")
    assert 'href="https://sample.test/a_%28b%29?c=1&amp;d=[2]"' in raw
    assert "javascript:" not in "".join(a for a in raw.split('href="')[1:] if a[:11].lower() == "javascript:")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                 "data:text/html,x", "vbscript:msgbox", "//evil.example/x", "https://a b",
                                 "http://", "ftp://example.org"])
def test_renderer_refuses_non_http_urls_on_its_own(url):
    with pytest.raises(RenderError, match="refused URL"):
        safe_url(url)
    with pytest.raises(RenderError):
        md_link("text", url)


def test_markdown_escaping_covers_every_syntax():
    import re
    out = re.sub(r"&#[0-9]+;", "", md_inline(ALL + "\n# not a heading\n    code"))
    for char in "<>[](){}|`*_!#&":
        assert char not in out, char
    assert "\n" not in out


def test_writer_refuses_paths_outside_its_folder_and_repeated_paths(tmp_path):
    writer = Writer(tmp_path / "out")
    for bad in ("../escape.md", "/etc/passwd", "a/../../b.md", "", ".hidden/x.md", "a\\b.md", "x/\x00.md"):
        with pytest.raises(WriteError):
            writer.write(bad, "x")
    writer.write("clusters/IN-0001.md", "one")
    with pytest.raises(WriteError, match="twice"):
        writer.write("clusters/IN-0001.md", "two")
    assert not (tmp_path / "escape.md").exists()


def test_record_ids_that_would_leave_the_output_folder_are_refused(content, monkeypatch, cli):
    monkeypatch.chdir(content.parent)
    write(content / "clusters" / "IN-0002.yaml", hostile_record().replace("id: IN-0009", "id: ../../etc/x"))
    result = cli("build", "--content", "content")
    assert result.code == 1
    assert "content/clusters/IN-0002.yaml:1:5: error: id: '../../etc/x' is not of the right form; expected CC-NNNN" in result.out


@pytest.mark.browser
def test_browser_runs_no_payload_and_shows_it_as_text(hostile_site):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from .browser import start_driver, stop_driver

    web = start_driver()
    try:
        def no_dialog():
            try:
                alert = web.switch_to.alert
                text = alert.text
                alert.dismiss()
                pytest.fail(f"a dialog fired: {text!r}")
            except NoAlertPresentException:
                pass

        for page in ("clusters/IN-0009.html", "clusters/index.html", "countries/IN.html", "approaches/handholding.html",
                     "typologies/sectoral-artisanal.html", "index.html"):
            web.get((hostile_site / page).as_uri())
            WebDriverWait(web, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
            no_dialog()
            assert web.execute_script("return window.__cg_pwned === undefined")
        web.get((hostile_site / "clusters" / "IN-0009.html").as_uri())
        body = web.find_element(By.TAG_NAME, "body").text
        for payload in ('</title><script>alert("t1")</script>', "[click](javascript:alert(\"l1\"))", '--8<-- "/etc/passwd"'):
            assert payload in body
        assert web.title.startswith('Evil </title><script>alert("t1")</script>')
        # search over the payload: results render as text, nothing runs
        box = web.find_element(By.CSS_SELECTOR, "input.md-search__input")
        web.execute_script("arguments[0].focus()", box)
        box.send_keys("Evil onerror")
        WebDriverWait(web, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item"))
        no_dialog()
        results = web.find_element(By.CSS_SELECTOR, ".md-search-result").get_attribute("innerHTML")
        assert "<img" not in results and "<script" not in results
    finally:
        stop_driver(web)
