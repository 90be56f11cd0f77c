"""Regenerate the golden Markdown pages of the fixture knowledge base: `make golden`.

Review the diff (git diff tests/golden) before committing it: a golden file is only as good as
the review of its change.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from generator.build import read_catalog
from generator.render import SiteSettings, render_pages

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "content"
GOLDEN = ROOT / "tests" / "golden"
SETTINGS = SiteSettings(repository="https://github.com/example/cluster-grid")


def rendered() -> dict[str, str]:
    """Render the fixture knowledge base (no files are written)."""
    catalog, _ = read_catalog(FIXTURE)
    return dict(render_pages(catalog, SETTINGS))


def main() -> None:
    pages = rendered()
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    for path, text in sorted(pages.items()):
        target = GOLDEN / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {len(pages)} golden pages to {GOLDEN.relative_to(ROOT)}/; review them with: git diff tests/golden")


if __name__ == "__main__":
    main()
