"""The environments the config declares, as a GitHub Actions matrix.

``python -m stacks.deploy.environments`` prints ``{"include": [...]}`` with one entry per
environment (its name, AWS region, backend type, Terraform Cloud host and workspace);
``--remote`` keeps only those whose state lives outside the runner (s3, cloud), the ones a
workflow can apply.
A bad config prints its problems to stderr and exits 2, like ``cdktf synth``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from stacks.config.backend import CloudBackendConfig
from stacks.config.loader import config_path, load_config_or_exit
from stacks.config.model import FederationConfig


def matrix(config: FederationConfig, *, remote_only: bool = False) -> dict[str, Any]:
    """The ``strategy.matrix`` value for ``config``: ``{"include": [entry, ...]}``."""
    include = []
    for name, environment in config.environments.items():
        backend = environment.backend
        host, workspace = "", ""
        if isinstance(backend, CloudBackendConfig):
            # Which workspace Terraform selects (TF_WORKSPACE): with tags, the one named after
            # the environment.
            host, workspace = backend.host, backend.workspace or name
        if remote_only and backend.type == "local":
            continue
        include.append(
            {
                "environment": name,
                "aws_region": environment.aws_region,
                "backend": backend.type,
                "tfc_host": host,
                "tfc_workspace": workspace,
            }
        )
    return {"include": include}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stacks.deploy.environments", description=__doc__
    )
    parser.add_argument(
        "--config", help="config file (default: $FEDERATION_CONFIG or ./federation.toml)"
    )
    parser.add_argument(
        "--remote", action="store_true", help="only environments with an s3 or cloud backend"
    )
    args = parser.parse_args(argv)
    config = load_config_or_exit(config_path(args.config))
    print(json.dumps(matrix(config, remote_only=args.remote), separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
