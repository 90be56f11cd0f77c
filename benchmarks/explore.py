"""Benchmark: the Explore page at scale, in headless Chromium opened from file://.

    .venv/bin/python benchmarks/explore.py [--records 10000] [--keep DIR]

Builds a site of synthetic records (those of benchmarks/scale.py), then prints: the build time,
the largest HTML pages, the Explore page's size, the time from opening the page to a filled
table, and for each keystroke of a typed query the time from the key to the next painted frame,
plus the times of a facet change and a sort. It asserts nothing: it prints figures.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import make_content  # noqa: E402
from generator.build import build  # noqa: E402
from tests.browser import start_driver, stop_driver  # noqa: E402

# Each step changes the state, waits for the next frame to be painted, and returns the milliseconds.
STEP = """
const done = arguments[arguments.length - 1];
const action = arguments[0], value = arguments[1];
const t0 = performance.now();
if (action === 'type') {
  const box = document.getElementById('cg-q');
  box.value += value;
  box.dispatchEvent(new Event('input'));
} else if (action === 'facet') {
  const sel = document.getElementById('cg-f-' + value[0]);
  sel.value = value[1];
  sel.dispatchEvent(new Event('change'));
} else if (action === 'sort') {
  document.querySelector('th[data-col="' + value + '"] button').click();
}
const script = performance.now() - t0;  // the handler runs synchronously: filtering and building rows
requestAnimationFrame(() => setTimeout(() => done([performance.now() - t0,
  document.getElementById('cg-count').textContent, script]), 0));
"""


def largest_pages(site: Path, count: int) -> list[tuple[int, str]]:
    """The ``count`` largest HTML pages of a site: (bytes, site-relative path), largest first."""
    pages = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")]
    return sorted(pages, reverse=True)[:count]


def measure(site: Path, query: str) -> None:
    web = start_driver()
    try:
        web.set_script_timeout(60)
        started = time.perf_counter()
        web.get((site / "explore.html").as_uri())
        web.execute_script("return 1")
        while web.execute_script("return document.getElementById('cg-explore-form').hidden"):
            time.sleep(0.01)
        print(f"open explore.html to a filled table: {(time.perf_counter() - started) * 1000:.0f} ms")
        print(f"rows: {web.execute_script('return window.CG_EXPLORE.rows.length'):,}")
        keys, scripts = [], []
        for ch in query:
            ms, count, script = web.execute_async_script(STEP, "type", ch)
            keys.append(ms)
            scripts.append(script)
            print(f"  key {ch!r}: {ms:6.1f} ms (script {script:5.1f} ms) -> {count}")
        print(f"keystroke to painted frame: median {statistics.median(keys):.1f} ms, max {max(keys):.1f} ms "
              f"over {len(keys)} keys (of which script: median {statistics.median(scripts):.1f} ms)")
        web.execute_script("const b = document.getElementById('cg-q'); b.value = ''; b.dispatchEvent(new Event('input'))")
        ms, count, _ = web.execute_async_script(STEP, "facet", ["country", "IN"])
        print(f"facet change (country): {ms:.1f} ms -> {count}")
        ms, count, _ = web.execute_async_script(STEP, "facet", ["policy", "artisanal"])
        print(f"second facet (policy class): {ms:.1f} ms -> {count}")
        for col in ("name", "grid"):
            ms, count, _ = web.execute_async_script(STEP, "sort", col)
            print(f"sort by {col}: {ms:.1f} ms")
    finally:
        stop_driver(web)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--query", default="pottery")
    parser.add_argument("--keep", type=Path, default=None, help="build here and keep the site (default: a temporary folder)")
    parser.add_argument("--site", type=Path, default=None, help="measure an already built site instead of building one")
    args = parser.parse_args()
    if args.site:
        measure(args.site, args.query)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="cg-explore-"))
    try:
        content = make_content(args.records, work)
        config = work / "mkdocs.yml"
        shutil.copy(ROOT / "mkdocs.yml", config)
        started = time.perf_counter()
        build(content, work / "site", config, work / "build" / "docs")
        print(f"{args.records:,} records: build {time.perf_counter() - started:.0f} s")
        for size, path in largest_pages(work / "site", 5):
            print(f"  {path}: {size / 2**20:.2f} MiB")
        for name in ("explore.html", "explore-data.js", "map.html", "charts.html", "gaps.html", "clusters.csv",
                     "clusters.json"):
            print(f"  {name}: {(work / 'site' / name).stat().st_size / 2**20:.2f} MiB")
        measure(work / "site", args.query)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
