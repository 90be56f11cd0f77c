"""Benchmark: how long one 250 KB field takes to build, against a normal build of the same content.

    .venv/bin/python benchmarks/long_field.py [--size 250000] [--repeat 3]

Copies the fixture knowledge base (tests/fixtures/content) to a scratch folder and builds it as
it is, then with one long field of hostile punctuation in each place record text lands: a prose
paragraph (a cluster's note), a grid table cell (determinants) and a list item (an approach's
note in a cluster) and concept prose. It prints the best of ``--repeat`` build times and the ratio to the normal
build. Issue 9 asks for under 3x; Python-Markdown's inline processing would make it grow with
the square of the length. It asserts nothing.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import build  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "content"
CASES = {
    "normal": None,
    "note paragraph": ("clusters/IN-0001.yaml", "reviewed:", 'note: "{}"\nreviewed:', "<"),
    "grid table cell": ("clusters/JP-0001.yaml", "reviewed:", 'determinants: {{networks: "{}"}}\nreviewed:', "<a"),
    "list item": ("clusters/TH-0001.yaml", "- {id: otop}", '- {{id: otop, note: "{}"}}', "*_["),
    "concept prose": ("concepts/definitions.yaml", 'text: "Prose with **emphasis**."', 'text: "{}"', "& *a "),
}


def build_time(case, size: int, repeat: int) -> float:
    """Best wall-clock time of ``repeat`` builds of the fixture with one case applied."""
    best = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            work = Path(scratch)
            shutil.copytree(FIXTURE, work / "content")
            shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
            if case:
                name, old, new, unit = case
                path = work / "content" / name
                text = unit * (size // len(unit))
                path.write_text(path.read_text(encoding="utf-8").replace(old, new.format(text), 1), encoding="utf-8")
            start = time.perf_counter()
            build(work / "content", work / "site", work / "mkdocs.yml", work / "build" / "docs")
            best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Print the build time of each case and its ratio to the normal build."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=250_000, help="length of the long field in characters")
    parser.add_argument("--repeat", type=int, default=3, help="builds per case; the best time is shown")
    args = parser.parse_args()
    build_time(None, args.size, 1)  # warm up: the first build imports MkDocs and the theme
    normal = None
    for label, case in CASES.items():
        seconds = build_time(case, args.size, args.repeat)
        normal = normal or seconds
        print(f"{label:16} {seconds:6.2f} s  {seconds / normal:4.2f}x", flush=True)


if __name__ == "__main__":
    main()
