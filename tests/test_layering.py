"""The tree shows the flow: every import of pagelint's modules (at the top, inside functions,
under TYPE_CHECKING) points down the pipeline, never up or sideways, and no modules import
each other in a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pagelint"

# Lowest first. A module may import its own unit and the units of lower layers only.
LAYERS = (
    {"pagelint", "diagnostics", "workers", "bounded_io", "data"},
    {"model"},
    {"text"},
    {"rules"},
    {"config"},
    {"online", "reporters"},
    {"run"},
    {"scaffold", "server"},
    {"cli"},
    {"__main__"},
)
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "pagelint"


def imports(path: Path, modules: set[str]) -> set[str]:
    """The pagelint modules `path` imports anywhere in its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from pagelint.model import site` imports the module pagelint.model.site
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module for alias in node.names]
        else:
            continue
        found.update(name for name in names if name == "pagelint" or name.startswith("pagelint."))
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {module: imports(path, set(paths)) - {module} for module, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.get(module, ()):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            source_unit, target_unit = unit(module), unit(target)
            if source_unit != target_unit and RANK[target_unit] >= RANK[source_unit]:
                wrong.append(f"{module} imports {target}")
    return wrong


def test_every_unit_of_the_package_has_a_layer():
    assert {unit(module) for module in import_graph()} <= set(RANK)


def test_no_import_goes_up_or_sideways():
    assert upward_imports(import_graph()) == []


def test_no_import_cycle():
    assert cycles(import_graph()) == []


@pytest.mark.parametrize(
    "graph, expected_cycles, expected_upward",
    [
        ({"pagelint.model.a": {"pagelint.model.b"}, "pagelint.model.b": {"pagelint.model.a"}}, [["pagelint.model.a", "pagelint.model.b"]], []),
        ({"pagelint.model.a": {"pagelint.rules.base"}, "pagelint.rules.base": set()}, [], ["pagelint.model.a imports pagelint.rules.base"]),
        ({"pagelint.online.x": {"pagelint.reporters.y"}, "pagelint.reporters.y": set()}, [], ["pagelint.online.x imports pagelint.reporters.y"]),
        ({"pagelint.run.x": {"pagelint.model.y"}, "pagelint.model.y": set()}, [], []),
    ],
)
def test_the_checks_catch_what_they_are_for(graph, expected_cycles, expected_upward):
    assert cycles(graph) == expected_cycles
    assert upward_imports(graph) == expected_upward


def test_imports_inside_functions_are_seen(tmp_path):
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from pagelint.run.linter import Linter\n\nif False:\n    import pagelint.cli\n")
    assert imports(source, {"pagelint.run.linter"}) == {"pagelint.run.linter", "pagelint.cli"}
