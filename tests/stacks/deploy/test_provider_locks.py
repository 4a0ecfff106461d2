"""Committed lock files: what they must cover, that the committed ones do, and `make lock`."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from support.configs import external, managed
from support.processes import run_captured
from support.project import OWN_CONFIG, ROOT
from support.synth import synth_stacks
from support.terraform_e2e import find_toolchain, toolchain_or_skip, write_cli_config

from criipto.module_writer import RESTAPI_VERSION
from stacks.config.loader import load_config
from stacks.deploy.paths import LOCK_SUFFIX
from stacks.deploy.provider_locks import (
    check,
    configured_mirrors,
    lock_problems,
    mirror_mismatches,
    mirror_platforms,
    mirror_versions,
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
    synth_stacks({"environments": {"prod": managed()}}, tmp_path / "out")
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


def _suggested(lines: list[str]) -> dict[str, str]:
    """The ``[terraform] key = "…"`` settings the mismatch lines propose, parsed."""
    found = {}
    for line in lines:
        match = re.search(r'\[terraform\] (\w+) = "([^"]+)"', line)
        if match:
            found[match[1]] = match[2]
    return found


def test_a_mirror_without_a_matching_build_names_its_versions_and_the_line_that_admits_them(
    tmp_path: Path,
) -> None:
    """Terraform says only "no available releases match the given constraints >= 6.25.0,
    < 7.0.0"; the lines name what the mirror holds and a [terraform] setting that admits it,
    and with that setting nothing is missing any more."""
    mirror = tmp_path / "mirror"
    for version in ("5.99.1", "5.100.0"):
        (mirror / AWS / version / "linux_amd64").mkdir(parents=True)
    (mirror / "registry.terraform.io" / "Mastercard" / "restapi").mkdir(parents=True)
    packed = "terraform-provider-restapi_2.0.1_linux_amd64.zip"
    (mirror / "registry.terraform.io" / "Mastercard" / "restapi" / packed).write_bytes(b"")
    assert mirror_versions(mirror, AWS) == ["5.99.1", "5.100.0"]
    assert mirror_versions(mirror, RESTAPI) == ["2.0.1"]
    synth_stacks({"environments": {"prod": managed()}}, tmp_path / "out")
    lines = mirror_mismatches(tmp_path / "out" / "stacks" / "prod", mirror)
    default = chosen_platform().default_aws_provider
    assert lines[:2] == [
        f"the provider mirror {mirror} holds hashicorp/aws 5.99.1, 5.100.0, which "
        f'aws_provider "{default}" does not admit',
        'to use 5.100.0, put in federation.toml: [terraform] aws_provider = ">= 5.100.0, '
        "< 7.0.0\" (the JSON is written for the bindings' release: docs/deploy.md, "
        '"Provider versions and the lock file")',
    ]
    assert lines[2].startswith(f"the provider mirror {mirror} holds mastercard/restapi 2.0.1, ")
    suggested = _suggested(lines)
    assert suggested == {
        "aws_provider": ">= 5.100.0, < 7.0.0",
        "restapi_provider": ">= 2.0.1, < 3.0.0",
    }
    config = {"terraform": suggested, "environments": {"prod": managed()}}
    synth_stacks(config, tmp_path / "widened")
    assert mirror_mismatches(tmp_path / "widened" / "stacks" / "prod", mirror) == []
    empty = tmp_path / "empty"
    empty.mkdir()
    assert mirror_mismatches(tmp_path / "widened" / "stacks" / "prod", empty) == [
        f"the provider mirror {empty} holds no build of hashicorp/aws (>= 5.100.0, < 7.0.0)",
        f"the provider mirror {empty} holds no build of mastercard/restapi (>= 2.0.1, < 3.0.0)",
    ]


def test_the_mirrors_of_the_cli_config(tmp_path: Path) -> None:
    rc = tmp_path / "terraformrc"
    rc.write_text(
        'provider_installation {\n  filesystem_mirror {\n    path    = "/srv/tf-plugins"\n'
        '    include = ["registry.terraform.io/*/*"]\n  }\n  direct {}\n}\n'
    )
    assert configured_mirrors({"TF_CLI_CONFIG_FILE": str(rc)}) == [Path("/srv/tf-plugins")]
    assert configured_mirrors({"TF_CLI_CONFIG_FILE": str(tmp_path / "missing")}) == []
    (tmp_path / ".terraformrc").write_text(rc.read_text())
    assert configured_mirrors({"HOME": str(tmp_path)}) == [Path("/srv/tf-plugins")]


# -- the committed lock files ----------------------------------------------------------------


@pytest.fixture(scope="module")
def own_stacks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stacks of the project's own federation.toml, which locks/ belongs to."""
    config = load_config(OWN_CONFIG)
    out = tmp_path_factory.mktemp("own") / "cdktf.out"
    from stacks.app import build_app

    build_app(config, outdir=str(out)).synth()
    return out / "stacks"


