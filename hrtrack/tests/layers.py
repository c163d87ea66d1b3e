"""The house plan, read from the code: every module's imports, the layer each belongs to, and
what runs against the plan (docs/architecture.md draws it).

``python -m hrtrack.tests.layers`` prints the import graph's figures: modules, imports, cycles,
and imports that run from a lower layer back up; ``test_layers.py`` holds the code to the plan.
Imports inside functions count as much as those at the top: a late import still ties two modules.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the hrtrack package

#: Layers from the bottom up. A module may import its own layer and those below, never above.
LAYERS = {
    "lib": 0,
    # The domain: models, their QuerySets, filters, forms and services.
    "taxonomy": 1, "directory": 1, "accounts": 1, "recommendations": 1, "dialogues": 1, "followup": 1,
    "reports": 1, "contributions": 1,
    # The work done on the domain, each above the one it reads.
    "ingest": 2,
    "nlp": 3,
    "search": 4,
    # The doors: pages, JSON twins, the API, the command line, the admin.
    "api": 5, "jobs": 5, "portal": 5,
}
DOOR = 5
#: Module names that are doors wherever they stand, with what is inside them (``followup/views/reports.py``).
DOOR_MODULES = {"views", "urls", "admin", "api", "context_processors"}
#: Modules of the project's own frame: the settings, the root URLs, the WSGI entry, the CLI.
FRAME = {"hrtrack", "hrtrack.settings", "hrtrack.urls", "hrtrack.wsgi", "hrtrack.cli"}


def modules() -> dict[str, Path]:
    """Every module of the package but tests and migrations, by dotted name."""
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts or parts[-1] == "conftest":
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(found: dict[str, Path]) -> dict[str, set[str]]:
    """Each module's imports of other modules of the package (a name imported from a package,
    ``from .models import X``, is the module ``models``; ``from . import views`` the module ``views``)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in found.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                targets = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in found else module
                           for alias in node.names]
            for target in targets:
                while target and target not in found:
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("hrtrack"):
                    graph[name].add(target)
    return graph


def app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def is_door(module: str) -> bool:
    parts = module.split(".")
    return (module in FRAME or LAYERS.get(app(module)) == DOOR or any(p in DOOR_MODULES for p in parts[2:])
            or "commands" in parts)


def layer(module: str) -> int:
    return DOOR if is_door(module) else LAYERS.get(app(module), DOOR)


def upward(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports that run from a lower layer up to a higher one, or from the domain into a door."""
    return sorted((a, b) for a, targets in graph.items() for b in targets
                  if not is_door(a) and (is_door(b) or layer(b) > layer(a)))


def into_portal(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, targets in graph.items() for b in targets
                  if app(b) == "portal" and app(a) != "portal")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other in a loop (strongly connected, Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10_000)

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(out)


def main() -> None:
    found = modules()
    graph = imports(found)
    print(f"modules: {len(found)}, imports between them: {sum(len(t) for t in graph.values())}")
    found_cycles = cycles(graph)
    print(f"import cycles: {len(found_cycles)}")
    for group in found_cycles:
        print("  " + " <-> ".join(group))
    up = upward(graph)
    print(f"imports that run from a lower layer back up (or from the domain into a door): {len(up)}")
    for a, b in up:
        print(f"  {a} -> {b}")
    portal = into_portal(graph)
    print(f"imports of hrtrack.portal from outside it: {len(portal)}")
    for a, b in portal:
        print(f"  {a} -> {b}")


if __name__ == "__main__":
    main()
