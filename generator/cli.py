"""The ``clustergrid`` command. Only this module prints messages and chooses exit codes."""
from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap
from pathlib import Path

from .escape import RenderError
from .problems import ContentError, Problem, plural, printable, safe_line
from .serve import PortInUse
from .write import WriteError

EXAMPLES = {
    "validate": "example:\n  clustergrid validate content/clusters/IN-0042.yaml\n  clustergrid validate\n"
                "  clustergrid validate --changed-since origin/main   (the pull-request check)",
    "build": "example:\n  clustergrid build\n  clustergrid build --site-dir /tmp/cluster-grid-site",
    "new": 'example:\n  clustergrid new --country IN --name "Tiruppur knitwear cluster"',
    "serve": "example:\n  clustergrid serve --port 8000",
    "schema": "example:\n  clustergrid schema\n  clustergrid schema --check",
    "fmt": "example:\n  clustergrid fmt content/clusters/IN-0001.yaml\n  clustergrid fmt --check",
    "preview": "example:\n  clustergrid preview content/clusters/IN-0001.yaml\n  clustergrid preview --no-serve content/clusters/IN-0001.yaml",
    "publish": "example:\n  clustergrid publish\n  clustergrid publish --remote git@github.com:OWNER/REPO.git --branch gh-pages",
    "locate": "example:\n  clustergrid locate content/clusters/IN-0003.yaml\n"
              "  clustergrid locate --write content/clusters/*.yaml",
}


def _paths(args) -> tuple[Path, Path, Path, Path]:
    config = Path(getattr(args, "config", "mkdocs.yml"))
    return Path(args.content), Path(getattr(args, "site_dir", "site")), config, config.parent / "build" / "docs"


def _github() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _annotation(problem: Problem) -> str:
    def esc(text: str) -> str:
        text = printable(text)  # like the human line: a file name with ESC or U+202E is shown, not obeyed
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(",", "%2C").replace(":", "%3A")
    kind = "error" if problem.severity == "error" else "warning"
    message = problem.format().split(f": {problem.severity}: ", 1)[1]
    return (f"::{kind} file={esc(problem.path)},line={problem.line},col={problem.col},"
            f"title={esc(problem.field)}::{printable(message).replace('%', '%25').replace(chr(10), '%0A')}")


def _print_problem(problem: Problem) -> None:
    print(problem.format())
    if _github():
        print(_annotation(problem))


def report(problems: list[Problem], strict: bool = False, building: bool = False) -> int:
    """Print every error in full and count the warnings; return the exit code (build, serve, fmt, …)."""
    shown = [p.judged(strict) for p in problems]
    errors = sorted(p for p in shown if p.severity == "error")
    for problem in errors:
        _print_problem(problem)
    warnings = len(shown) - len(errors)
    counted = f"{plural(warnings, 'warning')} (list them with: clustergrid validate --all)" if warnings else ""
    if errors:
        tail = ": nothing was built, and the previous site is unchanged" if building else ""
        print(", ".join(filter(None, [plural(len(errors), "error"), counted])) + tail, file=sys.stderr)
        return 1
    if warnings:
        print(counted, file=sys.stderr)
    return 0


def _scope(args) -> tuple[set[str] | None, bool]:
    """The files that are the contributor's: named, changed since a ref, or uncommitted (None: all)."""
    from .changes import GitError, changed_files, uncommitted_files
    from .load import display_path
    if args.files:
        return {display_path(Path(f)) for f in args.files}, True
    content = Path(args.content) if Path(args.content).is_dir() else None  # its repository, not the cwd's
    if args.changed_since:
        return changed_files(args.changed_since, content), False
    if args.strict:
        return None, False
    try:
        return uncommitted_files(content) or set(), False
    except GitError:
        return set(), False


def content_folder(given: str, here: Path | None = None) -> Path:
    """The content folder: as given; or, when the default ``content`` is not in the working directory,
    the content folder that holds it (``validate`` run from ``content/clusters/``) or that sits beside
    one of its parents (run from ``docs-src/``)."""
    path = Path(given)
    if given != "content" or path.is_dir():
        return path
    here = (here or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "grid.yaml").is_file() and (folder / "clusters").is_dir():
            return folder
        if (folder / "content" / "grid.yaml").is_file():
            return folder / "content"
    return path


