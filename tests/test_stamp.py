"""A build with unchanged inputs is skipped, and a change to any input builds again."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import stamp
from generator.build import build_unless_unchanged
from tests.conftest import CONFIG, write


@pytest.fixture
def work(tmp_path, content) -> Path:
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    return tmp_path


def build(work: Path):
    return build_unless_unchanged(work / "content", work / "site", work / "mkdocs.yml", work / "build" / "docs")


def test_second_build_with_nothing_changed_is_skipped(work):
    assert build(work) is not None
    assert build(work) is None


@pytest.mark.parametrize("change", ["record", "new_record", "grid", "config", "site_deleted", "site_touched"])
def test_any_changed_input_builds_again(work, change):
    assert build(work) is not None
    if change == "record":
        record = work / "content" / "clusters" / "IN-0001.yaml"
        record.write_text(record.read_text(encoding="utf-8").replace("Fixture", "Fixture changed", 1), encoding="utf-8")
    elif change == "new_record":
        source = work / "content" / "clusters" / "IN-0001.yaml"
        write(work / "content" / "clusters" / "IN-0099.yaml",
              source.read_text(encoding="utf-8").replace("IN-0001", "IN-0099"))
    elif change == "grid":
        grid = work / "content" / "grid.yaml"
        grid.write_text(grid.read_text(encoding="utf-8") + "\n# a comment changes the bytes\n", encoding="utf-8")
    elif change == "config":
        config = work / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("site_name: Cluster Grid", "site_name: Grid"),
                          encoding="utf-8")
    elif change == "site_deleted":
        shutil.rmtree(work / "site")
    elif change == "site_touched":
        index = work / "site" / "index.html"
        index.write_text(index.read_text(encoding="utf-8") + "<!-- edited by hand -->", encoding="utf-8")
    assert build(work) is not None, f"a changed {change} must rebuild the site"
    assert build(work) is None


def test_fingerprint_covers_code_roots_package_versions_and_epoch(tmp_path, monkeypatch):
    content = write(tmp_path / "content" / "a.yaml", "a: 1\n").parent
    config = write(tmp_path / "mkdocs.yml", "site_name: x\n")
    templates = write(tmp_path / "templates" / "page.md.j2", "{{ x }}\n").parent
    before = stamp.fingerprint(content, config, (templates,), {"strict": False})
    assert stamp.fingerprint(content, config, (templates,), {"strict": False}) == before
    assert stamp.fingerprint(content, config, (templates,), {"strict": True}) != before
    write(templates / "page.md.j2", "{{ y }}\n")
    changed_template = stamp.fingerprint(content, config, (templates,), {"strict": False})
    assert changed_template != before
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "12345")
    assert stamp.fingerprint(content, config, (templates,), {"strict": False}) != changed_template
    monkeypatch.setattr(stamp.metadata, "version", lambda name: "999.0")
    assert stamp.fingerprint(content, config, (templates,), {"strict": False}) != changed_template
