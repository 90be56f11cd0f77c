"""The pipeline, top to bottom: load, validate, model, render, write, mkdocs build, check, swap.

:func:`read_catalog` gathers and checks everything before anything is rendered;
:func:`build` writes the Markdown into a scratch folder of its own, runs MkDocs from it into
another scratch folder, checks the result, and swaps both into place (``build/docs/`` and the
site folder). A failed or interrupted build leaves the previous site exactly as it was, and two
builds running at once never read each other's pages.
"""
from __future__ import annotations

import calendar
import datetime as dt
import contextlib
import dataclasses
import functools
import gc
import io
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Callable, Iterator

from .changes import release_name
from .checks import check_built_site
from .addresses import cluster_page
from .enrich import completeness_by_id
from .export import site_files
from .load import load_content
from .model import Catalog, build_catalog
from .problems import ContentError, Problem, plural
from .pages import PageBuilder
from .render import SiteSettings, render_cluster_pages, render_pages
from .overlap import page_feed
from . import stamp
from .resources import ASSETS, OVERRIDES, SCHEMAS, TEMPLATES
from .timings import Timings
from .validate import validate_content
from .write import Writer, check_writable, scratch_beside, swap_into_place
from .errors import BuildError


Progress = Callable[[str], None]
"""Receives one line per stage of a long build (shown on a terminal only; see :mod:`generator.progress`)."""


def _quiet(line: str) -> None:
    pass


def read_catalog(content_dir: Path, strict: bool = False, progress: Progress = _quiet,
                 today: "dt.date | None" = None, timings: Timings | None = None,
                 warning_positions: bool = True) -> tuple[Catalog, list[Problem]]:
    """Load, validate and model the content; raise :class:`ContentError` with every problem.

    Returns the catalog and the warnings (which are errors under ``strict``). Errors always
    carry exact positions; warnings only with ``warning_positions`` (a build only counts them).
    """
    timings = timings or Timings()
    progress("reading records")
    with timings.stage("load"):
        content, problems = load_content(content_dir)
    if content is not None:
        progress(f"checking {plural(len(content.clusters), 'cluster record')}, "
                 f"{plural(len(content.approaches), 'approach record')}")
        with timings.stage("validate"):
            checked = validate_content(content, today, warning_positions or strict)
        problems.extend(checked.problems)
    errors = [p for p in problems if p.blocks(strict)]
    if errors or content is None:
        raise ContentError(problems)
    with timings.stage("model"):
        catalog = build_catalog(checked.vocab, list(content.clusters), list(content.approaches),
                                list(content.concepts), content.table5, checked.identification_rows)
    return catalog, sorted(problems)


def _epoch(catalog: Catalog) -> int:
    """SOURCE_DATE_EPOCH when set, else the newest review date: the same content gives the same site."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    dates = [c.reviewed for c in catalog.clusters] + [a.reviewed for a in catalog.approaches]
    newest = max(dates) if dates else None
    return calendar.timegm(newest.timetuple()) if newest else 0


def write_docs(pages: dict[str, str], folder: Path, files: dict[str, bytes] | None = None,
               placeholders: list[str] = ()) -> None:
    """Write rendered pages, data files and static files into an empty folder.

    ``placeholders`` are pages written empty, to be replaced before MkDocs reads them.
    """
    writer = Writer(folder)
    for path in sorted(pages):
        writer.write(path, pages[path])
    for path in placeholders:
        writer.write(path, "")
    for path in sorted(files or {}):
        writer.write(path, files[path])
    writer.copy_tree(ASSETS, "assets")
    if SCHEMAS.is_dir():
        writer.copy_tree(SCHEMAS, "schema")


def write_overrides(overrides: Path) -> None:
    """Swap a fresh copy of the theme overrides into ``overrides`` (``custom_dir`` in mkdocs.yml)."""
    scratch = scratch_beside(overrides, "theme")
    try:
        writer = Writer(scratch)
        for path in sorted(OVERRIDES.rglob("*")):
            if path.is_file():
                writer.write(path.relative_to(OVERRIDES).as_posix(), path.read_bytes())
        swap_into_place(scratch, overrides)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@contextlib.contextmanager
def _source_date(epoch: int) -> Iterator[None]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path, epoch: int, feed=None) -> None:
    """Build the site with stock MkDocs from ``docs_dir`` into ``site_dir``.

    A ``feed`` (see :mod:`generator.overlap`) is started once the generator's data is frozen, and
    its hook joins MkDocs' plugins for this build only.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    # What the generator holds stays alive through the MkDocs run; frozen, the cyclic garbage
    # collector stops walking it again and again (at 10,000 records that walk cost a third of the
    # MkDocs time).
    gc.collect()
    gc.freeze()
    try:
        if feed is not None and feed.parallel:
            feed.start()  # forked after the freeze: the second process shares the frozen pages
        with _source_date(epoch), contextlib.redirect_stdout(io.StringIO()):
            config = load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir))
            hook = feed.plugin() if feed is not None else None
            if hook is not None:
                config.plugins["clustergrid-build"] = hook
            mkdocs_build(config)
    except (Abort, MkDocsException, OSError) as error:
        if feed is not None and getattr(feed, "error", None):
            raise BuildError(feed.error) from None
        if isinstance(error, OSError):
            raise BuildError(system_failure("mkdocs stage", error, "the last site was kept")) from None
        detail = "; ".join(handler.messages[:10])
        raise BuildError(f"MkDocs failed: {error}" + (f" ({detail})" if detail else "")) from None
    finally:
        gc.unfreeze()
        logger.removeHandler(handler)


