"""make check, the fast loop: which tests it leaves out, and that a test needing Terraform or
the oidc-provider harness without its marker fails there, naming the marker."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from support.processes import run_captured
from support.project import FAST_LOOP_ENV_VAR, ROOT

LEFT_OUT = {"terraform", "oidc_harness", "second_platform", "slow"}


def test_make_check_leaves_out_the_declared_markers_and_sets_the_fast_loop() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    [expression] = re.findall(r"^CHECK_TESTS := (.+)$", makefile, flags=re.MULTILINE)
    assert set(re.findall(r"not (\w+)", expression)) == LEFT_OUT
    with (ROOT / "pyproject.toml").open("rb") as pyproject:
        markers = tomllib.load(pyproject)["tool"]["pytest"]["ini_options"]["markers"]
    assert {marker.split(":")[0] for marker in markers} >= LEFT_OUT
    recipe = makefile.split("\ncheck: setup\n", 1)[1].split("\n\n", 1)[0]
    assert f'{FAST_LOOP_ENV_VAR}=1 $(PYTHON) -m pytest -m "$(CHECK_TESTS)"' in recipe


def run_in_fast_loop(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    """One test file run as make check runs the suite (the project's conftest, its settings)."""
    probe = tmp_path / "test_probe.py"
    probe.write_text(body, encoding="utf-8")
    env = {**os.environ, FAST_LOOP_ENV_VAR: "1"}
    settings = ["-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), "-p", "conftest"]
    return run_captured(
        [sys.executable, "-m", "pytest", *settings, "-p", "no:cacheprovider", str(probe)],
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def assert_refused(done: subprocess.CompletedProcess[str], marker: str, outcome: str) -> None:
    assert outcome in done.stdout, done.stdout + done.stderr
    assert f"mark the test @pytest.mark.{marker}" in done.stdout


def test_an_unmarked_test_running_terraform_fails_naming_the_marker(tmp_path: Path) -> None:
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not installed: there is nothing to take away")
    done = run_in_fast_loop(
        tmp_path,
        "import os, subprocess\n"
        "def test_version_is_answered():\n"
        "    assert subprocess.run(['terraform', 'version'], capture_output=True).returncode == 0\n"
        "    assert 'CRIIPTO_COGNITO_TF_MIRROR' not in os.environ\n"
        "def test_anything_else_is_refused():\n"
        "    done = subprocess.run(['terraform', 'init'], capture_output=True, text=True)\n"
        "    assert done.returncode == 0, done.stderr\n",
    )
    assert_refused(done, "terraform", "1 failed, 1 passed")


def test_an_unmarked_test_starting_the_harness_fails_naming_the_marker(tmp_path: Path) -> None:
    done = run_in_fast_loop(
        tmp_path,
        "from support.oidc_server import running_op\n"
        "def test_op(tmp_path):\n"
        "    with running_op(tmp_path, 'acme.idura.broker', []):\n"
        "        pass\n",
    )
    assert_refused(done, "oidc_harness", "1 failed")
