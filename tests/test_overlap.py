"""The second process (generator/overlap.py): same site as the serial path, and its failures stop the build."""
from __future__ import annotations

import os

import pytest

from generator import overlap
from generator.build import BuildError, build
from generator.write import Writer

from .conftest import FIXTURE, build_into
from .test_build import _tree


def test_forked_and_serial_builds_give_the_same_site(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    forked = build_into(FIXTURE, tmp_path, "forked")
    monkeypatch.setenv("CLUSTERGRID_SERIAL", "1")
    serial = build_into(FIXTURE, tmp_path, "serial")
    a, b = _tree(forked), _tree(serial)
    assert sorted(a) == sorted(b)
    assert any(name.startswith("clusters/IN-") for name in a)
    assert [name for name in a if a[name] != b[name]] == []


def test_serial_switch_chooses_the_feed(tmp_path, monkeypatch):
    pages = lambda: iter(())
    monkeypatch.delenv("CLUSTERGRID_SERIAL", raising=False)
    assert isinstance(overlap.page_feed(pages, tmp_path, tmp_path, []), overlap.ForkedFeed)
    monkeypatch.setenv("CLUSTERGRID_SERIAL", "1")
    assert isinstance(overlap.page_feed(pages, tmp_path, tmp_path, []), overlap.SerialFeed)


class _FailingWriter(Writer):
    def write(self, path, data):
        if path == "clusters/IN-0001.md":
            raise OSError(28, "No space left on device")
        return super().write(path, data)


class _DyingWriter(Writer):
    def write(self, path, data):
        if path == "clusters/IN-0001.md":
            os._exit(3)  # the second process dies without a word
        return super().write(path, data)


@pytest.mark.parametrize("writer, said", [
    (_FailingWriter, "rendering cluster pages failed: unexpected OSError: [Errno 28] No space left on device"),
    (_DyingWriter, "rendering cluster pages failed: the second process exited with status 3 without a word"),
])
def test_a_failure_in_the_second_process_stops_the_build_and_keeps_the_old_site(
        tmp_path, monkeypatch, writer, said):
    monkeypatch.delenv("CLUSTERGRID_SERIAL", raising=False)
    site = build_into(FIXTURE, tmp_path)
    before = _tree(site)
    monkeypatch.setattr(overlap, "Writer", writer)
    with pytest.raises(BuildError) as raised:
        build(FIXTURE, site, tmp_path / "mkdocs.yml", tmp_path / "build" / "docs")
    assert str(raised.value) == said
    assert _tree(site) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]
    assert not [p for p in (tmp_path / "build").iterdir() if p.name.startswith(".docs.")]
