"""One committed Terraform lock file per environment: ``locks/<env>.terraform.lock.hcl``.

Without a committed lock file every ``terraform init`` resolves the version constraints afresh,
so a plan and the apply after it can run different provider builds. The workflows copy the
environment's lock file into its stack and run ``terraform init -lockfile=readonly``; this
module writes those files (``make lock``) and checks them against what the stacks require.

``python -m stacks.deploy.provider_locks refresh`` runs ``terraform providers lock`` in every
synthesized stack (through a filesystem mirror with ``--mirror``, else the registry) and copies
the result to the locks directory, removing lock files of environments that no longer exist.
``python -m stacks.deploy.provider_locks check`` exits 1, one line per problem, unless every
stack has a lock file that covers each provider it requires with a version its constraints admit.
The workflows do not run it: they copy the committed file and let ``terraform init
-lockfile=readonly`` refuse anything it does not cover. Constraints are read with Terraform's
grammar from ``stacks/rules/terraform_versions.py``, the one the config checks them with.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from criipto.errors import CriiptoCognitoError
from stacks.deploy.paths import (
    LOCK_SUFFIX,
    LOCKS_DIRECTORY,
    STACK_LOCK_FILE,
    STACKS_DIRECTORY,
    committed_lock,
    lock_file_name,
)
from stacks.rules.terraform_versions import parse_version, satisfies

DEFAULT_REGISTRY = "registry.terraform.io"
DEFAULT_NAMESPACE = "hashicorp"
# Where people run Terraform: CI runners and laptops. A mirror only offers what it holds.
DEFAULT_PLATFORMS = ("linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64")
EXIT_PROBLEMS = 1

_PROVIDER_BLOCK = re.compile(r'^provider\s+"(?P<source>[^"]+)"\s*\{(?P<body>.*?)^\}', re.M | re.S)
_ATTRIBUTE = re.compile(r'^\s*(?P<key>version|constraints)\s*=\s*"(?P<value>[^"]*)"', re.M)
_HASH = re.compile(r'"(?P<hash>(?:h1|zh):[^"]+)"')


@dataclass(frozen=True)
class LockedProvider:
    """One ``provider "…" {}`` block of a lock file."""

    source: str
    version: str
    constraints: str
    hashes: tuple[str, ...]


def make_lock_hint(environment: str) -> str:
    """What to do when an environment's lock file is missing or stale."""
    return f"run make lock and commit {committed_lock(environment).as_posix()}"


def normalize_source(source: str) -> str:
    """A source as lock files spell it: ``aws`` is ``registry.terraform.io/hashicorp/aws``."""
    parts = source.lower().split("/")
    if len(parts) == 1:
        parts = [DEFAULT_REGISTRY, DEFAULT_NAMESPACE, *parts]
    elif len(parts) == 2:
        parts = [DEFAULT_REGISTRY, *parts]
    return "/".join(parts)


def parse_lock_file(text: str) -> dict[str, LockedProvider]:
    """The provider blocks of a ``.terraform.lock.hcl``, by normalized source."""
    providers: dict[str, LockedProvider] = {}
    for block in _PROVIDER_BLOCK.finditer(text):
        attributes = {m["key"]: m["value"] for m in _ATTRIBUTE.finditer(block["body"])}
        source = normalize_source(block["source"])
        providers[source] = LockedProvider(
            source=source,
            version=attributes.get("version", ""),
            constraints=attributes.get("constraints", ""),
            hashes=tuple(m["hash"] for m in _HASH.finditer(block["body"])),
        )
    return providers


def required_providers(stack_dir: Path) -> dict[str, tuple[str, ...]]:
    """Every provider the stack and its local modules require, with their version constraints."""
    required: dict[str, list[str]] = {}
    _collect(stack_dir, sorted(stack_dir.glob("*.tf.json")), required, seen=set())
    return {source: tuple(constraints) for source, constraints in required.items()}


def _collect(
    directory: Path, documents: Iterable[Path], required: dict[str, list[str]], seen: set[Path]
) -> None:
    for path in documents:
        document = json.loads(path.read_text(encoding="utf-8"))
        for terraform in _blocks(document.get("terraform")):
            for providers in _blocks(terraform.get("required_providers")):
                for name, requirement in providers.items():
                    source, version = name, requirement
                    if isinstance(requirement, dict):
                        source = requirement.get("source", name)
                        version = requirement.get("version", "")
                    constraints = required.setdefault(normalize_source(str(source)), [])
                    if version and version not in constraints:
                        constraints.append(str(version))
        for modules in _blocks(document.get("module")):
            for module in modules.values():
                for call in _blocks(module):
                    source = str(call.get("source", ""))
                    if not source.startswith(("./", "../")):
                        continue  # a registry module would bring its own requirements
                    module_dir = (directory / source).resolve()
                    if module_dir not in seen:
                        seen.add(module_dir)
                        _collect(module_dir, sorted(module_dir.glob("*.tf.json")), required, seen)


