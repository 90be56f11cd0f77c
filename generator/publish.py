"""Publish the built site to a branch of a git remote (GitHub Pages style).

The site is committed on top of the branch's previous commit when there is one, so the
published history stays readable; ``.nojekyll`` is added, and ``CNAME`` when one is configured.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from .errors import PublishError, NothingToPublish
from .problems import printable


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


_SCP_LIKE = re.compile(r"^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:[^\s]+$")
_URL = re.compile(r"^(https?|ssh|git|file)://[^\s]+$", re.IGNORECASE)
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def resolve_remote(remote: str, repo: Path) -> str:
    """Turn a remote name (``origin``) into its URL; URLs and existing paths pass through.

    Whatever is given stays data: nothing that starts with ``-`` (git would read it as an option),
    and anything else must be a URL, an ``user@host:path`` address, an existing path or a remote name.
    """
    if not remote or remote.startswith("-") or any(c in remote for c in "\n\r\0"):
        raise PublishError(f"not a remote: '{printable(remote)}'; give a remote name, a URL or a path")
    if _URL.match(remote) or _SCP_LIKE.match(remote):
        return remote
    path = Path(remote)
    if "/" in remote or remote.startswith(".") or path.exists():
        if not path.exists():
            raise PublishError(f"remote path {printable(remote)} does not exist; give a remote name, a URL or a path")
        return str(path.resolve())
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", remote):
        raise PublishError(f"not a remote: '{printable(remote)}'; give a remote name, a URL or a path")
    try:
        url = _git("remote", "get-url", remote, cwd=repo)
    except PublishError:
        raise PublishError(f"no git remote named '{remote}'; pass --remote URL or add it with: git remote add {remote} URL") from None
    if url.startswith("-"):
        raise PublishError(f"remote '{remote}' has the URL '{printable(url)}', which git would read as an option")
    return url


def check_branch(branch: str) -> str:
    """Refuse anything but a plain branch name: no refspec, no ``refs/...``, no ``HEAD``, no option."""
    plain = re.match(r"^[A-Za-z0-9._/-]+$", branch or "") and not branch.startswith(("-", "refs/", "/")) \
        and branch != "HEAD" and "@{" not in branch
    proc = subprocess.run(["git", "check-ref-format", f"refs/heads/{branch}"], capture_output=True, text=True) \
        if plain else None
    if not plain or proc.returncode != 0:
        raise PublishError(f"not a branch name: '{printable(branch)}'; give a plain branch name such as gh-pages "
                           f"(no refspec, 'refs/…', 'HEAD' or leading '-')")
    return branch


def source_branches(remote_url: str, cwd: Path) -> set[str]:
    """Branches that hold the source: the one checked out here, and the remote's default branch."""
    found = set()
    here = subprocess.run(["git", "symbolic-ref", "--short", "-q", "HEAD"], cwd=cwd, capture_output=True, text=True)
    if here.returncode == 0 and here.stdout.strip():
        found.add(here.stdout.strip())
    remote = subprocess.run(["git", "ls-remote", "--symref", "--", remote_url, "HEAD"], cwd=cwd,
                            capture_output=True, text=True)
    for line in remote.stdout.splitlines():
        if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD"):
            found.add(line[len("ref: refs/heads/"):-len("\tHEAD")])
    return found


def refuse_source_branch(branch: str, remote_url: str, cwd: Path, force: bool) -> None:
    """Refuse to publish over the branch checked out here or the remote's default branch."""
    if not force and branch in source_branches(remote_url, cwd):
        raise PublishError(f"branch '{branch}' holds the source (it is checked out here or is the remote's default "
                           f"branch); publishing would replace it with the site. Publish to gh-pages, or pass "
                           f"--force-branch if you really mean it")


def is_host_name(text: str) -> bool:
    """Whether text is one host name: labels of letters, digits and hyphens, joined by dots."""
    host = text.strip().lower().rstrip(".")
    labels = host.split(".")
    return len(host) <= 253 and len(labels) >= 2 and all(_HOST_LABEL.match(label) for label in labels)


def check_cname(cname: str) -> str:
    """A CNAME is one host name (see :func:`is_host_name`)."""
    host = cname.strip().lower().rstrip(".")
    if not is_host_name(host):
        raise PublishError(f"not a host name for CNAME: '{printable(cname)}'; give one domain such as "
                           f"clusters.example.org (no scheme, path, port or spaces)")
    return host


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
                 cwd: Path | None = None, force_branch: bool = False) -> str:
    """Commit ``site`` to ``branch`` of ``remote_url`` and push; return the new commit's ID.

    The commit is made with a temporary index, so the working tree, index and branches of the
    current repository are left as they were.
    """
    if not (site / "index.html").is_file():
        raise PublishError(f"{site}/index.html not found; build the site first with: clustergrid build")
    if remote_url.startswith("-"):
        raise PublishError(f"not a remote: '{printable(remote_url)}'")
    check_branch(branch)
    cname = check_cname(cname) if cname else None
    refuse_source_branch(branch, remote_url, cwd or Path.cwd(), force_branch)
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
            (tree / "CNAME").write_text(cname + "\n")
        repo = _repository(cwd or Path.cwd(), scratch, env)
        env["GIT_INDEX_FILE"] = str(scratch / "index")
        parent = None
        fetch = subprocess.run(["git", "fetch", "-q", "--", remote_url, f"refs/heads/{branch}"], cwd=repo,
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
        _git("push", "-q", "--", remote_url, f"{commit}:refs/heads/{branch}", cwd=repo, env=env, remote=remote_url)
        return commit
