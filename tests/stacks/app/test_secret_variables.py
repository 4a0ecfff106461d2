"""The secret variables as synthesized, checked by real Terraform: "" and blanks are refused.

Only the stack's ``variable`` blocks are planned (they need no provider), so this runs for
both modes without the registry. The whole external-mode stack is planned against moto in
tests/project/test_workflow_runs.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.configs import base_environment, external

TOKEN = "tok-value-never-printed"


@pytest.fixture(scope="module")
def variables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    from support.synth import synth_stacks

    out = tmp_path_factory.mktemp("synth")
    stacks = synth_stacks({"environments": {"managed": base_environment(), "ext": external()}}, out)
    return {name: stack["variable"] for name, stack in stacks.items()}


def plan(
    tmp_path: Path, variables: dict[str, Any], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not on PATH")
    (tmp_path / "main.tf.json").write_text(json.dumps({"variable": variables}), encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    base |= {"CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
    init = subprocess.run(
        [terraform, "init", "-backend=false", "-no-color", "-input=false"],
        cwd=tmp_path,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert init.returncode == 0, init.stdout + init.stderr
    return subprocess.run(
        [terraform, "plan", "-no-color", "-input=false"],
        cwd=tmp_path,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("value", ["", "   ", "\t\n"])
@pytest.mark.terraform
def test_managed_mode_refuses_an_empty_api_token(
    tmp_path: Path, variables: dict[str, dict[str, Any]], value: str
) -> None:
    result = plan(tmp_path, variables["managed"], {"TF_VAR_criipto_api_token": value})
    assert result.returncode == 1
    assert "Invalid value for variable" in result.stderr
    assert "The variable criipto_api_token is empty" in " ".join(result.stderr.split())
    assert "export TF_VAR_criipto_api_token=" in " ".join(result.stderr.split())


@pytest.mark.terraform
def test_managed_mode_plans_with_a_token_and_no_adoption_secret(
    tmp_path: Path, variables: dict[str, dict[str, Any]]
) -> None:
    # The adoption secret keeps its default "": "use the secret from the create answer".
    assert variables["managed"]["criipto_client_secret"]["default"] == ""
    assert "validation" not in variables["managed"]["criipto_client_secret"]
    result = plan(tmp_path, variables["managed"], {"TF_VAR_criipto_api_token": TOKEN})
    assert result.returncode == 0, result.stderr
    assert TOKEN not in result.stdout + result.stderr


@pytest.mark.terraform
def test_external_mode_refuses_an_empty_client_secret(
    tmp_path: Path, variables: dict[str, dict[str, Any]]
) -> None:
    assert set(variables["ext"]) == {"criipto_client_secret"}
    result = plan(tmp_path, variables["ext"], {"TF_VAR_criipto_client_secret": ""})
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert "The variable criipto_client_secret is empty" in message
    assert (
        "export TF_VAR_criipto_client_secret=… (in the GitHub workflows: the CRIIPTO_CLIENT_SECRET secret)"
        in message
    )
    fine = plan(tmp_path, variables["ext"], {"TF_VAR_criipto_client_secret": TOKEN})
    assert fine.returncode == 0, fine.stderr
