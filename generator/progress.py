"""Stage lines for long builds, on a terminal only.

A 1,500-record build takes about a minute; on a terminal each stage prints one line with its
counts. In a pipe, a CI log or with ``--quiet`` nothing is printed, so logs stay short.
"""
from __future__ import annotations

import sys
from typing import TextIO


class StageLines:
    """A progress callback: call it with each stage's description."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.count = 0

    def __call__(self, stage: str) -> None:
        """Print one stage line, numbered."""
        self.count += 1
        if self.enabled:
            print(f"[{self.count}] {stage} …", file=self.stream, flush=True)


def stage_lines(quiet: bool = False, stream: TextIO | None = None) -> StageLines:
    """Return the progress printer for a command: silent with ``quiet`` or when not on a terminal."""
    return StageLines(stream, enabled=False if quiet else None)