def _blocks(value: Any) -> list[dict[str, Any]]:
    """Terraform JSON allows a block as an object or as a list of objects."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


# -- checking ------------------------------------------------------------------------------


def lock_problems(environment: str, stack_dir: Path, lock_text: str) -> list[str]:
    """Why ``lock_text`` cannot serve ``terraform init -lockfile=readonly`` for the stack."""
    locked = parse_lock_file(lock_text)
    required = required_providers(stack_dir)
    where = committed_lock(environment).as_posix()
    problems = []
    for source, constraints in required.items():
        entry = locked.get(source)
        wanted = ", ".join(constraints) or "any version"
        if entry is None:
            problems.append(
                f"{where}: {source} ({wanted}) is not locked: " + make_lock_hint(environment)
            )
            continue
        failing = [c for c in constraints if not satisfies(entry.version, c)]
        if failing:
            problems.append(
                f"{where}: {source} is locked at {entry.version or 'no version'}, "
                f"outside {'; '.join(failing)}: {make_lock_hint(environment)}"
            )
        if not entry.hashes:
            problems.append(f"{where}: {source} has no hashes: {make_lock_hint(environment)}")
    for source in sorted(set(locked) - set(required)):
        problems.append(f"{where}: {source} is locked but the stack does not require it")
    return problems


def stack_dirs(stacks_root: Path) -> dict[str, Path]:
    """The synthesized stacks by environment, from cdktf's manifest."""
    manifest = json.loads((stacks_root.parent / "manifest.json").read_text(encoding="utf-8"))
    return {
        name: stacks_root.parent / stack["workingDirectory"]
        for name, stack in manifest["stacks"].items()
    }


def check(stacks_root: Path, locks_dir: Path) -> list[str]:
    """Problems of the committed lock files against the synthesized stacks (none: all good)."""
    stacks = stack_dirs(stacks_root)
    problems = []
    for environment, stack_dir in stacks.items():
        lock = locks_dir / lock_file_name(environment)
        if not lock.is_file():
            problems.append(f"{environment}: no lock file: {make_lock_hint(environment)}")
            continue
        problems += lock_problems(environment, stack_dir, lock.read_text(encoding="utf-8"))
    for orphan in sorted(locks_dir.glob(f"*{LOCK_SUFFIX}")):
        if orphan.name.removesuffix(LOCK_SUFFIX) not in stacks:
            problems.append(
                f"{(LOCKS_DIRECTORY / orphan.name).as_posix()}: no environment of that name in the "
                "config"
            )
    return problems


# -- refreshing ----------------------------------------------------------------------------


def mirror_platforms(mirror: Path, providers: Iterable[str]) -> list[str]:
    """The platforms a filesystem mirror holds a build of for every one of ``providers``."""
    common: set[str] | None = None
    for source in providers:
        directory = mirror / source
        found = {p.name for p in directory.glob("*/*_*") if p.is_dir()}  # unpacked layout
        found |= {  # packed layout: terraform-provider-NAME_VERSION_OS_ARCH.zip
            "_".join(p.stem.split("_")[-2:]) for p in directory.glob("terraform-provider-*.zip")
        }
        common = found if common is None else common & found
    return sorted(common or ())


def mirror_versions(mirror: Path, source: str) -> list[str]:
    """The versions of ``source`` (a normalized source) a filesystem mirror holds, oldest first
    (unpacked or packed layout; the namespace and type matched case-insensitively)."""
    directory: Path | None = mirror
    for part in source.split("/"):
        children = [c for c in directory.iterdir() if c.is_dir()] if directory else []
        directory = next((c for c in children if c.name.lower() == part), None)
    if directory is None:
        return []
    found = {p.name for p in directory.iterdir() if p.is_dir() and parse_version(p.name)}
    name = source.rsplit("/", 1)[-1]
    for packed in directory.glob(f"terraform-provider-{name}_*.zip"):
        version = packed.stem.split("_")[1]
        if parse_version(version):
            found.add(version)
    return sorted(found, key=lambda v: _version_key(v))


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version.split("-", 1)[0]))


# The [terraform] key that sets a provider's constraint in federation.toml.
CONFIG_KEYS = {
    "registry.terraform.io/hashicorp/aws": "aws_provider",
    "registry.terraform.io/mastercard/restapi": "restapi_provider",
}


