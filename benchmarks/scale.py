"""Benchmark: build the Cluster Grid with N synthetic records and print the figures, as ratios.

    .venv/bin/python benchmarks/scale.py --clusters 1000 [--clusters 10000 …] [--no-floor] [--no-typing]

For each N, in one run and on the same machine (so the ratios hold on a noisy machine):

- ``clustergrid build --force --timings`` on N records cloned from ``content/clusters/`` under
  new IDs (real text, real weight), in a scratch folder: stage times and peak memory;
- the same command again with nothing changed (the fingerprint skip);
- a plain ``mkdocs build`` of the Markdown that build generated;
- the floor: stock MkDocs + Material with the same plugins on N synthetic pages of similar
  weight (a 50-row table and 300 words each);
- ``clustergrid preview`` of one record;
- page, site and search-index sizes;
- from ``file://`` in headless Chromium: search opened and a query typed letter by letter, with
  a PerformanceObserver for long tasks on the page's main thread;
- with Zensical installed (``pip install zensical``): its build of the same Markdown.

It writes the figures to ``benchmarks/RESULTS.md`` (``--results``), with the machine described,
and copies the summary table into README.md between its benchmark markers (``--no-readme`` to
skip). It exits 1 if a build fails or the built site is not what N records must give (a cluster
page missing, a page over its size limit), so ``make test`` runs a small N as a correctness check.
It never fails on time: times are reported, not judged.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
README = ROOT / "README.md"
MARK_START = "<!-- benchmark:start (written by benchmarks/scale.py) -->"
MARK_END = "<!-- benchmark:end -->"

CLUSTER_PAGE_LIMIT = 40 * 1024
HTML_PAGE_LIMIT = 2**20
INDEX_PER_CLUSTER_LIMIT = 2 * 1024
WORDS = ("cluster artisans weaving pottery district market credit exporters workshop village enterprise "
         "foundry garment leather footwear furniture handloom brass subcontract training").split()


@dataclass
class Figures:
    """Everything measured for one N."""

    n: int
    build_s: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    beside: dict[str, float] = field(default_factory=dict)
    peak_mib: float = 0.0
    second_mib: float = 0.0
    noop_s: float = 0.0
    plain_s: float | None = None
    floor_s: float | None = None
    preview_s: float = 0.0
    cluster_page_mean: float = 0.0
    cluster_page_max: int = 0
    html_max: tuple[int, str] = (0, "")
    site_bytes: int = 0
    index_bytes: int = 0
    typing: dict[str, float] | None = None
    zensical: str | None = None
    problems: list[str] = field(default_factory=list)


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    """Run a command; return (seconds, stderr+stdout); raise SystemExit on failure."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"benchmark: command failed ({proc.returncode}): {' '.join(cmd)}")
    return seconds, proc.stderr + proc.stdout


def make_content(n: int, work: Path) -> Path:
    """Copy content/ with N cluster records cloned from the real ones under new IDs."""
    content = work / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("clusters"))
    (content / "clusters").mkdir()
    originals = sorted((ROOT / "content" / "clusters").glob("*.yaml"))
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in originals]
    counters: dict[str, int] = {}
    for i in range(n):
        stem, text = texts[i % len(texts)]
        country = stem[:2]
        counters[country] = counters.get(country, 99) + 1
        new_id = f"{country}-{counters[country]:04d}"
        if counters[country] > 9999:
            raise SystemExit(f"benchmark: more than 9,900 clones for {country}; lower --clusters")
        (content / "clusters" / f"{new_id}.yaml").write_text(
            re.sub(r"(?m)^id: .*$", f"id: {new_id}", text, count=1), encoding="utf-8")
    return content


def floor_site(n: int, work: Path) -> Path:
    """Write N synthetic pages of similar weight and a stock mkdocs.yml with the same plugins."""
    docs = work / "floor" / "docs"
    (docs / "pages").mkdir(parents=True)
    (docs / "index.md").write_text("# Floor\n\nSynthetic pages for the benchmark floor.\n", encoding="utf-8")
    for i in range(n):
        words = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(300))
        rows = "\n".join(f"| Row {r} | {WORDS[(i + r) % len(WORDS)]} | value {i * 50 + r} |" for r in range(50))
        (docs / "pages" / f"p{i:05d}.md").write_text(
            f"# Synthetic page {i}\n\n{words}\n\n| Row | Word | Value |\n|---|---|---|\n{rows}\n", encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?ms)^nav:.*\Z", "nav:\n  - Home: index.md\n", config)
    config = config.replace("extra_css:\n  - assets/cluster-grid.css\n", "").replace("docs_dir: build/docs", "docs_dir: docs")
    config = re.sub(r"(?m)^  custom_dir: .*\n", "", config)  # stock theme: no overrides
    (work / "floor" / "mkdocs.yml").write_text(config, encoding="utf-8")
    return work / "floor" / "mkdocs.yml"


