"""A plain (non-editable) `pip install .` builds a site from any folder: templates and assets are package data."""
from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.conftest import CONFIG, FIXTURE, ROOT


def test_non_editable_install_builds_from_another_folder(tmp_path):
    venv = tmp_path / "venv"
    # No pip or setuptools of its own: those of the project's environment build and install.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        check=True, capture_output=True, text=True).stdout.strip())
    # The dependencies come from the project's own environment (a plain path, so its editable
    # finder for `generator` is not loaded); `generator` itself is installed into the new venv.
    (site_packages / "cg-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", "site", "build", ".git", "*.egg-info",
                                                                 "__pycache__", ".site-*", "node_modules"))
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--ignore-installed",
                              str(source)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    shutil.rmtree(source)  # nothing may be read from the source tree any more
    where = subprocess.run([str(python), "-c", "import generator.resources as r; print(r.TEMPLATES)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout.strip()
    assert where.startswith(str(site_packages)), where
    # the GeoNames division names `clustergrid locate` reads are package data too
    subprocess.run([str(python), "-c", "from generator.gazetteer import ADMIN1_FILE as f; assert f.is_file(), f"],
                   check=True, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(CONFIG, elsewhere / "mkdocs.yml")
    shutil.copytree(FIXTURE, elsewhere / "content")
    run = subprocess.run([str(venv / "bin" / "clustergrid"), "build"], cwd=elsewhere, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    assert (elsewhere / "site" / "index.html").is_file()
    assert (elsewhere / "site" / "assets" / "cluster-grid.css").is_file()
    assert (elsewhere / "site" / "assets" / "javascripts" / "file-worker.js").is_file()
    assert (elsewhere / "site" / "clusters" / "IN-0001.html").is_file()
