"""Publish the built site to a branch of a git remote (GitHub Pages style).

The site is committed on top of the branch's previous commit when there is one, so the
published history stays readable; ``.nojekyll`` is added, and ``CNAME`` when one is configured.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from .errors import PublishError, NothingToPublish


def git_message(output: str) -> str:
    """Git's message in one line: its first and last lines (the cause and the advice), joined."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    if not lines:
        return "no message"
    return lines[0] if len(lines) == 1 else f"{lines[0]} … {lines[-1]}"


def _git(*args: str, cwd: Path, env: dict | None = None, remote: str = "") -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        where = f" to remote '{remote}'" if remote else ""
        raise PublishError(f"git {args[0]}{where} failed: {git_message(proc.stderr or proc.stdout)}")
    return proc.stdout.strip()


def refuse_uncommitted(content: Path) -> None:
    """Refuse to publish content that differs from HEAD (tracked or untracked), naming the files."""
    from .changes import GitError, dirty_content
    try:
        dirty = dirty_content(content)
    except GitError as error:
        raise PublishError(str(error)) from None
    if dirty:
        shown = ", ".join(dirty[:10]) + (f" and {len(dirty) - 10} more" if len(dirty) > 10 else "")
        raise PublishError(f"{content}/ has uncommitted changes: {shown}; commit them first "
                           f"(the published site should match a commit), or pass --allow-dirty")


def resolve_remote(remote: str, repo: Path) -> str:
    """Turn a remote name (``origin``) into its URL; URLs and paths pass through."""
    if "/" in remote or ":" in remote or remote.startswith("."):
        path = Path(remote)
        return str(path.resolve()) if path.exists() else remote
    try:
        return _git("remote", "get-url", remote, cwd=repo)
    except PublishError:
        raise PublishError(f"no git remote named '{remote}'; pass --remote URL or add it with: git remote add {remote} URL") from None


def _repository(cwd: Path, scratch: Path, env: dict) -> Path:
    """The git repository to commit in: the current one (so CI credentials apply), else a new one."""
    proc = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, text=True, env=env)
    if proc.returncode == 0:
        return Path(proc.stdout.strip())
    repo = scratch / "repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo, env=env)
    return repo


def publish_site(site: Path, remote_url: str, branch: str, cname: str | None, message: str,
                 cwd: Path | None = None) -> str:
    """Commit ``site`` to ``branch`` of ``remote_url`` and push; return the new commit's ID.

    The commit is made with a temporary index, so the working tree, index and branches of the
    current repository are left as they were.
    """
    if not (site / "index.html").is_file():
        raise PublishError(f"{site}/index.html not found; build the site first with: clustergrid build")
    env = {**os.environ,
           "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME", "Cluster Grid publisher"),
           "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL", "publisher@cluster-grid.invalid"),
           "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME", "Cluster Grid publisher"),
           "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL", "publisher@cluster-grid.invalid")}
    with tempfile.TemporaryDirectory(prefix="cg-publish-") as tmp:
        scratch = Path(tmp)
        tree = scratch / "tree"
        shutil.copytree(site, tree)
        (tree / ".nojekyll").write_text("")
        if cname:
            (tree / "CNAME").write_text(cname.strip() + "\n")
        repo = _repository(cwd or Path.cwd(), scratch, env)
        env["GIT_INDEX_FILE"] = str(scratch / "index")
        parent = None
        fetch = subprocess.run(["git", "fetch", "-q", remote_url, f"refs/heads/{branch}"], cwd=repo,
                               capture_output=True, text=True, env=env)
        if fetch.returncode == 0:
            parent = _git("rev-parse", "FETCH_HEAD", cwd=repo, env=env)
        with_tree = ["--work-tree", str(tree)]
        _git(*with_tree, "add", "-A", ".", cwd=repo, env=env)
        tree_id = _git("write-tree", cwd=repo, env=env)
        if parent and _git("rev-parse", f"{parent}^{{tree}}", cwd=repo, env=env) == tree_id:
            raise NothingToPublish(f"nothing to publish: {branch} already holds this build")
        args = ["commit-tree", tree_id, "-m", message] + (["-p", parent] if parent else [])
        commit = _git(*args, cwd=repo, env=env)
        _git("push", "-q", remote_url, f"{commit}:refs/heads/{branch}", cwd=repo, env=env, remote=remote_url)
        return commit
