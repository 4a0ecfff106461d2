"""One root exception: every exception class of the library, the config, the deploy helpers and
the ops command stands under ``criipto.errors.CriiptoCognitoError`` and keeps the built-in base
its callers catch."""

from __future__ import annotations

import ast
import builtins
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.project import ROOT

from criipto.errors import CriiptoCognitoError

# Where the project's own code lives (the tests' helpers are not the project).
FOLDERS = ("criipto", "stacks", "criipto_cognito", "tools", "examples")
# A class whose base is named like this is taken for an exception even when the base is not
# one of ours or a built-in (httpx.HTTPError, botocore's ClientError, ...).
EXCEPTION_SUFFIXES = ("Error", "Exception", "Exit", "Interrupt", "Warning")


def sources() -> Iterator[Path]:
    for folder in FOLDERS:
        yield from sorted((ROOT / folder).rglob("*.py"))
    yield ROOT / "main.py"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def base_names(node: ast.ClassDef) -> list[str]:
    names = []
    for base in node.bases:
        if isinstance(base, ast.Name):
            names.append(base.id)
        elif isinstance(base, ast.Attribute):
            names.append(base.attr)
    return names


def is_builtin_exception(name: str) -> bool:
    value = getattr(builtins, name, None)
    return isinstance(value, type) and issubclass(value, BaseException)


def exception_classes() -> dict[str, list[tuple[str, ast.ClassDef]]]:
    """Every class in the project's source that is an exception, by name: a built-in exception
    or one named like one among its bases, or another such class of ours (to a fixed point)."""
    classes = [
        (module_name(path), node)
        for path in sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if isinstance(node, ast.ClassDef)
    ]
    found: dict[str, list[tuple[str, ast.ClassDef]]] = {}
    grew = True
    while grew:
        grew = False
        for module, node in classes:
            if any((module, node) == entry for entry in found.get(node.name, [])):
                continue
            if any(
                is_builtin_exception(name) or name.endswith(EXCEPTION_SUFFIXES) or name in found
                for name in base_names(node)
            ):
                found.setdefault(node.name, []).append((module, node))
                grew = True
    return found


def test_the_search_finds_the_project_exceptions() -> None:
    """The search below can see them: the classes callers catch today are all found."""
    assert {
        "CriiptoCognitoError",
        "PropError",
        "PropErrors",
        "PlatformError",
        "ConfigError",
        "TerraformFailed",
        "InvalidJson",
        "CannotCheck",
        "TokenProblem",
    } <= set(exception_classes())


def test_every_project_exception_stands_under_the_root() -> None:
    outside = []
    for name, places in exception_classes().items():
        for module, _ in places:
            cls = getattr(importlib.import_module(module), name)
            if not issubclass(cls, CriiptoCognitoError):
                outside.append(f"{module}.{name}")
    assert outside == []


@pytest.mark.parametrize(
    ("module", "name", "builtin"),
    [
        ("stacks.rules.problems", "PropError", ValueError),
        ("stacks.rules.problems", "PropErrors", ValueError),
        ("stacks.platform.choice", "PlatformError", ImportError),
        ("criipto_cognito.http", "InvalidJson", ValueError),
    ],
)
def test_each_keeps_the_builtin_base_its_callers_catch(
    module: str, name: str, builtin: type[Exception]
) -> None:
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, CriiptoCognitoError)
    assert issubclass(cls, builtin)


def test_the_command_and_the_config_raise_under_the_root(tmp_path: Path) -> None:
    """Raised for real, not only declared: a refused config and a check that cannot run."""
    from criipto_cognito.http import InvalidJson, parse_json
    from stacks.config.loader import ConfigError, load_config

    config = tmp_path / "federation.toml"
    config.write_text('[environments.test]\naws_region = "mars"\n', encoding="utf-8")
    with pytest.raises(CriiptoCognitoError) as refused:
        load_config(config)
    assert isinstance(refused.value, ConfigError)
    with pytest.raises(CriiptoCognitoError) as bad_json:
        parse_json(b'{"a": 1, "a": 2}')
    assert isinstance(bad_json.value, InvalidJson)