def cmd_validate(args) -> int:
    from .build import read_catalog
    from .changes import GitError
    from .scope import not_records, triage
    content = content_folder(args.content)
    args.content = str(content)
    strays = not_records(args.files, content)
    if strays:
        for stray in strays:
            print(f"error: {stray}: not a record file under {content}/; expected a file in {content}/clusters/, "
                  f"{content}/approaches/ or {content}/concepts/ (pass --content DIR for another folder)", file=sys.stderr)
        return 1
    try:
        yours, named = _scope(args)
    except GitError as error:
        print(f"error: --changed-since: {error}", file=sys.stderr)
        return 1
    catalog = None
    try:
        catalog, problems = read_catalog(content, strict=False)
    except ContentError as error:
        problems = error.problems
    found = triage(problems, yours, named=named, strict=args.strict, list_all=args.all)
    for problem in found.listed:
        _print_problem(problem)
    for line in found.summary():
        print(line, file=sys.stderr)
    counts = ", ".join(filter(None, [plural(found.errors, "error") if found.errors else "",
                                     plural(found.warnings, "warning") if found.warnings else ""]))
    if found.errors:
        print(counts, file=sys.stderr)
        return 1
    if catalog is None:
        print(f"ok: {', '.join(sorted(yours or ()))} {'has' if len(yours or ()) == 1 else 'have'} no errors"
              + (f" ({counts})" if counts else ""), file=sys.stderr)
    else:
        print(f"ok: {plural(len(catalog.clusters), 'cluster')}, {plural(len(catalog.approaches), 'approach', 'approaches')}, "
              f"{plural(len(catalog.concepts), 'concept page')}" + (f"; {counts}, not blocking" if counts else ""),
              file=sys.stderr)
    return 0


def _serve_hint(site: Path, config: Path) -> str:
    """The command that serves the folder that was just built."""
    if site == Path("site") and config == Path("mkdocs.yml"):
        return "make serve"
    return f"clustergrid serve --site-dir {site}" + (f" --config {config}" if config != Path("mkdocs.yml") else "")


def cmd_build(args) -> int:
    from .build import build_unless_unchanged
    from .progress import stage_lines
    from .timings import Timings
    content, site, config, docs = _paths(args)
    timings = Timings()
    try:
        result = build_unless_unchanged(content, site, config, docs, strict=args.strict, timings=timings,
                                       force=args.force, progress=stage_lines(args.quiet))
    except ContentError as error:
        return report(error.problems, args.strict, building=True)
    finally:
        if args.timings:
            print("\n".join(timings.lines()), file=sys.stderr)
    if result is None:
        print(f"Nothing changed since the last build: {site}/ is up to date (--force rebuilds it).", file=sys.stderr)
        return 0
    catalog, warnings = result
    if warnings:
        print(f"{plural(len(warnings), 'warning')} (sources without URLs, records without size figures, …), "
              f"not blocking: list them with: clustergrid validate --all", file=sys.stderr)
    if args.quiet:
        return 0
    index = (site / "index.html").resolve()
    print(f"Built {plural(len(catalog.clusters), 'cluster page')} into {site}/.\n"
          f"Open it from disk: file://{index}\n"
          f"Or serve it:       {_serve_hint(site, config)}   (then http://127.0.0.1:8000/)", file=sys.stderr)
    return 0


def cmd_new(args) -> int:
    from .load import load_content
    from .skeleton import write_skeleton
    content = Path(args.content)
    loaded, problems = load_content(content)
    country = args.country.upper()
    if loaded is None:
        return report(problems)
    if country not in loaded.vocab.keys("countries"):
        print(f"error: --country: '{args.country}' is not an ISO 3166-1 alpha-2 code; expected e.g. IN, CN, TH",
              file=sys.stderr)
        return 1
    if not args.name.strip() or re.search(r"[\x00-\x1f\x7f]", args.name):
        print("error: --name: give the cluster's name on one line", file=sys.stderr)
        return 1
    try:
        path = write_skeleton(content, args.name.strip(), country, loaded.vocab)
    except ContentError as error:
        return report(error.problems)
    print(f"Wrote {path}. Fill it in, then run: clustergrid validate {path}", file=sys.stderr)
    print(path)
    return 0


def cmd_publish(args) -> int:
    from .build import build, site_settings
    from .progress import stage_lines
    from .publish import (NothingToPublish, PublishError, check_branch, check_cname, publish_site, refuse_source_branch,
                          refuse_uncommitted, resolve_remote)
    content, site, config, docs = _paths(args)
    try:
        url = resolve_remote(args.remote, Path.cwd())
        check_branch(args.branch)
        refuse_source_branch(args.branch, url, Path.cwd(), args.force_branch)
        if args.cname:
            check_cname(args.cname)
        if not args.allow_dirty:
            refuse_uncommitted(content)
        if not args.no_build:
            build(content, site, config, docs, progress=stage_lines(args.quiet))
        cname = args.cname or site_settings(config).cname
        commit = publish_site(site, url, args.branch, cname, args.message, force_branch=args.force_branch)
    except NothingToPublish as done:
        print(f"{done} (no commit made)", file=sys.stderr)
        return 0
    except PublishError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Published {site}/ to branch '{args.branch}' of {url} as commit {commit[:12]}.", file=sys.stderr)
    return 0


