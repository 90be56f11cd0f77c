"""Every exception the generator raises, in one place.

Library code raises these; only :mod:`generator.cli` turns them into messages and exit codes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .problems import Problem


class ClusterGridError(Exception):
    """Base of every error the generator raises on purpose."""


class BuildError(ClusterGridError):
    """Raised when MkDocs or a check on the built site fails; the message says why."""


class GitError(ClusterGridError):
    """Raised when git cannot answer; the message names the problem and the fix."""


class RenderError(ClusterGridError):
    """Raised when something reaches the renderer that must never be printed (an unsafe URL)."""


class MapDataError(ClusterGridError):
    """Raised when the vendored outlines cannot be read."""


class ContentError(ClusterGridError):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in content")


class PublishError(ClusterGridError):
    """Raised when git refuses a step; the message says which and why."""


class NothingToPublish(ClusterGridError):
    """Raised when the branch already holds exactly this build: no commit is made."""


class PortInUse(ClusterGridError):
    """Raised when the port asked for (or every port near the default) is taken; the message says what to try."""


class WriteError(ClusterGridError):
    """Raised when a write would leave the output folder, repeat a path, or a swap fails."""


class LocateError(ClusterGridError):
    """Raised when ``clustergrid locate --write`` cannot put the coordinates into a file unchanged otherwise."""
