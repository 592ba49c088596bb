"""The shape of the code (STYLE.md, "The layers, checked"; issue 9): no import circles between
our modules, and no module over 600 lines. The apps' layering itself is import-linter's
contract in pyproject.toml, run by `make lint`."""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
OUR_PACKAGES = ("accounts", "sampling", "audits", "remediation", "reporting", "api", "config")
MAX_LINES = 600
# Folders under the project that hold no code of ours.
NOT_OURS = {".git", ".venv", ".tools", "node_modules", "var", "static", "staticfiles"}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # Imports under `if TYPE_CHECKING:` never run, so they cannot make a circle.
    return grimp.build_graph(*OUR_PACKAGES, cache_dir=None, exclude_type_checking_imports=True)


def _circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Each group of modules that import one another round in a circle (a strongly
    connected component of more than one module), as one circle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:
        # Tarjan's algorithm, iteratively (a deep package would pass Python's recursion limit).
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, edges = work[-1]
            for imported in edges:
                if imported not in index:
                    index[imported] = low[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append(
                        (imported, iter(sorted(graph.find_modules_directly_imported_by(imported))))
                    )
                    break
                if imported in on_stack:
                    low[module] = min(low[module], index[imported])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return [_one_circle(graph, group) for group in sorted(groups)]


def _one_circle(graph: grimp.ImportGraph, group: list[str]) -> list[str]:
    """The shortest way round from the group's first module back to itself."""
    members = set(group)
    start = group[0]
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported == start:
                path = [module]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if imported in members and imported not in came_from:
                came_from[imported] = module
                queue.append(imported)
    raise AssertionError(f"no circle through {start}")  # a component always has one


def _describe(graph: grimp.ImportGraph, circle: list[str]) -> str:
    steps = []
    for importer, imported in zip(circle, circle[1:], strict=False):
        lines = sorted(
            d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported)
        )
        steps.append(f"{importer} (line {', '.join(map(str, lines))})")
    return " -> ".join([*steps, circle[-1]])


def test_no_module_of_ours_imports_itself_round_a_circle(graph):
    """Tasks call services, never the reverse; a service that enqueues work sends a signal
    or uses a small dispatch module; shared helpers live in one leaf module (issue 9)."""
    circles = [_describe(graph, circle) for circle in _circles(graph)]
    assert circles == [], "Import circles:\n" + "\n".join(circles)


def test_the_circle_finder_finds_a_circle():
    """A check that cannot fail is a defect: two modules that import each other are found."""
    fake = grimp.ImportGraph()
    for module in ("app", "app.models", "app.services", "app.tasks"):
        fake.add_module(module)
    fake.add_import(importer="app.services", imported="app.tasks")
    fake.add_import(importer="app.tasks", imported="app.services")
    fake.add_import(importer="app.services", imported="app.models")
    assert _circles(fake) == [["app.services", "app.tasks", "app.services"]]


def _our_modules() -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in NOT_OURS]
        found += [Path(folder, name) for name in files if name.endswith(".py")]
    return sorted(found)


def test_no_module_of_ours_is_over_600_lines():
    """Split a long module by what each part does, not by size alone (issue 9)."""
    assert len(_our_modules()) > 100  # the walk found the project
    long = [
        f"{path.relative_to(ROOT)}: {count} lines"
        for path in _our_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert long == []
