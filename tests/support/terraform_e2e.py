"""Real Terraform with providers from a filesystem mirror, for the end-to-end suite.

The mirror's location comes from $CRIIPTO_COGNITO_TF_MIRROR (``.ci/run`` sets it where
/opt/tf-plugins exists). Without Terraform or a mirror holding hashicorp/aws the suite skips
and says why. Every command's output is kept, so a test can prove a secret never appeared.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from stacks.platform import PLATFORM_ENV_VAR, chosen_platform
from support.project import ROOT

MIRROR_ENV_VAR = "CRIIPTO_COGNITO_TF_MIRROR"
REGISTRY_HOST = "registry.terraform.io"
# What a project directory needs for `make deploy`; linked, so nothing is installed again
# (the environments that exist: .venv-cdktn only where CDK Terrain is installed).
PROJECT_ENTRIES = (
    "Makefile",
    "cdktf.json",
    "main.py",
    "stacks",
    "criipto",
    "criipto_cognito",
    "package.json",
    "package-lock.json",
    "pyproject.toml",
    ".venv",
    ".venv-cdktn",
    "node_modules",
)
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_PACKED = re.compile(r"^terraform-provider-[^_]+_(\d+\.\d+\.\d+)_linux_amd64\.zip$")


@dataclass(frozen=True)
class Toolchain:
    terraform: str
    mirror: Path
    aws_version: str  # the newest hashicorp/aws build in the mirror
    restapi_version: str | None  # the newest Mastercard/restapi build, if any


def mirrored_versions(mirror: Path, namespace: str, provider: str) -> list[str]:
    """Versions of ``namespace/provider`` in a filesystem mirror (unpacked or packed layout)."""
    versions: set[str] = set()
    host = mirror / REGISTRY_HOST
    if not host.is_dir():
        return []
    for directory in host.iterdir():  # namespaces are matched case-insensitively
        if directory.name.lower() != namespace.lower():
            continue
        provider_dir = directory / provider
        if not provider_dir.is_dir():
            continue
        for entry in provider_dir.iterdir():
            if entry.is_dir() and _VERSION.match(entry.name) and (entry / "linux_amd64").is_dir():
                versions.add(entry.name)
            elif (packed := _PACKED.match(entry.name)) is not None:
                versions.add(packed.group(1))
    return sorted(versions, key=lambda v: tuple(int(p) for p in v.split(".")))


def find_toolchain() -> Toolchain | str:
    """Terraform and a usable mirror, or the reason the end-to-end suite cannot run."""
    terraform = shutil.which("terraform")
    if terraform is None:
        return "terraform is not on PATH: the end-to-end deploy suite needs Terraform >= 1.8"
    location = os.environ.get(MIRROR_ENV_VAR)
    if not location:
        return (
            f"{MIRROR_ENV_VAR} is not set: point it at a Terraform provider mirror holding "
            "hashicorp/aws (filled with `terraform providers mirror`) to deploy end to end"
        )
    mirror = Path(location)
    aws = mirrored_versions(mirror, "hashicorp", "aws")
    if not aws:
        return f"{MIRROR_ENV_VAR}={mirror} holds no linux_amd64 build of hashicorp/aws"
    restapi = mirrored_versions(mirror, "mastercard", "restapi")
    return Toolchain(terraform, mirror, aws[-1], restapi[-1] if restapi else None)


def write_cli_config(path: Path, mirror: Path) -> Path:
    """A Terraform CLI config that installs every provider from ``mirror`` and nothing else."""
    path.write_text(
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror}"\n'
        '    include = ["*/*/*"]\n'
        "  }\n"
        "  direct {\n"
        '    exclude = ["*/*/*"]\n'
        "  }\n"
        "}\n",
        encoding="utf-8",
    )
    return path


def make_project(directory: Path) -> Path:
    """A project directory sharing this checkout's code, .venv and node_modules.

    ``make deploy`` there writes cdktf.out and state into ``directory``, not the checkout.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_ENTRIES:
        if (ROOT / name).exists():
            (directory / name).symlink_to(ROOT / name)
    return directory


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without Terraform, AWS and make settings, with the platform
    under test named (so that make picks its environment), plus ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TF_", "AWS_", "CDKTF_", "FEDERATION_", "MAKE", "MFLAGS"))
    }
    env.update(CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", NO_COLOR="1")
    env[PLATFORM_ENV_VAR] = chosen_platform().name
    env.update(extra)
    return env


@dataclass
class Transcript:
    """Runs commands and keeps what they printed."""

    env: dict[str, str]
    outputs: list[str] = field(default_factory=list)

    def run(
        self, args: list[str], cwd: Path, *, ok: tuple[int, ...] = (0,), **env: str
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            args,
            cwd=cwd,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
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
