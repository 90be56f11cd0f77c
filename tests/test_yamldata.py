"""The one-pass event loader gives the same data as ruamel.yaml's safe loader, with positions."""
from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.yamldata import YamlProblem, load_positioned

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "content").rglob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_same_data_as_the_safe_loader(path):
    text = path.read_text(encoding="utf-8")
    assert plain(load_positioned(text)) == YAML(typ="safe").load(text)


@pytest.mark.parametrize("text, expected", [
    ("a: NO\nb: yes\nc: true\n", {"a": "NO", "b": "yes", "c": True}),
    ("a: 0o17\nb: 0x1F\nc: 1_000\nd: -3\n", {"a": 15, "b": 31, "c": 1000, "d": -3}),
    ("a: 2.5\nb: -1e3\nc: ~\nd:\n", {"a": 2.5, "b": -1000.0, "c": None, "d": None}),
    ("a: 2026-11-28\nb: '2026-11-28'\n", {"a": __import__("datetime").date(2026, 11, 28), "b": "2026-11-28"}),
    ("a: \"x\\ty\"\nb: |\n  two\n  lines\n", {"a": "x\ty", "b": "two\nlines\n"}),
])
def test_scalars_resolve_as_yaml_1_2(text, expected):
    assert plain(load_positioned(text)) == expected == YAML(typ="safe").load(text)


def test_positions_of_keys_values_and_items():
    data = load_positioned("id: X\nlist:\n  - a\n  - {k: v}\n")
    assert data.lc.key("list") == (1, 0)
    assert data.lc.value("id") == (0, 4)
    assert data["list"].lc.item(1) == (3, 4)
    assert data["list"][1].lc.value("k") == (3, 8)


@pytest.mark.parametrize("text, line, col, message", [
    ("a: 1\na: 2\n", 2, 1, "duplicate key 'a'"),
    ("a: &x 1\nb: *x\n", 1, 4, "YAML anchor '&x' is not allowed"),
    ("a: *x\n", 1, 4, "YAML alias '*x' is not allowed"),
    ("a: !!str 1\n", 1, 4, "YAML tag '!!str' is not allowed"),
    ("base: {a: 1}\nother:\n  <<: {b: 2}\n", 3, 3, "YAML merge key '<<' is not allowed"),
    ("a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document"),
    ("? [a, b]\n: 1\n", 1, 3, "a mapping or list used as a key"),
    ("a: 2026-13-45\n", 1, 4, "value cannot be read: month must be in 1..12"),
    ("a: " + "[" * 40 + "]" * 40 + "\n", 1, 35, "nesting deeper than 32 levels"),
])
def test_refused_with_position(text, line, col, message):
    with pytest.raises(YamlProblem) as caught:
        load_positioned(text)
    assert (caught.value.line, caught.value.col, caught.value.message) == (line, col, message)


def test_deep_nesting_is_refused_without_recursion():
    text = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"
    with pytest.raises(YamlProblem, match="nesting deeper than"):
        load_positioned(text)