def sizes(fig: Figures, site: Path) -> None:
    """Page, site and index sizes, and the limits they must keep."""
    cluster_pages = [p.stat().st_size for p in (site / "clusters").glob("??-????.html")]
    if len(cluster_pages) != fig.n:
        fig.problems.append(f"{len(cluster_pages)} cluster pages built for {fig.n} records")
    fig.cluster_page_mean = sum(cluster_pages) / max(len(cluster_pages), 1)
    fig.cluster_page_max = max(cluster_pages, default=0)
    if fig.cluster_page_max > CLUSTER_PAGE_LIMIT:
        fig.problems.append(f"a cluster page is {fig.cluster_page_max} bytes (limit {CLUSTER_PAGE_LIMIT})")
    for page in site.rglob("*.html"):
        size = page.stat().st_size
        if size > fig.html_max[0]:
            fig.html_max = (size, page.relative_to(site).as_posix())
    if fig.html_max[0] > HTML_PAGE_LIMIT:
        fig.problems.append(f"{fig.html_max[1]} is {fig.html_max[0]} bytes (limit {HTML_PAGE_LIMIT})")
    fig.site_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    fig.index_bytes = (site / "search" / "search_index.json").stat().st_size


TYPING_JS = """
window.__longtasks = [];
new PerformanceObserver(list => { for (const e of list.getEntries())
  window.__longtasks.push([e.startTime, e.duration]); }).observe({type: "longtask", buffered: false});
"""


def typing_test(site: Path, query: str) -> dict[str, float]:
    """Open search from file:// and type ``query`` letter by letter; return the main-thread figures."""
    sys.path.insert(0, str(ROOT))
    from selenium.webdriver.common.by import By

    from tests.browser import find_browser, start_driver, stop_driver
    if not find_browser():
        raise RuntimeError("no Chromium")
    web = start_driver()
    try:
        page = sorted((site / "clusters").glob("??-????.html"))[0]
        web.get(page.as_uri())
        web.execute_script(TYPING_JS)
        box = web.find_element(By.CSS_SELECTOR, "input.md-search__input")
        opened = web.execute_script("return performance.now()")
        web.execute_script("arguments[0].focus()", box)

        def results() -> int:
            return len(web.find_elements(By.CSS_SELECTOR, ".md-search-result__item"))

        # Wait for the index: a probe query that matches every cluster page's ID prefix.
        box.send_keys(query[:2])
        deadline = time.monotonic() + 120
        while results() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        ready = web.execute_script("return performance.now()") - opened
        opening_tasks = web.execute_script("return window.__longtasks.slice()")
        box.clear()
        web.execute_script("arguments[0].value=''; arguments[0].dispatchEvent(new Event('input'))", box)
        time.sleep(0.5)
        web.execute_script("window.__longtasks = []")
        start = web.execute_script("return performance.now()")
        first = None
        for letter in query:
            box.send_keys(letter)
            t_end = time.monotonic() + 0.15
            while time.monotonic() < t_end:
                if first is None and results():
                    first = web.execute_script("return performance.now()") - start
                time.sleep(0.01)
        deadline = time.monotonic() + 10
        while first is None and time.monotonic() < deadline:
            if results():
                first = web.execute_script("return performance.now()") - start
            time.sleep(0.01)
        time.sleep(1.0)
        typing_tasks = web.execute_script("return window.__longtasks.slice()")
    finally:
        stop_driver(web)
    return {
        "ready_s": ready / 1000,
        "open_longest_ms": max((d for _, d in opening_tasks), default=0.0),
        "type_longest_ms": max((d for _, d in typing_tasks), default=0.0),
        "first_result_s": (first / 1000) if first is not None else float("nan"),
    }


