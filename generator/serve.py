"""A local preview server: build, serve on 127.0.0.1, rebuild when content or templates change."""
from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from .problems import ContentError


def _fingerprint(folders: list[Path]) -> tuple:
    stamps = []
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ([folder] if folder.exists() else []):
            if path.is_file():
                stat = path.stat()
                stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


def serve_folder(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    """Start a static file server for ``site`` on 127.0.0.1 in a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the terminal for build messages
        pass


def serve_and_rebuild(content: Path, site: Path, config: Path, docs: Path, port: int,
                      report: Callable, build: Callable | None = None) -> int:
    """Build once, serve, and rebuild on every change until interrupted."""
    from .build import BuildError, build_site
    from .resources import ASSETS, TEMPLATES

    build = build or (lambda: build_site(content, site, config, docs))
    watched = [content, TEMPLATES, ASSETS, config]

    def rebuild() -> bool:
        try:
            build()
            print(f"built: http://127.0.0.1:{port}/", file=sys.stderr)
            return True
        except ContentError as error:
            report(error.problems)
        except BuildError as error:
            print(f"error: {error}", file=sys.stderr)
        print("the previous site is still served; fix the problems and save again", file=sys.stderr)
        return False

    if not rebuild() and not site.exists():
        return 1
    site.mkdir(parents=True, exist_ok=True)
    server = serve_folder(site, port)
    print(f"serving http://127.0.0.1:{port}/ (Ctrl-C to stop); rebuilding when files change", file=sys.stderr)
    seen = _fingerprint(watched)
    try:
        while True:
            time.sleep(1)
            now = _fingerprint(watched)
            if now != seen:
                seen = now
                rebuild()
    except KeyboardInterrupt:
        server.shutdown()
        return 0
