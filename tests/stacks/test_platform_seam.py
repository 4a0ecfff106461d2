"""cdktf and constructs are imported in one module, so moving to CDK Terrain is one change."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_PACKAGES = {"cdktf", "constructs"}
SEAM = "stacks/platform/__init__.py"
AWS_BINDINGS = "cdktf_cdktf_provider_aws"
BINDINGS_MODULE = "stacks/platform/aws.py"


def _python_files() -> list[Path]:
    files = [ROOT / "main.py"]
    for folder in ("stacks", "criipto", "criipto_cognito", "examples", "tools", "tests"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return [f for f in files if "cdktf.out" not in f.parts]


def _imported_packages(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, at any depth of its code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _importers(packages: set[str]) -> set[str]:
    return {
        f.relative_to(ROOT).as_posix() for f in _python_files() if _imported_packages(f) & packages
    }


def test_only_the_seam_imports_cdktf_and_constructs() -> None:
    assert _importers(PLATFORM_PACKAGES) == {SEAM}


def test_no_module_but_the_bindings_module_imports_the_aws_bindings() -> None:
    # stacks/platform/aws.py loads the package through importlib (see its docstring); the tests
    # import it plainly to compare.
    importers = {name for name in _importers({AWS_BINDINGS}) if not name.startswith("tests/")}
    assert importers <= {BINDINGS_MODULE}


def test_the_criipto_layer_is_free_of_the_platform_and_of_stacks() -> None:
    for path in sorted((ROOT / "criipto").rglob("*.py")):
        assert not _imported_packages(path) & (PLATFORM_PACKAGES | {AWS_BINDINGS}), path