def search_from_file(site: Path, query: str) -> int | None:
    """How many results a query gives in the site's search box opened from disk (None: no browser)."""
    sys.path.insert(0, str(ROOT))
    from selenium.webdriver.common.by import By

    from tests.browser import find_browser, start_driver, stop_driver
    if not find_browser():
        return None
    web = start_driver()
    try:
        web.get((site / "index.html").as_uri())
        boxes = web.find_elements(By.CSS_SELECTOR, "input.md-search__input")
        if not boxes:
            return 0
        web.execute_script("arguments[0].focus()", boxes[0])
        try:
            boxes[0].send_keys(query)
        except Exception:  # noqa: BLE001 - a hidden search box means search is off here
            return 0
        time.sleep(5)
        return len(web.find_elements(By.CSS_SELECTOR, ".md-search-result__item"))
    finally:
        stop_driver(web)


def zensical_build(exe: str | None, config: Path, work: Path, query: str) -> str | None:
    """Build the generated Markdown with Zensical when it is installed; return a one-line summary."""
    exe = exe or shutil.which("zensical") or (str(BIN / "zensical") if (BIN / "zensical").exists() else None)
    if not exe:
        return None
    zconfig = work / "zensical.yml"
    zconfig.write_text(config.read_text(encoding="utf-8").replace("site_dir: site-plain", "site_dir: site-zensical")
                       .replace("  - clustergrid-offline\n", ""), encoding="utf-8")
    started = time.perf_counter()
    proc = subprocess.run([exe, "build", "-f", str(zconfig)], cwd=work, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        return f"failed after {seconds:.1f} s: {(proc.stderr or proc.stdout).strip().splitlines()[-1:]}"
    results = search_from_file(work / "site-zensical", query)
    found = ("search not tried (no Chromium)" if results is None else
             f"search from file:// gave {results} results for '{query}'" if results else
             f"search from file:// gave no results for '{query}'")
    return f"built in {seconds:.1f} s; {found}"


def measure(n: int, work: Path, floor: bool, typing: bool, zensical: str | None = None) -> Figures:
    fig = Figures(n)
    content = make_content(n, work)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    build = [str(BIN / "clustergrid"), "build", "--content", str(content), "--site-dir", str(work / "site"),
             "--config", str(work / "mkdocs.yml"), "--timings"]
    fig.build_s, out = run(build + ["--force"], work)
    for name, seconds in re.findall(r"timing: (\w+)\s+([\d.]+) s", out):
        if name != "total":
            fig.stages[name] = float(seconds)
    for name, seconds in re.findall(r"beside: (\w[\w ]*?)\s+([\d.]+) s", out):
        fig.beside[name] = float(seconds)
    fig.peak_mib = float(re.search(r"memory: peak ([\d.]+) MiB", out).group(1))
    second = re.search(r"second process ([\d.]+) MiB", out)
    fig.second_mib = float(second.group(1)) if second else 0.0
    fig.noop_s, out = run(build, work)
    if "Nothing changed" not in out:
        fig.problems.append("a second build with nothing changed was not skipped")
    sizes(fig, work / "site")
    plain = work / "mkdocs-plain.yml"
    plain.write_text((work / "mkdocs.yml").read_text(encoding="utf-8")
                     .replace("site_dir: site", "site_dir: site-plain"), encoding="utf-8")
    fig.plain_s, _ = run([str(BIN / "mkdocs"), "build", "-q", "-f", str(plain)], work)
    record = sorted((content / "clusters").glob("*.yaml"))[0]
    fig.preview_s, _ = run([str(BIN / "clustergrid"), "preview", str(record), "--no-serve", "--content", str(content),
                            "--config", str(work / "mkdocs.yml")], work)
    if floor:
        config = floor_site(n, work)
        fig.floor_s, _ = run([str(BIN / "mkdocs"), "build", "-q", "-f", str(config)], work / "floor")
    if typing:
        try:
            fig.typing = typing_test(work / "site", sorted((content / "clusters").glob("*.yaml"))[-1].stem)
        except RuntimeError as error:
            print(f"typing test skipped: {error}", file=sys.stderr)
    fig.zensical = zensical_build(zensical, plain, work, "pottery")
    return fig


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kib / 2**20:.0f} GiB memory"
    except (OSError, AttributeError):
        pass
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("mkdocs", "mkdocs-material", "jinja2", "markdown"))
    return (f"{os.cpu_count()} cores ({cpu}){mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {versions}")


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "–"


