"""Use the second core: cluster pages are rendered, and built pages checked, while MkDocs runs.

MkDocs builds on one core, and it is the longest stage. Everything the generator does before it
used to add to the wall time. Two jobs need not wait for each other:

- **Cluster pages.** MkDocs lists the files of ``docs_dir`` first, then reads and converts the
  pages one by one, in path order. So the build writes an empty placeholder for every cluster
  page, forks, and a second process renders the real pages in that same order, replacing each
  placeholder atomically. Before MkDocs reads a cluster page (``on_pre_page``), the hook waits
  until that process has said the page is written; it is usually far ahead.
- **The last guard.** Every page MkDocs writes passes ``on_post_page`` (this hook runs last), and
  its HTML is sent to the same second process, which by then has rendered everything, to be
  checked with :func:`generator.checks.check_page`. What MkDocs writes in other ways (its 404
  page, the theme's CSS) is checked by the walk afterwards, which skips the pages already seen.

The second process is started with ``fork``, so it shares the loaded catalog without copying
or pickling it. Where ``fork`` does not exist (Windows), :class:`SerialFeed` does the same work
in this process, before and after MkDocs, with the same results. A failure in the second
process (a page that cannot be rendered or written, or the process dying) aborts the build with
its message and its cause (the signal that killed it, its exit status); nothing is swapped into
place. A watchdog thread ends a second process that is stopped (SIGSTOP) or that makes no progress
while the build waits for it, so the build never hangs; it says which.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

from .checks import SiteProblem, check_page
from .errors import ClusterGridError
from .timings import peak_memory_mib
from .write import Writer

STOPPED_S = 10.0
"""Seconds the second process may stay stopped (SIGSTOP, a debugger) before the watchdog ends it."""
IDLE_S = 120.0
"""Seconds the build may wait for the second process while it uses no CPU time at all."""

PageSource = Callable[[], Iterator[tuple[str, str]]]
"""Yields (docs-relative path, Markdown text) of the cluster pages, in the order MkDocs reads them."""


def _memory_mib() -> float:
    """Proportional memory of this process (shared pages counted by share), else its peak."""
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_memory_mib()


def _worker(conn, parent_end, pages: PageSource, docs: Path, site: Path) -> None:
    """The second process: write the pages, then check the HTML sent to it, then report.

    ``fork`` copied the build's end of the pipe into this process too; it is closed first, so
    that when the build dies (even by SIGKILL) this process reads the end of the pipe and exits
    instead of waiting for ever.
    """
    parent_end.close()
    try:
        started = time.perf_counter()
        writer = Writer(docs)
        for path, text in pages():
            writer.write(path, text)
            conn.send(("page", path))
        rendered = time.perf_counter() - started
        conn.send(("rendered", rendered))
        found: list[SiteProblem] = []
        checked = 0.0
        known: dict = {}
        while True:
            message = conn.recv()
            if message is None:
                break
            began = time.perf_counter()
            shown, html = message
            found.extend(check_page(html, shown, site, known))
            checked += time.perf_counter() - began
        conn.send(("checked", found, checked, _memory_mib()))
    except BaseException as error:  # reported to the build, which stops with it; never a traceback here
        text = str(error) if isinstance(error, ClusterGridError) else f"unexpected {type(error).__name__}: {error}"
        try:
            conn.send(("error", text))
        except OSError:
            pass
    finally:
        conn.close()


def _hook(feed: "ForkedFeed"):
    """The MkDocs side: wait for a cluster page before it is read; send each built page to be checked.

    MkDocs is imported here, not at the top, so that ``validate`` does not load it.
    """
    from mkdocs.plugins import BasePlugin, event_priority

    class Hook(BasePlugin):
        def on_pre_page(self, page, config, files):
            """Hold MkDocs until the page's Markdown is written."""
            feed.wait_for(page.file.src_uri)
            return page

        @event_priority(-1000)  # after every other plugin: the HTML as it will be written
        def on_post_page(self, output, page, config):
            """Send the finished HTML to be checked."""
            feed.check(page.file.dest_uri, output)
            return output

    return Hook()


def _failed(text: str) -> Exception:
    from mkdocs.exceptions import PluginError
    return PluginError(text)


