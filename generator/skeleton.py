"""A commented skeleton for a new cluster record, written from the same specs the validator uses."""
from __future__ import annotations

import json
import re
from pathlib import Path

from .problems import ContentError, Problem
from .spec import CLUSTER, Spec
from .vocab import Vocabularies

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/cluster.schema.json"


def _allowed(spec: Spec, vocab: Vocabularies) -> str:
    if spec.kind == "enum" and spec.vocab != "countries":
        return " | ".join(vocab.keys(spec.vocab))
    if spec.key_vocab:
        return "keys: " + ", ".join(vocab.keys(spec.key_vocab))
    return ""


def _lines(name: str, spec: Spec, vocab: Vocabularies, indent: str, value: str | None) -> list[str]:
    note = spec.doc
    allowed = _allowed(spec, vocab)
    comment = f"{indent}# {spec.title}: {note}" + (f" ({allowed})" if allowed else "")
    comment += "" if spec.required else " Optional."
    out = [comment]
    if value is not None:
        out.append(f"{indent}{name}: {value}")
    elif spec.kind == "map" and spec.fields and not spec.required:
        out.append(f"{indent}# {name}:")
        for sub, subspec in spec.fields.items():
            out.append(f"{indent}#   {sub}:  # {subspec.title}. {subspec.doc}")
    else:
        out.append(f"{indent}# {name}:" if not spec.required else f"{indent}{name}:")
    return out


def skeleton(ident: str, name: str, country: str, vocab: Vocabularies, reviewed: str = "") -> str:
    """Return the text of a new record: required fields to fill in, optional ones commented out."""
    values = {"id": ident, "name": json.dumps(name, ensure_ascii=False), "country": country}
    lines = [SCHEMA_LINE,
             "# A new Cluster Grid record. Fill in what your sources support and delete the rest:",
             "# anything left out shows as 'not recorded'. Every figure needs a year and a source key.",
             "# Check it with: clustergrid validate",
             ""]
    for key, spec in CLUSTER.fields.items():
        if key == "sources":
            lines += ["# Sources: at least one real, checkable work. Figures and needs refer to them by key.",
                      "sources:",
                      "  - key:        # short key, e.g. nadvi1999",
                      "    author:     # e.g. Nadvi, K.",
                      "    year:       # year of publication",
                      "    title:      # title of the work",
                      "    publisher:  # journal (volume, issue, pages) or publisher",
                      "    url:        # http(s) address, a doi.org link preferred. Optional."]
        elif key == "reviewed":
            lines += ["# Last reviewed: the date you checked the record against its sources (YYYY-MM-DD).",
                      f"reviewed: {reviewed}" if reviewed else "reviewed:"]
        else:
            lines += _lines(key, spec, vocab, "", values.get(key))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def next_free_id(content: Path, country: str) -> str:
    """Return the next ID for a country: one past every ID used or retired."""
    used = [int(p.stem[3:]) for p in (content / "clusters").glob(f"{country}-*.yaml") if re.fullmatch(r"[A-Z]{2}-\d{4}", p.stem)]
    retired_file = content / "retired.yaml"
    if retired_file.exists():
        used += [int(m) for m in re.findall(rf"\b{country}-(\d{{4}})\b", retired_file.read_text(encoding="utf-8"))]
    number = max(used, default=0) + 1
    if number > 9999:
        raise ContentError([Problem(str(content / "clusters"), 1, 1, "id", f"no free ID left for {country}",
                                    "fewer than 9999 records per country")])
    return f"{country}-{number:04d}"


def write_skeleton(content: Path, name: str, country: str, vocab: Vocabularies) -> Path:
    """Write a record skeleton under the next free ID for ``country``; return its path (never overwrites)."""
    ident = next_free_id(content, country)
    path = content / "clusters" / f"{ident}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as out:
        out.write(skeleton(ident, name, country, vocab))
    return path