def _committed() -> dict[str, Path]:
    return {p.name.removesuffix(LOCK_SUFFIX): p for p in sorted(LOCKS.glob(f"*{LOCK_SUFFIX}"))}


def test_committed_lock_files_belong_to_configured_environments() -> None:
    """Every locks/<env>.terraform.lock.hcl names an environment of federation.toml (yours:
    a lock file for your own environment is what the docs ask for)."""
    environments = set(load_config(OWN_CONFIG).environments)
    committed = set(_committed())
    assert committed <= environments, committed - environments


def test_committed_lock_files_cover_their_stacks(own_stacks: Path) -> None:
    committed = _committed()
    if not committed:
        pytest.skip(
            "no lock file is committed in locks/: make lock writes them (hashicorp/aws 6.x "
            "from the registry, or MIRROR=…); until then the workflows stop at the lock file "
            "step"
        )
    problems = []
    for environment, lock in committed.items():
        if (own_stacks / environment).is_dir():
            problems += lock_problems(environment, own_stacks / environment, lock.read_text())
    assert problems == []


# -- make lock, through the mirror -----------------------------------------------------------


@pytest.mark.terraform
def test_make_lock_through_the_mirror(tmp_path: Path) -> None:
    if shutil.which("terraform") is None or shutil.which("make") is None:
        pytest.skip("terraform or make is not on PATH")
    found = toolchain_or_skip()
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
    result = run_captured(
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
    init = run_captured(
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
        timeout=120,
    )
    assert init.returncode == 0, init.stdout + init.stderr
    assert "hashicorp/aws v5.100.0" in init.stdout


@pytest.mark.terraform
def test_make_lock_and_the_deploy_targets_name_what_the_mirror_holds(tmp_path: Path) -> None:
    """With the default constraint and a mirror holding only an older build, `make lock
    MIRROR=…` and the init before `make diff` end with the versions and the line to add."""
    found = find_toolchain()
    if isinstance(found, str) or shutil.which("make") is None:
        pytest.skip(found if isinstance(found, str) else "make is not on PATH")
    if satisfies(found.aws_version, chosen_platform().default_aws_provider):
        pytest.skip(f"the mirror's hashicorp/aws {found.aws_version} meets the default")
    out = tmp_path / "cdktf.out"
    synth_stacks({"environments": {"test": external()}}, out)
    env = {k: v for k, v in os.environ.items() if k != "TF_CLI_CONFIG_FILE"}
    wanted = f'[terraform] aws_provider = ">= {found.aws_version}, < 7.0.0"'
    locked = run_captured(["make", "--no-print-directory", "-o", "synth", "lock", f"LOCK_STACKS={out / 'stacks'}",
         f"LOCKS={tmp_path / 'locks'}", f"MIRROR={found.mirror}"], cwd=ROOT, env=env, timeout=300)  # fmt: skip
    assert locked.returncode != 0
    assert f"test: the provider mirror {found.mirror} holds hashicorp/aws" in locked.stderr
    assert wanted in locked.stderr
    rc = write_cli_config(tmp_path / "terraformrc", found.mirror)
    init = run_captured(
        [sys.executable, "-m", "stacks.deploy.prepare", "init", "test"],
        cwd=tmp_path,
        env={**env, "TF_CLI_CONFIG_FILE": str(rc), "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert init.returncode != 0
    assert "no available releases match" in init.stderr  # Terraform's own words, then ours
    assert wanted in init.stderr
    assert f"==> test: the provider mirror {found.mirror} holds hashicorp/aws" in init.stderr
