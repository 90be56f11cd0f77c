"""Citations read back with real parsers: BibTeX with bibtexparser (LaTeX decoded by pylatexenc), RIS with
rispy, CSL-JSON against the CSL data schema and through citeproc-py; the release read from git; and a
hostile record name that every format must carry intact."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from generator import cite
from generator import enrich as e
from generator import export as xp
from generator.build import read_catalog
from generator.changes import release_name
from generator.pages import PageBuilder, SiteSettings

from .conftest import CONFIG, CONTENT, FIXTURE

SCHEMAS = Path(__file__).parent / "schemas"
HOSTILE = r"Brace {open} and }{ close \ back@slash 100% & $5 #1 a_b ^ ~ @misc{x, title = {y}} \end"
RELEASE = "unreleased, commit 0123456789ab"
SITE_URL = "https://example.org/cluster-grid/"


def _latex_to_text(value: str) -> str:
    """Decode a BibTeX field's LaTeX. pylatexenc does not know the text-mode brace commands and reads
    \\textasciicircum as a modifier letter; LaTeX's own meanings are given here."""
    db = get_default_latex_context_db().filter_context(keep_categories=None)
    db.add_context_category("cluster-grid-tests", prepend=True, macros=[
        MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textasciicircum", "^"), MacroTextSpec("textasciitilde", "~"),
        MacroTextSpec("textbackslash", "\\")])
    return LatexNodes2Text(latex_context=db, math_mode="verbatim").latex_to_text(value)


@pytest.fixture(scope="module", params=["content", "fixture"])
def catalog(request):
    found, _ = read_catalog(CONTENT if request.param == "content" else FIXTURE)
    return found


@pytest.fixture(scope="module")
def files(catalog):
    return xp.site_files(catalog, e.completeness_by_id(catalog), SITE_URL, RELEASE)


def _hostile_catalog(content: Path):
    path = content / "clusters" / "IN-0001.yaml"
    text = path.read_text(encoding="utf-8")
    # a YAML single-quoted scalar: every character as typed, only ' doubled
    path.write_text(text.replace('name: "Fixture knitwear cluster"', "name: '" + HOSTILE.replace("'", "''") + "'"),
                    encoding="utf-8")
    catalog, _ = read_catalog(content)
    assert next(c for c in catalog.clusters if c.id == "IN-0001").name == HOSTILE
    return catalog


# -- every record, every format ----------------------------------------------------------------

def test_every_cluster_has_three_citation_files_and_the_data_set_has_three(catalog, files):
    for c in catalog.clusters:
        for suffix in ("bib", "ris", "csl.json"):
            assert f"clusters/{c.id}.{suffix}" in files
    assert {"cluster-grid.bib", "cluster-grid.ris", "cluster-grid.csl.json"} <= set(files)
    # the record's data keeps its name, and the downloads count only those files
    [entry] = [d for d in xp.downloads(files) if d.path.startswith("clusters/")]
    assert entry.files == len(catalog.clusters) and entry.path.endswith(".json") and ".csl." not in entry.path


def test_bibtex_parses_and_names_id_title_release_date_and_permalink(catalog, files):
    for c in catalog.clusters:
        library = bibtexparser.parse_string(files[f"clusters/{c.id}.bib"].decode("utf-8"))
        assert library.failed_blocks == [] and len(library.entries) == 1
        entry = library.entries[0]
        assert entry.entry_type == "misc" and entry.key == f"clustergrid-{c.id}"
        fields = {f.key: f.value for f in entry.fields}
        assert _latex_to_text(fields["title"]) == c.name
        assert fields["author"] == "{Cluster Grid contributors}"  # one corporate name, not split into persons
        assert fields["version"] == RELEASE and RELEASE in fields["note"] and c.id in fields["note"]
        assert fields["date"] == c.reviewed.isoformat() and fields["year"] == str(c.reviewed.year)
        assert fields["url"] == f"{SITE_URL}clusters/{c.id}.html"
        assert fields["publisher"] == "Cluster Grid"


