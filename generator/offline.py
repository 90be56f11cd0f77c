"""A MkDocs plugin (``clustergrid-offline`` in mkdocs.yml): search runs in a real Web Worker from disk.

Material's search runs in a Web Worker loaded from ``assets/javascripts/workers/search.*.js``.
Browsers refuse to start a worker from a ``file://`` address, and Material's offline plugin
answers that with the iframe-worker shim from a CDN, which runs the search on the page's own
thread (a page stalls for seconds per keystroke at thousands of records). Instead, this plugin:

- drop the CDN shim that the offline plugin adds to ``extra.polyfills``;
- after the build, write ``assets/javascripts/file-worker.js``: the search worker's own source,
  inlined into a script, with a small ``Worker`` wrapper that starts it from a Blob when the
  page is opened from disk. A worker started from a Blob runs off the main thread there too.

Over http nothing changes: the wrapper steps aside and Material loads its worker as usual.
It is registered as an entry point in pyproject.toml, so stock ``mkdocs build`` in the project's
virtual environment runs it too and builds the same site as ``clustergrid build``. It must come
after ``offline`` in the plugin list, since it undoes what that plugin's ``on_config`` adds.
"""
from __future__ import annotations

import json
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

FILE_WORKER = "assets/javascripts/file-worker.js"
"""Site path of the script, also listed in ``extra.polyfills`` in mkdocs.yml."""

_WRAPPER = """/* Cluster Grid: start Material's search worker from a Blob when the site is read from disk
   (browsers refuse file:// workers). Generated at build time by generator/offline.py from
   the theme's own worker, %(name)s (Material for MkDocs, MIT licence). */
(function () {
  "use strict";
  if (location.protocol !== "file:" || typeof Worker === "undefined" || typeof Blob === "undefined") return;
  var source = %(source)s;
  var NativeWorker = window.Worker;
  var blobUrl = null;
  function FileWorker(url, options) {
    if (/workers\\/search\\.[0-9a-f]+\\.min\\.js$/.test(String(url))) {
      blobUrl = blobUrl || URL.createObjectURL(new Blob([source], {type: "text/javascript"}));
      return new NativeWorker(blobUrl, options);
    }
    return new NativeWorker(url, options);
  }
  FileWorker.prototype = NativeWorker.prototype;
  window.Worker = FileWorker;
})();
"""


class FileWorkerPlugin(BasePlugin):
    """Replace the offline plugin's CDN shim with a Blob-started search worker."""

    def on_config(self, config):
        """Drop the CDN iframe-worker shim that Material's offline plugin appends."""
        polyfills = config.extra.get("polyfills") or []
        config.extra["polyfills"] = [p for p in polyfills if "iframe-worker" not in str(p)]
        return config

    @event_priority(-100)
    def on_post_build(self, config):
        """Write the file-worker script."""
        write_file_worker(Path(config.site_dir))


def write_file_worker(site: Path) -> None:
    """Write the file-worker script from the search worker the theme copied into the site."""
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if not workers:
        return
    worker = workers[0]
    # json.dumps gives a valid JavaScript string literal; "</" is broken up so the text could
    # never close a <script> element, and U+2028/9 are escaped for older engines.
    source = json.dumps(worker.read_text(encoding="utf-8")).replace("</", "<\\/")
    source = source.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    out = site / FILE_WORKER
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(_WRAPPER % {"name": worker.name, "source": source}, encoding="utf-8")
