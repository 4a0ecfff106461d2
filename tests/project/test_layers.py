"""One-way layers: criipto/ (Criipto facts) <- stacks/ (config, constructs, the app) <-
criipto_cognito/ (the ops command). Read from the source, every import of every module, and
proven for the command by importing it in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.project import ROOT

# What each package (and main.py) may import of ours: itself and the layers below it.
ALLOWED = {
    "criipto": {"criipto"},
    "stacks": {"stacks", "criipto"},
    "criipto_cognito": {"criipto_cognito", "stacks", "criipto"},
    "main": {"stacks", "criipto"},
}
OURS = frozenset(ALLOWED) - {"main"}
PLATFORM = ("cdktf", "constructs", "jsii", "cdktf_cdktf_provider_aws")


def modules(package: str) -> list[Path]:
    if package == "main":
        return [ROOT / "main.py"]
    return sorted((ROOT / package).rglob("*.py"))


def imported(path: Path, package: str) -> Iterator[tuple[int, str]]:
    """(line, top-level package) for every import in ``path``, wherever it stands (in a
    function too); a relative import counts as its own package."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                yield node.lineno, package
            elif node.module:
                yield node.lineno, node.module.split(".")[0]


def test_every_package_holds_modules() -> None:
    for package in ALLOWED:
        assert modules(package), package


@pytest.mark.parametrize("package", list(ALLOWED))
def test_a_package_imports_only_the_layers_below_it(package: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {name}"
        for path in modules(package)
        for line, name in imported(path, package)
        if name in OURS and name not in ALLOWED[package]
    ]
    assert wrong == []


def test_the_layers_form_no_cycle() -> None:
    """The packages' actual imports, as a graph, can be ordered (no package reaches itself)."""
    edges = {
        package: {
            name
            for path in modules(package)
            for _, name in imported(path, package)
            if name in OURS and name != package
        }
        for package in OURS
    }
    # The intended order is what the code does: criipto uses nothing of ours, the command both.
    assert edges == {
        "criipto": set(),
        "stacks": {"criipto"},
        "criipto_cognito": {"criipto", "stacks"},
    }
    ordered: list[str] = []
    remaining = dict(edges)
    while remaining:
        ready = [p for p, needs in remaining.items() if needs <= set(ordered)]
        assert ready, f"an import cycle among {sorted(remaining)}"
        ordered += sorted(ready)
        for package in ready:
            del remaining[package]


def test_the_command_never_imports_the_platform_itself() -> None:
    direct = [
        f"{path.relative_to(ROOT)}:{line}: imports {name}"
        for path in modules("criipto_cognito")
        for line, name in imported(path, "criipto_cognito")
        if name in PLATFORM
    ]
    assert direct == []


def test_importing_the_command_loads_neither_cdktf_nor_the_aws_bindings() -> None:
    """A fresh interpreter imports the command and every module of its package (and so the
    parts of stacks/ and criipto/ they use): none of cdktf, constructs, jsii or the bindings."""
    names = [f"criipto_cognito.{path.stem}" for path in modules("criipto_cognito")]
    names = [name.removesuffix(".__init__") for name in names]
    code = (
        "import importlib, json, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        f"platform = {PLATFORM!r}\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in platform)\n"
        "print(json.dumps({'loaded': loaded, 'cli': 'criipto_cognito.cli' in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"loaded": [], "cli": True}


def test_the_probe_sees_the_platform_when_it_is_loaded() -> None:
    """The check above can fail: the same probe, after importing a construct, reports cdktf."""
    code = (
        "import sys, criipto_cognito.cli, stacks.constructs.criipto_application\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'cdktf', 'constructs', 'jsii'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['cdktf', 'constructs', 'jsii']"
