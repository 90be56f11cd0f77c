"""Read a YAML record in one pass over libyaml's events, keeping every position.

ruamel.yaml offers either speed (the C parser with a safe constructor, no positions) or positions
(the round-trip loader, about ten times slower). A record needs both: positions for messages, and
speed for ten thousand records. The events that libyaml's parser emits already carry the line and
column of every key, value and item, so building the data straight from them gives both, in one
pass, and refuses on the way what a record must never hold: anchors, aliases, tags, merge keys,
duplicate keys, more than one document, and nesting deeper than :data:`MAX_DEPTH`.

Plain scalars are resolved by ruamel.yaml's own YAML 1.2 resolver, so ``NO`` stays a string and
``2026-11-28`` is a date, exactly as with the loaders it replaces.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from array import array

from ruamel.yaml import YAML
from ruamel.yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                                ScalarEvent, SequenceEndEvent, SequenceStartEvent)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

MAX_DEPTH = 32
"""Deepest nesting of mappings and lists a file may have (records use at most five levels)."""

_RESOLVER = VersionedResolver(version=(1, 2))
_KINDS: dict[str, str] = {}
"""Resolved kind of short plain scalars (keys, vocabulary words), which repeat across records."""
_PARSER = YAML(typ="safe")
"""One parser front end for every file (making one looks up plug-ins on disk each time)."""


def _kind(value: str) -> str:
    kind = _KINDS.get(value)
    if kind is None:
        tag = _RESOLVER.resolve(ScalarNode, value, (True, False))
        kind = str(getattr(tag, "suffix", tag)).rsplit(":", 1)[-1]
        if len(value) <= 32 and len(_KINDS) < 100_000:
            _KINDS[value] = kind
    return kind
_DATE = re.compile(r"^(\d{4})-(\d\d?)-(\d\d?)$")


class YamlProblem(Exception):
    """The text cannot become a record: where, what, and how to fix it."""

    def __init__(self, line: int, col: int, message: str, expected: str, hint: str = "", field: str = "-"):
        super().__init__(message)
        self.line, self.col, self.message, self.expected, self.hint, self.field = line, col, message, expected, hint, field


_BITS = 20  # a file is at most 256 KiB, so a line or column number fits in 20 bits
_MASK = (1 << _BITS) - 1


def _pack(line: int, col: int) -> int:
    return line << _BITS | col


def _unpack(packed: int) -> tuple[int, int]:
    return packed >> _BITS, packed & _MASK


class PositionedMap(dict):
    """A mapping that knows where it and its keys and values stand in the file.

    It answers ruamel.yaml's ``lc`` interface (``lc.line``, ``lc.col``, ``lc.key(k)``,
    ``lc.value(k)``; 0-based). Every record stays in memory until the catalog is built, so the
    positions are packed into one array, two entries per key in insertion order; the map is never
    changed after loading.
    """

    __slots__ = ("line", "col", "_at")

    @property
    def lc(self) -> "PositionedMap":
        return self

    def _index(self, k) -> int:
        for index, key in enumerate(self):
            if key == k:
                return 2 * index
        raise KeyError(k)

    def key(self, k) -> tuple[int, int]:
        """(line, col) of a mapping key."""
        return _unpack(self._at[self._index(k)])

    def value(self, k) -> tuple[int, int]:
        """(line, col) of a mapping key's value."""
        return _unpack(self._at[self._index(k) + 1])


class PositionedList(list):
    """A list that knows where it and its items stand in the file (``lc.line``, ``lc.col``, ``lc.item(i)``)."""

    __slots__ = ("line", "col", "_at")

    @property
    def lc(self) -> "PositionedList":
        return self

    def item(self, i) -> tuple[int, int]:
        """(line, col) of a list item."""
        return _unpack(self._at[i])


def _scalar(event: ScalarEvent):
    value = event.value
    if event.style or not event.implicit[0]:
        return value  # quoted or block scalar: always text
    kind = _kind(value)
    if kind == "str":
        return value
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() == "true"
    if kind == "int":
        text = value.replace("_", "")
        sign = -1 if text.startswith("-") else 1
        text = text.lstrip("+-")
        if text.startswith(("0x", "0X")):
            return sign * int(text[2:], 16)
        if text.startswith(("0o", "0O")):
            return sign * int(text[2:], 8)
        if text.startswith(("0b", "0B")):
            return sign * int(text[2:], 2)
        return sign * int(text)
    if kind == "float":
        text = value.replace("_", "").lower()
        if text.endswith(".inf"):
            return -math.inf if text.startswith("-") else math.inf
        if text.endswith(".nan"):
            return math.nan
        return float(text)
    if kind == "timestamp":
        match = _DATE.match(value)
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return dt.datetime.fromisoformat(value.replace("t", "T").replace(" ", "T", 1).rstrip("Zz"))
    return value


def load_positioned(text: str, max_depth: int = MAX_DEPTH):
    """Return the data of a one-document YAML text, every mapping and list carrying ``.lc``.

    Raises :class:`YamlProblem` for what a record may not hold, and lets ruamel.yaml's
    ``MarkedYAMLError`` through for text that is not YAML at all.
    """
    stack: list = []   # open containers
    keys: list = []    # for each open mapping, the key waiting for its value (or a sentinel)
    root = _NONE = object()
    documents = 0
    for event in _PARSER.parse(text):
        mark = event.start_mark
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlProblem(mark.line + 1, mark.column + 1, "more than one YAML document",
                                  "one mapping per file", "remove the '---' separator")
            continue
        if isinstance(event, AliasEvent):
            raise YamlProblem(mark.line + 1, mark.column + 1, f"YAML alias '*{event.anchor}' is not allowed",
                              "plain values", "write the value out in full")
        if isinstance(event, (ScalarEvent, MappingStartEvent, SequenceStartEvent)):
            if event.anchor:
                raise YamlProblem(mark.line + 1, mark.column + 1, f"YAML anchor '&{event.anchor}' is not allowed",
                                  "plain values", "remove the anchor")
            if event.tag:
                shown = str(event.tag).replace("tag:yaml.org,2002:", "!!")
                raise YamlProblem(mark.line + 1, mark.column + 1, f"YAML tag '{shown}' is not allowed",
                                  "plain values without tags", "remove the tag")
            if isinstance(event, ScalarEvent):
                try:
                    value = _scalar(event)
                except (ValueError, OverflowError) as error:
                    raise YamlProblem(mark.line + 1, mark.column + 1, f"value cannot be read: {error}",
                                      "a real date written YYYY-MM-DD, or a number",
                                      "correct the value, or quote it if it is text") from None
            elif isinstance(event, MappingStartEvent):
                value = PositionedMap()
                value.line, value.col, value._at = mark.line, mark.column, array("Q")
            else:
                value = PositionedList()
                value.line, value.col, value._at = mark.line, mark.column, array("Q")
            position = _pack(mark.line, mark.column)
            if not stack:
                root = value
            else:
                parent = stack[-1]
                if isinstance(parent, PositionedList):
                    parent._at.append(position)
                    parent.append(value)
                elif keys[-1] is _NONE:
                    if not isinstance(value, (str, int, float, bool, dt.date)) and value is not None:
                        raise YamlProblem(mark.line + 1, mark.column + 1, "a mapping or list used as a key",
                                          "a plain word as the key")
                    if value == "<<" and isinstance(event, ScalarEvent) and not event.style:
                        raise YamlProblem(mark.line + 1, mark.column + 1, "YAML merge key '<<' is not allowed",
                                          "plain keys", "write the merged fields out in full")
                    if value in parent:
                        raise YamlProblem(mark.line + 1, mark.column + 1, f"duplicate key '{value}'",
                                          "each key once", "remove or merge the second one", field=str(value))
                    keys[-1] = value
                    parent._at.append(position)
                else:
                    key = keys[-1]
                    parent[key] = value
                    parent._at.append(position)
                    keys[-1] = _NONE
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                if len(stack) >= max_depth:
                    raise YamlProblem(mark.line + 1, mark.column + 1, f"nesting deeper than {max_depth} levels",
                                      "a record's usual shape (a few levels of mappings and lists)",
                                      "flatten the structure")
                stack.append(value)
                keys.append(_NONE)
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            stack.pop()
            keys.pop()
    return None if root is _NONE else root
