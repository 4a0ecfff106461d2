"""Where the deploy tooling finds things, relative to the project root; stated here only.

The synthesized stacks are cdktf's default output (``cdktf.json`` keeps it); the committed lock
files are ``locks/<env>.terraform.lock.hcl``, and inside a stack directory Terraform's own lock
file is ``.terraform.lock.hcl``.
"""

from __future__ import annotations

from pathlib import Path

OUTDIR = Path("cdktf.out")
STACKS_DIRECTORY = OUTDIR / "stacks"
LOCKS_DIRECTORY = Path("locks")
STACK_LOCK_FILE = ".terraform.lock.hcl"
LOCK_SUFFIX = STACK_LOCK_FILE
# The plan file `cdktf diff` saves in a stack directory: it holds every variable in plain text.
PLAN_FILE = "plan"


def lock_file_name(environment: str) -> str:
    return f"{environment}{LOCK_SUFFIX}"


def committed_lock(environment: str, root: Path = Path()) -> Path:
    """Where an environment's committed lock file lives: ``locks/<env>.terraform.lock.hcl``."""
    return root / LOCKS_DIRECTORY / lock_file_name(environment)


def stack_directory(environment: str, root: Path = Path()) -> Path:
    """The synthesized stack's directory: ``cdktf.out/stacks/<env>``."""
    return root / STACKS_DIRECTORY / environment
