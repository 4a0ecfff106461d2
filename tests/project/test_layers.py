"""One-way layers, one folder each, stated here and proven from the source and at run time.

    criipto/            Criipto facts                      (nothing of ours)
    stacks/rules/       pure rules and the federation plan (no pydantic, no cdktf)
    stacks/config/      TOML -> frozen model               (pydantic; never the platform)
    stacks/platform/    the seam: cdktf or cdktn, constructs, bindings (criipto/errors.py)
    stacks/constructs/  the public library                 (never the config)
    stacks/app/         the TOML app: config -> constructs
    stacks/deploy/      make diff|deploy|destroy, lock files, the CI matrix (no cdktf)
    criipto_cognito/    the ops command                    (no cdktf)
    tools/plan_summary  the PR comment, run from the base branch (standard library only)
    tools/drift_issue   drift.yml's issue, run with the runner's Python (standard library only)

Every import of every module is read from the source (in functions too), and every string
that names a platform package (as importlib would take it); and a fresh interpreter imports
each layer that must not load the platform (or pydantic) and reports what it did: the chosen
platform's packages, never the other's.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.processes import run_captured
from support.project import ROOT

from stacks.platform.choice import PLATFORMS, chosen_platform

# What each layer may import of ours: itself and the layers below it.
ALLOWED = {
    "criipto": {"criipto"},
    "stacks.rules": {"stacks.rules", "criipto"},
    "stacks.config": {"stacks.config", "stacks.rules", "criipto"},
    # criipto: the one root exception (criipto/errors.py) that PlatformError stands under.
    "stacks.platform": {"stacks.platform", "criipto"},
    "stacks.constructs": {"stacks.constructs", "stacks.platform", "stacks.rules", "criipto"},
    "stacks.app": {
        "stacks.app",
        "stacks.config",
        "stacks.constructs",
        "stacks.platform",
        "stacks.rules",
        "criipto",
    },
    "stacks.deploy": {"stacks.deploy", "stacks.config", "stacks.rules", "criipto"},
    "criipto_cognito": {"criipto_cognito", "stacks.config", "stacks.rules", "criipto"},
    "main": {"stacks.config", "stacks.platform", "stacks.app"},
    # The plan comment renders the Criipto rows as the drift issue does.
    "tools.plan_summary": {"tools.drift_issue"},
    "tools.drift_issue": set(),
}
# Both platforms, their AWS bindings, and what both build on.
PLATFORM = tuple(
    sorted(
        {"constructs", "jsii"}
        | {platform.package for platform in PLATFORMS}
        | {platform.bindings for platform in PLATFORMS}
    )
)
# A string naming a platform package as importlib takes it ("cdktn", "cdktn_provider_aws.x");
# the CLI's files of the same stem (cdktf.out, cdktf.json) are not packages.
NAMED_PACKAGE = re.compile(rf"(?:{'|'.join(PLATFORM)})(?:\.\w+)*")
CLI_FILES = {"cdktf.out", "cdktf.json"}
# Layers that must import neither the platform nor, for the rules, pydantic.
NO_PLATFORM = ("stacks.rules", "stacks.config", "stacks.deploy", "criipto_cognito", "criipto")


def files(layer: str) -> list[Path]:
    if layer == "main":
        return [ROOT / "main.py"]
    if layer in ("tools.plan_summary", "tools.drift_issue"):
        return [ROOT / (layer.replace(".", "/") + ".py")]
    return sorted((ROOT / layer.replace(".", "/")).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str | None:
    """The layer ``module`` belongs to (the longest layer name it starts with), or None."""
    found = [layer for layer in ALLOWED if module == layer or module.startswith(layer + ".")]
    if found:
        return max(found, key=len)
    return "stacks" if module.split(".")[0] == "stacks" else None


def _package(path: Path) -> str:
    """The package a relative import in ``path`` starts from."""
    if path.name == "__init__.py":
        return module_name(path)
    return module_name(path.parent) if path.parent != ROOT else ""


def imported(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in ``path``, wherever it stands; ``from a import b``
    counts as ``a.b`` (a module or a name of ``a``: the layer is the same)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package(path)
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def test_every_layer_holds_modules_and_every_module_a_layer() -> None:
    for layer in ALLOWED:
        assert files(layer), layer
    stray = [
        module_name(path)
        for path in (ROOT / "stacks").rglob("*.py")
        if layer_of(module_name(path)) == "stacks" and path != ROOT / "stacks" / "__init__.py"
    ]
    assert stray == [], "a module outside the layers"


@pytest.mark.parametrize("layer", list(ALLOWED))
def test_a_layer_imports_only_what_it_may(layer: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {name}"
        for path in files(layer)
        for line, name in imported(path)
        if (target := layer_of(name)) is not None and target not in ALLOWED[layer]
    ]
    assert wrong == []


def named(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) for every string in ``path`` that names a platform package."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and NAMED_PACKAGE.fullmatch(node.value)
            and node.value not in CLI_FILES
        ):
            yield node.lineno, node.value


def outside_the_seam() -> Iterator[Path]:
    """Every Python file of the repository but stacks/platform/: the layers, the examples, the
    tools and the tests."""
    seam = ROOT / "stacks" / "platform"
    for folder in ("stacks", "criipto", "criipto_cognito", "examples", "tools", "tests"):
        yield from (p for p in sorted((ROOT / folder).rglob("*.py")) if seam not in p.parents)
    yield ROOT / "main.py"


def test_only_the_seam_imports_or_names_the_platform() -> None:
    """No import of a platform package outside stacks/platform/, and outside the tests (which
    run the cdktf CLI by its name) no string naming one either."""
    outside = sorted(
        f"{path.relative_to(ROOT)}:{line}: {how} {name}"
        for path in outside_the_seam()
        for how, found in (
            ("imports", imported(path)),
            ("names", [] if ROOT / "tests" in path.parents else named(path)),
        )
        for line, name in found
        if name.split(".")[0] in PLATFORM
    )
    assert outside == []


def test_the_checks_see_an_import_and_a_name(tmp_path: Path) -> None:
    """The check above can fail: an importlib call and a plain import are both found."""
    module = tmp_path / "module.py"
    module.write_text(
        "import importlib\nimport cdktn_provider_aws.provider\n"
        "core = importlib.import_module('cdktf')\nout = 'cdktf.out'\n",
        encoding="utf-8",
    )
    assert [name for _, name in imported(module)] == ["importlib", "cdktn_provider_aws.provider"]
    assert list(named(module)) == [(3, "cdktf")]


def test_the_rules_import_no_pydantic_and_the_ci_renderers_only_the_standard_library() -> None:
    pydantic = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in files("stacks.rules")
        for line, name in imported(path)
        if name.split(".")[0] == "pydantic"
    ]
    assert pydantic == []
    for renderer in ("tools.plan_summary", "tools.drift_issue"):
        [path] = files(renderer)
        outside = {name.split(".")[0] for _, name in imported(path)} - set(sys.stdlib_module_names)
        # Their one import of the project is each other's (ALLOWED says which way).
        outside -= {"tools"}
        assert outside == set(), renderer


def test_the_layers_form_no_cycle() -> None:
    edges = {
        layer: {
            target
            for path in files(layer)
            for _, name in imported(path)
            if (target := layer_of(name)) is not None and target != layer
        }
        for layer in ALLOWED
    }
    ordered: list[str] = []
    remaining = dict(edges)
    while remaining:
        ready = [layer for layer, needs in remaining.items() if needs <= set(ordered)]
        assert ready, f"an import cycle among {sorted(remaining)}"
        ordered += sorted(ready)
        for layer in ready:
            del remaining[layer]
    # The constructs stand on the rules alone: the library works without the config.
    assert "stacks.config" not in edges["stacks.constructs"]
    assert edges["stacks.app"] >= {"stacks.config", "stacks.constructs"}


def _load(modules: list[str]) -> dict[str, object]:
    """A fresh interpreter imports ``modules``: which platform packages and whether pydantic
    it loaded."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"platform = {PLATFORM!r}\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & set(platform))\n"
        "print(json.dumps({'loaded': loaded, 'pydantic': 'pydantic' in sys.modules}))\n"
    )
    done = run_captured([sys.executable, "-c", code], cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("layer", NO_PLATFORM)
def test_importing_the_layer_loads_no_platform(layer: str) -> None:
    """Every module of the layer, imported in a fresh interpreter: neither platform, nor
    constructs, jsii or either bindings package (the rules: not pydantic either)."""
    loaded = _load([module_name(path) for path in files(layer)])
    assert loaded["loaded"] == []
    if layer in ("stacks.rules", "criipto"):
        assert loaded["pydantic"] is False


@pytest.mark.slow
def test_the_probe_sees_the_chosen_platform_alone_and_pydantic_when_they_are_loaded() -> None:
    """The checks above can fail: the same probe, after a construct and the config, finds the
    chosen platform and its bindings, and not the other platform even where it is installed."""
    platform = chosen_platform()
    loaded = _load(["stacks.rules.federation_plan", "stacks.constructs", "stacks.config"])
    expected = sorted({"constructs", "jsii", platform.package, platform.bindings})
    assert loaded == {"loaded": expected, "pydantic": True}
