"""Synthesize one Terraform stack per environment of the federation config.

Run by ``cdktf synth|diff|deploy`` (see cdktf.json) or directly. The config is validated
before cdktf or the AWS bindings load, so a bad config answers fast, on one line per
problem, with exit code 2, and nothing is written. ``--check`` validates and stops there.
"""

from __future__ import annotations

import os
import sys

# jsii prints a red "Node 20 is end-of-life" banner on every run; Node 20 still works with
# the pinned jsii, so silence it for that version only (22 and 24 are supported outright).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


def main(argv: list[str]) -> int:
    from stacks.config import EXIT_BAD_CONFIG, config_path, load_config_or_exit

    check_only = argv == ["--check"]
    if argv and not check_only:
        print(f"usage: main.py [--check]  (unknown argument {argv[0]!r})", file=sys.stderr)
        return EXIT_BAD_CONFIG
    config = load_config_or_exit(config_path())
    if check_only:
        return 0

    from stacks.app import build_app  # loads cdktf and the AWS bindings: only for a good config

    build_app(config).synth()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
