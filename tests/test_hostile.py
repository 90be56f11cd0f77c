"""Hostile records: text from strangers never becomes markup or code, anywhere it lands."""
from __future__ import annotations

import html
import os
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.escape import RenderError, md_inline, md_link, safe_url
from generator.write import WriteError, Writer

from .conftest import build_into, run_command, write

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
    '[x](https://sample.test){: tabindex=1 autofocus onfocus=alert(42) }',
    '<a href="vbscript:msgbox(1)">v</a> <meta http-equiv="refresh" content="0;url=https://evil.example">',
]
ALL = " ".join(PAYLOADS)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def hostile_record() -> str:
    """A valid record with every payload in every text field."""
    return f"""id: IN-0009
name: {_q("Evil " + ALL + " line break")}
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
note: {_q(ALL + " line" + chr(10) + "break")}
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
    # the title: escaped in <title>
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
    scan = _Scan()
    scan.feed(raw)
    assert not [d for d in scan.danger if "javascript" in d.lower()]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                 "data:text/html,x", "vbscript:msgbox", "//evil.example/x", "https://a b",
                                 "http://", "ftp://sample.test"])
def test_renderer_refuses_non_http_urls_on_its_own(url):
    with pytest.raises(RenderError, match="refused URL"):
        safe_url(url)
    with pytest.raises(RenderError):
        md_link("text", url)


def _markdown(text: str) -> str:
    """Render with Python-Markdown and the extensions mkdocs.yml enables."""
    import markdown
    return markdown.markdown(text, extensions=["tables", "attr_list", "admonition", "def_list", "toc"])


@pytest.mark.parametrize("text", PAYLOADS + [ALL, "- item", "+ item", "1. item", "2) item", "> quote", ": definition",
                                             "!!! note", "=====", "~~~", "# heading #", "Title ##", "a  \nb",
                                             "&amp; &#60; &lt;", "\\[x]", "`code`", "**strong** __strong__",
                                             "<http://sample.test>", "<a@b.c>", "x{: .cls }", "[a][b]", "[^1]"])
def test_inline_escaping_reads_back_as_the_same_text(text):
    # Python-Markdown turns the escaped text into one paragraph whose text is the input, nothing else
    from generator.escape import collapse
    out = _markdown(md_inline(text))
    assert out.startswith("<p>") and out.endswith("</p>") and "<" not in out[3:-4]
    assert html.unescape(out[3:-4]) == collapse(text)


def test_inline_escaping_is_readable():
    assert md_inline("IN-0001: Tiruppur (Tamil Nadu), 1.5 million") == "IN-0001: Tiruppur (Tamil Nadu), 1.5 million"
    assert md_inline("<b>[x](javascript:y)</b> *a* _b_ {c} | # & `d` \\") == \
        "&lt;b>\\[x\\](javascript:y)&lt;/b> \\*a\\* \\_b\\_ \\{c\\} \\| \\# &amp; \\`d\\` \\\\"


@pytest.mark.parametrize("text", PAYLOADS + [ALL, "a\n\nb <p>c</p>", "</p><script>alert(1)</script>"])
def test_block_escaping_is_html_paragraphs_of_the_same_text(text):
    from generator.escape import collapse, md_block
    out = _markdown(md_block(text))
    paragraphs = [collapse(p) for p in text.split("\n\n") if p.strip()]
    assert out == "\n\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


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
        for payload in ('</title><script>alert("t1")</script>', "[click](javascript:alert(\"l1\"))", '--8<-- "/etc/passwd"',
                        "[x](https://sample.test){: tabindex=1 autofocus onfocus=alert(42) }"):
            assert payload in body
        # inside the page's content (the theme's file:// worker shim adds an iframe of its own elsewhere)
        handlers = ",".join(f"article {x}" for x in ("[onfocus]", "[onerror]", "[onload]", "[onclick]", "[onmouseover]",
                                                      "[autofocus]", "[tabindex]", "iframe", "object", "embed", "base"))
        assert web.execute_script(f"return document.querySelectorAll('{handlers}').length") == 0
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


# -- Issue 9: every hole a validated record could use, refused with file:line or built as text --------

def _edit(content: Path, name: str, old: str, new: str) -> None:
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CLUSTER = "clusters/IN-0001.yaml"
APPROACH = "approaches/handholding.yaml"
HINT = "expected printable text; delete the character (it may come from a YAML \\ escape)"
ESCAPED_CHARACTERS = {
    # name: (file, old text, new text with a YAML escape, the exact first error)
    "DEL before an attribute list": (
        CLUSTER, 'name: "Fixture knitwear cluster"',
        r'name: "Fixture\x7f [x](https://sample.test){: tabindex=1 autofocus onfocus=alert(42) }"',
        f"content/clusters/IN-0001.yaml:3:7: error: name: value holds U+007F (control character); {HINT}"),
    "NUL, ESC and RLO": (
        CLUSTER, 'district: "Fixtureville"', r'district: "\0\x01\x1b[31m\u202eville"',
        f"content/clusters/IN-0001.yaml:7:11: error: district: value holds U+0000 (control character); {HINT}"),
    "C1 in region": (
        CLUSTER, 'region: "Tamil Nadu"', r'region: "Tamil\x85Nadu"',
        f"content/clusters/IN-0001.yaml:6:9: error: region: value holds U+0085 (control character); {HINT}"),
    "CSI in an approach name": (
        APPROACH, 'name: "Handholding"', r'name: "Hand\x9bholding"',
        f"content/approaches/handholding.yaml:2:7: error: name: value holds U+009B (control character); {HINT}"),
    "RLO in an approach summary": (
        APPROACH, 'summary: "Introducing', r'summary: "\u202eIntroducing',
        f"content/approaches/handholding.yaml:5:10: error: summary: value holds U+202E (right-to-left override); {HINT}"),
    "isolate": (
        CLUSTER, 'sub_sector: "Cotton knitwear"', r'sub_sector: "Cotton\u2066knitwear"',
        f"content/clusters/IN-0001.yaml:11:13: error: sub_sector: value holds U+2066 (left-to-right isolate); {HINT}"),
    "right-to-left mark": (
        CLUSTER, 'products: ["T-shirts"', r'products: ["T-shirts\u200f"',
        f"content/clusters/IN-0001.yaml:12:12: error: products[0]: value holds U+200F (right-to-left mark); {HINT}"),
    "lone surrogate": (  # the YAML parser itself refuses it
        CLUSTER, 'note: "Read from the fixture source."', r'note: "Read\ud800"',
        "content/clusters/IN-0001.yaml:30:16: error: typology.note: malformed YAML: found invalid Unicode character escape code; "
        "expected valid YAML; check quoting and indentation on this line and the one before"),
    "tab": (
        CLUSTER, 'title: "A fixture study"', r'title: "A\tfixture study"',
        f"content/clusters/IN-0001.yaml:43:12: error: sources[0].title: value holds U+0009 (control character); {HINT}"),
    "carriage return in prose": (
        CLUSTER, 'regional_development: "A fixture region."', r'regional_development: "A fixture\r region."',
        f"content/clusters/IN-0001.yaml:14:25: error: space.regional_development: value holds U+000D (control character); "
        f"{HINT}"),
    "line separator": (
        CLUSTER, 'networks: "Dense subcontracting networks."', r'networks: "Dense\u2028networks."',
        f"content/clusters/IN-0001.yaml:21:13: error: determinants.networks: value holds U+2028 (line separator); {HINT}"),
    "control character in a key": (
        CLUSTER, "reviewed: 2026-01-15", 'reviewed: 2026-01-15\n"k\\x07": 1',
        f"content/clusters/IN-0001.yaml:47:1: error: k\\u0007: key holds U+0007 (control character); {HINT}"),
    "control character in grid.yaml": (
        "grid.yaml", "\n", '\n"x\\x1b": 1\n',
        None),
}


@pytest.mark.parametrize("case", sorted(ESCAPED_CHARACTERS))
def test_yaml_escapes_cannot_put_control_characters_into_values(content, cli, monkeypatch, case):
    name, old, new, expected = ESCAPED_CHARACTERS[case]
    monkeypatch.chdir(content.parent)
    _edit(content, name, old, new)
    result = cli("validate", "--content", "content")
    assert result.code == 1
    errors = [line for line in result.lines if ": error: " in line]
    if expected is None:
        assert errors[0].startswith(f"content/{name}:") and "holds U+001B (control character)" in errors[0]
    else:
        assert errors[0] == expected
    build = cli("build", "--content", "content")
    assert build.code == 1 and not (content.parent / "site").exists()


REFUSED = {
    # name: (file, old text, new text, the exact first error)
    "IPv6 address left open": (
        CLUSTER, 'url: "https://sample.test/fixture"', 'url: "https://[::1"',
        "content/clusters/IN-0001.yaml:45:10: error: sources[0].url: URL cannot be used: Invalid IPv6 URL; "
        "expected an http(s) address with a host name, e.g. https://example.org/page"),
    "no host": (
        CLUSTER, 'url: "https://sample.test/fixture"', 'url: "https:///evil.example"',
        "content/clusters/IN-0001.yaml:45:10: error: sources[0].url: URL cannot be used: no valid host name; "
        "expected an http(s) address with a host name, e.g. https://example.org/page"),
    "port out of range": (
        CLUSTER, 'url: "https://sample.test/fixture"', 'url: "https://sample.test:99999/"',
        "content/clusters/IN-0001.yaml:45:10: error: sources[0].url: URL cannot be used: Port out of range 0-65535; "
        "expected an http(s) address with a host name, e.g. https://example.org/page"),
    "401-digit number": (
        CLUSTER, "value: 6250", "value: 1" + "0" * 400,
        "content/clusters/IN-0001.yaml:32:18: error: size.units.value: the number with 401 digits is too large; "
        "expected a value from 0 to 1e+15"),
    "NaN coordinates": (
        CLUSTER, "coordinates: {lat: 11.1, lon: 77.3}", "coordinates: {lat: .nan, lon: .nan}",
        "content/clusters/IN-0001.yaml:9:20: error: coordinates.lat: the number nan is not a finite number; "
        "expected a value from -12 to 56"),
    "infinite figure": (
        CLUSTER, "value: 6250", "value: .inf",
        "content/clusters/IN-0001.yaml:32:18: error: size.units.value: the number inf is not a finite number; "
        "expected a value from 0 to 1e+15"),
    "related is a number": (
        APPROACH, "reviewed:", "related: 5\nreviewed:",
        "content/approaches/handholding.yaml:10:10: error: related: wrong type: the number 5; expected a list"),
    "line break in a name": (
        CLUSTER, 'name: "Fixture knitwear cluster"', 'name: "Fixture\\nknitwear"',
        "content/clusters/IN-0001.yaml:3:7: error: name: line break in a single-line field; expected a single line of "
        "text; write it on one line (a folded '>' block or a YAML '\\n' escape adds a line break)"),
    "1,001-character name": (
        CLUSTER, 'name: "Fixture knitwear cluster"', 'name: "' + "x" * 1001 + '"',
        "content/clusters/IN-0001.yaml:3:7: error: name: 1001 characters, over the limit of 1000; expected a single "
        "line of text; shorten it, or move the detail to a note"),
    "products nested 1,000 deep": (
        CLUSTER, 'products: ["T-shirts", "Innerwear"]', "products: " + "[" * 1000 + "]" * 1000,
        "content/clusters/IN-0001.yaml:12:18: error: products: nesting deeper than 8 levels; expected the shape the record "
        "format gives; check the brackets and indentation"),
    "merge key": (
        CLUSTER, "coordinates: {lat: 11.1, lon: 77.3}", "coordinates: {<<: {lat: 11.1}, lon: 77.3}",
        "content/clusters/IN-0001.yaml:9:15: error: <<: YAML merge key '<<' is not allowed; expected plain values; "
        "write the merged fields out in full"),
    "merge key in block style": (
        CLUSTER, "coordinates: {lat: 11.1, lon: 77.3}", "coordinates:\n  <<: {lat: 11.1, lon: 77.3}",
        "content/clusters/IN-0001.yaml:10:3: error: <<: YAML merge key '<<' is not allowed; expected plain values; "
        "write the merged fields out in full"),
}


def _refused(content, cli, monkeypatch, edit) -> None:
    """Make one edit; validate and build both refuse it, the first error line being the expected one."""
    name, old, new, expected = edit
    monkeypatch.chdir(content.parent)
    _edit(content, name, old, new)
    result = cli("validate", "--content", "content")
    assert result.code == 1
    assert [line for line in result.lines if ": error: " in line][0] == expected
    assert "unexpected" not in result.err
    build = cli("build", "--content", "content")
    assert build.code == 1 and "unexpected" not in build.err


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_values_that_used_to_crash_the_build_are_refused_at_validate(content, cli, monkeypatch, case):
    _refused(content, cli, monkeypatch, REFUSED[case])


def test_a_quoted_merge_key_is_an_ordinary_unknown_field(content, cli, monkeypatch):
    monkeypatch.chdir(content.parent)
    _edit(content, CLUSTER, "reviewed:", '"<<": 1\nreviewed:')
    result = cli("validate", "--content", "content")
    assert [line for line in result.lines if ": error: " in line][0].startswith(
        "content/clusters/IN-0001.yaml:46:1: error: <<: unknown field '<<'")


def test_nesting_50000_deep_is_refused_without_a_crash(content):
    _edit(content, CLUSTER, 'products: ["T-shirts", "Innerwear"]', "products: " + "[" * 50000 + "]" * 50000)
    for command in (["validate"], ["fmt", "--check", "content/clusters/IN-0001.yaml"]):
        result = run_command(*command, "--content", "content", cwd=content.parent, timeout=120)
        assert result.code == 1, command
        assert "content/clusters/IN-0001.yaml:12:18: error: products: nesting deeper than 8 levels" in result.out, command
        assert "Traceback" not in result.err


def test_record_formats_fit_inside_the_loader_depth_limit():
    from generator.load import MAX_DEPTH
    from generator.spec import APPROACH as APPROACH_SPEC, CLUSTER as CLUSTER_SPEC, CONCEPT, TABLE5

    def depth(spec) -> int:
        inner = [spec.items] if spec.items else []
        inner += list(spec.fields.values()) + ([spec.values] if spec.values else [])
        own = 1 if spec.kind in ("map", "list") else 0
        return own + max((depth(s) for s in inner), default=0)

    assert max(depth(s) for s in (CLUSTER_SPEC, APPROACH_SPEC, CONCEPT, TABLE5)) <= MAX_DEPTH - 2


def test_no_break_and_zero_width_characters_are_kept_as_text(content, tmp_path):
    # decided in docs-src/record-format.md: NBSP reads as a space; ZWSP, ZWNJ, ZWJ and WJ are text
    _edit(content, CLUSTER, 'name_local: "फिक्स्चर"', 'name_local: "क्\u200dष\u200cत्र\u200ba\u2060b"')
    _edit(content, CLUSTER, 'district: "Fixtureville"', 'district: "Fixture\u00a0ville"')
    site = build_into(content, tmp_path)
    page = (site / "clusters" / "IN-0001.html").read_text(encoding="utf-8")
    assert "क्\u200dष\u200cत्र\u200ba\u2060b" in page
    assert "Fixture ville" in page and "\u00a0" not in page.split("<article", 1)[1].split("Fixture ville")[0][-40:]


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "X.yaml")


def _dev_zero(folder: Path) -> None:
    os.symlink("/dev/zero", folder / "X.yaml")


def _outside(folder: Path) -> None:
    outside = folder.parent.parent / "IN-0005.yaml"
    outside.write_text((folder / "IN-0001.yaml").read_text().replace("IN-0001", "IN-0005"))
    os.symlink(outside, folder / "IN-0005.yaml")


def _folder_named_yaml(folder: Path) -> None:
    (folder / "IN-0004.yaml").mkdir()


def _sub_folder(folder: Path) -> None:
    write(folder / "more" / "IN-0006.yaml", "id: IN-0006\n")


def _dotfile(folder: Path) -> None:
    write(folder / ".IN-0007.yaml", "id: IN-0007\n")


ODD_FILES = {
    "FIFO": (_fifo, "content/clusters/X.yaml:1:1: error: -: 'X.yaml' is a named pipe (FIFO); "
                    "expected a regular .yaml file; move it out of the content folder"),
    "symlink to /dev/zero": (_dev_zero, "content/clusters/X.yaml:1:1: error: -: file is a symbolic link; expected a regular "
                                        "file inside the content folder; copy the record here instead of linking to it"),
    "symlink to a valid record outside": (
        _outside, "content/clusters/IN-0005.yaml:1:1: error: -: file is a symbolic link; expected a regular file inside "
                  "the content folder; copy the record here instead of linking to it"),
    "folder named IN-0004.yaml": (_folder_named_yaml, "content/clusters/IN-0004.yaml:1:1: error: -: 'IN-0004.yaml' is a "
                                                      "folder; expected a regular .yaml file; move it out of the content folder"),
    "sub-folder": (_sub_folder, "content/clusters/more:1:1: error: -: unexpected folder 'more'; expected only .yaml record "
                                "files here, no sub-folders; move its files up or out"),
    "dotfile": (_dotfile, "content/clusters/.IN-0007.yaml:1:1: error: -: hidden file '.IN-0007.yaml'; expected only .yaml "
                          "record files here; delete it or move it out of the content folder"),
}


@pytest.mark.parametrize("case", sorted(ODD_FILES))
def test_odd_files_in_content_are_named_and_refused(content, case):
    make, expected = ODD_FILES[case]
    make(content / "clusters")
    # a separate process with a timeout: a FIFO used to block validate forever
    result = run_command("validate", "--content", "content", cwd=content.parent, timeout=60)
    assert result.code == 1
    assert [line for line in result.lines if ": error: " in line] == [expected]
    assert "Traceback" not in result.err


def test_an_oversized_file_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    from generator.load import MAX_FILE_BYTES, read_regular_file
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * (MAX_FILE_BYTES * 4))
    raw, problem = read_regular_file(big, "big.yaml")
    assert problem is None and len(raw) == MAX_FILE_BYTES + 1


@pytest.mark.parametrize("payload", ["\\n::error file=README.md,line=1::pwned", "\\n::stop-commands::token",
                                     "\\r::error::cr", "\\u2028::error::ls", "\\u0085::error::nel"])
def test_no_printed_line_starts_with_a_workflow_command(content, cli, monkeypatch, payload):
    monkeypatch.chdir(content.parent)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _edit(content, CLUSTER, "reviewed:", f'"k{payload}": 1\nreviewed:')
    _edit(content, CLUSTER, 'district: "Fixtureville"', f'district: "x{payload}"')
    _edit(content, CLUSTER, "country: IN", f'country: "IN{payload}"')
    result = cli("validate", "--content", "content")
    assert result.code == 1
    lines = (result.out + result.err).splitlines()
    commands = [line for line in lines if line.lstrip().startswith("::")]
    # only the annotations, one per problem, each naming the real file
    assert commands and all(line.startswith(("::error file=content/", "::warning file=content/")) for line in commands)
    assert len(commands) == len([line for line in lines if ": error: " in line or ": warning: " in line])
    for line in lines:
        assert "\r" not in line and "\u2028" not in line and "\x85" not in line


def test_site_guard_names_every_kind_of_active_content(tmp_path):
    from generator.checks import check_built_site
    write(tmp_path / "assets" / "theme.js", "")
    write(tmp_path / "a.html", "\n".join([
        '<script src="assets/theme.js"></script>',
        '<script>__md_scope=new URL(".",location)</script>',
        '<script id="__config" type="application/json">{"base": "."}</script>',
        '<img src="x.png" onerror="alert(1)">',
        '<a href=" JavaScript:alert(1)">x</a>',
        '<form action="vbscript:x"></form>',
        '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
        '<script>alert(1)</script>',
        '<script src="assets/missing.js"></script>',
        '<iframe src="x.html"></iframe>',
        '<object data="x.swf"></object>',
        '<embed src="x.swf">',
        '<base href="x/">',
        '<meta http-equiv="Refresh" content="0;url=x.html">',
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    ]))
    assert [x.format() for x in check_built_site(tmp_path)] == [
        'a.html:4: error: active content: <img onerror="alert(1)">; expected record text shown as text; no template writes this',
        'a.html:5: error: active content: <a href=" JavaScript:alert(1)">; expected record text shown as text; no template writes this',
        'a.html:6: error: active content: <form action="vbscript:x">; expected record text shown as text; no template writes this',
        'a.html:7: error: active content: <img src="data:image/svg+xml,<svg onload=alert(1)>">; expected record text shown as text; '
        'no template writes this',
        'a.html:8: error: active content: <script>alert(1); expected record text shown as text; no template writes this',
        'a.html:9: error: active content: <script src="assets/missing.js">; expected record text shown as text; no template writes this',
        'a.html:10: error: active content: <iframe>; expected record text shown as text; no template writes this',
        'a.html:11: error: active content: <object>; expected record text shown as text; no template writes this',
        'a.html:12: error: active content: <embed>; expected record text shown as text; no template writes this',
        'a.html:13: error: active content: <base>; expected record text shown as text; no template writes this',
        'a.html:14: error: active content: <meta http-equiv="refresh">; expected record text shown as text; no template writes this',
        'a.html:15: error: active content: <a xlink:href="javascript:alert(1)">; expected record text shown as text; '
        'no template writes this',
    ]


def test_built_sites_pass_the_guard(fixture_site, hostile_site):
    from generator.checks import check_built_site
    assert check_built_site(fixture_site) == []
    assert check_built_site(hostile_site) == []


@pytest.mark.parametrize("serial", ["0", "1"])  # checked in the second process as MkDocs writes, or after
def test_every_build_runs_the_guard_so_one_escaping_mistake_is_not_enough(content, tmp_path, monkeypatch, serial):
    # Simulate an escaping bug: prose printed raw. The guard must stop the build and keep the old site.
    from markupsafe import Markup

    from generator import render
    from generator.build import BuildError, build
    monkeypatch.setenv("CLUSTERGRID_SERIAL", serial)
    site = build_into(content, tmp_path)
    before = (site / "clusters" / "IN-0001.html").read_bytes()
    _edit(content, CLUSTER, "reviewed:", 'note: "<img src=x onerror=alert(1)>"\nreviewed:')
    monkeypatch.setattr(render, "md_block", lambda text: Markup(str(text)))
    with pytest.raises(BuildError) as raised:
        build(content, site, tmp_path / "mkdocs.yml", tmp_path / "build" / "docs")
    message = str(raised.value)
    assert message.startswith(f"the built site holds active content no template wrote; {site} was left as it was:\n")
    assert "clusters/IN-0001.html:" in message
    assert 'error: active content: <img onerror="alert(1)">' in message
    assert (site / "clusters" / "IN-0001.html").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_front_matter_reads_back_equal_with_mkdocs_parser(content, tmp_path):
    from mkdocs.utils.meta import get_data

    from generator.build import read_catalog
    from generator.escape import front_matter_value
    from generator.render import SiteSettings, render_pages
    # characters a YAML parser refuses or reads differently when written raw (U+FFFE, a noncharacter, is
    # refused at validate since round three)
    _edit(content, CLUSTER, 'name: "Fixture knitwear cluster"',
          'name: "A: \\"b\\" \\\\ # c \\U0001F600 \\u00ad --- {x} [y] &amp; <z> \\u200d"')
    catalog, _ = read_catalog(content)
    pages = render_pages(catalog, SiteSettings())
    meta = get_data(pages["clusters/IN-0001.md"])[1]
    assert meta["title"] == front_matter_value('A: "b" \\ # c \U0001F600 \u00ad --- {x} [y] &amp; <z> \u200d (IN-0001)')


def test_front_matter_that_does_not_read_back_fails_the_render():
    from generator.escape import RenderError
    from generator.render import check_front_matter
    check_front_matter("x.md", '---\ntitle: "A"\n---\n', ["A"])
    with pytest.raises(RenderError, match="x.md: the front matter does not read back as written"):
        check_front_matter("x.md", '---\ntitle: "A\x7f"\n---\n', ["A\x7f"])
    with pytest.raises(RenderError, match="x.md: the front matter does not read back as written"):
        check_front_matter("x.md", '---\ntitle: A # b\n---\n', ["A # b"])


def test_two_builds_at_once_never_mix_their_pages(tmp_path):
    import shutil
    import subprocess
    import sys
    from .conftest import CONFIG, FIXTURE
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    for name in ("a", "b"):
        shutil.copytree(FIXTURE, tmp_path / name)
        _edit(tmp_path / name, CLUSTER, 'name: "Fixture knitwear cluster"', f'name: "Cluster of build {name.upper()}"')
    (tmp_path / "b" / "clusters" / "TH-0001.yaml").unlink()
    exe = Path(sys.executable).parent / "clustergrid"
    for _ in range(2):
        runs = [subprocess.Popen([str(exe), "build", "--content", name, "--site-dir", f"site-{name}"], cwd=tmp_path,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for name in ("a", "b")]
        for run in runs:
            _, err = run.communicate(timeout=300)
            assert run.returncode == 0, err
        a = (tmp_path / "site-a" / "clusters" / "IN-0001.html").read_text(encoding="utf-8")
        b = (tmp_path / "site-b" / "clusters" / "IN-0001.html").read_text(encoding="utf-8")
        assert "Cluster of build A" in a and "Cluster of build B" not in a
        assert "Cluster of build B" in b and "Cluster of build A" not in b
        assert (tmp_path / "site-a" / "clusters" / "TH-0001.html").exists()
        assert not (tmp_path / "site-b" / "clusters" / "TH-0001.html").exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    # the generated Markdown, the theme overrides and the build stamps; no scratch folder is left
    assert not [p.name for p in (tmp_path / "build").iterdir() if p.name not in ("docs", "overrides", "stamps")]


def test_read_only_site_folder_gets_a_clear_message_and_no_debris(content, cli, monkeypatch):
    import shutil
    from .conftest import CONFIG
    shutil.copy(CONFIG, content.parent / "mkdocs.yml")
    monkeypatch.chdir(content.parent)
    assert cli("build", "--content", "content").code == 0
    site = content.parent / "site"
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    for folder in (site, site / "clusters"):
        folder.chmod(0o555)
        try:
            result = cli("build", "--content", "content", "--force")  # unchanged content: force a real build
        finally:
            folder.chmod(0o755)
        assert result.code == 1
        assert result.err.strip() == (f"error: {folder.relative_to(content.parent)} is read-only, so the built site cannot "
                                      "replace it; nothing was built. Make it writable (chmod -R u+w site) or choose "
                                      "another folder with --site-dir")
        assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
        assert not [p.name for p in content.parent.iterdir() if p.name.startswith(".site.")]


def test_built_folders_are_readable_by_a_web_server(content, tmp_path):
    old = os.umask(0o022)
    try:
        site = build_into(content, tmp_path)
    finally:
        os.umask(old)
    folders = [site] + [p for p in site.rglob("*") if p.is_dir()]
    assert {oct(p.stat().st_mode & 0o777) for p in folders} == {"0o755"}
    docs = tmp_path / "build" / "docs"
    assert oct(docs.stat().st_mode & 0o777) == "0o755"


LONG = 250_000


@pytest.fixture(scope="module")
def long_site(tmp_path_factory) -> Path:
    """The fixture with a 250 KB prose field in a paragraph, a table cell and a list item (one per record)."""
    import shutil
    from .conftest import FIXTURE
    work = tmp_path_factory.mktemp("long")
    shutil.copytree(FIXTURE, work / "content")
    _edit(work / "content", CLUSTER, "reviewed:", 'note: "' + "<" * LONG + '"\nreviewed:')
    _edit(work / "content", "clusters/JP-0001.yaml", "reviewed:",
          'determinants: {networks: "' + "<a" * (LONG // 2) + '"}\nreviewed:')
    _edit(work / "content", "clusters/TH-0001.yaml", "- {id: otop}", '- {id: otop, note: "' + "*_[" * (LONG // 3) + '"}')
    shutil.copy(Path(__file__).parent.parent / "mkdocs.yml", work / "mkdocs.yml")
    return build_into(work / "content", work)


@pytest.mark.parametrize("page, payload", [("IN-0001", "<" * LONG), ("JP-0001", "<a" * (LONG // 2)),
                                           ("TH-0001", "*_[" * (LONG // 3))])
def test_a_250_kb_field_is_built_and_shown_as_text(long_site, page, payload):
    # its build time is measured by benchmarks/long_field.py (no timed tests)
    raw = (long_site / "clusters" / f"{page}.html").read_text(encoding="utf-8")
    assert payload in html.unescape(raw)
    assert raw.count("<a") < 200 and raw.count("<em>") < 100  # the payload made no links and no emphasis


@pytest.mark.browser
def test_browser_shows_a_250_kb_field_as_text(long_site):
    from selenium.webdriver.common.by import By

    from .browser import start_driver, stop_driver

    web = start_driver()
    try:
        for page, payload in (("IN-0001", "<" * 1000), ("JP-0001", "<a" * 1000), ("TH-0001", "*_[" * 1000)):
            web.get((long_site / "clusters" / f"{page}.html").as_uri())
            assert payload in web.find_element(By.TAG_NAME, "article").text
            assert web.execute_script("return document.querySelectorAll('article a[href=\"\"], article em a').length") == 0
    finally:
        stop_driver(web)


@pytest.mark.parametrize("text, expected", [
    ("Prose with **strong** and *emphasis*.", "<p>Prose with <strong>strong</strong> and <em>emphasis</em>.</p>"),
    ("One\nparagraph\n\n- item *one*\n- item two", "<p>One paragraph</p>\n\n<ul>\n<li>item <em>one</em></li>\n<li>item two</li>\n</ul>"),
    ("<script>alert(1)</script> & [x](javascript:y){: onclick=z }",
     "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; [x](javascript:y){: onclick=z }</p>"),
    ("a * not emphasis * and **unclosed", "<p>a * not emphasis * and **unclosed</p>"),
    ("</p><p onclick=x>", "<p>&lt;/p&gt;&lt;p onclick=x&gt;</p>"),
])
def test_concept_prose_keeps_emphasis_and_lists_and_escapes_the_rest(text, expected):
    from generator.escape import md_prose
    assert md_prose(text) == expected
    assert "<p>" in _markdown(md_prose(text)) or "<ul>" in _markdown(md_prose(text))


# -- Round three: the maintainer's commands, the vocabulary files, the feed and the theme's ids --------

ROUND3_REFUSED = {
    # name: (file, old text, new text, the exact first error line)
    "a 101-term vocabulary": (
        "grid.yaml", "sectors:\n", "sectors:\n" + "".join(f'  extra_{n}: "Extra {n}"\n' for n in range(90)),
        "content/grid.yaml:72:3: error: sectors: 105 terms, over the limit of 100; expected at most 100 terms; "
        "remove the terms no record needs"),
    "a key with a space": (
        "grid.yaml", "sectors:\n", 'sectors:\n  "x y": "X"\n',
        "content/grid.yaml:72:3: error: sectors.x y: 'x y' is not a safe key; expected lowercase letters, digits and "
        "'_', starting with a letter, at most 40 characters (e.g. agro_food)"),
    "a __proto__ policy class": (
        "grid.yaml", "policy_classes:\n", 'policy_classes:\n  __proto__: "Proto"\n',
        "content/grid.yaml:64:3: error: policy_classes.__proto__: '__proto__' is not a safe key; expected lowercase "
        "letters, digits and '_', starting with a letter, at most 40 characters (e.g. agro_food)"),
    "a sector named index": (
        "grid.yaml", "sectors:\n", 'sectors:\n  index: "Index"\n',
        "content/grid.yaml:72:3: error: sectors.index: 'index' is a reserved page name; expected a word other than "
        "404, assets, index, schema, search"),
    "a-b beside a_b": (
        "grid.yaml", "sectors:\n", 'sectors:\n  a_b: "A"\n  a-b: "B"\n',
        "content/grid.yaml:73:3: error: sectors.a-b: 'a-b' is not a safe key; expected lowercase letters, digits and "
        "'_', starting with a letter, at most 40 characters (e.g. agro_food)"),
    "a 300-character key": (
        "grid.yaml", "sectors:\n", f'sectors:\n  {"k" * 300}: "Long"\n',
        "content/grid.yaml:72:3: error: sectors." + "k" * 300 + ": '" + "k" * 37 + "…' is not a safe key; expected "
        "lowercase letters, digits and '_', starting with a letter, at most 40 characters (e.g. agro_food)"),
    "a country key ../x": (
        "countries.yaml", "countries:\n", 'countries:\n  "../x": {name: "X"}\n',
        "content/countries.yaml:5:3: error: countries.../x: '../x' is not a safe key; expected an ISO 3166-1 alpha-2 "
        "code: two capital letters"),
    "an approach with id index": (
        "approaches/handholding.yaml", "id: handholding", "id: index",
        "content/approaches/handholding.yaml:1:5: error: id: 'index' is a reserved page name; expected an ID other "
        "than 404, assets, index, schema, search"),
    "a concept with id index": (
        "concepts/definitions.yaml", "id: definitions", "id: index",
        "content/concepts/definitions.yaml:1:5: error: id: 'index' is a reserved page name; expected an ID other "
        "than 404, assets, index, schema, search"),
    "U+FFFF in a name": (
        CLUSTER, 'name: "Fixture knitwear cluster"', r'name: "Fixture\uffff cluster"',
        f"content/clusters/IN-0001.yaml:3:7: error: name: value holds U+FFFF (noncharacter); {HINT}"),
    "U+FFFE in a note": (
        CLUSTER, 'networks: "Dense subcontracting networks."', r'networks: "Dense\ufffe networks."',
        f"content/clusters/IN-0001.yaml:21:13: error: determinants.networks: value holds U+FFFE (noncharacter); {HINT}"),
    "U+FDD0 raw in the file": (
        CLUSTER, 'name: "Fixture knitwear cluster"', 'name: "Fixture\ufdd0 cluster"',
        "content/clusters/IN-0001.yaml:3:15: error: name: control character U+FDD0 in file; expected printable text; "
        "delete the character"),
    "a name of zero-width spaces": (
        CLUSTER, 'name: "Fixture knitwear cluster"', r'name: "\u200b\u200b"',
        "content/clusters/IN-0001.yaml:3:7: error: name: value shows nothing: it holds only invisible characters; "
        "expected a single line of text; give a value a reader can see, or remove the field"),
    "a name of a word joiner and a soft hyphen": (
        CLUSTER, 'name: "Fixture knitwear cluster"', r'name: "\u2060\u00ad"',
        "content/clusters/IN-0001.yaml:3:7: error: name: value shows nothing: it holds only invisible characters; "
        "expected a single line of text; give a value a reader can see, or remove the field"),
    "a name of a Hangul filler": (
        CLUSTER, 'name: "Fixture knitwear cluster"', r'name: "\u3164"',
        "content/clusters/IN-0001.yaml:3:7: error: name: value shows nothing: it holds only invisible characters; "
        "expected a single line of text; give a value a reader can see, or remove the field"),
    "a name of blank Braille": (
        CLUSTER, 'name: "Fixture knitwear cluster"', r'name: "\u2800\u2800"',
        "content/clusters/IN-0001.yaml:3:7: error: name: value shows nothing: it holds only invisible characters; "
        "expected a single line of text; give a value a reader can see, or remove the field"),
    "an invisible sector label": (
        "grid.yaml", 'agro_food: "Agro-processing and food"', r'agro_food: "\u200b"',
        "content/grid.yaml:72:14: error: sectors.agro_food: label shows nothing; expected a label a reader can see"),
    "latitude 90": (
        CLUSTER, "coordinates: {lat: 11.1, lon: 77.3}", "coordinates: {lat: 90, lon: 77.3}",
        "content/clusters/IN-0001.yaml:9:20: error: coordinates.lat: the number 90 is out of range; expected a value "
        "from -12 to 56 (inside the map of Asia)"),
    "longitude -180": (
        CLUSTER, "coordinates: {lat: 11.1, lon: 77.3}", "coordinates: {lat: 11.1, lon: -180}",
        "content/clusters/IN-0001.yaml:9:31: error: coordinates.lon: the number -180 is out of range; expected a value "
        "from 25 to 150 (inside the map of Asia)"),
    "a second Table 5 row": (
        "table5.yaml", '  - {country: "PH", income_group: "LMI", total: 6}',
        '  - {country: "PH", income_group: "LMI", total: 6}\n  - {country: "IN", income_group: "LI", total: 1}',
        "content/table5.yaml:5:5: error: rows[3].country: second row for country 'IN'; expected one row per country; "
        "merge it with rows[0]"),
}


@pytest.mark.parametrize("case", sorted(ROUND3_REFUSED))
def test_round_three_inputs_are_refused_at_validate_with_file_and_line(content, cli, monkeypatch, case):
    _refused(content, cli, monkeypatch, ROUND3_REFUSED[case])


@pytest.mark.parametrize("ident, expected", [
    ("index", "'index' is a reserved page name"),
    ("handholding-clusters", "'handholding-clusters' would take the address of another page"),
    ("a-vs-b", "'a-vs-b' would take the address of another page"),
    ("x" * 61, "61 characters, over the limit of 60"),
])
def test_approach_ids_never_take_another_page_s_address(content, cli, monkeypatch, ident, expected):
    monkeypatch.chdir(content.parent)
    source = content / "approaches" / "handholding.yaml"
    target = content / "approaches" / f"{ident}.yaml"
    target.write_text(source.read_text(encoding="utf-8").replace("id: handholding", f"id: {ident}"), encoding="utf-8")
    source.unlink()
    for record in (content / "clusters").glob("*.yaml"):
        record.write_text(record.read_text(encoding="utf-8").replace("id: handholding", f"id: {ident}"), encoding="utf-8")
    result = cli("validate", "--content", "content")
    errors = [line for line in result.lines if ": error: " in line]
    assert result.code == 1
    assert errors[0].startswith(f"content/approaches/{ident}.yaml:1:5: error: id: {expected}")


def test_a_retired_id_with_a_line_break_is_refused(content, cli, monkeypatch):
    monkeypatch.chdir(content.parent)
    write(content / "retired.yaml", 'retired: ["IN-0009\\n"]\n')
    result = cli("validate", "--content", "content")
    assert result.code == 1
    assert result.lines[0].startswith("content/retired.yaml:1:11: error: retired[0]: not a retired ID: 'IN-0009\\u000A'")


def test_listing_pages_exist_only_for_terms_some_record_uses(content, tmp_path):
    _edit(content, "grid.yaml", "sectors:\n", "sectors:\n" + "".join(f'  unused_{n}: "Unused {n}"\n' for n in range(80)))
    site = build_into(content, tmp_path)
    sectors = sorted(p.name for p in (site / "sectors").glob("*.html"))
    assert sectors == ["agro-food.html", "crafts.html", "index.html", "textiles-garments.html"]
    index = (site / "sectors" / "index.html").read_text(encoding="utf-8")
    assert "Unused 7" in index and 'href="unused-7.html"' not in index
    assert not [p for p in (site / "typologies").glob("*.html") if "policy-service" in p.name]


def test_a_decomposed_name_is_read_as_typed(content, tmp_path):
    import unicodedata
    decomposed = unicodedata.normalize("NFD", "Phố Hiến lacquer")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    _edit(content, CLUSTER, 'name: "Fixture knitwear cluster"', f'name: "{decomposed}"')
    site = build_into(content, tmp_path)
    for page in ("clusters/IN-0001.html", "clusters/IN-0001.json", "search/search_index.json"):
        text = (site / page).read_text(encoding="utf-8")
        if page.endswith(".json"):
            text = json.dumps(json.loads(text), ensure_ascii=False)
        assert "Phố Hiến lacquer" in text and decomposed not in text, page


@pytest.mark.parametrize("name", ['{"__config":{}}', "__config", "__drawer", "__search"])
def test_headings_from_records_never_take_the_theme_s_ids(content, tmp_path, name):
    _edit(content, "approaches/handholding.yaml", 'name: "Handholding"', f"name: {_q(name)}")
    _edit(content, "concepts/definitions.yaml", 'heading: "Table 1"', f"heading: {_q(name.upper())}")
    site = build_into(content, tmp_path)  # the guard refuses a page with an id used twice
    from generator.checks import duplicate_ids
    for page in ("approaches/handholding.html", "concepts/definitions.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert duplicate_ids(text, page) == []
        assert text.count('id="__config"') == 1


def test_the_guard_reports_an_id_used_twice_and_xml_that_does_not_parse(tmp_path):
    from generator.checks import check_built_site
    write(tmp_path / "index.html", '<h1 id="__config">x</h1>\n<script id="__config" type="application/json">{}</script>'
          '\n<p id="a">1</p>\n<!-- <p id="a"> -->\n<p id="a">2</p>\n')
    write(tmp_path / "feed.xml", '<?xml version="1.0"?>\n<feed>\uffff</feed>\n')
    write(tmp_path / "sitemap.xml", '<?xml version="1.0"?>\n<urlset></urlset>\n')
    found = [(x.path, x.line, x.kind, x.what) for x in check_built_site(tmp_path)]
    assert found == [("feed.xml", 2, "malformed XML", "not well-formed (invalid token)"),
                     ("index.html", 2, "duplicate id", 'id="__config" used twice'),
                     ("index.html", 5, "duplicate id", 'id="a" used twice')]


@pytest.mark.parametrize("serial", ["0", "1"])
@pytest.mark.parametrize("broken", ["duplicate id", "feed"])
def test_every_build_refuses_a_duplicate_id_or_a_feed_that_does_not_parse(content, tmp_path, monkeypatch, serial,
                                                                          broken):
    """Remove the guard and this fails: the page and the feed below are written as a build would."""
    import generator.build as build_module
    from generator.build import BuildError
    monkeypatch.setenv("CLUSTERGRID_SERIAL", serial)
    if broken == "feed":
        import generator.export as export
        original_feed = export.render_feed
        monkeypatch.setattr(export, "render_feed", lambda *a, **k: original_feed(*a, **k).replace(
            b"</feed>", "\uffff</feed>".encode("utf-8")))
    else:
        original = build_module.render_pages

        def with_duplicate(*args, **kwargs):
            pages = dict(original(*args, **kwargs))
            pages["grid.md"] += '\n<p id="twice">a</p><p id="twice">b</p>\n'
            return pages
        monkeypatch.setattr(build_module, "render_pages", with_duplicate)
    with pytest.raises(BuildError) as raised:
        build_into(content, tmp_path)
    assert ("duplicate id" if broken == "duplicate id" else "malformed XML") in str(raised.value)
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("name", ["x\x1b[31m.yaml", "x\u202eyaml.yaml"])
def test_annotation_lines_escape_file_names_like_the_human_lines(content, cli, monkeypatch, name):
    monkeypatch.chdir(content.parent)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    write(content / "clusters" / name, "id: IN-0002\n")
    result = cli("validate", "--content", "content")
    lines = (result.out + result.err).splitlines()
    annotations = [line for line in lines if line.startswith("::error")]
    assert annotations and result.code == 1
    for line in lines:
        assert "\x1b" not in line and "\u202e" not in line, line
    assert any("\\u001B" in line or "\\u202E" in line for line in annotations)


# -- The maintainer's commands: publish takes its arguments as data ----------------------------------

def _git(*args, cwd):
    import subprocess
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def published(content, tmp_path):
    """A source repository (branch main) with an origin whose default branch is main."""
    from .test_publish import source_repository
    source_repository(tmp_path)
    _git("push", "-q", "origin", "main", cwd=tmp_path)
    return tmp_path


@pytest.mark.parametrize("args, said", [
    (["--remote", "--upload-pack=touch pwned;false"],
     "error: not a remote: '--upload-pack=touch pwned;false'; give a remote name, a URL or a path"),
    (["--remote", "-oProxyCommand=touch pwned"], "error: not a remote: '-oProxyCommand=touch pwned'"),
    (["--branch", "gh-pages:refs/heads/newlocal"], "error: not a branch name: 'gh-pages:refs/heads/newlocal'"),
    (["--branch", "HEAD"], "error: not a branch name: 'HEAD'"),
    (["--branch", "refs/heads/x"], "error: not a branch name: 'refs/heads/x'"),
    (["--branch=--force"], "error: not a branch name: '--force'"),
    (["--branch", "main"], "error: branch 'main' holds the source"),
    (["--cname", "clusters.example.org\nevil.example"], "error: not a host name for CNAME: 'clusters.example.org\\u000Aevil.example'"),
    (["--cname", "https://clusters.example.org/"], "error: not a host name for CNAME: 'https://clusters.example.org/'"),
])
def test_publish_refuses_arguments_git_would_read_as_options_or_refspecs(published, args, said):
    from .conftest import run_command
    before = _git("for-each-ref", cwd=published).stdout, _git("for-each-ref", cwd=published / "remote.git").stdout
    result = run_command("publish", "--content", "content", *args, cwd=published)
    assert result.code == 1
    assert result.err.startswith(said), result.err
    assert "Traceback" not in result.err
    assert not (published / "pwned").exists()
    after = _git("for-each-ref", cwd=published).stdout, _git("for-each-ref", cwd=published / "remote.git").stdout
    assert after == before  # no branch made here or on the remote


def test_publish_refuses_a_cname_from_mkdocs_yml_that_is_not_one_host(published):
    from .conftest import run_command
    config = published / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("extra:\n", 'extra:\n  cname: "a.example b.example"\n', 1),
                      encoding="utf-8")
    result = run_command("publish", "--content", "content", "--allow-dirty", cwd=published)
    assert result.code == 1
    line = next(n for n, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if "cname:" in text)
    assert result.lines[0] == (f"mkdocs.yml:{line}:10: error: extra.cname: cannot use 'a.example b.example'; "
                               "expected one host name, e.g. clusters.example.org"), result.out
    assert _git("rev-parse", "--verify", "-q", "refs/heads/gh-pages", cwd=published / "remote.git").stdout == ""


def test_publish_to_the_source_branch_needs_force_branch(published):
    from .conftest import run_command
    result = run_command("publish", "--content", "content", "--branch", "main", "--force-branch", cwd=published)
    assert result.code == 0, result.err
    assert "index.html" in _git("ls-tree", "--name-only", "main", cwd=published / "remote.git").stdout.split()


# -- The second process: its death and its silence are reported, never hidden -----------------------

def _checking(action):
    """A page check that does ``action`` to the second process on the first page it is sent."""
    def check(html, shown, site, known=None):
        action()
        return []
    return check


@pytest.mark.parametrize("action, said", [
    (lambda: os.kill(os.getpid(), 9), "checking built pages failed: the second process was killed by SIGKILL"),
    (lambda: (_ for _ in ()).throw(MemoryError("out of memory")),
     "checking built pages failed: unexpected MemoryError: out of memory"),
    (lambda: os.kill(os.getpid(), 19), "checking built pages failed: the second process stopped answering: it was "
                                       "stopped for 1 s (a SIGSTOP or a debugger?), so the watchdog ended it"),
])
def test_the_second_process_failing_while_it_checks_pages_is_reported_as_itself(content, tmp_path, monkeypatch,
                                                                                  action, said):
    import generator.overlap as overlap
    from generator.build import BuildError
    monkeypatch.delenv("CLUSTERGRID_SERIAL", raising=False)
    monkeypatch.setattr(overlap, "STOPPED_S", 1.0)
    site = build_into(content, tmp_path)
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    monkeypatch.setattr(overlap, "check_page", _checking(action))
    with pytest.raises(BuildError) as raised:
        build_into(content, tmp_path)
    assert str(raised.value).startswith(said), str(raised.value)
    assert "Broken pipe" not in str(raised.value)
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before


# -- Servers stay quiet and answer ----------------------------------------------------------------------

def test_the_server_answers_400_to_bad_paths_and_ignores_early_hang_ups(fixture_site, capfd):
    import socket
    import urllib.error
    import urllib.request
    from generator.serve import serve_folder
    server = serve_folder(fixture_site, 0)
    port = server.server_address[1]
    try:
        for bad in ("/%00", "/a%00b.html", "/%ff%fe", "/%1b[31m"):
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{bad}", timeout=10)
            assert answer.value.code == 400, bad
        for _ in range(30):  # clients that ask and hang up before the answer
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                sock.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=10).status == 200
    finally:
        server.shutdown()
        server.server_close()
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out


# -- Disk full and other errors of the system name the stage and the path ------------------------------

def test_a_full_disk_names_the_stage_and_the_path_and_keeps_the_site(content, cli, monkeypatch):
    import errno
    import shutil
    import generator.write as write_module
    from .conftest import CONFIG
    shutil.copy(CONFIG, content.parent / "mkdocs.yml")
    monkeypatch.chdir(content.parent)
    monkeypatch.setenv("CLUSTERGRID_SERIAL", "1")
    assert cli("build", "--content", "content").code == 0
    before = sorted(p.relative_to(content.parent / "site").as_posix() for p in (content.parent / "site").rglob("*"))
    real = write_module.Writer.write

    def full(self, path, data):
        if path == "grid.md":
            raise OSError(errno.ENOSPC, "No space left on device", str(self.root / path))
        return real(self, path, data)
    monkeypatch.setattr(write_module.Writer, "write", full)
    result = cli("build", "--content", "content", "--force")
    assert result.code == 1
    assert result.err.startswith("error: write stage failed: No space left on device (")
    assert "grid.md); the last site in site was kept" in result.err
    assert "unexpected" not in result.err
    assert sorted(p.relative_to(content.parent / "site").as_posix() for p in (content.parent / "site").rglob("*")) == before
