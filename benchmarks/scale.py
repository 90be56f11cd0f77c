"""Benchmark: build the Cluster Grid with thousands of synthetic records and print the figures.

    .venv/bin/python benchmarks/scale.py [--counts 500 2000 5000]

Synthetic records are written to a scratch folder (never into content/); they are plainly fake
(names like "Synthetic cluster 0042") and are deleted afterwards. For each count it prints the
time to validate, to build, to preview one record, the number of pages, and the bytes written
per cluster page, so linear growth (or not) shows at a glance. It asserts nothing.
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

from generator.build import build_site, read_catalog  # noqa: E402
from generator.preview import build_preview  # noqa: E402

COUNTRIES = ["IN", "CN", "TH", "ID", "VN", "PK", "BD", "PH", "MY", "JP", "LK", "NP"]
SECTORS = ["textiles_garments", "leather_footwear", "crafts", "agro_food", "metal_engineering", "ict"]
SETTINGS = ["metro", "urban", "small_town", "rural"]
TYPES = ["traditional_industrial", "artisanal", "high_tech"]
POLICIES = ["low_tech_domestic", "export_oriented", "artisanal", "high_tech", "service"]


def synthetic(ident: str, n: int) -> str:
    """One plainly synthetic record that fills most of the grid."""
    return f"""id: {ident}
name: "Synthetic cluster {n:05d}"
name_local: "合成 {n}"
country: {ident[:2]}
region: "Region {n % 17}"
district: "District {n % 101}"
setting: {SETTINGS[n % 4]}
coordinates: {{lat: {5 + (n * 7919) % 4000 / 100:.2f}, lon: {70 + (n * 104729) % 6000 / 100:.2f}}}
sector: {SECTORS[n % 6]}
sub_sector: "Sub-sector {n % 23}"
products: ["Product {n % 7}", "Product {n % 11}"]
space:
  regional_development: "Synthetic text for benchmarking only."
  cluster_infrastructure: ["Common facility centre"]
support_system:
  industry_associations: ["Association {n % 13}"]
determinants:
  networks: "Synthetic text for benchmarking only."
markets: {{local: major, national: minor, global: unknown}}
typology: {{sectoral: {TYPES[n % 3]}, policy_class: {POLICIES[n % 5]}, note: "Synthetic."}}
size:
  units: {{value: {100 + n}, year: 2020, source: syn}}
intervention:
  finance_credit: {{need: high, note: "Synthetic.", source: syn}}
approaches:
  - {{id: handholding}}
sources:
  - {{key: syn, author: "Benchmark", year: 2020, title: "Synthetic record", url: "https://sample.test/{n}"}}
reviewed: 2026-01-01
"""


def write_content(count: int, work: Path) -> Path:
    """Copy the real vocabularies and approaches, and write ``count`` synthetic cluster records."""
    content = work / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("clusters"))
    (content / "clusters").mkdir()
    for n in range(count):
        country = COUNTRIES[n % len(COUNTRIES)]
        ident = f"{country}-{n // len(COUNTRIES) + 1:04d}"
        (content / "clusters" / f"{ident}.yaml").write_text(synthetic(ident, n), encoding="utf-8")
    return content


def largest_pages(site: Path, top: int = 3) -> list[tuple[int, str]]:
    """The biggest HTML pages of a built site, (bytes, path), biggest first."""
    sizes = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")]
    return sorted(sizes, reverse=True)[:top]


def run(count: int, work: Path) -> None:
    content = write_content(count, work)
    config = work / "mkdocs.yml"
    shutil.copy(ROOT / "mkdocs.yml", config)
    started = time.perf_counter()
    read_catalog(content)
    validate_s = time.perf_counter() - started
    started = time.perf_counter()
    build_site(content, work / "site", config, work / "build" / "docs")
    build_s = time.perf_counter() - started
    pages = list((work / "site").rglob("*.html"))
    cluster_pages = list((work / "site" / "clusters").glob("??-????.html"))
    per_page = sum(p.stat().st_size for p in cluster_pages) / max(len(cluster_pages), 1)
    total = sum(p.stat().st_size for p in (work / "site").rglob("*") if p.is_file())
    index = (work / "site" / "search" / "search_index.json").stat().st_size
    record = next(iter(sorted((content / "clusters").glob("*.yaml"))))
    started = time.perf_counter()
    build_preview(content, record, work / "preview", config, work / "build" / "preview-docs")
    preview_s = time.perf_counter() - started
    print(f"{count:>6} records | validate {validate_s:6.1f} s | build {build_s:6.1f} s | preview {preview_s:5.1f} s | "
          f"{len(pages):>6} pages | {per_page / 1024:6.1f} KiB per cluster page | site {total / 2**20:7.1f} MiB | "
          f"search index {index / 2**20:6.1f} MiB", flush=True)
    print("        largest pages: " + ", ".join(f"{path} {size / 2**20:.2f} MiB" for size, path in largest_pages(work / "site")),
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", type=int, nargs="+", default=[500, 2000, 5000])
    args = parser.parse_args()
    for count in args.counts:
        with tempfile.TemporaryDirectory(prefix="cg-bench-") as tmp:
            run(count, Path(tmp))


if __name__ == "__main__":
    main()
