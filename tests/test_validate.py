"""Validation: every rule, with its exact message; every problem in one run."""
from __future__ import annotations

import pytest

from generator.build import read_catalog
from generator.problems import ContentError

from .conftest import write

GOOD = """id: IN-0002
name: "Good cluster"
country: IN
setting: urban
sector: leather_footwear
sources:
  - {key: s1, author: "A", year: 2001, title: "T", publisher: "P", url: "https://sample.test/a"}
reviewed: 2026-01-01
"""


def problems_for(content, monkeypatch, text: str, name: str = "IN-0002.yaml", strict: bool = False) -> list[str]:
    """Write one cluster file into the fixture content and return every formatted problem."""
    monkeypatch.chdir(content.parent)
    write(content / "clusters" / name, text)
    try:
        _, warnings = read_catalog(content, strict=strict)
    except ContentError as error:
        return [p.format() for p in error.problems]
    return [p.format() for p in warnings]


def errors(lines: list[str]) -> list[str]:
    return [line for line in lines if ": error: " in line]


def test_good_record_passes(content, monkeypatch):
    assert errors(problems_for(content, monkeypatch, GOOD)) == []


CASES = [
    ("wrong type", GOOD.replace('name: "Good cluster"', "name: [a, b]"),
     "content/clusters/IN-0002.yaml:2:7: error: name: wrong type: a list; expected a single line of text; put the text in quotes"),
    ("missing required field", GOOD.replace("setting: urban\n", ""),
     "content/clusters/IN-0002.yaml:1:1: error: setting: missing required field; expected one of: metro, rural, small_town, "
     "urban; add 'setting:' at the top level"),
    ("unknown field with suggestion", GOOD + "sectr: crafts\n",
     "content/clusters/IN-0002.yaml:9:1: error: sectr: unknown field 'sectr'; expected one of: approaches, coordinates, "
     "country, determinants, district, id, intervention, markets, name, name_local, name_local_lang, note, … (23 in all); "
     "did you mean 'sector'?"),
    ("vocabulary value with suggestion", GOOD + "typology: {sectoral: artisinal, note: x}\n",
     "content/clusters/IN-0002.yaml:9:22: error: typology.sectoral: unknown value: 'artisinal'; expected one of: artisanal, "
     "high_tech, traditional_industrial; did you mean 'artisanal'?"),
    ("country code not ISO", GOOD.replace("country: IN", "country: XX"),
     "content/clusters/IN-0002.yaml:3:10: error: country: not an ISO 3166-1 alpha-2 code: 'XX'; expected an ISO 3166-1 "
     "alpha-2 code such as IN, CN or TH"),
    ("ID pattern", GOOD.replace("id: IN-0002", "id: IN-2"),
     "content/clusters/IN-0002.yaml:1:5: error: id: 'IN-2' is not of the right form; expected CC-NNNN, e.g. IN-0001"),
    ("ID does not match file name", GOOD.replace("id: IN-0002", "id: IN-0003"),
     "content/clusters/IN-0002.yaml:1:5: error: id: ID 'IN-0003' does not match the file name 'IN-0002.yaml'; expected the "
     "file to be named 'IN-0003.yaml'; rename the file or change the ID to 'IN-0002'"),
    ("ID prefix differs from country", GOOD.replace("country: IN", "country: PK"),
     "content/clusters/IN-0002.yaml:1:5: error: id: ID prefix 'IN' differs from country 'PK'; expected an ID starting with 'PK-'"),
    ("reference to a missing approach", GOOD + "approaches:\n  - {id: handholdng}\n",
     "content/clusters/IN-0002.yaml:10:10: error: approaches[0].id: unknown value: 'handholdng'; expected one of: handholding, "
     "otop, ovop; did you mean 'handholding'?"),
    ("javascript URL", GOOD.replace("https://sample.test/a", "javascript:alert(1)"),
     "content/clusters/IN-0002.yaml:7:73: error: sources[0].url: not an http(s) URL: 'javascript:alert(1)'; expected an address "
     "starting with http:// or https://"),
    ("data URL", GOOD.replace("https://sample.test/a", "data:text/html,x"),
     "content/clusters/IN-0002.yaml:7:73: error: sources[0].url: not an http(s) URL: 'data:text/html,x'; expected an address "
     "starting with http:// or https://"),
    ("URL with markup characters", GOOD.replace("https://sample.test/a", "https://e.org/<b>"),
     "content/clusters/IN-0002.yaml:7:73: error: sources[0].url: URL contains a space, quote, backslash or angle bracket: "
     "'https://e.org/<b>'; expected an address with those characters percent-encoded (%20, %22, %3C, %3E)"),
    ("no sources", GOOD.split("sources:")[0] + "sources: []\nreviewed: 2026-01-01\n",
     "content/clusters/IN-0002.yaml:6:10: error: sources: list is empty; expected at least 1 item(s)"),
    ("figure without year", GOOD + "size:\n  units: {value: 10, source: s1}\n",
     "content/clusters/IN-0002.yaml:10:10: error: size.units.year: missing required field; expected Year the figure refers to; "
     "add 'year:'"),
    ("figure with unknown source", GOOD + "size:\n  units: {value: 10, year: 2000, source: s2}\n",
     "content/clusters/IN-0002.yaml:10:42: error: size.units.source: unknown source key 's2'; expected one of: s1"),
    ("money without unit", GOOD + "size:\n  exports: {value: 10, year: 2000, source: s1}\n",
     "content/clusters/IN-0002.yaml:10:12: error: size.exports.unit: missing unit; expected a unit with currency, e.g. 'USD million'"),
    ("number as text", GOOD + "size:\n  units: {value: '6,000', year: 2000, source: s1}\n",
     "content/clusters/IN-0002.yaml:10:18: error: size.units.value: wrong type: '6,000'; expected a number, without units or commas"),
    ("date as text", GOOD.replace("reviewed: 2026-01-01", "reviewed: 'last week'"),
     "content/clusters/IN-0002.yaml:8:11: error: reviewed: wrong type: 'last week'; expected a date written YYYY-MM-DD, unquoted"),
    ("coordinates out of range", GOOD + "coordinates: {lat: 95, lon: 10}\n",
     "content/clusters/IN-0002.yaml:9:20: error: coordinates.lat: the number 95 is out of range; expected a value from -12 to 56 (inside the map of Asia)"),
    ("need outside vocabulary", GOOD + "intervention:\n  finance_credit: {need: urgent}\n",
     "content/clusters/IN-0002.yaml:10:26: error: intervention.finance_credit.need: unknown value: 'urgent'; expected one of: "
     "high, low, medium, none, unknown"),
    ("until before since", GOOD + "approaches:\n  - {id: handholding, since: 2005, until: 2001}\n",
     "content/clusters/IN-0002.yaml:10:43: error: approaches[0].until: 'until' is before 'since'; expected a year from 2005 on"),
    ("approach listed twice", GOOD + "approaches:\n  - {id: ovop}\n  - {id: ovop}\n",
     "content/clusters/IN-0002.yaml:10:5: error: approaches[0].id: approach 'ovop' listed twice; expected each approach once "
     "(merge the entries)"),
    ("duplicate source key", GOOD.replace("reviewed:", "  - {key: s1, author: B, year: 2002, title: U, url: 'https://e.org'}\nreviewed:"),
     "content/clusters/IN-0002.yaml:8:11: error: sources[1].key: duplicate source key 's1'; expected a key used once in this record"),
    ("source with neither publisher nor URL", GOOD.replace('publisher: "P", url: "https://sample.test/a"', 'pages: "1"'),
     "content/clusters/IN-0002.yaml:7:5: error: sources[0]: source has neither publisher nor URL; expected a publisher or an "
     "http(s) URL so readers can find it"),
    ("empty value", GOOD.replace('name: "Good cluster"', "name:"),
     "content/clusters/IN-0002.yaml:2:1: error: name: value is empty; expected a single line of text; give a value"),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_rule_message(content, monkeypatch, name, text, expected):
    assert expected in errors(problems_for(content, monkeypatch, text))


def test_duplicate_id_names_the_first_file(content, monkeypatch):
    lines = problems_for(content, monkeypatch, GOOD.replace("IN-0002", "IN-0001"), name="IN-0001x.yaml")
    assert ("content/clusters/IN-0001x.yaml:1:5: error: id: duplicate cluster ID 'IN-0001'; expected an ID used by one "
            "record only; 'IN-0001' is already used by content/clusters/IN-0001.yaml") in lines


def test_every_problem_in_one_run(content, monkeypatch):
    text = GOOD.replace("country: IN", "country: XX").replace("setting: urban", "setting: village") + "bogus: 1\n"
    lines = errors(problems_for(content, monkeypatch, text))
    assert len(lines) == 3
    assert [line.split(": error: ")[1].split(":")[0] for line in lines] == ["country", "setting", "bogus"]


def test_problems_from_several_files_are_reported_together(content, monkeypatch):
    write(content / "clusters" / "TH-0002.yaml", "id: TH-0002\n")
    write(content / "approaches" / "bad.yaml", "- not a mapping\n")
    lines = errors(problems_for(content, monkeypatch, "name: [\n"))
    files = {line.split(":")[0] for line in lines}
    assert files == {"content/clusters/IN-0002.yaml", "content/clusters/TH-0002.yaml", "content/approaches/bad.yaml"}


def test_warnings_become_errors_with_strict(content, monkeypatch):
    text = GOOD.replace(', url: "https://sample.test/a"', "")
    lenient = problems_for(content, monkeypatch, text)
    assert "content/clusters/IN-0002.yaml:7:5: warning: sources[0]: source has no URL; expected a URL where readers can check it" in lenient
    with pytest.raises(ContentError) as raised:
        read_catalog(content, strict=True)
    assert any(p.message == "source has no URL" for p in raised.value.problems)


def test_undated_web_source_needs_access_date(content, monkeypatch):
    text = GOOD.replace("year: 2001, ", "")
    assert ("content/clusters/IN-0002.yaml:7:5: error: sources[0].year: missing required field; expected the year of publication; "
            "add 'year:' (or, for an undated web page, 'url:' and 'accessed:')") in problems_for(content, monkeypatch, text)
    ok = GOOD.replace("year: 2001, ", "accessed: 2026-11-01, ")
    assert errors(problems_for(content, monkeypatch, ok)) == []


def test_approach_reference_and_concept_prose_rules(content, monkeypatch):
    write(content / "approaches" / "ovop.yaml",
          (content / "approaches" / "ovop.yaml").read_text().replace("related: [otop]", "related: [ovop, nope]"))
    write(content / "concepts" / "definitions.yaml",
          (content / "concepts" / "definitions.yaml").read_text().replace("Prose with **emphasis**.", "See [x](javascript:y)."))
    lines = errors(problems_for(content, monkeypatch, GOOD))
    assert any("approaches/ovop.yaml" in l and "related[0]: approach lists itself" in l for l in lines)
    assert any("approaches/ovop.yaml" in l and "related[1]: unknown value: 'nope'" in l for l in lines)
    assert any("concepts/definitions.yaml" in l and "links, HTML and attribute lists are not allowed" in l for l in lines)


def test_grid_rows_naming_an_unknown_cell_are_reported(content, monkeypatch):
    grid = content / "grid.yaml"
    grid.write_text(grid.read_text().replace("cell: sub_sector}", "cell: sub_sectr}"))
    lines = errors(problems_for(content, monkeypatch, GOOD))
    assert len(lines) == 1
    assert lines[0].startswith("content/grid.yaml:")
    assert ": error: identification_grid[9].cell: unknown cell 'sub_sectr'; expected one of: cluster_infrastructure," in lines[0]


def test_an_ellipsis_inside_a_real_headline_is_not_a_placeholder():
    from generator.validate import PLACEHOLDERS
    ellipsis = PLACEHOLDERS[0][0]
    assert ellipsis.search("…") and ellipsis.search(" ... ") and ellipsis.search("https://doi.org/…")
    assert not ellipsis.search("眼鏡職人学校に福井の小学6年生が“入学” 業界の若手社員に混じる女の子…磨く")
    assert not ellipsis.search("Weavers wait… and wait")


def test_the_clock_rules_check_the_year_and_date_fields_the_spec_declares(content, monkeypatch):
    import datetime as dt

    from generator.spec import APPROACH, CLUSTER, Spec, dated_fields, mapping
    # every year and day of both record kinds is found, wherever it sits in the record
    cluster = {"reviewed": 1, "sources": [{"year": 1, "accessed": 1}], "size": {"workers": {"year": 1}},
               "approaches": [{"since": 1, "until": 1}], "name": "x"}
    assert [f for _, _, f, _ in dated_fields(CLUSTER, cluster)] == [
        "size.workers.year", "approaches[0].since", "approaches[0].until", "sources[0].year",
        "sources[0].accessed", "reviewed"]
    assert "origin.year" in [f for _, _, f, _ in dated_fields(APPROACH, {"origin": {"year": 1}})]
    # a field the spec marks as a year is checked; the same number in a plain int field is not
    from generator.load import Document
    from generator.validate import check_dates
    spec = mapping("T", "", {"made": Spec("int", year=True), "count": Spec("int")})
    doc = Document("t.yaml", {"made": 2031, "count": 2031}, "")
    found = check_dates(doc, spec, dt.date(2026, 11, 28))
    assert [(p.field, p.message) for p in found] == [("made", "year 2031 is in the future")]
