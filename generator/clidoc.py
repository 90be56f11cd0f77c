"""The README's command reference, written from the argument parser so it cannot drift.

``make readme`` (``python -m generator.clidoc README.md``) rewrites the table between the
``<!-- commands:start -->`` and ``<!-- commands:end -->`` markers; ``tests/test_cli.py`` fails when
the committed README differs from what the parser says.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

START, END = "<!-- commands:start -->", "<!-- commands:end -->"


def _usage(name: str, sub: argparse.ArgumentParser) -> str:
    """One line of usage, without the options every command has (``-h``, ``--content DIR``)."""
    usage = " ".join(sub.format_usage().split()).removeprefix("usage: ")
    return usage.replace(" [-h]", "").replace(" [--content DIR]", "")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def command_reference(top: argparse.ArgumentParser) -> str:
    """A Markdown table: each subcommand's usage and what it does (its description)."""
    subs = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    rows = ["| Command | What it does |", "| --- | --- |"]
    for name, sub in subs.choices.items():
        rows.append(f"| `{_usage(name, sub)}` | {_cell(sub.description or '')} |")
    rows.append("| `clustergrid --version` | print the version, and the versions of MkDocs and Material it builds with |")
    return "\n".join(rows) + "\n"


def with_reference(readme: str, table: str) -> str:
    """The README text with the table between the markers replaced."""
    pattern = re.compile(re.escape(START) + r"\n.*?" + re.escape(END), re.DOTALL)
    if not pattern.search(readme):
        raise ValueError(f"no {START} … {END} block in the README")
    return pattern.sub(lambda m: f"{START}\n{table}{END}", readme, count=1)


def main(argv: list[str] | None = None) -> int:
    from .cli import parser
    path = Path((argv or sys.argv[1:] or ["README.md"])[0])
    text = path.read_text(encoding="utf-8")
    updated = with_reference(text, command_reference(parser()))
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"updated the command reference in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
