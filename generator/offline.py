"""A MkDocs plugin (``clustergrid-offline`` in mkdocs.yml): search runs in a real Web Worker from disk.

Material's search runs in a Web Worker loaded from ``assets/javascripts/workers/search.*.js``.
Browsers refuse to start a worker from a ``file://`` address, and Material's offline plugin
answers that with the iframe-worker shim from a CDN, which runs the search on the page's own
thread (a page stalls for seconds per keystroke at thousands of records). Instead, this plugin:

- drop the CDN shim that the offline plugin adds to ``extra.polyfills``;
- after the build, write ``assets/javascripts/file-worker.js``: the search worker's own source,
  inlined into a script, with a small ``Worker`` wrapper that starts it from a Blob when the
  page is opened from disk. A worker started from a Blob runs off the main thread there too;
- rewrite the offline plugin's ``search/search_index.js`` so that it holds the documents as one
  JSON *string*: the page then parses a string literal (cheap) instead of a large object
  literal, hands the worker a string (a cheap copy instead of a deep clone), and the worker
  parses the JSON off the main thread. At ten thousand records this is what keeps opening
  search from freezing the page.

Over http nothing changes: the wrapper steps aside and Material loads its worker as usual.
It is registered as an entry point in pyproject.toml, so stock ``mkdocs build`` in the project's
virtual environment runs it too and builds the same site as ``clustergrid build``. It must come
after ``offline`` in the plugin list, since it undoes what that plugin's ``on_config`` adds.
"""
from __future__ import annotations

import json
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

MAX_RESULTS = 250
"""Most search results the worker hands the page from file:// (best first)."""

FILE_WORKER = "assets/javascripts/file-worker.js"
"""Site path of the script, also listed in ``extra.polyfills`` in mkdocs.yml."""

WRAPPER = Path(__file__).with_name("file-worker.js")
"""The script's source: the page-side wrapper, with the worker's name, its source and the result
limit filled in at build time (``__WORKER_NAME__``, ``__WORKER_SOURCE__``, ``__MAX_RESULTS__``)."""


class FileWorkerPlugin(BasePlugin):
    """Replace the offline plugin's CDN shim with a Blob-started search worker."""

    def on_config(self, config):
        """Drop the CDN iframe-worker shim that Material's offline plugin appends."""
        polyfills = config.extra.get("polyfills") or []
        config.extra["polyfills"] = [p for p in polyfills if "iframe-worker" not in str(p)]
        return config

    def on_pre_build(self, config):
        self._worker_written = False

    def on_post_page(self, output, page, config):
        """Write the file-worker script once the theme's worker is in the site, before the first page.

        MkDocs copies the theme's files before it writes any page, so every page that names the
        script is written after the script exists (the build's checks look for it).
        """
        if not getattr(self, "_worker_written", False):
            write_file_worker(Path(config.site_dir))
            self._worker_written = True
        return output

    @event_priority(-110)  # after the offline plugin (-100) has written search_index.js
    def on_post_build(self, config):
        """Write the file-worker script (again, for a site of no pages) and the string-valued offline index."""
        write_file_worker(Path(config.site_dir))
        write_offline_index(Path(config.site_dir))


def _js_string(text: str) -> str:
    """A JavaScript string literal of ``text`` that can never close a <script> element."""
    return json.dumps(text).replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def write_offline_index(site: Path) -> None:
    """Rewrite search/search_index.js with the documents as one JSON string (see the module doc)."""
    index = site / "search" / "search_index.json"
    script = site / "search" / "search_index.js"
    if not index.is_file() or not script.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    docs = json.dumps(data.get("docs", []), ensure_ascii=False, separators=(",", ":"))
    config = json.dumps(data.get("config", {}), ensure_ascii=False)
    script.write_text(f"var __index = {{\"config\": {config}, \"docs\": {_js_string(docs)}}};\n", encoding="utf-8")


def write_file_worker(site: Path) -> None:
    """Write the file-worker script from the search worker the theme copied into the site."""
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if not workers:
        return
    worker = workers[0]
    source = _js_string(worker.read_text(encoding="utf-8"))
    out = site / FILE_WORKER
    out.parent.mkdir(parents=True, exist_ok=True)
    script = (WRAPPER.read_text(encoding="utf-8").replace("__WORKER_NAME__", worker.name)
              .replace("__MAX_RESULTS__", str(MAX_RESULTS)).replace("__WORKER_SOURCE__", source))
    out.write_text(script, encoding="utf-8")
