"""Problems found in content, and the one function that formats them."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from typing import Iterable
from .errors import ContentError  # noqa: F401 - re-exported: callers catch it from here

# Line breaks of every kind, other controls, bidirectional controls and surrogates: shown as \uXXXX
# in messages, so record text quoted in a message can never start a line of its own (a line
# starting with '::' is a command to GitHub Actions) or reorder what a terminal shows.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069"
                          r"\ud800-\udfff]")


def printable(text: str) -> str:
    """Return text with every line break and control character written as a visible \\uXXXX escape."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


def safe_line(text: str) -> str:
    """Return text for a terminal or CI log: escaped as :func:`printable` per line, no line starting with '::'."""
    lines = [printable(line) for line in text.split("\n")]
    return "\n".join("\\u003A" + line.lstrip()[1:] if line.lstrip().startswith("::") else line for line in lines)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file."""

    path: str
    """File the problem is in, as given on the command line (relative when possible)."""
    line: int
    """1-based line number."""
    col: int
    """1-based column number."""
    field: str
    """Dotted path of the field, e.g. ``typology.sectoral``; ``-`` for the whole file."""
    message: str
    """What is wrong."""
    expected: str = ""
    """What is expected instead."""
    hint: str = ""
    """How to fix it, when known (for example a close match)."""
    severity: str = "error"
    """``error`` fails validation; ``warning`` fails only with ``--strict``."""
    policy: bool = False
    """A requirement for new or changed records (see CONTRIBUTING.md): reported as a warning, and
    made an error by ``clustergrid validate`` for the records a contributor names or changes."""

    def judged(self, strict: bool) -> "Problem":
        """This problem as a run judges it: with ``strict`` (``--strict``, or a policy applied to a
        contributor's own file) a warning is an error. The one place that says what strict means."""
        return replace(self, severity="error") if strict and self.severity == "warning" else self

    def blocks(self, strict: bool) -> bool:
        """Whether this problem fails the run."""
        return self.judged(strict).severity == "error"

    def format(self) -> str:
        """Return the one-line message: ``path:line:col: error: field: what; expected what``."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.field}: {self.message}"
        if self.expected:
            text += f"; expected {self.expected}"
        if self.hint:
            text += f"; {self.hint}"
        return safe_line(printable(text))


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """Return "did you mean 'x'?" for the closest choice, or '' when nothing is close."""
    if not isinstance(value, str):
        return ""
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return f"did you mean '{lowered[match[0]]}'?" if match else ""


SHORT_VOCABULARY = 8
"""Vocabularies up to this size are listed in full in messages; longer ones by their closest matches."""


def where_listed(vocab: str) -> str:
    """Name the file (and key) that holds a vocabulary's full list."""
    if vocab == "countries":
        return "content/countries.yaml"
    if vocab == "approaches":
        return "content/approaches/ (one file per approach)"
    if vocab.startswith("typology:"):
        return f"'typology_bases: {vocab.split(':', 1)[1]}:' in content/grid.yaml"
    return f"'{vocab}:' in content/grid.yaml"


def choices(allowed: Iterable[str], vocab: str, value: object = None) -> str:
    """Describe the allowed values for an 'expected' clause: all of them, or the closest few and where the rest are."""
    items = sorted(allowed)
    if len(items) <= SHORT_VOCABULARY:
        return "one of: " + ", ".join(items)
    close: list[str] = []
    if isinstance(value, str) and value:
        lowered = {c.lower(): c for c in items}
        close = [lowered[m] for m in difflib.get_close_matches(value.lower(), list(lowered), n=3, cutoff=0.5)]
    if close:
        return f"one of {len(items)} values, closest: {', '.join(close)} (all of them: {where_listed(vocab)})"
    return f"one of {len(items)} values, such as {', '.join(items[:3])} (all of them: {where_listed(vocab)})"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """Return '1 cluster' or '3 clusters' (pass the plural when it is not noun + 's')."""
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"


def one_of(choices: Iterable[str], limit: int = 12) -> str:
    """Describe a vocabulary for an 'expected' clause."""
    items = sorted(choices)
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f", … ({len(items)} in all)"
    return f"one of: {shown}"
