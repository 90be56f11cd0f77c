"""The package layout the docstring of generator/__init__.py describes, held to: stages import backwards only."""
from __future__ import annotations

import ast
from pathlib import Path

import generator

PACKAGE = Path(generator.__file__).parent

STAGES = {
    1: {"load", "yamldata", "vocab", "locate"},
    2: {"validate"},
    3: {"model"},
    4: {"enrich", "similar", "explore", "charts", "geo", "figures", "gaps", "pages", "addresses", "export", "feed", "cite"},
    5: {"render"},
    6: {"write"},
    7: {"offline"},
    8: {"checks"},
}
SHARED = {"spec", "problems", "errors", "escape", "lang", "resources", "clock", "timings", "progress"}
AROUND = {"build", "overlap", "cli", "clidoc", "stamp", "serve", "preview", "publish", "fmt", "schema", "skeleton",
          "changes", "scope", "gazetteer"}


def _imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):  # imports inside functions count too
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
    return found


def test_every_module_has_a_place_in_the_layout():
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    placed = set().union(*STAGES.values()) | SHARED | AROUND
    assert modules == placed, f"not placed: {sorted(modules - placed)}; gone: {sorted(placed - modules)}"


def test_no_stage_imports_from_a_later_stage_or_from_the_modules_around_them():
    stage_of = {m: n for n, members in STAGES.items() for m in members}
    wrong = []
    for module, own in stage_of.items():
        for name in _imports(module):
            if name in AROUND or stage_of.get(name, 0) > own:
                wrong.append(f"{module} (stage {own}) imports {name}")
    for module in SHARED:
        wrong += [f"shared {module} imports {name}" for name in _imports(module) if name not in SHARED]
    assert wrong == []
