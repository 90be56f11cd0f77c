"""Lighthouse accessibility and SEO audits of the built site, served on 127.0.0.1.

Optional: skipped where the ``lighthouse`` command is not installed (``npm install -g lighthouse``;
see README). It runs Chromium through Lighthouse, so it needs the browser tests' Chromium too.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from tests.browser import require_browser
from tests.test_browser import served

pytestmark = [pytest.mark.browser, pytest.mark.lighthouse]

PAGES = ["index.html", "clusters/IN-0006.html", "compare/otop-vs-ovop.html", "clusters/index.html",
         "countries/IN.html"]
CATEGORIES = ("accessibility", "seo")


@pytest.fixture(scope="module")
def origin(real_site):
    """The real site served over HTTP for the module."""
    server, thread, url = served(real_site)
    yield url
    server.shutdown()
    server.server_close()
    thread.join(5)


def audit(url: str) -> dict:
    """Run Lighthouse on one page; return its JSON report."""
    lighthouse = shutil.which("lighthouse")
    if lighthouse is None:
        pytest.skip("Lighthouse is not installed (npm install -g lighthouse)")
    chromium, _ = require_browser()
    proc = subprocess.run(
        [lighthouse, url, "--only-categories=" + ",".join(CATEGORIES), "--output=json", "--output-path=stdout",
         "--quiet", "--chrome-flags=--headless --no-sandbox --disable-gpu"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "CHROME_PATH": chromium})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize("page", PAGES)
def test_lighthouse_accessibility_and_seo_are_full_marks(origin, page):
    report = audit(f"{origin}/{page}")
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    failing = sorted(a["id"] for a in report["audits"].values()
                     if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0)
    assert scores == {name: 1 for name in CATEGORIES}, (scores, failing)
