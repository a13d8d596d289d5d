"""Import direction and cycles, checked on the real import graph of condense_tui.

Every module's imports are read with `ast`, wherever they are: at module level, inside functions
(lazy imports) and under `if TYPE_CHECKING:`. What counts:
- direction (engine/ imports no config, analysis, composer or face; analysis imports no face): every
  import, lazy and type-only ones included, since each couples the lower layer to the upper one;
- cycles: every import that can run (module level and lazy ones inside functions); imports under
  `if TYPE_CHECKING:` never run and name types only, so they do not make a cycle.
`from pkg import name` is an edge to pkg, and to pkg.name too when that is a module. Importing a
module also runs its parent packages' __init__; those implicit edges are not added (each __init__
here is a docstring, a thread setting or a lazy re-export).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import condense_tui

ROOT = Path(condense_tui.__file__).parent
FACES = ("tui", "headless", "cli", "viewer", "sweep", "__main__")
ENGINE_MAY_NOT_IMPORT = ("config", "analysis", "runs", "store", *FACES)
ANALYSIS_MAY_NOT_IMPORT = ("runs", *FACES)
KNOWN_CYCLES: list[frozenset[str]] = []


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    type_only: bool  # under `if TYPE_CHECKING:`


def module_names(root: Path, package: str) -> dict[str, Path]:
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join([package, *parts])] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, type_only: bool = False):
    """(node, type_only) for every import in the tree, at any depth."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, type_only
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), True)
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), type_only)
        else:
            yield from _imports(node, type_only)


def import_graph(root: Path, package: str) -> list[Edge]:
    modules = module_names(root, package)
    edges = []
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node, type_only in _imports(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                targets = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
            for target in targets:
                if target in modules and target != name:
                    edges.append(Edge(name, target, node.lineno, type_only))
    return edges


def cycles(edges: list[Edge]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan), over runtime imports."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        if not e.type_only:
            graph.setdefault(e.source, set()).add(e.target)
            graph.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _under(module: str, layers: tuple[str, ...]) -> bool:
    return any(module == f"condense_tui.{layer}" or module.startswith(f"condense_tui.{layer}.")
               for layer in layers)


@pytest.fixture(scope="module")
def edges() -> list[Edge]:
    return import_graph(ROOT, "condense_tui")


def _show(bad: list[Edge]) -> list[str]:
    return [f"{e.source}:{e.line} imports {e.target}" + (" (TYPE_CHECKING)" if e.type_only else "")
            for e in bad]


def test_the_graph_sees_lazy_and_type_only_imports(edges):
    lazy = Edge("condense_tui.headless.runner", "condense_tui.runs", 0, False)  # inside prepare()
    assert any((e.source, e.target, e.type_only) == (lazy.source, lazy.target, False) for e in edges)
    assert any(e.source == "condense_tui.analysis.report" and e.target == "condense_tui.engine.snapshot"
               and e.type_only for e in edges)


def test_the_engine_imports_no_config_analysis_composer_or_face(edges):
    bad = [e for e in edges if _under(e.source, ("engine",)) and _under(e.target, ENGINE_MAY_NOT_IMPORT)]
    assert _show(bad) == []


def test_analysis_imports_no_face(edges):
    bad = [e for e in edges if _under(e.source, ("analysis",)) and _under(e.target, ANALYSIS_MAY_NOT_IMPORT)]
    assert _show(bad) == []


def test_no_import_cycles_besides_the_known_ones(edges):
    assert [sorted(c) for c in cycles(edges) if c not in KNOWN_CYCLES] == []


def test_no_import_cycles_at_all(edges):
    assert [sorted(c) for c in cycles(edges)] == []


def test_a_cycle_through_a_lazy_import_is_found_and_a_type_only_one_is_not(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import a\n")  # lazy: a cycle
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import d\n")
    (pkg / "d.py").write_text("import pkg.c\n")  # type-only the other way: no cycle
    found = cycles(import_graph(pkg, "pkg"))
    assert found == [frozenset({"pkg.a", "pkg.sub.b"})]