def mirror_mismatches(stack_dir: Path, mirror: Path) -> list[str]:
    """For each provider the stack requires of which ``mirror`` holds no version its constraints
    admit: the versions it does hold and the ``[terraform]`` line that admits the newest."""
    lines = []
    for source, constraints in required_providers(stack_dir).items():
        held = mirror_versions(mirror, source)
        if any(all(satisfies(v, c) for c in constraints) for v in held):
            continue
        wanted = ", ".join(constraints)
        short = source.removeprefix(f"{DEFAULT_REGISTRY}/")
        if not held:
            lines.append(f"the provider mirror {mirror} holds no build of {short} ({wanted})")
            continue
        newest = held[-1]
        key = CONFIG_KEYS.get(source)
        named = f"{key} " if key else ""
        lines.append(
            f"the provider mirror {mirror} holds {short} {', '.join(held)}, which "
            f'{named}"{wanted}" does not admit'
        )
        if key is not None:
            major = _version_key(newest)[0]
            upper = max(major + 1, 7) if key == "aws_provider" else major + 1
            lines.append(
                f'to use {newest}, put in federation.toml: [terraform] {key} = ">= {newest}, '
                f"< {upper}.0.0\" (the JSON is written for the bindings' release: "
                'docs/deploy.md, "Provider versions and the lock file")'
            )
    return lines


_FILESYSTEM_MIRROR = re.compile(r'filesystem_mirror\s*\{[^}]*?\bpath\s*=\s*"([^"]+)"', re.S)


def configured_mirrors(env: dict[str, str] | None = None) -> list[Path]:
    """The filesystem mirrors of the Terraform CLI config (``TF_CLI_CONFIG_FILE``, else
    ``~/.terraformrc``)."""
    env = dict(os.environ) if env is None else env
    named = env.get("TF_CLI_CONFIG_FILE") or str(Path(env.get("HOME", "~")) / ".terraformrc")
    try:
        text = Path(named).expanduser().read_text(encoding="utf-8")
    except OSError:
        return []
    return [Path(path) for path in _FILESYSTEM_MIRROR.findall(text)]


def refresh(
    stacks_root: Path,
    locks_dir: Path,
    *,
    mirror: Path | None = None,
    platforms: Iterable[str] = (),
    terraform: str = "terraform",
) -> list[Path]:
    """Write ``locks_dir/<env>.terraform.lock.hcl`` for every stack; the files written.

    Starts from nothing, so each provider gets the newest version its constraints admit
    (review the diff). Lock files of environments no longer in the config are removed.
    """
    locks_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
    written = []
    stacks = stack_dirs(stacks_root)
    if mirror is not None:
        mismatches = [
            f"{environment}: {line}"
            for environment, stack_dir in stacks.items()
            for line in mirror_mismatches(stack_dir, mirror)
        ]
        if mismatches:
            raise TerraformFailed("\n".join(mismatches))
    for environment, stack_dir in stacks.items():
        chosen = list(platforms)
        if not chosen:
            chosen = (
                mirror_platforms(mirror, required_providers(stack_dir))
                if mirror
                else list(DEFAULT_PLATFORMS)
            )
        (stack_dir / STACK_LOCK_FILE).unlink(missing_ok=True)
        # providers lock reads module calls from the module manifest that `terraform get`
        # writes (local modules only here: nothing is downloaded).
        _terraform([terraform, f"-chdir={stack_dir}", "get", "-no-color"], env)
        command = [terraform, f"-chdir={stack_dir}", "providers", "lock", "-no-color"]
        if mirror is not None:
            command.append(f"-fs-mirror={mirror}")
        command += [f"-platform={platform}" for platform in chosen]
        _terraform(command, env)
        target = locks_dir / lock_file_name(environment)
        shutil.copyfile(stack_dir / STACK_LOCK_FILE, target)
        written.append(target)
    for orphan in locks_dir.glob(f"*{LOCK_SUFFIX}"):
        if orphan.name.removesuffix(LOCK_SUFFIX) not in stacks:
            orphan.unlink()
    return written


class TerraformFailed(CriiptoCognitoError):
    """A terraform command exited non-zero; its output is the message."""


def _terraform(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise TerraformFailed(f"{' '.join(command)}:\n{result.stdout}{result.stderr}".rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stacks.deploy.provider_locks", description=__doc__
    )
    parser.add_argument("command", choices=("refresh", "check"))
    parser.add_argument("--stacks", type=Path, default=STACKS_DIRECTORY)
    parser.add_argument("--locks", type=Path, default=LOCKS_DIRECTORY)
    parser.add_argument("--mirror", type=Path, help="a filesystem mirror (terraform -fs-mirror)")
    parser.add_argument(
        "--platform",
        action="append",
        default=[],
        help="repeatable; default: those the mirror holds, or " + ", ".join(DEFAULT_PLATFORMS),
    )
    args = parser.parse_args(argv)
    if not (args.stacks.parent / "manifest.json").is_file():
        print(f"{args.stacks}: no synthesized stacks (run make synth)", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.command == "refresh":
        try:
            written = refresh(args.stacks, args.locks, mirror=args.mirror, platforms=args.platform)
        except TerraformFailed as exc:
            print(exc, file=sys.stderr)
            return EXIT_PROBLEMS
        for path in written:
            print(f"wrote {path}")
    problems = check(args.stacks, args.locks)
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_PROBLEMS if problems else 0


if __name__ == "__main__":
    sys.exit(main())
