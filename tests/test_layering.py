"""The package's layering: runtime code never imports training or evaluation, the scorers never
run the system, the ``[train]`` extra stays inside ``train/``, and no import ring exists.

Imports are read from the source with ``ast`` (those inside functions too), so a lazy import
cannot hide a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import quotegraph

PACKAGE_DIR = Path(quotegraph.__file__).resolve().parent
RUNTIME = (
    "ingest",
    "nlp",
    "extract",
    "store",
    "corpus",
    "batch",
    "serve",
    "pipeline",
    "core",
    "export",
    "types",
    "errors",
    "networks",
)
"""What runs when a user ingests, browses or exports news."""
OFFLINE = ("quotegraph.train", "quotegraph.evaluate", "quotegraph.predictors")
TRAIN_ONLY_LIBRARIES = ("sklearn", "scipy", "transformers")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def imported_modules(path: Path) -> Iterator[str]:
    """Every module ``path`` imports; ``from pkg import sub`` names the submodule ``pkg.sub``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = [f"{node.module}.{a.name}" for a in node.names]
            known = [name for name in submodules if name in MODULES]
            if known and len(known) == len(submodules):
                yield from known
            else:
                yield node.module
                yield from known


def internal_graph() -> dict[str, set[str]]:
    return {
        name: {m for m in imported_modules(path) if m in MODULES and m != name}
        for name, path in MODULES.items()
    }


def is_under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def runtime_modules() -> list[str]:
    prefixes = tuple(f"quotegraph.{part}" for part in RUNTIME)
    return [name for name in MODULES if is_under(name, prefixes)]


def test_the_runtime_list_covers_real_modules() -> None:
    # A renamed stage must not silently drop out of the checks below.
    found = {name.split(".")[1] for name in runtime_modules()}
    assert found == set(RUNTIME)


@pytest.mark.parametrize("module", runtime_modules())
def test_runtime_never_imports_training_or_evaluation(module: str) -> None:
    offending = [m for m in imported_modules(MODULES[module]) if is_under(m, OFFLINE)]
    assert not offending, f"{module} imports {offending}"


@pytest.mark.parametrize("module", [m for m in MODULES if is_under(m, ("quotegraph.evaluate",))])
def test_scorers_never_run_the_system(module: str) -> None:
    forbidden = (
        "quotegraph.pipeline",
        "quotegraph.corpus",
        "quotegraph.extract",
        "quotegraph.nlp",
        "quotegraph.predictors",
        "quotegraph.train",
    )
    offending = [m for m in imported_modules(MODULES[module]) if is_under(m, forbidden)]
    assert not offending, f"{module} imports {offending}"


@pytest.mark.parametrize("module", [m for m in MODULES if not is_under(m, ("quotegraph.train",))])
def test_training_libraries_stay_in_train(module: str) -> None:
    offending = [m for m in imported_modules(MODULES[module]) if is_under(m, TRAIN_ONLY_LIBRARIES)]
    assert not offending, f"{module} imports {offending} (the [train] extra)"


def find_rings(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    rings: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    ring = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        ring.append(member)
                        if member == node:
                            break
                    if len(ring) > 1:
                        rings.append(sorted(ring))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return rings


def test_find_rings_sees_a_ring_through_three_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_rings(graph) == [["a", "b", "c"]]


def test_no_two_modules_import_each_other() -> None:
    assert find_rings(internal_graph()) == []
