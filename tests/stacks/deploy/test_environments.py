"""The environment matrix the workflows run over (stacks/deploy/environments.py): one entry per
environment with its backend, and the command line the workflows call."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from support.configs import base_environment, changed, write_config
from support.processes import run_captured
from support.project import ROOT

from stacks.config import FederationConfig
from stacks.deploy.environments import matrix


def test_matrix_lists_every_environment() -> None:
    s3 = {"type": "s3", "bucket": "acme-tfstate", "key": "prod.tfstate", "region": "eu-west-1"}
    tagged = {"type": "cloud", "organization": "acme", "tags": ["criipto"], "hostname": "tfe.a.io"}
    named = {"type": "cloud", "organization": "acme", "workspace": "criipto-qa"}
    config = FederationConfig.model_validate(
        {
            "environments": {
                "test": base_environment(),
                "prod": changed("backend", s3),
                "stage": changed("backend", tagged),
                "qa": changed("backend", named),
            }
        }
    )
    assert matrix(config) == {
        "include": [
            {"environment": "test", "aws_region": "eu-north-1", "backend": "local"}
            | {"tfc_host": "", "tfc_workspace": ""},
            {"environment": "prod", "aws_region": "eu-north-1", "backend": "s3"}
            | {"tfc_host": "", "tfc_workspace": ""},
            {"environment": "stage", "aws_region": "eu-north-1", "backend": "cloud"}
            | {"tfc_host": "tfe.a.io", "tfc_workspace": "stage"},
            {"environment": "qa", "aws_region": "eu-north-1", "backend": "cloud"}
            | {"tfc_host": "app.terraform.io", "tfc_workspace": "criipto-qa"},
        ]
    }
    remote = matrix(config, remote_only=True)["include"]
    assert [entry["environment"] for entry in remote] == ["prod", "stage", "qa"]


def test_environments_cli(tmp_path: Path) -> None:
    path = write_config(tmp_path, {"environments": {"test": base_environment()}})
    command = [sys.executable, "-m", "stacks.deploy.environments", "--config", str(path)]
    result = run_captured(command, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["include"][0]["environment"] == "test"
    remote = run_captured([*command, "--remote"], cwd=ROOT)
    assert json.loads(remote.stdout) == {"include": []}
    bad = write_config(
        tmp_path, {"environments": {"test": changed("aws_region", "mars")}}, "b.toml"
    )
    failed = run_captured(
        [sys.executable, "-m", "stacks.deploy.environments", "--config", str(bad)],
        cwd=ROOT,
        timeout=60,
    )
    assert failed.returncode == 2
    assert "environments.test.aws_region" in failed.stderr
    assert failed.stdout == ""