def cmd_schema(args) -> int:
    from .load import load_content
    from .validate import validate_content
    from .schema import stale_schemas, write_schemas
    content, *_ = _paths(args)
    loaded, problems = load_content(content)
    if loaded is None:
        return report(problems)
    vocab = validate_content(loaded).vocab
    if args.check:
        stale = [str(path) for path in stale_schemas(Path(args.out), vocab)]
    else:
        stale = []
        for path in write_schemas(Path(args.out), vocab):
            print(path)
    if stale:
        print(f"error: stale schema: {', '.join(stale)}; regenerate with: clustergrid schema", file=sys.stderr)
        return 1
    return 0


def cmd_fmt(args) -> int:
    from .load import load_content
    from .fmt import format_file, kind_of
    content = Path(args.content)
    loaded, problems = load_content(content)
    if loaded is None:
        return report(problems)
    files = [Path(f) for f in args.files] or sorted((content / "clusters").glob("*.yaml")) + \
        sorted((content / "approaches").glob("*.yaml"))
    changed = []
    for path in files:
        kind = kind_of(path)
        if kind is None:
            print(f"error: {path}: not a cluster or approach record; expected a file in clusters/ or approaches/",
                  file=sys.stderr)
            return 1
        doc_problems = load_document_problems(path)
        if doc_problems:
            return report(doc_problems)
        if format_file(path, kind, loaded.vocab, write=not args.check):
            changed.append(path)
    for path in changed:
        print(f"{path}: {'would be reformatted' if args.check else 'reformatted'}")
    if args.check and changed:
        print(f"{len(changed)} file(s) would change; run: clustergrid fmt", file=sys.stderr)
        return 1
    return 0


def cmd_locate(args) -> int:
    from .errors import LocateError
    from .fmt import kind_of
    from .gazetteer import coordinates_of, distance_km, propose_for, with_coordinates
    from .load import load_document
    unmatched, failed, pending, written = [], 0, 0, 0
    for path in (Path(f) for f in args.files):
        if kind_of(path) != "cluster":
            print(f"error: {path}: not a cluster record; expected a file in clusters/", file=sys.stderr)
            failed += 1
            continue
        document, problems = load_document(path)
        if document is None or not isinstance(document.data, dict):
            if problems:
                report(problems)
            else:
                print(f"error: {path}: not a record; expected a YAML mapping of fields", file=sys.stderr)
            failed += 1
            continue
        shown, data = document.path, document.data
        current = data.get("coordinates") if isinstance(data.get("coordinates"), dict) else None
        places = propose_for(data)
        if not places:
            unmatched.append(shown)
            what = f"district '{data.get('district')}'" if data.get("district") else f"name '{data.get('name')}' (no district)"
            kept = f"; keeps its hand-entered lat {current.get('lat')}, lon {current.get('lon')}" if current else ""
            print(safe_line(f"{shown}: no match for {what}{kept}"))
            continue
        best, value = places[0], coordinates_of(places[0])
        line = f"{shown}: {best.name}{', ' + best.region if best.region else ''} (GeoNames {best.id}): " \
               f"lat {value['lat']}, lon {value['lon']}"
        if len(places) > 1:
            line += "; also " + ", ".join(f"{p.name}{', ' + p.region if p.region else ''} (GeoNames {p.id})"
                                          for p in places[1:4]) + (" …" if len(places) > 4 else "")
        if current and "geonames" in current:
            line += " (already recorded)" if current == value else \
                f"; keeps the recorded GeoNames {current['geonames']} (delete its coordinates to locate it again)"
        else:
            if current:
                try:
                    away = f", {distance_km((float(current['lat']), float(current['lon'])), (best.lat, best.lon)):.1f} km away"
                except (KeyError, TypeError, ValueError):
                    away = ""
                line += f"; {'replaced' if args.write else 'would replace'} hand-entered lat {current.get('lat')}, " \
                        f"lon {current.get('lon')}{away}"
            if args.write:
                try:
                    path.write_text(with_coordinates(document.text, best), encoding="utf-8")
                except (LocateError, OSError) as error:
                    print(safe_line(f"error: {shown}: not written: {error}"), file=sys.stderr)
                    failed += 1
                    continue
                line += " (written)"
                written += 1
            else:
                pending += 1
        print(safe_line(line))
    total = len(args.files)
    if args.write:
        print(f"Wrote the coordinates of {plural(written, 'file')}.", file=sys.stderr)
    if unmatched:
        print(f"{len(unmatched)} of {plural(total, 'file')} had no match: {', '.join(unmatched)}", file=sys.stderr)
    if pending:
        print("Nothing written; to record these coordinates, run again with --write", file=sys.stderr)
    return 1 if unmatched or failed else 0


