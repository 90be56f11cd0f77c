"""CITATION.cff validated against the Citation File Format 1.2.0 schema (vendored, no network), and
.zenodo.json checked for what Zenodo needs; both say what the citations of generator/cite.py say."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from ruamel.yaml import YAML

from generator import cite
from generator.build import site_settings

from .conftest import CONFIG, ROOT

SCHEMA = Path(__file__).parent / "schemas" / "cff-1.2.0.schema.json"


def _cff() -> dict:
    return YAML(typ="safe", pure=True).load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_cff_1_2_0():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    data = _cff()
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    assert data["cff-version"] == "1.2.0"


def test_a_broken_citation_cff_is_refused_by_the_same_check():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    broken = dict(_cff())
    broken["authors"] = [{"nmae": "Cluster Grid contributors"}]
    broken["license"] = "CC-BY-4"
    assert len(list(validator.iter_errors(broken))) >= 2


def test_citation_cff_names_what_the_site_citations_name():
    data = _cff()
    assert data["title"] == cite.DATASET_TITLE and data["type"] == "dataset"
    assert data["authors"] == [{"name": cite.AUTHORS}]  # an entity, not a person
    assert data["license"] == "CC-BY-4.0"
    # no invented address: repository-code only when mkdocs.yml names the repository, and then the same one
    repository = site_settings(CONFIG).repository
    assert data.get("repository-code") == repository


def test_zenodo_metadata_matches():
    data = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert data["upload_type"] == "dataset" and data["access_right"] == "open"
    assert data["title"] == cite.DATASET_TITLE and data["creators"] == [{"name": cite.AUTHORS}]
    assert data["license"] == "cc-by-4.0"
    assert data["description"] == " ".join(_cff()["abstract"].split())
