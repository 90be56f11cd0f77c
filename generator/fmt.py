"""Normalise record files: key order from the specs, two-space indentation, comments kept.

ruamel.yaml's round trip keeps comments and quoting. A comment sits with the key before it, so
a comment line above a key that moves travels with the previous key; `clustergrid fmt` only
moves keys that are out of the documented order.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .spec import APPROACH, CLUSTER, Spec
from .vocab import Vocabularies


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _order(spec: Spec, vocab: Vocabularies) -> list[str]:
    return list(vocab.keys(spec.key_vocab)) if spec.key_vocab else list(spec.fields)


def _reorder(node: Any, spec: Spec | None, vocab: Vocabularies) -> None:
    if spec is None:
        return
    if isinstance(node, CommentedMap) and spec.kind == "map":
        order = _order(spec, vocab)
        keys = list(node.keys())
        wanted = sorted(keys, key=lambda k: (order.index(k) if k in order else len(order), keys.index(k)))
        if wanted != keys:
            for key in wanted:
                node.move_to_end(key)
        for key, value in node.items():
            _reorder(value, spec.values if spec.key_vocab else spec.fields.get(key), vocab)
    elif isinstance(node, CommentedSeq) and spec.kind == "list":
        for item in node:
            _reorder(item, spec.items, vocab)


def formatted(text: str, kind: str, vocab: Vocabularies) -> str:
    """Return the normalised text of one record."""
    yaml = _yaml()
    data = yaml.load(text)
    _reorder(data, CLUSTER if kind == "cluster" else APPROACH, vocab)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def kind_of(path: Path) -> str | None:
    """``cluster`` or ``approach`` by folder, or None for files fmt leaves alone."""
    parent = path.parent.name
    return {"clusters": "cluster", "approaches": "approach"}.get(parent)


def format_file(path: Path, kind: str, vocab, write: bool = True) -> bool:
    """Normalise one record file in place (unless ``write`` is False); return whether it changes."""
    text = path.read_text(encoding="utf-8")
    new = formatted(text, kind, vocab)
    if new != text and write:
        path.write_text(new, encoding="utf-8")
    return new != text
