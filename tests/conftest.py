"""Shared fixtures: a tiny fixture knowledge base, a CLI runner, and built sites."""
from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "content"
CONTENT = ROOT / "content"
CONFIG = ROOT / "mkdocs.yml"


@dataclass
class Result:
    """What a CLI run printed and returned."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        """Non-empty stdout lines."""
        return [line for line in self.out.splitlines() if line.strip()]


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``clustergrid`` in-process with arguments; return exit code and output."""
    def run(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)
    return run


def run_command(*args: str, cwd: Path, timeout: float = 300, env: dict | None = None) -> Result:
    """Run the installed ``clustergrid`` as a separate process (for exit codes and tracebacks)."""
    exe = Path(sys.executable).parent / "clustergrid"
    proc = subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def content(tmp_path) -> Path:
    """A writable copy of the fixture knowledge base."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def write(path: Path, text: str) -> Path:
    """Write a file, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build_into(content_dir: Path, work: Path, site_name: str = "site") -> Path:
    """Build a site from ``content_dir`` with the project's mkdocs.yml; return the site folder."""
    from generator.build import build
    config = work / "mkdocs.yml"
    if not config.exists():
        shutil.copy(CONFIG, config)
    site = work / site_name
    build(content_dir, site, config, work / "build" / "docs")
    return site


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The site built from the real content, once per test session."""
    work = tmp_path_factory.mktemp("real")
    return build_into(CONTENT, work)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The site built from the fixture knowledge base, once per test session."""
    work = tmp_path_factory.mktemp("fixture")
    return build_into(FIXTURE, work)


@pytest.fixture(scope="module")
def web():
    """One headless Chromium per test module (skips with a reason if there is none; fails in CI)."""
    from tests.browser import start_driver, stop_driver
    driver = start_driver()
    driver.set_page_load_timeout(30)
    yield driver
    stop_driver(driver)
