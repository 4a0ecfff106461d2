"""Committed lock files: what they must cover, that the committed ones do, and `make lock`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.configs import base_environment, external
from support.project import EXAMPLE_CONFIG, ROOT
from support.synth import synth_stacks
from support.terraform_e2e import find_toolchain

from criipto.module_writer import RESTAPI_VERSION
from stacks.config.loader import load_config
from stacks.deploy.paths import LOCK_SUFFIX
from stacks.deploy.provider_locks import (
    check,
    lock_problems,
    mirror_platforms,
    parse_lock_file,
    required_providers,
)
from stacks.platform import chosen_platform
from stacks.rules.terraform_versions import satisfies

LOCKS = ROOT / "locks"
AWS = "registry.terraform.io/hashicorp/aws"
RESTAPI = "registry.terraform.io/mastercard/restapi"
# `[terraform] aws_provider` wide enough for the mirror's 5.x build.
WIDE_AWS = ">= 5.100.0, < 7.0.0"


def lock_text(*providers: tuple[str, str, str]) -> str:
    blocks = [
        f'provider "{source}" {{\n  version     = "{version}"\n  constraints = "{constraints}"\n'
        f'  hashes = [\n    "h1:abc=",\n    "zh:0123",\n  ]\n}}\n'
        for source, version, constraints in providers
    ]
    return "# This file is maintained automatically by terraform init.\n\n" + "\n".join(blocks)


@pytest.mark.parametrize(
    ("version", "constraints", "expected"),
    [
        ("6.25.0", "6.25.0", True),
        ("6.25.1", "6.25.0", False),
        ("6.30.0", ">= 6.25.0, < 7.0.0", True),
        ("7.0.0", ">= 6.25.0, < 7.0.0", False),
        ("5.100.0", ">= 6.25.0, < 7.0.0", False),
        ("3.4.9", "~> 3.4.0", True),
        ("3.5.0", "~> 3.4.0", False),
        ("3.9.0", "~> 3.4", True),
        ("4.0.0", "~> 3.4", False),
        ("3.0.0", "!= 3.0.0", False),
        ("3.1.0-beta1", ">= 3.0.0", False),
        ("3.1.0-beta1", "= 3.1.0-beta1", True),
        ("not-a-version", ">= 1.0.0", False),
    ],
)
def test_version_constraints(version: str, constraints: str, expected: bool) -> None:
    assert satisfies(version, constraints) is expected


def test_parse_and_problems(tmp_path: Path) -> None:
    synth_stacks({"environments": {"prod": base_environment()}}, tmp_path / "out")
    stack_dir = tmp_path / "out" / "stacks" / "prod"
    required = required_providers(stack_dir)
    # The root stack's aws and the generated Criipto module's restapi.
    assert set(required) == {AWS, RESTAPI}
    platform = chosen_platform()
    bindings = platform.aws_provider_version  # inside the platform's default constraint
    good = lock_text((AWS, bindings, bindings), (RESTAPI, "3.0.0", RESTAPI_VERSION))
    assert parse_lock_file(good)[RESTAPI].hashes == ("h1:abc=", "zh:0123")
    assert lock_problems("prod", stack_dir, good) == []
    missing = lock_problems("prod", stack_dir, lock_text((AWS, bindings, bindings)))
    assert missing == [
        f"locks/prod{LOCK_SUFFIX}: {RESTAPI} ({RESTAPI_VERSION}) is not locked: "
        f"run make lock and commit locks/prod{LOCK_SUFFIX}"
    ]
    stale = lock_text(
        (AWS, "5.100.0", "5.100.0"),
        (RESTAPI, "3.0.0", RESTAPI_VERSION),
        ("registry.terraform.io/hashicorp/http", "3.4.0", ""),
    )
    assert lock_problems("prod", stack_dir, stale) == [
        f"locks/prod{LOCK_SUFFIX}: {AWS} is locked at 5.100.0, outside "
        f"{platform.default_aws_provider}: "
        f"run make lock and commit locks/prod{LOCK_SUFFIX}",
        f"locks/prod{LOCK_SUFFIX}: registry.terraform.io/hashicorp/http is locked but the stack "
        "does not require it",
    ]


def test_mirror_platforms_reads_both_layouts(tmp_path: Path) -> None:
    (tmp_path / AWS / "5.100.0" / "linux_amd64").mkdir(parents=True)
    (tmp_path / AWS / "5.100.0" / "darwin_arm64").mkdir(parents=True)
    (tmp_path / RESTAPI).mkdir(parents=True)
    (tmp_path / RESTAPI / "terraform-provider-restapi_3.0.0_linux_amd64.zip").write_bytes(b"")
    assert mirror_platforms(tmp_path, [AWS]) == ["darwin_arm64", "linux_amd64"]
    assert mirror_platforms(tmp_path, [AWS, RESTAPI]) == ["linux_amd64"]


# -- the committed lock files ----------------------------------------------------------------


@pytest.fixture(scope="module")
def example_stacks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = load_config(EXAMPLE_CONFIG)
    out = tmp_path_factory.mktemp("example") / "cdktf.out"
    from stacks.app import build_app

    build_app(config, outdir=str(out)).synth()
    return out / "stacks"


@pytest.mark.example
def test_committed_lock_files_belong_to_configured_environments() -> None:
    environments = set(load_config(EXAMPLE_CONFIG).environments)
    committed = {p.name.removesuffix(LOCK_SUFFIX) for p in LOCKS.glob(f"*{LOCK_SUFFIX}")}
    assert committed <= environments, committed - environments


@pytest.mark.example
@pytest.mark.parametrize("environment", sorted(load_config(EXAMPLE_CONFIG).environments))
def test_committed_lock_file_covers_the_stack(environment: str, example_stacks: Path) -> None:
    lock = LOCKS / f"{environment}{LOCK_SUFFIX}"
    if not lock.is_file():
        pytest.skip(
            f"locks/{lock.name} is not committed: it needs the registry (hashicorp/aws "
            "6.x), so generate it on a connected machine with make lock; "
            "until then the workflows stop at the lock file step for this environment"
        )
    problems = lock_problems(environment, example_stacks / environment, lock.read_text())
    assert problems == []


# -- make lock, through the mirror -----------------------------------------------------------


@pytest.mark.terraform
def test_make_lock_through_the_mirror(tmp_path: Path) -> None:
    if shutil.which("terraform") is None or shutil.which("make") is None:
        pytest.skip("terraform or make is not on PATH")
    found = find_toolchain()
    if isinstance(found, str):
        pytest.skip(found)
    mirror = found.mirror
    out = tmp_path / "cdktf.out"
    synth_stacks(
        {
            "terraform": {"aws_provider": WIDE_AWS},
            "environments": {"test": external(), "stage": external()},
        },
        out,
    )
    locks = tmp_path / "locks"
    locks.mkdir()
    (locks / f"gone{LOCK_SUFFIX}").write_text("# an environment that was removed\n")
    env = {k: v for k, v in os.environ.items() if k != "TF_CLI_CONFIG_FILE"}
    # `-o synth`: the stacks are the ones above (synth itself is make synth, tested elsewhere).
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-o",
            "synth",
            "lock",
            f"LOCK_STACKS={out / 'stacks'}",
            f"LOCKS={locks}",
            f"MIRROR={mirror}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in locks.iterdir()) == [f"stage{LOCK_SUFFIX}", f"test{LOCK_SUFFIX}"]
    locked = parse_lock_file((locks / f"test{LOCK_SUFFIX}").read_text())
    assert set(locked) == {AWS}
    assert locked[AWS].version == "5.100.0"
    assert locked[AWS].constraints == WIDE_AWS
    assert [h[:3] for h in locked[AWS].hashes] == ["h1:"]  # linux_amd64, what the mirror holds
    assert check(out / "stacks", locks) == []
    # And terraform accepts it read-only, installing exactly that build.
    stack = out / "stacks" / "test"
    shutil.copyfile(locks / f"test{LOCK_SUFFIX}", stack / ".terraform.lock.hcl")
    init = subprocess.run(
        [
            "terraform",
            f"-chdir={stack}",
            "init",
            "-input=false",
            "-no-color",
            "-backend=false",
            "-lockfile=readonly",
            f"-plugin-dir={mirror}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert init.returncode == 0, init.stdout + init.stderr
    assert "hashicorp/aws v5.100.0" in init.stdout