def test_ris_parses_and_names_id_title_release_date_and_permalink(catalog, files):
    for c in catalog.clusters:
        raw = files[f"clusters/{c.id}.ris"].decode("utf-8")
        assert raw.endswith("ER  - \r\n") and "\n" not in raw.replace("\r\n", "")
        [entry] = rispy.loads(raw)
        assert entry["type_of_reference"] == "DATA" and entry["id"] == f"clustergrid-{c.id}"
        assert entry["accession_number"] == c.id and entry["title"] == c.name
        assert entry["authors"] == ["Cluster Grid contributors"] and entry["publisher"] == "Cluster Grid"
        assert entry["edition"] == RELEASE and entry["date"] == c.reviewed.strftime("%Y/%m/%d")
        assert entry["urls"] == [f"{SITE_URL}clusters/{c.id}.html"]


def test_csl_json_is_valid_against_the_csl_data_schema(catalog, files):
    schema = json.loads((SCHEMAS / "csl-data.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    for c in catalog.clusters:
        items = json.loads(files[f"clusters/{c.id}.csl.json"])
        assert list(validator.iter_errors(items)) == []
        [item] = items
        assert item["title"] == c.name and item["number"] == c.id and item["version"] == RELEASE
        assert item["issued"] == {"date-parts": [[c.reviewed.year, c.reviewed.month, c.reviewed.day]]}
        assert item["URL"] == f"{SITE_URL}clusters/{c.id}.html"
    assert list(validator.iter_errors(json.loads(files["cluster-grid.csl.json"]))) == []


def test_csl_json_renders_with_citeproc_py(files):
    import citeproc
    from citeproc.source.json import CiteProcJSON

    items = json.loads(files["clusters/IN-0001.csl.json"])
    source = CiteProcJSON(items)
    style = citeproc.CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = citeproc.CitationStylesBibliography(style, source, citeproc.formatter.plain)
    bibliography.register(citeproc.Citation([citeproc.CitationItem(items[0]["id"])]))
    [text] = [str(x) for x in bibliography.bibliography()]
    assert items[0]["title"] in text and "Cluster Grid contributors" in text and SITE_URL in text


def test_the_data_set_citation_names_the_newest_review_and_the_home_page(catalog, files):
    [entry] = rispy.loads(files["cluster-grid.ris"].decode("utf-8"))
    newest = max([c.reviewed for c in catalog.clusters] + [a.reviewed for a in catalog.approaches])
    assert entry["title"] == cite.DATASET_TITLE and entry["urls"] == [SITE_URL]
    assert entry["date"] == newest.strftime("%Y/%m/%d") and entry["edition"] == RELEASE
    library = bibtexparser.parse_string(files["cluster-grid.bib"].decode("utf-8"))
    assert library.failed_blocks == [] and [x.key for x in library.entries] == ["clustergrid"]


def test_without_site_url_the_permalink_is_the_page_address(catalog):
    c = catalog.clusters[0]
    citation = cite.record_citation(c, cite.UNRELEASED)
    assert citation.url == f"clusters/{c.id}.html" and citation.release == "unreleased"
    assert cite.plain_text(citation).endswith(f"data release: unreleased. clusters/{c.id}.html")


# -- a hostile name --------------------------------------------------------------------------

def test_a_hostile_name_reads_back_exactly_from_every_format(content):
    catalog = _hostile_catalog(content)
    files = xp.site_files(catalog, e.completeness_by_id(catalog), SITE_URL, RELEASE)
    library = bibtexparser.parse_string(files["clusters/IN-0001.bib"].decode("utf-8"))
    assert library.failed_blocks == [] and len(library.entries) == 1 and library.strings == []
    fields = {f.key: f.value for f in library.entries[0].fields}
    # nothing of the name escaped its field: the same fields, in order, and the title decodes to the name
    assert list(fields) == ["author", "title", "howpublished", "publisher", "year", "date", "version", "note", "url"]
    assert _latex_to_text(fields["title"]) == HOSTILE
    assert fields["title"].count("{") == fields["title"].count("}")
    [entry] = rispy.loads(files["clusters/IN-0001.ris"].decode("utf-8"))
    assert entry["title"] == HOSTILE and entry["accession_number"] == "IN-0001"
    [item] = json.loads(files["clusters/IN-0001.csl.json"])
    assert item["title"] == HOSTILE


def test_a_hostile_name_is_shown_as_text_on_the_page(content):
    from generator.render import render_pages
    catalog = _hostile_catalog(content)
    page = render_pages(catalog, SiteSettings(release=RELEASE))["clusters/IN-0001.md"]
    section = page.split("## Cite this record", 1)[1]
    assert "Brace {open} and }{ close \\ back@slash 100% &amp; $5 #1 a_b ^ ~ @misc{x, title = {y}} \\end" in section
    assert "<pre><code>@misc{clustergrid-IN-0001," in section


def test_a_url_with_braces_or_backslashes_cannot_unbalance_the_bibtex_url_field(catalog):
    citation = cite.record_citation(catalog.clusters[0], RELEASE, "https://example.org/a{b}\\c%20d_e~f/")
    library = bibtexparser.parse_string(cite.bibtex(citation))
    assert library.failed_blocks == []
    url = {f.key: f.value for f in library.entries[0].fields}["url"]
    assert url == f"https://example.org/a%7Bb%7D%5Cc%20d_e~f/clusters/{catalog.clusters[0].id}.html"


# -- the page --------------------------------------------------------------------------------

def test_the_cluster_page_model_shows_what_the_files_hold(catalog, files):
    builder = PageBuilder(catalog, SiteSettings(site_url=SITE_URL, release=RELEASE), files)
    c = catalog.clusters[0]
    block = builder.cluster(c).cite
    assert [(f.name, f.file, str(f.href)) for f in block.formats] == [
        ("BibTeX", f"{c.id}.bib", f"{c.id}.bib"), ("RIS", f"{c.id}.ris", f"{c.id}.ris"),
        ("CSL-JSON", f"{c.id}.csl.json", f"{c.id}.csl.json")]
    for f, suffix in zip(block.formats, ("bib", "ris", "csl.json")):
        assert f.text.replace("\n", "\r\n" if suffix == "ris" else "\n").encode() == files[f"clusters/{c.id}.{suffix}"]
    assert block.url == f"{SITE_URL}clusters/{c.id}.html" and block.release == RELEASE


# -- the release -------------------------------------------------------------------------------

def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_release_names_the_commit_and_uncommitted_changes(content, tmp_path):
    assert release_name(content) == "unreleased"  # a folder outside any repository
    _git("init", "-q", cwd=tmp_path)
    assert release_name(content) == "unreleased"  # a repository without a commit
    _git("add", "content", cwd=tmp_path)
    _git("commit", "-q", "-m", "records", cwd=tmp_path)
    head = _git("rev-parse", "HEAD", cwd=tmp_path).strip()
    assert release_name(content) == release_name(content) == f"unreleased, commit {head[:12]}"
    (tmp_path / "README").write_text("outside the content\n")
    assert release_name(content) == f"unreleased, commit {head[:12]}"
    (content / "clusters" / "IN-0001.yaml").write_text("changed\n")
    assert release_name(content) == f"unreleased, commit {head[:12]} and uncommitted changes"


def test_without_git_the_release_is_unreleased(content, monkeypatch):
    monkeypatch.setenv("PATH", str(content))  # no git on the path
    assert release_name(content) == "unreleased"
    assert release_name(content / "no such folder") == "unreleased"


def test_a_build_without_git_succeeds_and_cites_unreleased(content, tmp_path, monkeypatch):
    from .conftest import build_into
    monkeypatch.setenv("PATH", str(tmp_path / "no-git"))
    site = build_into(content, tmp_path)
    [entry] = rispy.loads((site / "clusters" / "IN-0001.ris").read_text(encoding="utf-8"))
    assert entry["edition"] == "unreleased"
    page = (site / "clusters" / "IN-0001.html").read_text(encoding="utf-8")
    assert "data release: unreleased. clusters/IN-0001.html" in page
    assert (site / "cluster-grid.csl.json").is_file() and (site / "clusters" / "IN-0001.json").is_file()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_new_commit_changes_the_build_fingerprint_since_every_citation_names_it(content, tmp_path):
    from generator.build import build_fingerprint
    config = tmp_path / "mkdocs.yml"
    shutil.copy(CONFIG, config)
    _git("init", "-q", cwd=tmp_path)
    _git("add", "content", cwd=tmp_path)
    _git("commit", "-q", "-m", "records", cwd=tmp_path)
    first = build_fingerprint(content, config, False)
    assert build_fingerprint(content, config, False) == first
    (tmp_path / "README").write_text("not content\n")
    _git("add", "README", cwd=tmp_path)
    _git("commit", "-q", "-m", "readme", cwd=tmp_path)
    assert build_fingerprint(content, config, False) != first
