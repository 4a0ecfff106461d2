"""The shared fixtures; the shared helpers they use live in tests/support/."""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Before anything imports jsii: its Node 20 banner would otherwise fill the test output.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import pytest
from support.configs import config_with
from support.project import in_fast_loop
from support.synth import synth_stacks


def pytest_configure(config: pytest.Config) -> None:
    """In `make check` (support.project.FAST_LOOP_ENV_VAR): Terraform, where installed, is put
    behind a shim that answers `terraform version` (cdktf asks it at every synth) and refuses
    anything else, naming the marker; and no provider mirror for the end-to-end suite."""
    if not in_fast_loop():
        return
    os.environ.pop("CRIIPTO_COGNITO_TF_MIRROR", None)
    shims = Path(config.rootpath) / ".pytest_cache" / "fast-loop"
    # The real one, never the shim itself (a pytest run inside the fast loop sees it first).
    elsewhere = [p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != shims]
    real = shutil.which("terraform", path=os.pathsep.join(elsewhere))
    if real is None:
        return  # the tests that need it skip, saying so
    shims.mkdir(parents=True, exist_ok=True)
    terraform = shims / "terraform"
    terraform.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = version ] && [ $# -le 2 ]; then exec {shlex.quote(real)} "$@"; fi\n'
        "echo 'make check runs no Terraform: mark the test @pytest.mark.terraform' >&2\n"
        "exit 1\n",
        encoding="utf-8",
    )
    terraform.chmod(0o755)
    os.environ["PATH"] = os.pathsep.join([str(shims), *elsewhere])


def pytest_report_header() -> str:
    """At the top of every run: whether the end-to-end deploys will run, or why they skip."""
    from tools.emulated_deploy import find_toolchain

    found = find_toolchain()
    if isinstance(found, str):
        return f"end-to-end deploys: will skip, {found}"
    return (
        f"end-to-end deploys: Terraform {found.terraform}, provider mirror {found.mirror} "
        f"(hashicorp/aws {found.aws_version})"
    )


@pytest.fixture
def synth(tmp_path: Path) -> Iterator[Any]:
    """synth(environment, name="test") -> the stack's parsed JSON."""
    counter = iter(range(1000))

    def _synth(environment: dict[str, Any], name: str = "test") -> dict[str, Any]:
        outdir = tmp_path / f"out{next(counter)}"
        return synth_stacks(config_with(environment, name), outdir)[name]

    yield _synth


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """moto's server on loopback, one per test module (tests reset it as they need)."""
    from support.aws_server import running_moto  # moto loads only for the modules that use it

    with running_moto() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The loopback HTTPS stand-in for Criipto (support.tls_server.CriiptoServer), one per module."""
    from support.tls_server import running_server

    with running_server(tmp_path_factory.mktemp("tls")) as running:
        yield running
