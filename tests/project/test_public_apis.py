"""Our code uses the public API of its dependencies only: no private module, no private name
of a module, and no private attribute of a dependency's class in a subclass of it (a pydantic,
httpx or jsii upgrade may change any of those without a word)."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path
from types import CodeType

from support.project import ROOT

OURS = {"stacks", "criipto", "criipto_cognito", "tools", "main"}
FOLDERS = ("stacks", "criipto", "criipto_cognito", "tools")
# Public despite the underscore: documented as such.
DOCUMENTED = {"os._exit"}


def sources() -> Iterator[Path]:
    for folder in FOLDERS:
        yield from sorted((ROOT / folder).rglob("*.py"))
    yield ROOT / "main.py"


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def imports(tree: ast.AST) -> dict[str, tuple[str, str | None]]:
    """What each imported name stands for: (module, name in it or None for the module)."""
    bound: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = (alias.name, None)
                else:
                    top = alias.name.split(".")[0]
                    bound[top] = (top, None)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                bound[alias.asname or alias.name] = (node.module, alias.name)
    return bound


def theirs(module: str) -> bool:
    return module.split(".")[0] not in OURS


def dotted(node: ast.expr) -> tuple[str, list[str]] | None:
    """``a.b.c`` as ("a", ["b", "c"]); None for anything but names and attributes."""
    chain: list[str] = []
    while isinstance(node, ast.Attribute):
        chain.insert(0, node.attr)
        node = node.value
    return (node.id, chain) if isinstance(node, ast.Name) else None


def names_in(code: CodeType) -> set[str]:
    found = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            found |= names_in(constant)
    return found


def private_attributes(cls: type) -> set[str]:
    """The private names the dependency's own classes use in their methods (``_pool``)."""
    found: set[str] = set()
    for klass in cls.__mro__:
        if not theirs(klass.__module__) or klass.__module__ == "builtins":
            continue
        for value in vars(klass).values():
            code = getattr(getattr(value, "fget", value), "__code__", None)
            if isinstance(code, CodeType):
                found |= {name for name in names_in(code) if private(name)}
    return found


def hint_nodes(tree: ast.AST) -> set[int]:
    """The ids of the nodes in type annotations: never run (``from __future__ import
    annotations``), so a private type there (``argparse._SubParsersAction``, which argparse
    names nowhere else) is only the type checker's business."""
    found: set[int] = set()
    for node in ast.walk(tree):
        hints: list[ast.expr | None] = []
        if isinstance(node, ast.arg):
            hints.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            hints.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            hints.append(node.annotation)
        for hint in hints:
            if hint is not None:
                found |= {id(inner) for inner in ast.walk(hint)}
    return found


def uses_of_private_apis(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    bound = imports(tree)
    hinted = hint_nodes(tree)
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and getattr(node, "level", 0) == 0:
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for module in modules:
                if theirs(module) and any(private(part) for part in module.split(".")):
                    yield f"{where}:{node.lineno}: imports {module}"
        elif isinstance(node, ast.Attribute) and private(node.attr) and id(node) not in hinted:
            found = dotted(node)
            if found and found[0] in bound and theirs(bound[found[0]][0]):
                name = ".".join([found[0], *found[1]])
                if name not in DOCUMENTED:
                    yield f"{where}:{node.lineno}: {name}"
        elif isinstance(node, ast.ClassDef):
            used = {
                n.attr
                for n in ast.walk(node)
                if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                if n.value.id == "self" and private(n.attr)
            }
            for base in node.bases:
                found = dotted(base)
                if not found or found[0] not in bound or not theirs(bound[found[0]][0]):
                    continue
                module, imported_name = bound[found[0]]
                value: object = importlib.import_module(module)
                for part in ([imported_name] if imported_name else []) + found[1]:
                    value = getattr(value, part)
                if isinstance(value, type):
                    for attribute in sorted(used & private_attributes(value)):
                        yield f"{where}:{node.lineno}: {node.name} uses {attribute} of {value}"


def test_no_private_api_of_a_dependency() -> None:
    assert [found for path in sources() for found in uses_of_private_apis(path)] == []


def test_the_check_sees_each_kind_of_private_use(tmp_path: Path) -> None:
    """The check above can fail: a private module, a private name of a module, and a subclass
    replacing its base's private attribute (the pool httpx's transport keeps) are all found."""
    module = tmp_path / "probe.py"
    module.write_text(
        "import httpx\nfrom httpx._config import DEFAULT_LIMITS\n"
        "LIMITS = httpx._config.DEFAULT_LIMITS\n"
        "class Transport(httpx.HTTPTransport):\n"
        "    def __init__(self) -> None:\n"
        "        super().__init__()\n"
        "        self._pool = None\n"
        "        self._mine = None\n"
        "import os\nos._exit(0)\n"
        "def typed(x: httpx._types.URLTypes) -> httpx._types.URLTypes: ...\n",
        encoding="utf-8",
    )
    found = sorted(line.split(": ", 1)[1] for line in uses_of_private_apis(module))
    assert found == [
        "Transport uses _pool of <class 'httpx.HTTPTransport'>",
        "httpx._config",
        "imports httpx._config",
        "imports httpx._config.DEFAULT_LIMITS",
    ]
