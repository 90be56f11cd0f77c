"""The scale benchmark, run small as a correctness check (its times are reported, never judged)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runs_at_200_records_and_reports_every_figure(tmp_path):
    results = tmp_path / "RESULTS.md"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--clusters", "200",
                           "--results", str(results), "--no-readme"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = results.read_text(encoding="utf-8")
    row = re.search(r"^\| 200 \| ([\d.]+) s \| ([\d.]+) s \| ([\d.]+) s \| ([\d.]+)× \| ([\d.]+)× \| "
                    r"([\d.]+) s \(([\d.]+)%\) \| (\d+) MiB \|", report, re.M)
    assert row, report
    assert float(row.group(7)) < 100, "the no-change rebuild must be skipped, not run again"
    assert "Machine: " in report and "cores" in report
    stages = re.search(r"^\| 200 \| (.*) \|$", report.split("## Stages")[1], re.M).group(1)
    assert stages.count(" s") >= 8, stages
    assert "beside: pages" in report.split("## Stages")[1], "the second process's work is reported"
    judged = re.findall(r"^\| (.+?) \| (.+?) \| (yes|\*\*no\*\*|–) \|$", report.split("## Targets")[1], re.M)
    assert {name for name, _, _ in judged} >= {"build ÷ plain ≤ 1.15×", "peak memory ≤ 1 GiB (both processes)",
                                                 "preview ≤ 5 s", "cluster page ≤ 40 KiB"}, judged
    preview = float(re.search(r"^\| preview ≤ 5 s \| ([\d.]+) s \| (\S+) \|$", report, re.M).group(1))
    assert dict((n, m) for n, _, m in judged)["preview ≤ 5 s"] == ("yes" if preview <= 5 else "**no**")
    typing = re.search(r"^\| 200 \| ([\d.]+) s \| (\d+) ms \| (\d+) ms \| ([\d.]+) s \|$", report, re.M)
    from tests.browser import find_browser
    if find_browser():
        assert typing, "the typing test ran in Chromium and must report results: " + report


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "benchmarks").glob("*.py") if p.name != "__init__.py"))
def test_every_benchmark_script_runs(script):
    """Each script the README quotes at least starts: its imports resolve and it prints its usage."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--help"], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage:") and "Traceback" not in proc.stderr
