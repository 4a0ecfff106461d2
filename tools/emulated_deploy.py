"""A deploy on this machine, without AWS and without the public Terraform registry: what the
end-to-end suite (tests/project/test_*deploy_e2e.py) and `make sandbox` (tools/sandbox.py) share.

Real Terraform with its providers from a filesystem mirror (a CLI config that allows the mirror
and nothing else), a project directory that shares this checkout's code and installs, moto's
server on loopback as AWS, and an environment that points every tool at them and at nothing
else: no AWS profile, no endpoint or credential of the machine's own.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from stacks.platform.choice import PLATFORM_ENV_VAR, chosen_platform

ROOT = Path(__file__).resolve().parents[1]
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
    ".npmrc",
    ".venv",
    ".venv-cdktn",
    "node_modules",
)
# Settings of this machine that must not reach the tools run against the emulator.
FOREIGN_SETTINGS = ("TF_", "AWS_", "CDKTF_", "FEDERATION_", "MAKE", "MFLAGS")
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_PACKED = re.compile(r"^terraform-provider-[^_]+_(\d+\.\d+\.\d+)_linux_amd64\.zip$")


@dataclass(frozen=True)
class Toolchain:
    terraform: str
    mirror: Path
    aws_version: str  # the newest hashicorp/aws build in the mirror
    restapi_version: str | None  # the newest Mastercard/restapi build, if any

    @property
    def aws_constraint(self) -> str:
        """``[terraform] aws_provider`` widened to admit the mirror's build (the default wants
        the bindings' 6.x, which a mirror may not hold)."""
        return f">= {self.aws_version}, < 7.0.0"


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


def find_toolchain(location: str | None = None, setting: str = MIRROR_ENV_VAR) -> Toolchain | str:
    """Terraform and a usable mirror (``location``, else $CRIIPTO_COGNITO_TF_MIRROR), or the one
    line that says what is missing; ``setting`` names where the caller takes the mirror from."""
    terraform = shutil.which("terraform")
    if terraform is None:
        return "terraform is not on PATH: a deploy needs Terraform 1.8 or newer"
    location = location or os.environ.get(MIRROR_ENV_VAR)
    if not location:
        return (
            f"no provider mirror: set {setting} to a Terraform provider mirror holding "
            "hashicorp/aws (fill one with `terraform providers mirror`; the public registry "
            "is not used)"
        )
    mirror = Path(location)
    aws = mirrored_versions(mirror, "hashicorp", "aws")
    if not aws:
        return f"the provider mirror {mirror} holds no linux_amd64 build of hashicorp/aws"
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
        if (ROOT / name).exists():  # .venv-cdktn only where CDK Terrain is installed
            (directory / name).symlink_to(ROOT / name)
    return directory


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without Terraform, AWS and make settings, with the platform
    in use named (so that make picks its environment), plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(FOREIGN_SETTINGS)}
    env.update(CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", NO_COLOR="1")
    env[PLATFORM_ENV_VAR] = chosen_platform().name
    env.update(extra)
    return env


def aws_env(endpoint: str) -> dict[str, str]:
    """AWS for every SDK and the provider: the emulator at ``endpoint``, dummy credentials."""
    return {**FAKE_CREDENTIALS, "AWS_ENDPOINT_URL": endpoint, "AWS_CONFIG_FILE": "/nonexistent"}


@contextmanager
def running_moto() -> Iterator[str]:
    """Start moto's server on 127.0.0.1 (a free port); yield its endpoint URL."""
    from moto.server import ThreadedMotoServer  # a dev dependency: loaded only where used

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
