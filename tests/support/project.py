"""The project as the tests see it: where it is, and main.py run as cdktf runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The working example, which the README invites you to edit: no test reads it but the one that
# keeps the copy below equal to its committed version (tests/project/test_example_copy.py).
SHIPPED_EXAMPLE = ROOT / "federation.toml"
# The config the committed lock files (locks/) belong to: the project's own, whatever its
# environments are called, not the example (tests/stacks/deploy/test_provider_locks.py).
OWN_CONFIG = ROOT / "federation.toml"
# The example as the tests read it (the golden files, the guide, the lock files, ...): a copy
# of the committed federation.toml, so that editing federation.toml never breaks the suite.
EXAMPLE_CONFIG = ROOT / "tests" / "data" / "example" / "federation.toml"
# Set by `make check`, the fast loop: the tests marked terraform, oidc_harness or
# second_platform are deselected (pyproject.toml's markers), and what they need is taken from
# the rest (tests/conftest.py, support/oidc_server.py), so that a test needing it without its
# marker fails, naming the marker.
FAST_LOOP_ENV_VAR = "CRIIPTO_COGNITO_FAST_LOOP"


def in_fast_loop() -> bool:
    return bool(os.environ.get(FAST_LOOP_ENV_VAR))


def run_main(
    cwd: Path, config: Path, extra_env: dict[str, str] | None = None, *args: str
) -> subprocess.CompletedProcess[str]:
    """main.py as cdktf runs it: a fresh process, the config chosen by FEDERATION_CONFIG."""
    env = {**os.environ, "FEDERATION_CONFIG": str(config), **(extra_env or {})}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree_bytes(directory: Path) -> dict[str, bytes]:
    """Every file below ``directory``, by relative POSIX path."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }
