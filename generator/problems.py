"""Problems found in content, and the one function that formats them."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


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

    def format(self) -> str:
        """Return the one-line message: ``path:line:col: error: field: what; expected what``."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.field}: {self.message}"
        if self.expected:
            text += f"; expected {self.expected}"
        if self.hint:
            text += f"; {self.hint}"
        return text


class ContentError(Exception):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in content")


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """Return "did you mean 'x'?" for the closest choice, or '' when nothing is close."""
    if not isinstance(value, str):
        return ""
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return f"did you mean '{lowered[match[0]]}'?" if match else ""


def one_of(choices: Iterable[str], limit: int = 12) -> str:
    """Describe a vocabulary for an 'expected' clause."""
    items = sorted(choices)
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f", … ({len(items)} in all)"
    return f"one of: {shown}"
