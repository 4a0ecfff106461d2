"""The tests are laid out like the code: tests/<package>/<subpackage>/test_<module>.py tests
<package>/<subpackage>/<module>.py, so the test of a module is found by its path. A few suites
test a whole package at once (a property-based suite, the golden files, the end-to-end checks
against a real OpenID Provider); they are named below, each with what it covers, and a suite
whose module is renamed or removed fails here instead of drifting."""

from __future__ import annotations

from pathlib import Path

from support.project import ROOT

TESTS = ROOT / "tests"
# The repository as a whole (main.py, the workflows, make, the docs, the layers, the end-to-end
# deploys) and the shared helpers: not tests of one module.
NOT_MIRRORED = {TESTS / "project", TESTS / "support", TESTS / "data"}

# Suites of a whole package, each with the folder it sits in.
WHOLE_PACKAGE_SUITES = {
    "stacks/config/test_hostile_config.py": "the property-based config suite",
    "stacks/app/test_production_config.py": "the production keys, config to JSON",
    "stacks/app/test_golden.py": "the golden files of the TOML app",
    "stacks/app/test_secret_variables.py": "the secret variables, planned by Terraform",
    "criipto/test_eid_scopes.py": "each eID's scopes and dashboard settings, config to JSON",
    "criipto_cognito/test_external_checks_op.py": "discover and doctor against a real OP",
    "criipto_cognito/test_criipto_configuration.py": "the Client ID check, every answer",
}


def _test_files() -> list[Path]:
    return [
        path
        for path in sorted(TESTS.rglob("test_*.py"))
        if not any(path.is_relative_to(folder) for folder in NOT_MIRRORED)
    ]


def test_each_test_file_names_the_module_it_tests() -> None:
    strays = []
    for path in _test_files():
        relative = path.relative_to(TESTS)
        module = ROOT / relative.parent / f"{path.name.removeprefix('test_')}"
        if not module.is_file() and relative.as_posix() not in WHOLE_PACKAGE_SUITES:
            strays.append(f"{relative}: no {module.relative_to(ROOT)}")
    assert strays == []


def test_the_whole_package_suites_exist_and_have_no_module_of_their_name() -> None:
    """A listed suite that is gone, or that now has a module of its name, leaves the list."""
    for listed in WHOLE_PACKAGE_SUITES:
        path = TESTS / listed
        assert path.is_file(), listed
        assert not (ROOT / Path(listed).parent / path.name.removeprefix("test_")).is_file()


def test_test_file_names_are_unique() -> None:
    """pytest imports test files by their name (no __init__.py): two of one name would clash."""
    names = [path.name for path in TESTS.rglob("test_*.py")]
    assert sorted({name for name in names if names.count(name) > 1}) == []
