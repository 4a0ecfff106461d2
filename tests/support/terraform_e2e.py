"""Real Terraform with providers from a filesystem mirror, for the end-to-end suite.

The mirror's location comes from $CRIIPTO_COGNITO_TF_MIRROR (``.ci/run`` sets it where
/opt/tf-plugins exists). Without Terraform or a mirror holding hashicorp/aws the suite skips
and says why. Every command's output is kept, so a test can prove a secret never appeared.
The toolchain, the project directory and the environment are the ones `make sandbox` uses
(tools/emulated_deploy.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from support.aws_server import aws_env
from support.processes import run_captured
from tools.emulated_deploy import (
    MIRROR_ENV_VAR,
    Toolchain,
    clean_environment,
    find_toolchain,
    make_project,
    mirrored_versions,
    write_cli_config,
)

__all__ = [
    "MIRROR_ENV_VAR",
    "Toolchain",
    "Transcript",
    "clean_environment",
    "files_holding",
    "find_toolchain",
    "make_project",
    "mirrored_versions",
    "planned_actions",
    "project_with_mirror",
    "toolchain_or_skip",
    "write_cli_config",
]


def toolchain_or_skip() -> Toolchain:
    """The toolchain, or the test skips saying what is missing (find_toolchain's line)."""
    import pytest

    found = find_toolchain()
    if isinstance(found, str):
        pytest.skip(found)
    return found


@dataclass(frozen=True)
class MirroredProject:
    """A copy of the project to deploy from, and Terraform pointed at the provider mirror."""

    toolchain: Toolchain
    project: Path
    cli_config: Path

    @property
    def aws_constraint(self) -> str:
        """The aws constraint widened to admit the mirror's build (the default wants the
        bindings' 6.x)."""
        return f">= {self.toolchain.aws_version}, < 7.0.0"

    def transcript(self, endpoint: str, **env: str) -> Transcript:
        """A transcript whose commands reach moto at ``endpoint`` through the mirror."""
        return Transcript(
            clean_environment(**aws_env(endpoint), TF_CLI_CONFIG_FILE=str(self.cli_config), **env)
        )


def project_with_mirror(base: Path) -> MirroredProject:
    """``base``/project and ``base``/mirror.tfrc; the test skips without the toolchain."""
    toolchain = toolchain_or_skip()
    project = make_project(base / "project")
    return MirroredProject(
        toolchain, project, write_cli_config(base / "mirror.tfrc", toolchain.mirror)
    )


@dataclass
class Transcript:
    """Runs commands and keeps what they printed."""

    env: dict[str, str]
    outputs: list[str] = field(default_factory=list)

    def run(
        self, args: list[str], cwd: Path, *, ok: tuple[int, ...] = (0,), **env: str
    ) -> subprocess.CompletedProcess[str]:
        result = run_captured(args, cwd=cwd, env={**self.env, **env}, timeout=600)
        self.outputs += [result.stdout, result.stderr]
        if result.returncode not in ok:
            raise AssertionError(
                f"{' '.join(args[:3])} exited {result.returncode}\n"
                f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result

    def terraform(
        self, stack: Path, *args: str, ok: tuple[int, ...] = (0,), **env: str
    ) -> subprocess.CompletedProcess[str]:
        return self.run(["terraform", *args, "-no-color"], stack, ok=ok, **env)

    def criipto_cognito(
        self, project: Path, *args: str, ok: tuple[int, ...] = (0,)
    ) -> subprocess.CompletedProcess[str]:
        return self.run([sys.executable, "-m", "criipto_cognito.cli", *args], project, ok=ok)

    def assert_never_printed(self, *secrets: str) -> None:
        for secret in secrets:
            assert not any(secret in output for output in self.outputs), "a secret was printed"


def files_holding(directory: Path, secret: str) -> list[Path]:
    """Files below ``directory`` (providers excluded) that contain ``secret``.

    Zip files (a Terraform plan file is one) are searched member by member, decompressed.
    """
    needle = secret.encode()
    found = []
    for path in directory.rglob("*"):
        if ".terraform" in path.relative_to(directory).parts or not path.is_file():
            continue
        if path.is_symlink():
            continue
        if needle in path.read_bytes() or (zipfile.is_zipfile(path) and _zip_holds(path, needle)):
            found.append(path)
    return found


def _zip_holds(path: Path, needle: bytes) -> bool:
    with zipfile.ZipFile(path) as archive:
        return any(needle in archive.read(member) for member in archive.namelist())


def planned_actions(plan_output: str) -> dict[str, str]:
    """Address -> action from a human-readable plan ("will be updated in-place", ...)."""
    return dict(
        (match.group(1), match.group(2))
        for match in re.finditer(
            r"^\s*# (\S+) (?:\([^)]*\) )?(?:will be|must be) (.+?)$", plan_output, re.M
        )
    )