def site_settings(config_file: Path) -> SiteSettings:
    """Read the settings pages need from mkdocs.yml (``site_url`` and the ``extra`` section).

    A value that cannot be used is reported at its line in mkdocs.yml (:class:`ContentError`),
    never dropped without a word. A file MkDocs cannot read is left for MkDocs to report.
    """
    from ruamel.yaml import YAML

    from .load import display_path, position
    from .publish import is_host_name

    try:
        # the round-trip loader keeps MkDocs' own tags (``!!python/name:``) as data, and positions
        data = YAML(typ="rt").load(config_file.read_text(encoding="utf-8")) or {}
    except Exception:  # an unreadable mkdocs.yml is reported by MkDocs itself, with its own message
        return SiteSettings()
    if not isinstance(data, dict):
        return SiteSettings()
    shown = display_path(config_file)
    problems: list[Problem] = []

    def take(node: dict, key: str, field: str, good, expected: str):
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, str) and good(value.strip()):
            return value.strip()
        line, col = position(node, key)
        problems.append(Problem(shown, line, col, field, f"cannot use {str(value)[:60]!r}", expected))
        return None

    site_url = take(data, "site_url", "site_url", lambda v: re.match(r"^https?://[^\s/]+", v),
                    "the site's public http(s) address, e.g. https://clusters.example.org/")
    extra = data.get("extra")
    extra = extra if isinstance(extra, dict) else {}
    repository = take(extra, "repository", "extra.repository", lambda v: re.match(r"^https://[^\s/]+/\S+$", v),
                      "the https address of the repository, e.g. https://github.com/OWNER/REPO")
    branch = take(extra, "branch", "extra.branch", lambda v: re.match(r"^[A-Za-z0-9._/-]+$", v) and not v.startswith("-"),
                  "a branch name such as main")
    cname = take(extra, "cname", "extra.cname", is_host_name, "one host name, e.g. clusters.example.org")
    if problems:
        raise ContentError(problems)
    return SiteSettings(site_url=site_url, repository=repository, branch=branch or "main", cname=cname)


def refuse_unsafe_site(feed, scratch: Path, site_dir: Path) -> None:
    """Raise :class:`BuildError` naming every problem of the built site: the pages checked as MkDocs
    wrote them (by ``feed``) and the walk over the rest."""
    from mkdocs.exceptions import PluginError
    try:
        found, checked = feed.finish()
    except PluginError:
        raise BuildError(f"{feed.error}; {site_dir} was left as it was") from None
    found = sorted(found + check_built_site(scratch, checked), key=lambda x: (x.path.split("/"), x.line))
    if found:
        kinds = {x.kind for x in found}
        what = " and ".join(w for k, w in (("external request", "would make network requests"),
                                           ("active content", "holds active content no template wrote"),
                                           ("duplicate id", "has pages that use one id twice"),
                                           ("malformed XML", "has XML files that do not parse"))
                            if k in kinds)
        raise BuildError(f"the built site {what}; {site_dir} was left as it was:\n"
                         + "\n".join(x.format() for x in found[:20]))


def system_failure(step: str, error: OSError, then: str) -> str:
    """One message for an error of the system: the step, the cause, the path, and what became of the site."""
    where = f" ({error.filename})" if error.filename else ""
    return f"{step} failed: {error.strerror or error}{where}; {then}"


