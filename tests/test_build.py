"""Full builds: pages and their content, the sidebar, stale pages, reproducibility, faults."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


from generator.build import build, read_catalog
from generator.checks import find_external_references

from .conftest import CONFIG, CONTENT, FIXTURE, build_into, write


def html(site: Path, page: str) -> str:
    """A built page with character references decoded, as a reader sees its text."""
    import html as html_module
    return html_module.unescape((site / page).read_text(encoding="utf-8"))


def test_every_cluster_and_approach_has_a_page(real_site):
    catalog, _ = read_catalog(CONTENT)
    for cluster in catalog.clusters:
        page = html(real_site, f"clusters/{cluster.id}.html")
        assert cluster.id in page
        assert "Identification grid" in page and "Intervention grid" in page
    for approach in catalog.approaches:
        assert (real_site / "approaches" / f"{approach.id}.html").exists()


def test_cluster_page_shows_profile_grid_and_sources(fixture_site):
    page = html(fixture_site, "clusters/IN-0001.html")
    assert "<title>Fixture knitwear cluster (IN-0001) - Cluster Grid</title>" in page
    # size figures in the profile link to their numbered reference
    assert 'Number of units: 6,250 units (2007; <a href="#src-fixture2009">source 1</a>)' in page
    assert 'Exports: 1,200.5 USD million (2008; <a href="#src-fixture2009">source 1</a>)' in page
    assert '<li id="src-fixture2009">' in page
    assert "source key" not in page
    assert '<nav class="cg-crumbs" aria-label="Breadcrumb"><a href="index.html">Clusters</a> › ' in page
    assert 'href="../approaches/handholding.html"' in page
    assert 'href="../countries/IN.html"' in page
    assert 'href="../typologies/policy-export-oriented.html"' in page
    assert 'href="https://sample.test/fixture"' in page
    # a record with almost nothing sums up its empty cells in one line per grid, not one row each
    thin = html(fixture_site, "clusters/TH-0001.html")
    assert thin.count("not recorded") == 0
    assert "Not yet recorded: region (state or province), district or town," in thin
    assert "(18 cells)" in thin and "(10 areas)" in thin


def test_cluster_pages_stay_out_of_the_sidebar(real_site):
    catalog, _ = read_catalog(CONTENT)
    first, last = catalog.clusters[0].id, catalog.clusters[-1].id
    page = html(real_site, f"clusters/{first}.html")
    nav = page.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert f"{last}.html" not in nav
    assert "clusters/index.html" in nav or "index.html" in nav


def test_comparison_and_browse_pages(real_site):
    pair = html(real_site, "compare/otop-vs-ovop.html")
    for dimension in ("Basic approach", "Markets and product promotion", "Policy and administrative aspects",
                      "Networking and inter-dependence"):
        assert dimension in pair
    countries = html(real_site, "countries/index.html")
    assert "6,400" in countries and "Pakistan" in countries
    assert (real_site / "sectors" / "textiles-garments.html").exists()
    assert (real_site / "typologies" / "sectoral-artisanal.html").exists()


def test_deleted_record_leaves_no_stale_page(content, tmp_path):
    site = build_into(content, tmp_path)
    assert (site / "clusters" / "TH-0001.html").exists()
    (content / "clusters" / "TH-0001.yaml").unlink()
    build(content, site, tmp_path / "mkdocs.yml", tmp_path / "build" / "docs")
    assert not (site / "clusters" / "TH-0001.html").exists()
    assert not (tmp_path / "build" / "docs" / "clusters" / "TH-0001.md").exists()


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"}


def test_two_builds_in_different_folders_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a = tmp_path / "one"
    b = tmp_path / "two" / "deeper"
    a.mkdir()
    b.mkdir(parents=True)
    shutil.copytree(FIXTURE, a / "content")
    shutil.copytree(FIXTURE, b / "content")
    site_a = build_into(a / "content", a)
    time.sleep(1.1)  # a different wall-clock second
    site_b = build_into(b / "content", b)
    tree_a, tree_b = _tree(site_a), _tree(site_b)
    assert sorted(tree_a) == sorted(tree_b)
    differing = [name for name in tree_a if tree_a[name] != tree_b[name]]
    assert differing == []
    for name, data in tree_a.items():
        if name.endswith((".html", ".xml", ".json", ".js")):
            assert str(tmp_path).encode() not in data, f"{name} contains a machine path"


def _gzip_mtime(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[4:8], "little")


def test_source_date_epoch_is_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = build_into(FIXTURE, tmp_path)
    assert _gzip_mtime(site / "sitemap.xml.gz") == 1699920000  # 2023-11-14, the day of 1700000000


def test_build_date_defaults_to_the_newest_review_date(tmp_path, monkeypatch):
    import calendar, datetime
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = build_into(FIXTURE, tmp_path)
    newest = calendar.timegm(datetime.date(2026, 1, 15).timetuple())  # IN-0001's 'reviewed'
    assert _gzip_mtime(site / "sitemap.xml.gz") == newest


def test_external_reference_check_finds_scripts_styles_fonts_and_images(tmp_path):
    write(tmp_path / "a.html", '<script src="https://cdn.example/x.js"></script>\n<img src="//img.example/y.png">\n'
                               '<link rel="stylesheet" href="http://fonts.example/f.css">\n<a href="https://ok.example">ok</a>\n'
                               '<link rel="canonical" href="https://site.example/">\n<div style="background:url(https://e.x/b.png)"></div>')
    write(tmp_path / "b.css", "@font-face { src: url('https://fonts.example/f.woff2') }")
    found = [x.format() for x in find_external_references(tmp_path)]
    assert found == [
        'a.html:1: error: external request: <script src="https://cdn.example/x.js">; expected files inside the site',
        'a.html:2: error: external request: <img src="//img.example/y.png">; expected files inside the site',
        'a.html:3: error: external request: <link rel="stylesheet" href="http://fonts.example/f.css">; expected files inside the site',
        'a.html:6: error: external request: style url https://e.x/b.png; expected files inside the site',
        "b.css:1: error: external request: css url https://fonts.example/f.woff2; expected files inside the site",
    ]


def test_built_site_makes_no_external_reference(real_site):
    assert find_external_references(real_site) == []


def test_build_refuses_a_site_that_would_load_from_the_network(content, tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = (CONFIG.read_text().replace("font: false", "font:\n    text: Roboto"))
    write(tmp_path / "mkdocs.yml", config)
    result = cli("build", "--content", "content")
    assert result.code == 1
    assert "the built site would make network requests" in result.err
    assert 'external request: <link rel="stylesheet" href="https://fonts.' in result.err
    assert not (tmp_path / "site").exists()


def test_killed_build_leaves_the_previous_site_byte_for_byte(content, tmp_path):
    site = build_into(content, tmp_path)
    before = _tree(site)
    # enough extra records that MkDocs writes for several seconds, so the signal lands mid-write
    template = (content / "clusters" / "TH-0001.yaml").read_text()
    for n in range(2, 202):
        ident = f"TH-{n:04d}"
        write(content / "clusters" / f"{ident}.yaml", template.replace("TH-0001", ident))
    exe = Path(sys.executable).parent / "clustergrid"
    for sig in (signal.SIGINT, signal.SIGKILL):
        proc = subprocess.Popen([str(exe), "build", "--content", "content"], cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            scratch = [p for p in tmp_path.glob(".site.build-*") if any(p.rglob("*.html"))]
            if scratch:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the build ended before it could be interrupted"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode != 0, f"the build was not interrupted by {sig.name}"
        assert b"Traceback" not in err
        assert _tree(site) == before, f"site changed after {sig.name}"
    # the next build cleans up after the killed one and succeeds
    build(content, site, tmp_path / "mkdocs.yml", tmp_path / "build" / "docs")
    assert (site / "clusters" / "TH-0200.html").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_stock_mkdocs_build_of_the_generated_folder_gives_the_same_site(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = build_into(FIXTURE, tmp_path)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    proc = subprocess.run([str(mkdocs), "build", "-q", "-d", str(tmp_path / "stock")], cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    assert proc.returncode == 0, proc.stderr
    assert _tree(site) == _tree(tmp_path / "stock")


def test_serve_rebuilds_when_a_record_changes(content, tmp_path):
    import socket
    import urllib.request
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    exe = Path(sys.executable).parent / "clustergrid"
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--content", "content"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def page() -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/clusters/TH-0001.html", timeout=5) as response:
            return response.read().decode()

    def wait_for(text: str) -> bool:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if text in page():
                    return True
            except OSError:
                pass
            time.sleep(0.5)
        return False

    try:
        assert wait_for("Fixture woodcarving village")
        record = content / "clusters" / "TH-0001.yaml"
        record.write_text(record.read_text().replace("Fixture woodcarving village", "Renamed while serving"))
        assert wait_for("Renamed while serving")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert b"Traceback" not in proc.stderr.read()


@pytest.mark.parametrize("setting, value, field, expected", [
    ("  repository: ", '"ftp://example.org/repo"', "extra.repository",
     "the https address of the repository, e.g. https://github.com/OWNER/REPO"),
    ("  branch: ", '"--force"', "extra.branch", "a branch name such as main"),
    ("  cname: ", '"https://clusters.example.org/"', "extra.cname", "one host name, e.g. clusters.example.org"),
])
def test_a_setting_under_extra_that_cannot_be_used_is_named_at_its_line(content, cli, monkeypatch, setting, value,
                                                                         field, expected):
    import shutil
    from .conftest import CONFIG
    config = content.parent / "mkdocs.yml"
    shutil.copy(CONFIG, config)
    config.write_text(config.read_text(encoding="utf-8").replace("extra:\n", f"extra:\n{setting}{value}\n", 1),
                      encoding="utf-8")
    line = next(n for n, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if text.startswith(setting))
    monkeypatch.chdir(content.parent)
    result = cli("build", "--content", "content")
    assert result.code == 1
    assert result.lines[0] == (f"mkdocs.yml:{line}:{len(setting) + 1}: error: {field}: cannot use {value.strip(chr(34))!r}; "
                               f"expected {expected}")
    assert not (content.parent / "site").exists()


def test_the_site_carries_no_file_only_the_build_reads(fixture_site):
    """The map's outline data is read at build time; the site carries the drawn map, not the 756 KB of data."""
    assert not [p for p in fixture_site.rglob("*") if p.suffix == ".json" and "countries-50m" in p.name]
    assert not (fixture_site / "assets" / "vendor").exists()
    assert '<svg' in (fixture_site / "map.html").read_text(encoding="utf-8")
