"""JSON Schemas for cluster and approach records, made from the validator's own specs.

Editors (VS Code with the YAML extension, and others using yaml-language-server) read the
``# yaml-language-server: $schema=…`` line at the top of each record and check it as the
contributor types. Cross-record rules (an ID matching its file name, source keys that exist,
duplicate IDs) cannot be expressed in JSON Schema and stay with ``clustergrid validate``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .spec import APPROACH, CLUSTER, MAX_LINE, Spec
from .vocab import Vocabularies

NOT_BLANK = r"\S"
# mirrors validate.SAFE_URL, without the case-insensitive flag JSON Schema lacks
URL_PATTERN = r"^[hH][tT][tT][pP][sS]?://[^\s<>\"'`\\]+$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _schema(spec: Spec, vocab: Vocabularies) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if spec.title:
        out["title"] = spec.title
    if spec.doc:
        out["description"] = spec.doc
    kind = spec.kind
    if kind in ("line", "prose"):
        out.update(type="string", pattern=spec.pattern or NOT_BLANK)
    elif kind == "url":
        out.update(type="string", pattern=URL_PATTERN)
    if kind in ("line", "url"):
        out["maxLength"] = MAX_LINE
    elif kind == "date":
        out.update(type="string", format="date", pattern=DATE_PATTERN)
    elif kind in ("int", "number"):
        out["type"] = "integer" if kind == "int" else "number"
        if spec.minimum is not None:
            out["minimum"] = spec.minimum
        if spec.maximum is not None:
            out["maximum"] = spec.maximum
    elif kind == "bool":
        out["type"] = "boolean"
    elif kind == "enum":
        out["enum"] = list(vocab.keys(spec.vocab))
        labels = [vocab.label(spec.vocab, k) for k in out["enum"]]
        if labels != out["enum"] and spec.vocab != "countries":
            out["description"] = (out.get("description", "") + " " +
                                  "; ".join(f"{k}: {l}" for k, l in zip(out["enum"], labels))).strip()
    elif kind == "list":
        out.update(type="array", items=_schema(spec.items, vocab))
        if spec.min_items:
            out["minItems"] = spec.min_items
    elif kind == "map":
        out["type"] = "object"
        if spec.key_vocab:
            out["properties"] = {k: _schema(spec.values, vocab) for k in vocab.keys(spec.key_vocab)}
        else:
            out["properties"] = {k: _schema(v, vocab) for k, v in spec.fields.items()}
            required = [k for k, v in spec.fields.items() if v.required]
            if required:
                out["required"] = required
        out["additionalProperties"] = False
    if spec.examples:
        out["examples"] = list(spec.examples)
    elif "enum" in out:
        out["examples"] = out["enum"][:2]
    elif kind == "date":
        out["examples"] = ["2026-11-28"]
    elif kind == "int":
        out["examples"] = [2007 if spec.maximum == 2100 else int(spec.minimum or 0)]
    elif kind == "number":
        out["examples"] = [spec.minimum if spec.minimum not in (None, 0) else 6250]
    elif kind == "bool":
        out["examples"] = [True]
    return out


def record_schema(kind: str, vocab: Vocabularies) -> dict[str, Any]:
    """The JSON Schema for ``cluster`` or ``approach`` records."""
    spec = CLUSTER if kind == "cluster" else APPROACH
    body = _schema(spec, vocab)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **body}


def schema_text(kind: str, vocab: Vocabularies) -> str:
    """The schema as the committed file holds it (sorted, indented, ending in a newline)."""
    return json.dumps(record_schema(kind, vocab), indent=2, ensure_ascii=False) + "\n"


KINDS = ("cluster", "approach")
"""Record kinds that have a published JSON Schema."""


def stale_schemas(folder: Path, vocab: Vocabularies) -> list[Path]:
    """The schema files in ``folder`` that are missing or differ from what the specs give."""
    return [folder / f"{kind}.schema.json" for kind in KINDS
            if not (folder / f"{kind}.schema.json").exists()
            or (folder / f"{kind}.schema.json").read_text(encoding="utf-8") != schema_text(kind, vocab)]


def write_schemas(folder: Path, vocab: Vocabularies) -> list[Path]:
    """Write every schema file into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS:
        path = folder / f"{kind}.schema.json"
        path.write_text(schema_text(kind, vocab), encoding="utf-8")
        paths.append(path)
    return paths
