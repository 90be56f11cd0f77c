"""A local preview server: build, serve on 127.0.0.1, rebuild when content or templates change."""
from __future__ import annotations

import errno
import functools
import http.server
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Callable

from .problems import ContentError
from .errors import PortInUse


def _fingerprint(folders: list[Path]) -> tuple:
    stamps = []
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ([folder] if folder.exists() else []):
            if path.is_file():
                stat = path.stat()
                stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


DEFAULT_PORT = 8000
PORTS_TRIED = 20
"""How many ports after the default are tried when it is taken."""


def open_server(site: Path, port: int | None) -> http.server.ThreadingHTTPServer:
    """Bind a static file server for ``site`` on 127.0.0.1, before anything is built.

    With ``port`` None the default is tried, then the next ones; a port given explicitly is
    used or refused.
    """
    handler = functools.partial(_QuietHandler, directory=str(site))
    candidates = [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED)
    for candidate in candidates:
        try:
            return _QuietServer(("127.0.0.1", candidate), handler)
        except OSError as error:
            if error.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
    if port is not None:
        raise PortInUse(f"port {port} is in use; try `--port {port + 1}`")
    raise PortInUse(f"ports {DEFAULT_PORT} to {DEFAULT_PORT + PORTS_TRIED - 1} are all in use; "
                    f"stop another server or pass --port N")


def serve_folder(site: Path, port: int | None) -> http.server.ThreadingHTTPServer:
    """Start a static file server for ``site`` on 127.0.0.1 in a background thread."""
    server = open_server(site, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietServer(http.server.ThreadingHTTPServer):
    """A server that keeps the terminal for build messages: a client that hangs up early is not an
    error, and anything else a request raises is one line, never a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"serve: could not answer a request ({type(error).__name__}: {error})", file=sys.stderr)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the terminal for build messages
        pass

    def send_head(self):
        """Answer 400 to a path no file can have (a NUL byte, a control character, bad escapes)."""
        try:
            path = urllib.parse.unquote(self.path.split("?", 1)[0].split("#", 1)[0], errors="strict")
        except UnicodeDecodeError:
            path = "\0"
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
            self.send_error(400, "Bad request path")
            return None
        return super().send_head()


def serve_and_rebuild(content: Path, site: Path, config: Path, docs: Path, port: int | None,
                      report: Callable, build: Callable | None = None, page: Callable[[], str] = lambda: "") -> int:
    """Bind the port, build once, serve, and rebuild on every change until interrupted.

    ``port`` None takes the first free port from 8000; ``page`` gives the path of the page to
    announce (the previewed record's own page), '' for the home page.
    """
    from .build import BuildError, build as build_pipeline
    from .resources import ASSETS, OVERRIDES, TEMPLATES

    server = open_server(site, port)  # before building: a busy port is reported at once
    chosen = server.server_address[1]
    if port is None and chosen != DEFAULT_PORT:
        print(f"port {DEFAULT_PORT} is in use; using {chosen} instead", file=sys.stderr)
    build = build or (lambda: build_pipeline(content, site, config, docs))
    watched = [content, TEMPLATES, ASSETS, OVERRIDES, config]

    def rebuild() -> bool:
        try:
            build()
            print(f"built: http://127.0.0.1:{chosen}/{page()}", file=sys.stderr)
            return True
        except ContentError as error:
            report(error.problems)
        except BuildError as error:
            print(f"error: {error}", file=sys.stderr)
        print("the previous site is still served; fix the problems and save again", file=sys.stderr)
        return False

    # Fingerprint the inputs before the first build: a change made while it runs, or just after
    # the server starts, is then seen and built, never missed.
    seen = _fingerprint(watched)
    if not rebuild() and not site.exists():
        server.server_close()
        return 1
    site.mkdir(parents=True, exist_ok=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving http://127.0.0.1:{chosen}/{page()} (Ctrl-C to stop); rebuilding when files change",
          file=sys.stderr)
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
