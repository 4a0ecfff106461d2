"""Synthesize one Terraform stack per environment of the federation config.

Run by ``cdktf synth|diff|deploy`` (see cdktf.json) or directly. The config, and then the
platform choice (``CRIIPTO_COGNITO_PLATFORM``), are checked before the platform or the AWS
bindings load, so a bad one answers fast, on one line per problem, with exit code 2, and
nothing is written. ``--check`` checks and stops there.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# jsii prints a red "Node 20 is end-of-life" banner on every run; Node 20 still works with
# the pinned jsii, so silence it for that version only (22 and 24 are supported outright).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


# Where cdktf's App writes (its own default and variable; the cdktf CLI sets the variable).
OUTDIR_ENV_VAR = "CDKTF_OUTDIR"
DEFAULT_OUTDIR = "cdktf.out"


def output_directory_problem(outdir: str) -> str | None:
    """Why the synth cannot write into ``outdir``, or None: asked before the platform loads,
    since jsii answers a directory it cannot make with a traceback from Node."""
    stacks = Path(outdir) / "stacks"
    try:
        stacks.mkdir(parents=True, exist_ok=True)
        probe, name = tempfile.mkstemp(dir=stacks, prefix=".write-probe-")
        os.close(probe)
        Path(name).unlink()
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        return f"{outdir}: cannot write the synth's output directory ({reason})"
    return None


def main(argv: list[str]) -> int:
    from stacks.config import EXIT_BAD_CONFIG, ConfigError, config_path, load_config_or_exit

    check_only = argv == ["--check"]
    if argv and not check_only:
        print(f"usage: main.py [--check]  (unknown argument {argv[0]!r})", file=sys.stderr)
        return EXIT_BAD_CONFIG
    config = load_config_or_exit(config_path())
    # Which platform (CDK for Terraform or CDK Terrain) is only looked up here, not loaded.
    from stacks.platform.choice import PlatformError, chosen_platform

    try:
        chosen_platform()
    except PlatformError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_CONFIG
    if check_only:
        return 0
    problem = output_directory_problem(os.environ.get(OUTDIR_ENV_VAR) or DEFAULT_OUTDIR)
    if problem:
        return ConfigError([problem]).report()  # escaped: one line, whatever the path holds

    from stacks.app import build_app  # loads the platform and its AWS bindings: a good config only

    build_app(config).synth()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
