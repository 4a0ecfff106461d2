"""Editing federation.toml, as the README invites, never breaks the suite.

The tests read the example from a copy, tests/data/example/federation.toml (the tests marked
``example``). The copy is kept honest against the *committed* federation.toml, never against
the working file alone: on a fresh clone (CI) the two are the same file, and on a machine
where federation.toml was edited the suite still checks what was shipped. The working file has
one check of its own, `make synth`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.project import EXAMPLE_CONFIG, ROOT, SHIPPED_EXAMPLE

from stacks.config import load_config
from stacks.platform import chosen_platform

# make check leaves these out (the example tests again, in a copy of the project); make test runs them.
pytestmark = pytest.mark.slow

# What a copy of the project needs to run its tests, linked rather than copied (large, and
# installed already); everything else comes from the working tree.
LINKED = (".venv", "node_modules")
NOT_COPIED = (
    *LINKED, ".git", ".venv-checkov", "cdktf.out", "build", "__pycache__", ".pytest_cache",
    ".mypy_cache", ".ruff_cache", ".hypothesis", "*.tfstate", "*.tfstate.*", ".terraform",
)  # fmt: skip
# The edits the README suggests for a first deploy: your Criipto domain and the application's
# Client ID, your own pool name, and managed mode (examples/managed.toml).
EDITS = (
    ('domain = "acme-test.criipto.id"', 'domain = "mycompany-test.idura.broker"'),
    ('client_id = "urn:acme:cognito:test"', 'client_id = "urn:mycompany:cognito:test"'),
    ('name = "acme-test"', 'name = "mycompany-test"'),
    (
        'provider_name = "Criipto"',
        'provider_name = "Criipto"\nmode = "managed"\n'
        'management_api_url = "https://criipto-gateway.mycompany.example/v1"',
    ),
)


# An environment of the user's own, with its lock file kept in locks/ as the docs ask: the
# lock-file tests follow federation.toml and locks/, not the example.
OWN_ENVIRONMENT = """
[environments.staging]
aws_region = "eu-north-1"

[environments.staging.user_pool]
name = "mycompany-staging"

[environments.staging.domain]
prefix = "mycompany-staging-login"

[environments.staging.criipto]
domain = "mycompany-staging.idura.broker"
client_id = "urn:mycompany:cognito:staging"

[environments.staging.app_client]
name = "web"
callback_urls = ["https://app.mycompany.com/callback"]
"""
# The tests that read the project's own federation.toml and locks/.
OWN_FILE_TESTS = (
    "tests/stacks/deploy/test_provider_locks.py::test_committed_lock_files_belong_to_configured_environments",
    "tests/stacks/deploy/test_provider_locks.py::test_committed_lock_files_cover_their_stacks",
)


def _own_lock() -> str:
    """locks/staging.terraform.lock.hcl as make lock writes it, for the stack's constraint (the
    hashes stand in: only terraform init reads them)."""
    platform = chosen_platform()
    return (
        'provider "registry.terraform.io/hashicorp/aws" {\n'
        f'  version     = "{platform.aws_provider_version}"\n'
        f'  constraints = "{platform.default_aws_provider}"\n'
        '  hashes = [\n    "h1:stand-in=",\n  ]\n}\n'
    )


def _committed_example() -> str | None:
    """federation.toml as committed (HEAD), or None outside a git checkout."""
    if shutil.which("git") is None:
        return None
    shown = subprocess.run(
        ["git", "show", "HEAD:federation.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return shown.stdout if shown.returncode == 0 else None


def test_the_copy_is_the_committed_example() -> None:
    copy = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    committed = _committed_example()
    if committed is None:
        pytest.skip(
            "not a git checkout: the shipped federation.toml cannot be told from an edited "
            "one (make synth checks the working file)"
        )
    # Equal to the working file passes too: the example and its copy changed together, not
    # committed yet. An edit to federation.toml alone never fails this test.
    working = SHIPPED_EXAMPLE.read_text(encoding="utf-8")
    assert copy in (committed, working), (
        "tests/data/example/federation.toml is not the committed federation.toml: after "
        "changing the example on purpose, copy it (cp federation.toml tests/data/example/)"
    )


def test_an_edited_federation_toml_leaves_the_example_tests_green(tmp_path: Path) -> None:
    """A copy of the project whose federation.toml is edited as the README suggests: every
    test marked ``example`` passes there (the end-to-end deploy skips: no mirror is given)."""
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, symlinks=True, ignore=shutil.ignore_patterns(*NOT_COPIED))
    for name in LINKED:
        (project / name).symlink_to(ROOT / name)
    shipped = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    (project / "federation.toml").write_text(shipped, encoding="utf-8")
    if shutil.which("git") is not None:  # the copy's HEAD holds the example as shipped
        git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "shipped"]):
            subprocess.run([*git, *args], cwd=project, check=True, capture_output=True)
    edited = shipped
    for old, new in EDITS:
        assert old in edited, old
        edited = edited.replace(old, new, 1)
    (project / "federation.toml").write_text(edited + OWN_ENVIRONMENT, encoding="utf-8")
    config = load_config(project / "federation.toml")  # a config a user could deploy
    assert config.environments["test"].criipto.mode == "managed"
    for stale in (project / "locks").glob("*.terraform.lock.hcl"):
        stale.unlink()  # the example's, if any: a user keeps the lock files of their config
    (project / "locks").mkdir(exist_ok=True)
    (project / "locks" / "staging.terraform.lock.hcl").write_text(_own_lock(), encoding="utf-8")

    done = _pytest_in(project, "-m", "example")
    passed = re.search(r"(\d+) passed", done.stdout)
    assert passed is not None and int(passed[1]) >= 10, done.stdout[-2000:]
    assert "failed" not in done.stdout
    own = _pytest_in(project, *OWN_FILE_TESTS)
    assert "2 passed" in own.stdout, own.stdout[-2000:]


def _pytest_in(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in the copy (no mirror: the end-to-end deploy skips); it must pass."""
    env = {k: v for k, v in os.environ.items() if k not in ("CRIIPTO_COGNITO_TF_MIRROR",)}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    return done
