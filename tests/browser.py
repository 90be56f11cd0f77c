"""Headless Chromium for the browser tests: found, started and stopped here.

On a machine with no Chromium the browser tests are skipped with a message; in CI
(``CI=true``) a missing browser is a failure instead, since .ci/run installs it.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1280,1000"]


def find_browser() -> tuple[str, str] | None:
    """Return (chromium, chromedriver) paths, or None."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def require_browser() -> tuple[str, str]:
    """Return the browser paths, or skip (fail in CI) when there is none."""
    found = find_browser()
    if found:
        return found
    message = ("Chromium and chromedriver are not installed: browser tests need Debian's 'chromium' and "
               "'chromium-driver' (apt-get install chromium chromium-driver)")
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; in CI a missing browser is a failure")
    pytest.skip(message)


def start_driver(javascript: bool = True):
    """Start headless Chromium with network logging (optionally with JavaScript off); the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chromium, driver = require_browser()
    options = Options()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="cg-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    web = webdriver.Chrome(service=Service(driver), options=options)
    web._cg_profile = profile
    return web


def stop_driver(web) -> None:
    """Quit the browser and remove its profile."""
    profile = getattr(web, "_cg_profile", None)
    web.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def requested_urls(web) -> list[str]:
    """Every URL the browser requested since the last call (from the performance log)."""
    urls = []
    for entry in web.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls
