"""Publishing: the built site lands on a branch of a git remote, with .nojekyll and CNAME."""
from __future__ import annotations

import shutil
import subprocess

from .conftest import CONFIG, run_command, write


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def test_publish_to_a_bare_repository(content, tmp_path):
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    result = run_command("publish", "--remote", str(remote), "--content", "content", "--cname", "clusters.example.org",
                         cwd=tmp_path)
    assert result.code == 0, result.err
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).splitlines()
    assert "index.html" in files and ".nojekyll" in files and "clusters/IN-0001.html" in files
    assert git("show", "gh-pages:CNAME", cwd=remote) == "clusters.example.org"
    first = git("rev-parse", "gh-pages", cwd=remote)
    # a second publish adds a commit on top, keeping history
    write(content / "clusters" / "TH-0001.yaml", (content / "clusters" / "TH-0001.yaml").read_text().replace(
        "Fixture woodcarving village", "Renamed village"))
    assert run_command("publish", "--remote", str(remote), "--content", "content", cwd=tmp_path).code == 0
    assert git("rev-parse", "gh-pages~1", cwd=remote) == first
    assert "Renamed village" in git("show", "gh-pages:clusters/TH-0001.html", cwd=remote)
    assert "CNAME" not in git("ls-tree", "--name-only", "gh-pages", cwd=remote).splitlines()


def test_publish_to_an_unknown_remote_name_is_a_clear_error(content, tmp_path):
    git("init", "-q", cwd=tmp_path)
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    result = run_command("publish", "--remote", "nosuch", "--content", "content", cwd=tmp_path)
    assert result.code == 1
    assert result.err.strip() == ("error: no git remote named 'nosuch'; pass --remote URL or add it with: "
                                  "git remote add nosuch URL")


def source_repository(folder):
    """Make ``folder`` (holding content/) a repository on branch main, with a bare remote 'origin'
    (``folder/remote.git``) whose default branch is main; return the remote's path."""
    remote = folder / "remote.git"
    git("init", "-q", "--bare", "-b", "main", str(remote), cwd=folder)
    git("init", "-q", "-b", "main", cwd=folder)
    shutil.copy(CONFIG, folder / "mkdocs.yml")
    write(folder / ".gitignore", "site/\nbuild/\n.site*\nremote.git/\n")
    git("add", "-A", cwd=folder)
    git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "content", cwd=folder)
    git("remote", "add", "origin", str(remote), cwd=folder)
    return remote


def test_publish_from_inside_a_repository_leaves_its_work_tree_and_branches_alone(content, tmp_path):
    remote = source_repository(tmp_path)
    status_before = git("status", "--porcelain", cwd=tmp_path)
    result = run_command("publish", "--content", "content", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "index.html" in git("ls-tree", "--name-only", "gh-pages", cwd=remote).splitlines()
    assert git("status", "--porcelain", cwd=tmp_path) == status_before
    assert git("branch", "--format=%(refname:short)", cwd=tmp_path) == "main"
