"""Which problems a contributor sees in full, and which are summed up in one line.

``clustergrid validate`` judges the records you name or change ("your" files) by the merge policy
in CONTRIBUTING.md: their policy warnings become errors. Errors elsewhere are listed too (unless
you named files), and warnings elsewhere are counted, so your one error is never lost among a
hundred warnings about other people's records.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, plural


@dataclass(frozen=True)
class Triage:
    """Problems sorted into those listed and those only counted."""

    listed: tuple[Problem, ...]
    """Shown in full: errors first, then warnings."""
    other_warnings: int = 0
    """Warnings in files outside the scope, counted."""
    other_warning_files: int = 0
    """How many files those warnings are in."""
    other_errors: int = 0
    """Errors in files outside the named files (only when files were named), counted."""
    other_error_files: int = 0
    """How many files those errors are in."""

    @property
    def errors(self) -> int:
        """Errors listed (the exit code depends on these alone)."""
        return sum(p.severity == "error" for p in self.listed)

    @property
    def warnings(self) -> int:
        """Warnings listed."""
        return sum(p.severity == "warning" for p in self.listed)

    def summary(self) -> list[str]:
        """Lines that sum up what is not listed."""
        lines = []
        if self.other_errors:
            lines.append(f"{plural(self.other_errors, 'error')} in {plural(self.other_error_files, 'other file')} "
                         f"not named here; run `clustergrid validate` to list them")
        if self.other_warnings:
            lines.append(f"{plural(self.other_warnings, 'warning')} in {plural(self.other_warning_files, 'other file')}; "
                         f"`clustergrid validate --all` to list them")
        return lines


def involves(problem: Problem, files: set[str]) -> bool:
    """Whether a problem is about one of ``files`` (a duplicate ID names the other file in its hint)."""
    return problem.path in files or any(path in problem.hint for path in files)


def triage(problems: list[Problem], yours: set[str] | None, named: bool = False, strict: bool = False,
           list_all: bool = False) -> Triage:
    """Sort problems for a contributor.

    ``yours`` are the files named or changed (``None``: every file is yours). Policy warnings in
    your files become errors, as do all their warnings with ``strict``. With ``named``, problems
    in other files are only counted; otherwise their errors are listed and their warnings counted
    (or listed, with ``list_all``).
    """
    def mine(p: Problem) -> bool:
        return yours is None or involves(p, yours)

    judged = [p.judged(p.policy or strict) if mine(p) else p for p in problems]
    listed, other_warn, other_err = [], [], []
    for p in judged:
        if mine(p) or list_all or (p.severity == "error" and not named):
            listed.append(p)
        elif p.severity == "error":
            other_err.append(p)
        else:
            other_warn.append(p)
    listed.sort(key=lambda p: (p.severity != "error", p))
    return Triage(tuple(listed), len(other_warn), len({p.path for p in other_warn}),
                  len(other_err), len({p.path for p in other_err}))


def not_records(files: list[str], content: Path) -> list[str]:
    """The named files that are not record files of the content folder (missing, or elsewhere)."""
    folders = {(content / kind).resolve() for kind in ("clusters", "approaches", "concepts")}
    return [f for f in files if not Path(f).is_file() or Path(f).resolve().parent not in folders]
