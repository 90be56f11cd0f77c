"""Contributor tools: JSON Schema agreeing with the validator, fmt, preview, and the GitHub files."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from generator.load import load_content
from generator.validate import validate_content
from generator.schema import schema_text

from .conftest import CONTENT, FIXTURE, ROOT, run_command, write
from .test_validate import CASES, GOOD


def _json_ready(value):
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _schema(kind: str, content: Path = CONTENT):
    loaded, _ = load_content(content)
    vocab = validate_content(loaded).vocab
    return json.loads(schema_text(kind, vocab))


def _schema_errors(schema, text: str) -> list[str]:
    data = _json_ready(YAML(typ="safe").load(text))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [e.message for e in validator.iter_errors(data)]


def test_committed_schemas_are_current():
    for kind in ("cluster", "approach"):
        committed = (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == json.dumps(_schema(kind), indent=2, ensure_ascii=False) + "\n", \
            f"schema/{kind}.schema.json is stale: run `clustergrid schema`"


def test_schema_check_command_detects_a_stale_schema(tmp_path):
    out = tmp_path / "schema"
    assert run_command("schema", "--out", str(out), "--content", str(CONTENT), cwd=ROOT).code == 0
    assert run_command("schema", "--check", "--out", str(out), "--content", str(CONTENT), cwd=ROOT).code == 0
    write(out / "cluster.schema.json", "{}\n")
    result = run_command("schema", "--check", "--out", str(out), "--content", str(CONTENT), cwd=ROOT)
    assert result.code == 1 and "stale schema" in result.err


def test_every_record_the_validator_accepts_passes_the_schema():
    cluster, approach = _schema("cluster"), _schema("approach")
    for path in sorted((CONTENT / "clusters").glob("*.yaml")) + sorted((FIXTURE / "clusters").glob("*.yaml")):
        assert _schema_errors(cluster, path.read_text(encoding="utf-8")) == [], path.name
    for path in sorted((CONTENT / "approaches").glob("*.yaml")):
        assert _schema_errors(approach, path.read_text(encoding="utf-8")) == [], path.name


# Validator cases that JSON Schema cannot express: they compare a record with its file name,
# with other fields of the record, with other records, or look at a number stored as text
# the way YAML reads it.
CROSS_RECORD = {"ID does not match file name", "ID prefix differs from country", "figure with unknown source",
                "money without unit", "until before since", "approach listed twice", "duplicate source key",
                "source with neither publisher nor URL"}


@pytest.mark.parametrize("name,text,expected", [c for c in CASES if c[0] not in CROSS_RECORD],
                         ids=[c[0] for c in CASES if c[0] not in CROSS_RECORD])
def test_schema_catches_what_the_validator_catches(name, text, expected):
    schema = _schema("cluster", FIXTURE)
    assert _schema_errors(schema, GOOD) == []
    assert _schema_errors(schema, text), f"schema accepts a record the validator refuses ({name})"


def test_schema_fields_have_titles_descriptions_and_enums():
    schema = _schema("cluster")
    props = schema["properties"]
    assert schema["additionalProperties"] is False
    assert props["setting"]["enum"] == ["metro", "urban", "small_town", "rural"]
    assert props["typology"]["properties"]["sectoral"]["enum"] == ["high_tech", "traditional_industrial", "artisanal"]
    assert props["id"]["examples"] == ["IN-0001"]
    missing = []

    def walk(node, path):
        if node.get("type") == "object":
            for key, value in node.get("properties", {}).items():
                walk(value, f"{path}.{key}")
        elif node.get("type") == "array" and node["items"].get("type") == "object":
            walk(node["items"], f"{path}[]")
        elif not (node.get("title") and node.get("description") and node.get("examples")):
            missing.append(path)

    for kind in ("cluster", "approach"):
        walk(_schema(kind), kind)
    assert missing == []


def test_records_name_their_schema_for_editors():
    for path in sorted((CONTENT / "clusters").glob("*.yaml")):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schema/cluster.schema.json\n"), path.name
    for path in sorted((CONTENT / "approaches").glob("*.yaml")):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schema/approach.schema.json\n"), path.name


def test_schemas_are_published_with_the_site(real_site):
    published = json.loads((real_site / "schema" / "cluster.schema.json").read_text(encoding="utf-8"))
    assert published["properties"]["id"]["pattern"] == "^[A-Z]{2}-[0-9]{4}$"


def test_fmt_orders_keys_and_keeps_comments(content, cli, monkeypatch):
    monkeypatch.chdir(content.parent)
    path = write(content / "clusters" / "TH-0001.yaml",
                 "# a comment that must survive\nsources:\n- {key: v, author: B, year: 2010, title: A, publisher: P}\n"
                 "reviewed: 2026-01-10   # checked\nname: \"Fixture village\"\nid: TH-0001\ncountry: TH\nsetting: rural\n"
                 "sector: crafts\n")
    check = cli("fmt", "--check", "content/clusters/TH-0001.yaml", "--content", "content")
    assert check.code == 1
    assert check.lines == ["content/clusters/TH-0001.yaml: would be reformatted"]
    assert cli("fmt", "content/clusters/TH-0001.yaml", "--content", "content").code == 0
    text = path.read_text()
    assert text.startswith("# a comment that must survive\nid: TH-0001\nname: \"Fixture village\"\ncountry: TH\n")
    assert "reviewed: 2026-01-10   # checked" in text
    assert cli("fmt", "--check", "--content", "content").code == 0
    assert cli("validate", "--content", "content").code == 0


def test_committed_content_is_formatted(cli):
    result = cli("fmt", "--check", "--content", str(CONTENT))
    assert result.code == 0, result.out


def test_preview_builds_one_record_and_its_neighbours(content, tmp_path):
    import shutil
    from .conftest import CONFIG
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    write(content / "clusters" / "XX-bad.yaml", "not: [valid\n")  # other records are not read
    result = run_command("preview", "--no-serve", "content/clusters/TH-0001.yaml", "--content", "content", cwd=tmp_path)
    assert result.code == 0, result.err
    site = tmp_path / "build" / "preview"
    assert (site / "clusters" / "TH-0001.html").exists()
    assert not (site / "clusters" / "IN-0001.html").exists()
    for page in ("index.html", "countries/TH.html", "approaches/otop.html", "typologies/sectoral-artisanal.html",
                 "sectors/crafts.html"):
        assert "TH-0001" in (site / page).read_text(encoding="utf-8"), page


def test_preview_reports_the_records_own_problems(content, tmp_path):
    import shutil
    from .conftest import CONFIG
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    write(content / "clusters" / "TH-0001.yaml", (content / "clusters" / "TH-0001.yaml").read_text().replace("rural", "rurall"))
    result = run_command("preview", "--no-serve", "content/clusters/TH-0001.yaml", "--content", "content", cwd=tmp_path)
    assert result.code == 1
    assert "content/clusters/TH-0001.yaml:5:10: error: setting: unknown value: 'rurall'" in result.out


def _workflow_commands(path: Path) -> list[str]:
    data = YAML(typ="safe").load(path.read_text())
    return [step["run"] for job in data["jobs"].values() for step in job["steps"] if "run" in step]


def test_workflows_are_valid_yaml_and_call_only_commands_that_exist():
    from generator.cli import parser
    subcommands = set(parser()._subparsers._group_actions[0].choices)
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert {p.name for p in workflows} >= {"publish.yml", "pull-request.yml"}
    for path in workflows:
        for command in _workflow_commands(path):
            for line in filter(None, (l.strip() for l in command.splitlines())):
                word = line.split()
                if word[0] == "make":
                    assert word[1] in targets, f"{path.name}: make {word[1]}"
                elif word[0].endswith("clustergrid"):
                    assert word[1] in subcommands, f"{path.name}: clustergrid {word[1]}"
                    assert Path(ROOT / word[0]).name == "clustergrid"
                else:
                    pytest.fail(f"{path.name}: unexpected command {line!r}")
    forms = [p for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml"]
    assert forms
    for path in forms:
        form = YAML(typ="safe").load(path.read_text())
        assert form["name"] and form["body"]
