"""The steps ``make diff|deploy|destroy ENV=<name>`` take before handing over to cdktf.

``check ENV``: the config is valid and names the environment (exit 2 otherwise, one line).

``init ENV``, after synth: the stack directory gets a lock file without asking the public
registry. cdktf runs ``terraform providers lock -platform=linux_amd64`` whenever a stack
directory has no ``.terraform.lock.hcl``, and that command asks the registry even when the CLI
config (``TF_CLI_CONFIG_FILE``) installs providers from a mirror, so it fails on a machine
without the registry. Instead: the committed lock file ``locks/<env>.terraform.lock.hcl`` is
copied in when there is one, and otherwise a plain ``terraform init -backend=false`` writes
one, installing providers the way the CLI config says. The Makefile then passes
``--skip-provider-lock``, so cdktf never runs the lock command itself.

``forget-plan ENV``, after cdktf: the plan file ``cdktf diff`` saved, which holds every
variable (secrets included) in plain text, is removed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from stacks.config.loader import EXIT_BAD_CONFIG, config_path, load_config_or_exit
from stacks.deploy.paths import PLAN_FILE, committed_lock, stack_directory
from stacks.deploy.paths import STACK_LOCK_FILE as LOCK_FILE
from stacks.deploy.provider_locks import configured_mirrors, mirror_mismatches


def check(environment: str, usage: str = "make diff|deploy|destroy ENV=<one of: {names}>") -> int:
    """0 when the config is valid and declares ``environment``; else its lines and exit 2
    (without an environment, ``usage`` with the configured names)."""
    path = config_path()
    config = load_config_or_exit(path)
    names = ", ".join(config.environments)
    if not environment:
        print("usage: " + usage.format(names=names), file=sys.stderr)
        return EXIT_BAD_CONFIG
    if environment not in config.environments:
        print(
            f"{path}: environments.{environment}: no such environment (configured: {names})",
            file=sys.stderr,
        )
        return EXIT_BAD_CONFIG
    return 0


def init(environment: str, root: Path = Path()) -> int:
    """Give the synthesized stack a lock file without the registry; Terraform's exit code."""
    directory = stack_directory(environment, root)
    if not (directory / "cdk.tf.json").is_file():
        print(f"{directory}: no synthesized stack (run make synth)", file=sys.stderr)
        return EXIT_BAD_CONFIG
    committed = committed_lock(environment, root)
    if committed.is_file():
        # The reviewed lock decides which provider builds are trusted.
        shutil.copyfile(committed, directory / LOCK_FILE)
        print(f"==> {environment}: using the committed lock file {committed}")
        return 0
    if (directory / LOCK_FILE).is_file():
        return 0
    terraform = shutil.which("terraform")
    if terraform is None:
        print("terraform is not on PATH: install Terraform 1.8 or newer", file=sys.stderr)
        return EXIT_BAD_CONFIG
    print(
        f"==> {environment}: no lock file yet: terraform init installs the providers "
        "(through the mirror in TF_CLI_CONFIG_FILE, if it names one) and writes it"
    )
    status = subprocess.run(
        [terraform, "init", "-input=false", "-backend=false"], cwd=directory, check=False
    ).returncode
    if status:
        # Terraform says only "no available releases match the given constraints".
        for mirror in configured_mirrors():
            for line in mirror_mismatches(directory, mirror):
                print(f"==> {environment}: {line}", file=sys.stderr)
    return status


def forget_plan(environment: str, root: Path = Path()) -> int:
    """Remove the plan file ``cdktf diff`` saved in the stack directory (it holds secrets)."""
    if environment:
        (stack_directory(environment, root) / PLAN_FILE).unlink(missing_ok=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stacks.deploy.prepare", description=__doc__)
    parser.add_argument("step", choices=("check", "init", "forget-plan"))
    parser.add_argument("environment", nargs="?", default="")
    args = parser.parse_args(argv)
    steps: dict[str, Callable[[str], int]] = {
        "check": check,
        "init": init,
        "forget-plan": forget_plan,
    }
    return steps[args.step](args.environment)


if __name__ == "__main__":
    sys.exit(main())