def load_document_problems(path: Path) -> list[Problem]:
    """Problems that stop a file loading (fmt refuses to touch such files)."""
    from .load import load_document
    return load_document(path)[1]


def cmd_preview(args) -> int:
    from .preview import build_preview, record_page
    from .serve import serve_and_rebuild
    content, _, config, docs = _paths(args)
    record = Path(args.record)
    site = Path(args.site_dir)
    preview_docs = docs.parent / "preview-docs"
    page = record_page(record)

    def rebuild():
        return build_preview(content, record, site, config, preview_docs)

    if args.no_serve:
        rebuild()
        print(f"Preview of {record} built into {site}/: file://{(site / page).resolve()}", file=sys.stderr)
        return 0
    return serve_and_rebuild(content, site, config, preview_docs, args.port, report, build=rebuild, page=lambda: page)


def cmd_serve(args) -> int:
    from .build import build
    from .progress import stage_lines
    from .serve import serve_and_rebuild
    content, site, config, docs = _paths(args)
    progress = stage_lines(args.quiet)
    return serve_and_rebuild(content, site, config, docs, args.port, report,
                             build=lambda: build(content, site, config, docs, progress=progress))


def versions() -> str:
    """This tool's version and the versions of the MkDocs and Material it builds with."""
    from importlib.metadata import PackageNotFoundError, version

    def of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"
    return f"clustergrid {of('clustergrid')} (MkDocs {of('mkdocs')}, Material for MkDocs {of('mkdocs-material')})"


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    top = argparse.ArgumentParser(prog="clustergrid", description="Build and check the Cluster Grid knowledge base.",
                                  epilog="example:\n  clustergrid validate && clustergrid build",
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=versions())
    subs = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def site_options(p: argparse.ArgumentParser, default_site: str = "site") -> None:
        p.add_argument("--site-dir", default=default_site, metavar="DIR", help=f"the site folder (default: {default_site}/)")
        p.add_argument("--config", default="mkdocs.yml", metavar="FILE", help="MkDocs configuration (default: mkdocs.yml)")

    def quiet_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--quiet", action="store_true", help="no progress lines (they only appear on a terminal anyway)")

    def port_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--port", type=int, default=None,
                       help="port (default: 8000, or the next free one when 8000 is taken)")

    def sub(name: str, help_text: str, details: str = "") -> argparse.ArgumentParser:
        # help: one line in `clustergrid --help`; description (help and details): `--help` of the
        # command, and the README's command reference (generator/clidoc.py writes it from here)
        description = textwrap.fill(" ".join(filter(None, (help_text, details))), 96)
        p = subs.add_parser(name, help=help_text, description=description,
                            epilog=EXAMPLES.get(name, ""), formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("--content", default="content", metavar="DIR", help="content folder (default: content/)")
        return p

    p = sub("validate", "Check records and print every problem, one per line: errors first, then warnings "
                        "in the files you named or changed; other files' warnings are counted.",
            "Each problem reads `path:line:col: error: …`; exit 1 on errors. The pull-request check is "
            "`validate --changed-since origin/main` (the merge policy in CONTRIBUTING.md). Works from any "
            "folder of the repository (`content/clusters/` included) without `--content`.")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="records to check (default: all; the ones changed since HEAD are yours)")
    p.add_argument("--changed-since", metavar="REF", default=None,
                   help="your files are those changed since this git ref, e.g. origin/main (the pull-request check)")
    p.add_argument("--strict", action="store_true", help="treat warnings in your files as errors (all files "
                                                         "when neither FILE nor --changed-since is given)")
    p.add_argument("--all", action="store_true", help="list the warnings in every file, not only yours")
    p.set_defaults(func=cmd_validate)

    p = sub("build", "Validate, generate the pages and build the site with MkDocs.",
            "Stage lines on a terminal; errors in full and warnings as a count; on failure the previous site "
            "is left alone. Skipped when nothing changed since the last build (`--force` builds anyway); "
            "`--timings` prints each stage's time and the peak memory.")
    site_options(p)
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    quiet_option(p)
    p.add_argument("--timings", action="store_true", help="print the time of each stage and the peak memory")
    p.add_argument("--force", action="store_true", help="build even when nothing changed since the last build")
    p.set_defaults(func=cmd_build)

    p = sub("new", "Write a commented record skeleton with the next free ID for a country.")
    p.add_argument("--country", required=True, metavar="CC", help="ISO 3166-1 alpha-2 code, e.g. IN")
    p.add_argument("--name", required=True, help="the cluster's name in English")
    p.set_defaults(func=cmd_new)

    p = sub("publish", "Build the site and commit it to a branch of a git remote (default: origin, gh-pages).",
            "Refuses uncommitted changes under `content/`, a remote or branch git would read as an option or "
            "a refspec, and the branch that holds the source (without `--force-branch`); makes no commit when "
            "the branch already holds this build.")
    p.add_argument("--remote", default="origin", help="remote name or URL (default: origin)")
    p.add_argument("--branch", default="gh-pages", help="branch to publish to (default: gh-pages); a plain branch name")
    p.add_argument("--force-branch", action="store_true",
                   help="allow publishing to the branch checked out here or the remote's default branch")
    p.add_argument("--cname", default=None, help="custom domain for a CNAME file (default: mkdocs.yml extra.cname)")
    p.add_argument("--message", default="Publish the Cluster Grid site", help="commit message")
    p.add_argument("--no-build", action="store_true", help="publish site/ as it is, without rebuilding")
    p.add_argument("--allow-dirty", action="store_true",
                   help="publish even when files under content/ differ from the last commit")
    site_options(p)
    quiet_option(p)
    p.set_defaults(func=cmd_publish)

    p = sub("schema", "Write the JSON Schemas for records (schema/*.schema.json) from the validator's specs.",
            "With `--check`, write nothing and exit 1 if `schema/cluster.schema.json` or "
            "`schema/approach.schema.json` is stale.")
    p.add_argument("--out", default="schema", metavar="DIR", help="where to write them (default: schema/)")
    p.add_argument("--check", action="store_true", help="exit 1 if the committed schemas are stale")
    p.set_defaults(func=cmd_schema)

    p = sub("fmt", "Normalise key order and indentation of records, keeping comments.")
    p.add_argument("files", nargs="*", metavar="FILE", help="records to format (default: all)")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would change")
    p.set_defaults(func=cmd_fmt)

    p = sub("locate", "Propose each record's coordinates from the GeoNames gazetteer (its district or town); "
                      "--write records them with the GeoNames ID.",
            "The place matched is the one the cluster is named after, its district or town, within its region; "
            "`--write` records `coordinates: {lat, lon, geonames: ID}`, changing only that line. Exit 1 when a "
            "file had no match.")
    p.add_argument("files", nargs="+", metavar="FILE", help="cluster records to locate")
    p.add_argument("--write", action="store_true",
                   help="write the proposal into each file (replacing hand-entered coordinates)")
    p.set_defaults(func=cmd_locate)

    p = sub("preview", "Build a small site around one record and serve it, rebuilding on change.",
            "Takes seconds whatever the size of the knowledge base, and prints the record's page address.")
    p.add_argument("record", metavar="FILE", help="the record, e.g. content/clusters/IN-0042.yaml")
    site_options(p, "build/preview")
    port_option(p)
    p.add_argument("--no-serve", action="store_true", help="build only, and print where to open it")
    p.set_defaults(func=cmd_preview)

    p = sub("serve", "Build, serve the site on 127.0.0.1, and rebuild when content changes.",
            "Without `--port`, 8000 or the next free port.")
    site_options(p)
    port_option(p)
    quiet_option(p)
    p.set_defaults(func=cmd_serve)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run the command line; turn every known failure into a message and exit code 1."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ContentError as error:
        return report(error.problems)
    except PortInUse as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (RenderError, WriteError) as error:
        print(safe_line(f"error: {error}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the previous site was left as it was", file=sys.stderr)
        return 130
    except Exception as error:  # the last guard: no traceback reaches a user
        from .build import BuildError
        if isinstance(error, BuildError):
            print(safe_line(f"error: {error}"), file=sys.stderr)
            return 1
        print(safe_line(f"error: unexpected {type(error).__name__}: {error}. Please report this with the command you ran."),
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
