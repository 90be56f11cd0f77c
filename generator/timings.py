"""Stage timings and peak memory of a build, for ``clustergrid build --timings`` and the benchmark."""
from __future__ import annotations

import contextlib
import resource
import sys
import time
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class Timings:
    """Seconds spent in each stage of one build, in the order the stages ran."""

    stages: dict[str, float] = field(default_factory=dict)
    """Stage name -> seconds (a stage entered twice adds up)."""
    alongside: dict[str, float] = field(default_factory=dict)
    """Work done in a second process during a stage (see overlap.py): shown, not added to the total."""
    child_memory_mib: float = 0.0
    """Memory of that second process at its end (proportional set size), or 0."""

    def beside(self, name: str, seconds: float) -> None:
        """Record work that ran in a second process, at the same time as the stages."""
        self.alongside[name] = self.alongside.get(name, 0.0) + seconds

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the body as stage ``name``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - started

    @property
    def total(self) -> float:
        """Seconds over all stages."""
        return sum(self.stages.values())

    def lines(self) -> list[str]:
        """One line per stage, then the total and the peak memory, for a terminal."""
        out = [f"timing: {name:<9} {seconds:8.2f} s" for name, seconds in self.stages.items()]
        out.append(f"timing: {'total':<9} {self.total:8.2f} s")
        out += [f"beside: {name:<11} {seconds:8.2f} s  (a second process, during mkdocs)"
                for name, seconds in self.alongside.items()]
        memory = f"memory: peak {peak_memory_mib():.0f} MiB"
        if self.child_memory_mib:
            memory += f" (this process); second process {self.child_memory_mib:.0f} MiB (proportional, at its end)"
        out.append(memory)
        return out


def peak_memory_mib() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (2**20 if sys.platform == "darwin" else 2**10)

