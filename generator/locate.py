"""Name the field on a line of YAML text, for messages about files that do not load.

A file with a syntax error or an impossible date has no data to walk, so the field is read from
the text: the keys and list items whose indentation encloses the line, e.g. ``sources[1].year``.
It is a reading of the layout, good for messages; it never decides what a record contains.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable

from .problems import Problem

_KEY = re.compile(r"""(?P<key>"[^"]*"|'[^']*'|[^\s#:'"\[\]{},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+|$)(?P<value>.*)$""")
_BLOCK = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")


@dataclass
class _Frame:
    col: int
    name: str
    item: bool = False
    index: int = 0


def _path(stack: list[_Frame]) -> str:
    out = ""
    for frame in stack:
        out += f"[{frame.index}]" if frame.item else (f".{frame.name}" if out else frame.name)
    return out


def field_at(text: str, line: int) -> str:
    """Return the dotted field path enclosing 1-based ``line`` of ``text``, or '' at the top level."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines) or lines[line - 1].strip().split(" ")[0] in ("---", "..."):
        return ""  # a document marker belongs to no field
    stack: list[_Frame] = []
    block_col = -1  # inside a block scalar (| or >): lines indented deeper are text, not keys
    for raw in lines[:line]:
        stripped = raw.strip()
        col = len(raw) - len(raw.lstrip(" "))
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        if block_col >= 0 and col > block_col:
            continue
        block_col = -1
        rest = raw[col:]
        while rest == "-" or rest.startswith("- "):
            while stack and stack[-1].col > col:
                stack.pop()
            index = stack.pop().index + 1 if stack and stack[-1].item and stack[-1].col == col else 0
            stack.append(_Frame(col, "", True, index))
            step = len(rest) - len(rest[1:].lstrip(" "))
            col, rest = col + step, rest[step:]
        match = _KEY.match(rest)
        if match:
            while stack and stack[-1].col >= col:
                stack.pop()
            stack.append(_Frame(col, match.group("key").strip("\"'")))
            if _BLOCK.match(match.group("value").strip()):
                block_col = col
    return _path(stack)


def name_fields(problems: Iterable[Problem], text: str) -> list[Problem]:
    """Give problems reported for the whole file (field '-') the field on their line, when there is one."""
    return [replace(p, field=field_at(text, p.line) or p.field) if p.field == "-" else p for p in problems]
