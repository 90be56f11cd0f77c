"""What git says has changed: the files a contribution touches, and uncommitted content.

Library code for the CLI: it raises :class:`GitError` with a message that says what to do, and
never prints or exits.
"""
from __future__ import annotations

import subprocess
from pathlib import Path
from .errors import GitError


def _git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError:
        raise GitError("git is not installed; install git, or name the files to check instead") from None


def _require_repository(cwd: Path | None) -> None:
    if _git("rev-parse", "--show-toplevel", cwd=cwd).returncode:
        raise GitError("not inside a git repository; run it in your clone, or name the files to check")


def changed_files(ref: str, cwd: Path | None = None) -> set[str]:
    """Files that differ from ``ref`` (committed or not, and untracked ones), relative to the top of
    the repository that holds ``cwd``, as messages name them (see :func:`generator.load.display_path`)."""
    _require_repository(cwd)
    if _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=cwd).returncode:
        raise GitError(f"unknown git ref '{ref}'; expected a branch, tag or commit of this repository; "
                       f"fetch it first (git fetch origin), or check its spelling (git branch -a)")
    top = Path(_git("rev-parse", "--show-toplevel", cwd=cwd).stdout.strip())
    diff = _git("diff", "--name-only", ref, cwd=top)
    untracked = _git("ls-files", "--others", "--exclude-standard", cwd=top)
    if diff.returncode or untracked.returncode:
        raise GitError(f"git cannot compare with '{ref}': {(diff.stderr or untracked.stderr).strip()}")
    return set(diff.stdout.splitlines()) | set(untracked.stdout.splitlines())


def uncommitted_files(cwd: Path | None = None) -> set[str] | None:
    """Files changed since HEAD or untracked (as :func:`changed_files` names them); None outside a git repository."""
    if _git("rev-parse", "--verify", "--quiet", "HEAD", cwd=cwd).returncode:
        return None
    return changed_files("HEAD", cwd)


def dirty_content(content: Path, cwd: Path | None = None) -> list[str]:
    """Files under ``content`` that differ from HEAD, tracked or untracked (sorted); [] outside git."""
    if _git("rev-parse", "--show-toplevel", cwd=cwd).returncode:
        return []
    status = _git("status", "--porcelain", "--untracked-files=all", "--", str(content), cwd=cwd)
    if status.returncode:
        raise GitError(f"git status failed: {status.stderr.strip()}")
    # porcelain paths are relative to the repository root; show them relative to cwd instead
    root = Path(_git("rev-parse", "--show-toplevel", cwd=cwd).stdout.strip())
    here = (cwd or Path.cwd()).resolve()
    out = []
    for line in status.stdout.splitlines():
        path = line[3:].split(" -> ")[-1].strip('"')
        full = root / path
        try:
            out.append(str(full.relative_to(here)))
        except ValueError:
            out.append(str(full))
    return sorted(out)


def release_name(folder: Path) -> str:
    """The data release a build from ``folder`` names: 'unreleased, commit <12 hex digits>' inside a git
    repository (with 'and uncommitted changes' when the content differs from that commit), else 'unreleased'.

    Never fails: without git, or outside a repository, it says 'unreleased'. The hash is cut to a fixed
    length (not git's own abbreviation, which grows with the repository), so one repository state
    always gives the same text.
    """
    try:
        head = _git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", cwd=folder)
        if head.returncode or not head.stdout.strip():
            return "unreleased"
        name = f"unreleased, commit {head.stdout.strip()[:12]}"
        status = _git("status", "--porcelain", "--untracked-files=all", "--", ".", cwd=folder)
        if status.returncode == 0 and status.stdout.strip():
            name += " and uncommitted changes"
        return name
    except (GitError, OSError):
        return "unreleased"
