"""`criipto-cognito guide ENV`: the dashboard steps, in order, with this environment's values."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.configs import changed, config_with, external, managed, write_config
from support.processes import run_captured
from support.project import EXAMPLE_CONFIG, ROOT

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f3c2b1a-1111-2222-3333-444455556666"


def guide(config: Path, name: str = "test", *extra: str) -> subprocess.CompletedProcess[str]:
    # No AWS, no proxy that works: the guide reads only the config.
    env = {
        **os.environ,
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    }
    return run_captured(
        [
            sys.executable,
            "-m",
            "criipto_cognito.cli",
            "guide",
            name,
            "--config",
            str(config),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def steps(config: Path, name: str = "test") -> list[dict[str, Any]]:
    done = guide(config, name, "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert (document["command"], document["environment"]) == ("guide", name)
    return list(document["steps"])


@pytest.mark.example
def test_the_example_in_the_order_of_idura_guide() -> None:
    found = steps(EXAMPLE_CONFIG)
    first = found[0]["values"]
    assert first == {
        "Name": "AWS Cognito (test)",
        "Domain": "acme-test.criipto.id",
        "Client ID / Realm": "urn:acme:cognito:test",
        "Redirect URL(s)": [
            "https://acme-test-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
        ],
    }
    dos = [step["do"] for step in found]
    assert "'Add login application'" in dos[0]
    assert "'Enable OAuth2 Code Flow'" in dos[1] and "copy the client secret" in dos[1]
    assert found[2]["values"] == {"User info response strategy": "plainJson"}
    assert "invalid token_type in idp oauth response" in found[2]["why"]
    secret = next(step for step in found if "Give Terraform the secret" in step["do"])
    assert secret["values"]["your shell"] == "export TF_VAR_criipto_client_secret=…"
    assert "CRIIPTO_CLIENT_SECRET" in secret["values"]["GitHub Actions"]
    commands = [step["values"].get("command") for step in found]
    assert commands.index("criipto-cognito discover test") < commands.index("make deploy ENV=test")


@pytest.mark.example
def test_the_table_shows_the_same_steps() -> None:
    done = guide(EXAMPLE_CONFIG)
    assert done.returncode == 0 and done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == "guide test: external mode, Criipto domain acme-test.criipto.id"
    assert [line.split(".")[0] for line in lines if line[:1].isdigit()] == [
        str(n) for n in range(1, len(steps(EXAMPLE_CONFIG)) + 1)
    ]
    assert any(
        line.split() == ["Client", "ID", "/", "Realm:", "urn:acme:cognito:test"] for line in lines
    )


@pytest.mark.example
def test_the_secret_names_are_the_ones_the_workflows_read() -> None:
    """The guide names the GitHub secret that plan.yml and apply.yml hand to Terraform."""
    secret = next(step for step in steps(EXAMPLE_CONFIG) if "Give Terraform" in step["do"])
    named = secret["values"]["GitHub Actions"].split()[2]
    for workflow in ("plan.yml", "apply.yml"):
        text = (ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8")
        env_blocks = [
            step.get("env", {})
            for job in yaml.safe_load(text)["jobs"].values()
            for step in job.get("steps", [])
        ]
        assert any(
            env.get("TF_VAR_criipto_client_secret") == f"${{{{ secrets.{named} }}}}"
            for env in env_blocks
        ), workflow


def _job_environments(name: str) -> dict[str, str]:
    """The GitHub environment each workflow's Terraform job runs in, for environment ``name``."""
    found = {}
    for workflow, job in (("plan.yml", "plan"), ("apply.yml", "apply")):
        text = (ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8")
        expression = yaml.safe_load(text)["jobs"][job]["environment"]
        found[workflow] = expression.replace("${{ matrix.environment }}", name)
    return found


@pytest.mark.parametrize("backend", ["local", "s3", "cloud"])
def test_the_secret_is_where_the_workflows_jobs_read_it(backend: str, tmp_path: Path) -> None:
    """Each GitHub environment the guide names is one a workflow's Terraform job runs in: the
    plan job's for every backend but cloud, the apply job's where apply.yml applies (s3)."""
    env = external()
    env["backend"] = {
        "local": {"type": "local"},
        "s3": {"type": "s3", "bucket": "acme-tfstate", "key": "t.tfstate", "region": "eu-north-1"},
        "cloud": {"type": "cloud", "organization": "acme", "workspace": "criipto-test"},
    }[backend]
    found = steps(write_config(tmp_path, config_with(env)))
    github = next(s for s in found if "Give Terraform" in s["do"])["values"]["GitHub Actions"]
    jobs = _job_environments("test")
    named = re.findall(r"'([^']+)' \((plan|apply)\.yml", github)
    expected = {"local": ["plan.yml"], "s3": ["plan.yml", "apply.yml"], "cloud": []}[backend]
    assert [f"{job}.yml" for _, job in named] == expected, github
    for environment, job in named:
        assert environment == jobs[f"{job}.yml"], github
    assert ("CRIIPTO_CLIENT_SECRET is then not read" in github) == (backend == "cloud")


def test_custom_domain_callback_eid_settings_scopes_and_workspace(tmp_path: Path) -> None:
    env = external()
    env["domain"] = {"custom": "login.acme.com", "certificate_arn": CERT}
    env["criipto"].pop("provider_name")
    env["criipto"].update(
        eids=["dk-mitid-substantial", "no-vipps"],
        store_national_identifiers=True,
        dashboard_settings=["dk-mitid-cpr"],
        eid_scopes={"no-vipps": ["phone"]},
    )
    env["backend"] = {"type": "cloud", "organization": "acme", "workspace": "criipto-test"}
    found = steps(write_config(tmp_path, config_with(env)))
    assert found[0]["values"]["Redirect URL(s)"] == ["https://login.acme.com/oauth2/idpresponse"]
    settings = [step for step in found if step["values"].get("criipto.dashboard_settings")]
    assert len(settings) == 1 and '"Add CPR for MitID logins"' in settings[0]["do"]
    scopes = next(step for step in found if "'Enable dynamic scopes'" in step["do"])
    # The scopes each provider asks for: what its mapping needs, and eid_scopes.
    assert scopes["values"]["MitID"] == "openid ssn"
    assert "phone" in scopes["values"]["Vipps"].split()
    pinned = next(step for step in found if "enabled for the domain" in step["do"])
    assert pinned["values"] == {
        "MitID": "urn:grn:authn:dk:mitid:substantial",
        "Vipps": "urn:grn:authn:no:vipps",
    }
    secret = next(step for step in found if "Give Terraform the secret" in step["do"])
    assert secret["values"]["Terraform Cloud"].startswith("criipto-test: ")
    assert "sensitive" in secret["values"]["Terraform Cloud"]


def test_managed_mode_keeps_what_the_contract_cannot_set(tmp_path: Path) -> None:
    env = changed("criipto.dashboard_settings", ["dk-mitid-cpr"], managed())
    env["criipto"].pop("provider_name")
    env["criipto"].update(eids=["dk-mitid-substantial"], store_national_identifiers=True)
    found = steps(write_config(tmp_path, config_with(env)))
    assert "docs/criipto-management-api.md" in found[0]["do"]
    assert not any("'Add login application'" in step["do"] for step in found)
    assert any(step["values"].get("criipto.dashboard_settings") for step in found)
    token = next(step for step in found if "token" in step["do"])
    assert token["values"]["your shell"] == "export TF_VAR_criipto_api_token=…"


@pytest.mark.example
def test_an_unknown_environment_is_one_line() -> None:
    done = guide(EXAMPLE_CONFIG, "nope")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "criipto-cognito: no environment 'nope' in the config (it has: prod, test)"
    )