def table(figs: list[Figures]) -> str:
    rows = ["| Records | `clustergrid build` | plain `mkdocs build` | floor (stock Material) | build ÷ floor "
            "| build ÷ plain | no-change rebuild | peak memory | preview | cluster page (max) | largest page "
            "| search index per cluster |",
            "|" + "---:|" * 12]
    for f in figs:
        rows.append(
            f"| {f.n:,} | {f.build_s:.1f} s | {f.plain_s:.1f} s | {f'{f.floor_s:.1f} s' if f.floor_s else '–'} "
            f"| {ratio(f.build_s, f.floor_s)} | {ratio(f.build_s, f.plain_s)} "
            f"| {f.noop_s:.2f} s ({f.noop_s / f.build_s:.1%}) | {f.peak_mib:.0f} MiB | {f.preview_s:.1f} s "
            f"| {f.cluster_page_max / 1024:.1f} KiB | {f.html_max[0] / 1024:.0f} KiB | {f.index_bytes / f.n / 1024:.2f} KiB |")
    return "\n".join(rows)


def stage_table(figs: list[Figures]) -> str:
    names = list(dict.fromkeys(name for f in figs for name in f.stages))
    beside = list(dict.fromkeys(name for f in figs for name in f.beside))
    rows = ["| Records | " + " | ".join(names + [f"beside: {n}" for n in beside]) + " |",
            "|---:|" + "---:|" * (len(names) + len(beside))]
    for f in figs:
        cells = [f"{f.stages.get(n, 0):.2f} s" for n in names] + [f"{f.beside.get(n, 0):.2f} s" for n in beside]
        rows.append(f"| {f.n:,} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def targets(f: Figures) -> list[tuple[str, str, bool | None]]:
    """Each target of the scale issue: what it is, what was measured, met (None: not measured)."""
    def share(a, b, limit):
        return (f"{a / b:.2f}×", a / b <= limit) if a and b else ("not measured", None)
    t = f.typing or {}
    memory = f.peak_mib + f.second_mib
    rows = [
        ("build ÷ floor ≤ 1.3×", *share(f.build_s, f.floor_s, 1.3)),
        ("build ÷ plain ≤ 1.15×", *share(f.build_s, f.plain_s, 1.15)),
        ("no-change rebuild ≤ 5 % of a build", f"{f.noop_s / f.build_s:.1%}", f.noop_s / f.build_s <= 0.05),
        ("peak memory ≤ 1 GiB (both processes)", f"{memory:.0f} MiB", memory <= 1024),
        ("cluster page ≤ 40 KiB", f"{f.cluster_page_max / 1024:.1f} KiB", f.cluster_page_max <= CLUSTER_PAGE_LIMIT),
        ("no page over 1 MiB", f"{f.html_max[0] / 1024:.0f} KiB", f.html_max[0] <= HTML_PAGE_LIMIT),
        ("search index ≤ 2 KiB per cluster", f"{f.index_bytes / f.n / 1024:.2f} KiB",
         f.index_bytes / f.n <= INDEX_PER_CLUSTER_LIMIT),
        ("preview ≤ 5 s", f"{f.preview_s:.1f} s", f.preview_s <= 5),
    ]
    if t:
        rows += [("no main-thread task over 200 ms while typing", f"{t['type_longest_ms']:.0f} ms",
                  t["type_longest_ms"] <= 200),
                 ("first results within 1 s", f"{t['first_result_s']:.2f} s", t["first_result_s"] <= 1)]
    return rows


def target_report(figs: list[Figures]) -> str:
    """The targets table, and for each build ratio missed, where the time above MkDocs went."""
    out = []
    for f in figs:
        out += [f"**{f.n:,} records**", "", "| Target | Measured | Met |", "|---|---:|---|"]
        out += [f"| {name} | {value} | {'–' if met is None else 'yes' if met else '**no**'} |"
                for name, value, met in targets(f)]
        out.append("")
        missed = [name for name, _, met in targets(f) if met is False and "÷" in name]
        if missed and f.plain_s:
            inside = f.stages.get("mkdocs", 0.0)
            around = {k: v for k, v in f.stages.items() if k != "mkdocs"}
            out += [f"Why the build ratios are missed at {f.n:,}: the stages before and after MkDocs "
                    f"took {sum(around.values()):.1f} s in this process ("
                    + ", ".join(f"{k} {v:.1f} s" for k, v in around.items()) + "), "
                    f"and MkDocs inside the build took {inside:.1f} s, against {f.plain_s:.1f} s for a "
                    "plain `mkdocs build` of the same Markdown (inside the build it also waits for "
                    "any cluster page the second process has not yet written).", ""]
    return "\n".join(out).rstrip()


def typing_table(figs: list[Figures]) -> str:
    rows = ["| Records | index ready after opening search | longest main-thread task while opening "
            "| longest main-thread task while typing | first results after the first letter |",
            "|---:|---:|---:|---:|---:|"]
    for f in figs:
        if f.typing:
            t = f.typing
            rows.append(f"| {f.n:,} | {t['ready_s']:.2f} s | {t['open_longest_ms']:.0f} ms "
                        f"| {t['type_longest_ms']:.0f} ms | {t['first_result_s']:.2f} s |")
    return "\n".join(rows) if len(rows) > 2 else "Not measured in this run (no Chromium, or `--no-typing`)."


def report(figs: list[Figures]) -> str:
    zensical = [f"- {f.n:,} records: {f.zensical}" for f in figs if f.zensical]
    return "\n".join([
        "# Benchmark results",
        "",
        f"Written by `benchmarks/scale.py --clusters {' --clusters '.join(str(f.n) for f in figs)}`; "
        "do not edit by hand. Every figure in a row was measured in the same run on the same machine, "
        "so the ratios hold even when the machine is noisy.",
        "",
        f"Machine: {machine()}.",
        "",
        "## Build",
        "",
        table(figs),
        "",
        "The floor is stock MkDocs + Material with the same plugins building N synthetic pages of a "
        "50-row table and 300 words each. \"plain `mkdocs build`\" builds the Markdown that "
        "`clustergrid build` generated. Targets: build ÷ floor ≤ 1.3×, build ÷ plain ≤ 1.15×, "
        "no-change rebuild ≤ 5 %, peak memory ≤ 1 GiB, cluster page ≤ 40 KiB, no page over 1 MiB, "
        "search index ≤ 2 KiB per cluster, preview ≤ 5 s.",
        "",
        "## Targets",
        "",
        target_report(figs),
        "",
        "## Stages of `clustergrid build --timings`",
        "",
        stage_table(figs),
        "",
        "\"beside\" columns are work done by a second process while MkDocs runs (rendering the "
        "cluster pages and checking each built page); they add to the wall time only when MkDocs "
        "has to wait.",
        "",
        "## Search from `file://` in headless Chromium",
        "",
        typing_table(figs),
        "",
        "Search opened on a cluster page, then an ID typed one letter every 150 ms; long tasks "
        "(over 50 ms) on the page's main thread are recorded by a PerformanceObserver. Target: no "
        "task over 200 ms while typing, first results within 1 s.",
        "",
        "## Zensical",
        "",
        "\n".join(zensical) if zensical else "Not installed in this run (`pip install zensical` to include it).",
        "",
        "Zensical builds the same generated Markdown with the same mkdocs.yml, less the "
        "`clustergrid-offline` plugin (it runs no MkDocs plugins). It is measured because Material "
        "for MkDocs reaches end of life on 2027-05-05; it is not a gate.",
        "",
        "## Beyond one machine",
        "",
        "What breaks first at 100,000 records, and the plan for each: [BEYOND.md](BEYOND.md).",
        "",
    ])


def update_readme(figs: list[Figures]) -> None:
    text = README.read_text(encoding="utf-8")
    if MARK_START not in text or MARK_END not in text:
        return
    head, rest = text.split(MARK_START, 1)
    _, tail = rest.split(MARK_END, 1)
    block = f"{MARK_START}\n{table(figs)}\n\n{typing_table(figs)}\n{MARK_END}"
    README.write_text(head + block + tail, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clusters", type=int, action="append", metavar="N", help="number of records (repeatable)")
    parser.add_argument("--no-floor", action="store_true", help="skip the stock-Material floor")
    parser.add_argument("--no-typing", action="store_true", help="skip the browser typing test")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"where to write the report (default: {RESULTS.relative_to(ROOT)})")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md's benchmark table alone")
    parser.add_argument("--zensical", metavar="PATH", default=None,
                        help="the zensical command, to also build with it (default: found on PATH or in this venv)")
    args = parser.parse_args()
    counts = args.clusters or [1000]
    figs = []
    for n in counts:
        with tempfile.TemporaryDirectory(prefix="cg-bench-") as tmp:
            fig = measure(n, Path(tmp), floor=not args.no_floor, typing=not args.no_typing, zensical=args.zensical)
        figs.append(fig)
        print(table([fig]).splitlines()[-1], flush=True)
        for problem in fig.problems:
            print(f"benchmark: {n} records: {problem}", file=sys.stderr)
    args.results.write_text(report(figs), encoding="utf-8")
    print(f"wrote {args.results}", file=sys.stderr)
    if not args.no_readme and args.results.resolve() == RESULTS.resolve():
        update_readme(figs)
    return 1 if any(f.problems for f in figs) else 0


if __name__ == "__main__":
    sys.exit(main())