def _process_state(pid: int) -> tuple[str, int] | None:
    """The process's state letter and CPU ticks used (from /proc), or None where that cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return fields[0], int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


class SerialFeed:
    """The same work in this process: pages written before MkDocs, HTML checked after it."""

    parallel = False

    def __init__(self, pages: PageSource, docs: Path, site: Path):
        self.pages, self.docs, self.site = pages, docs, site
        self.rendered = self.checked_s = 0.0
        self.memory_mib = 0.0

    def start(self) -> None:
        started = time.perf_counter()
        writer = Writer(self.docs)
        for path, text in self.pages():
            writer.write(path, text)
        self.pages = None  # written: MkDocs can use this memory
        self.rendered = time.perf_counter() - started

    def plugin(self) -> None:
        return None

    def finish(self) -> tuple[list[SiteProblem], set[str]]:
        """No page was checked during the build: the walk afterwards checks them all."""
        return [], set()

    def stop(self) -> None:
        pass


class ForkedFeed:
    """Render the cluster pages and check the built pages in a second process (see the module doc)."""

    parallel = True

    def __init__(self, pages: PageSource, docs: Path, site: Path):
        self.pages, self.docs, self.site = pages, docs, site
        self.pending: set[str] = set()
        self.seen: set[str] = set()
        self.rendered = self.checked_s = 0.0
        self.memory_mib = 0.0
        self._conn = None
        self._process = None
        self.error: str | None = None
        """What went wrong, with the stage and the cause, once something has."""
        self.cause: str | None = None
        """Why the watchdog ended the second process, when it did."""
        self._waiting_since: float | None = None
        self._done = threading.Event()

    def expect(self, paths) -> None:
        """The docs-relative paths the second process will write (MkDocs waits for these)."""
        self.pending = set(paths)

    def start(self) -> None:
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        self._process = context.Process(target=_worker, args=(theirs, ours, self.pages, self.docs, self.site),
                                        name="clustergrid-pages", daemon=True)
        self._process.start()
        theirs.close()
        self.pages = None  # the second process has its own copy; MkDocs can use this memory
        self._conn = ours
        threading.Thread(target=self._watchdog, name="clustergrid-watchdog", daemon=True).start()

    def _watchdog(self) -> None:
        """End the second process when it is stopped, or idle while the build waits for it."""
        pid = self._process.pid
        stopped_since = None
        cpu, busy_at = None, time.monotonic()
        while not self._done.wait(0.5):
            seen = _process_state(pid)
            if seen is None:
                continue  # gone (the build reads why) or no /proc here
            state, ticks = seen
            now = time.monotonic()
            stopped_since = (stopped_since or now) if state in "Tt" else None
            if ticks != cpu:
                cpu, busy_at = ticks, now
            waiting = self._waiting_since
            if stopped_since is not None and now - stopped_since >= STOPPED_S:
                self.cause = f"it was stopped for {STOPPED_S:g} s (a SIGSTOP or a debugger?), so the watchdog ended it"
            elif waiting is not None and now - max(busy_at, waiting) >= IDLE_S:
                self.cause = f"it made no progress for {IDLE_S:g} s while the build waited, so the watchdog ended it"
            else:
                continue
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            return

    def _death(self) -> str:
        """Why the second process is gone, in words."""
        self._process.join(timeout=10)
        if self.cause:
            return f"the second process stopped answering: {self.cause}"
        code = self._process.exitcode
        if code is None:
            return "the second process stopped answering"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"the second process was killed by {name}"
        return f"the second process exited with status {code} without a word"

    def _fail(self, stage: str, text: str) -> Exception:
        self.error = f"{stage} failed: {text}"
        return _failed(self.error)

    @property
    def _stage(self) -> str:
        return "checking built pages" if self.rendered else "rendering cluster pages"

    def plugin(self):
        return _hook(self)

    def _receive(self) -> tuple:
        self._waiting_since = time.monotonic()
        try:
            message = self._conn.recv()
        except (EOFError, OSError):
            message = ("error", self._death())
        finally:
            self._waiting_since = None
        if message[0] == "error":
            raise self._fail(self._stage, message[1])
        return message

    def _take(self) -> None:
        """Read one message of the rendering: a page written, or the end of rendering."""
        message = self._receive()
        if message[0] == "page":
            self.pending.discard(message[1])
        elif message[0] == "rendered":
            self.rendered = message[1]
            if self.pending:  # every page written, yet some never reported: cannot happen
                raise self._fail("rendering cluster pages", f"pages never written: {', '.join(sorted(self.pending)[:5])}")

    def wait_for(self, src_uri: str) -> None:
        """Return once ``src_uri`` is written (at once for a page that is not a cluster page)."""
        if self.error:
            raise _failed(self.error)
        while src_uri in self.pending:
            self._take()

    def _drain(self) -> None:
        """Read the messages up to the end of rendering (MkDocs may not have waited for the last)."""
        while not self.rendered:
            self._take()

    def check(self, shown: str, html: str) -> None:
        """Send one built page to the second process to be checked."""
        if not self.rendered:
            self._drain()
        if self.error:
            raise _failed(self.error)
        self._waiting_since = time.monotonic()  # a full pipe blocks until the process reads
        try:
            self._conn.send((shown, html))
        except OSError:
            # the process is gone: what it said before it went, else how it went
            self._receive()
            raise self._fail(self._stage, self._death())
        finally:
            self._waiting_since = None
        self.seen.add(shown)

    def finish(self) -> tuple[list[SiteProblem], set[str]]:
        """The problems the second process found, and the pages it checked."""
        if not self.rendered:
            self._drain()
        try:
            self._conn.send(None)
        except OSError:
            pass  # gone: the receive below says how
        message = self._receive()
        _, found, self.checked_s, self.memory_mib = message
        self._process.join()
        self._done.set()
        return found, self.seen

    def stop(self) -> None:
        """End the second process if the build stopped early."""
        self._done.set()
        if self._conn is not None:
            self._conn.close()
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()


def page_feed(pages: PageSource, docs: Path, site: Path, paths) -> SerialFeed | ForkedFeed:
    """A forked feed where ``fork`` exists (Linux, macOS), else a serial one."""
    if "fork" in multiprocessing.get_all_start_methods() and os.environ.get("CLUSTERGRID_SERIAL") != "1":
        feed = ForkedFeed(pages, docs, site)
        feed.expect(paths)
        return feed
    return SerialFeed(pages, docs, site)