@pytest.mark.example
def test_the_docs_show_the_example_as_the_command_prints_it() -> None:
    docs = (ROOT / "docs" / "external-mode.md").read_text(encoding="utf-8")
    block = docs.split("$ criipto-cognito guide test\n", 1)[1].split("\n[exit 0]", 1)[0]
    done = guide(EXAMPLE_CONFIG)
    assert block == done.stdout.rstrip("\n")


@pytest.mark.parametrize("unbuffered", ["1", ""])
def test_a_reader_that_leaves_ends_the_command_quietly(unbuffered: str) -> None:
    """`criipto-cognito guide prod | head`: the reader is gone before the guide is written
    (its end of the pipe closed first), written line by line or at exit: exit 141, as a
    SIGPIPE, and nothing on stderr (no "unexpected error (BrokenPipeError)", no traceback)."""
    read, write = os.pipe()
    os.close(read)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = unbuffered
    try:
        done = subprocess.run(
            [sys.executable, "-m", "criipto_cognito.cli", "guide", "prod",
             "--config", str(EXAMPLE_CONFIG)],
            cwd=ROOT, env=env, stdout=write, stderr=subprocess.PIPE, text=True, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, "")


def test_with_a_store_the_secret_goes_into_it_not_into_a_variable(tmp_path: Path) -> None:
    env = changed("criipto.client_secret_from", {"ssm": "/acme/criipto"})
    found = steps(write_config(tmp_path, config_with(env)))
    [hand_over] = [step for step in found if step["do"].startswith("Put the secret into")]
    assert hand_over["values"]["store"] == "SSM parameter /acme/criipto"
    assert "TF_VAR_criipto_client_secret" not in json.dumps(
        [step for step in found if step is not hand_over]
    )