@contextlib.contextmanager
def _stage(timings: Timings, site_dir: Path, name: str) -> Iterator[None]:
    """Time one stage of the build, and turn an error of the system (a full disk, a folder that
    cannot be written) into a message naming the stage and the path."""
    with timings.stage(name):
        try:
            yield
        except OSError as error:
            raise BuildError(system_failure(f"{name} stage", error, f"the last site in {site_dir} was kept")) from None


def build(content_dir: Path, site_dir: Path, config_file: Path, docs_dir: Path,
          strict: bool = False, catalog: Catalog | None = None,
          progress: Progress = _quiet, timings: Timings | None = None) -> tuple[Catalog, list[Problem]]:
    """Validate, generate and build; swap the new site into ``site_dir`` only when all succeeded."""
    timings = timings or Timings()
    warnings: list[Problem] = []
    check_writable(site_dir)
    if catalog is None:
        catalog, warnings = read_catalog(content_dir, strict, progress, timings=timings, warning_positions=False)
    progress(f"writing pages for {plural(len(catalog.clusters), 'cluster')}")
    settings = dataclasses.replace(site_settings(config_file), release=release_name(content_dir))
    with _stage(timings, site_dir, "render"):
        files = site_files(catalog, completeness_by_id(catalog), settings.site_url, settings.release)
        builder = PageBuilder(catalog, settings, files)  # shared with the second process (overlap.py)
        pages = dict(render_pages(catalog, settings, files, clusters=False, builder=builder))
    docs = scratch = feed = None
    try:
        with _stage(timings, site_dir, "write"):
            write_overrides(docs_dir.parent / "overrides")
            # this build's own Markdown: a build running at the same time swaps its own into docs_dir
            docs = scratch_beside(docs_dir, "docs")
            # cluster pages are placeholders until the page feed writes them (see overlap.py)
            cluster_paths = [cluster_page(c.id) for c in catalog.clusters]
            write_docs(pages, docs, files, placeholders=cluster_paths)
        del pages, files  # on disk now; MkDocs needs the memory
        scratch = scratch_beside(site_dir, "build")
        feed = page_feed(functools.partial(render_cluster_pages, catalog, settings, None, builder), docs, scratch,
                         cluster_paths)
        del builder  # the feed holds it until the second process has it (see overlap.py)
        if not feed.parallel:
            with _stage(timings, site_dir, "pages"):
                feed.start()
        progress("building the site with MkDocs (the longest step)")
        with _stage(timings, site_dir, "mkdocs"):
            run_mkdocs(config_file, docs, scratch, _epoch(catalog), feed)
        with _stage(timings, site_dir, "checks"):
            refuse_unsafe_site(feed, scratch, site_dir)
        if feed.parallel:
            timings.beside("pages", feed.rendered)
            timings.beside("page checks", feed.checked_s)
            timings.child_memory_mib = feed.memory_mib
        with _stage(timings, site_dir, "swap"):
            swap_into_place(scratch, site_dir)
            swap_into_place(docs, docs_dir)
    finally:
        if feed is not None:
            feed.stop()
        for folder in (docs, scratch):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
    return catalog, warnings


def build_fingerprint(content_dir: Path, config_file: Path, strict: bool) -> str:
    """Hash every input of a full build (content, templates, assets, code, mkdocs.yml, versions, and the
    release citations name: a new commit changes every citation)."""
    return stamp.fingerprint(content_dir, config_file, (TEMPLATES, ASSETS, SCHEMAS, OVERRIDES, Path(__file__).parent),
                             {"strict": strict, "release": release_name(content_dir)})


def build_unless_unchanged(content_dir: Path, site_dir: Path, config_file: Path, docs_dir: Path,
                           strict: bool = False, timings: Timings | None = None, force: bool = False,
                           progress: Progress = _quiet) -> tuple[Catalog, list[Problem]] | None:
    """Run :func:`build`, unless the site already holds a build of the same inputs.

    Returns None when nothing changed (never with ``force``); the stamp lives beside ``docs_dir``,
    outside the site.
    """
    timings = timings or Timings()
    stamps = docs_dir.parent / "stamps"
    with timings.stage("fingerprint"):
        current = build_fingerprint(content_dir, config_file, strict)
    if not force and stamp.is_current(stamps, site_dir, current):
        return None
    stamp.forget(stamps, site_dir)
    result = build(content_dir, site_dir, config_file, docs_dir, strict, progress=progress, timings=timings)
    try:
        stamp.record(stamps, site_dir, current)
    except OSError as error:
        raise BuildError(system_failure("recording the build's fingerprint", error,
                                        f"the new site is in {site_dir}, and the next build will run in full")) from None
    return result
