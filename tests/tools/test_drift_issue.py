"""The drift workflow (.github/workflows/drift.yml): doctor's JSON becomes one issue per
environment (tools/drift_issue.py), opened or updated while a check fails or doctor cannot
check, closed when all pass (tools/drift_issue.cjs).

The JSON is doctor's own: the console script run against moto and the loopback Criipto stand-in
with a deployment that drifted (the callback removed from the application in the dashboard, the
app client's callback changed in the AWS console), and without the token it needs (exit 2). The doctor job then runs step by
step as a runner would (tests/support/workflow_runner.py), with that recorded JSON standing in
for doctor's run, and its github-script step under node against a stand-in `github`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.aws_server import deploy, reset
from support.cli_runner import Cli
from support.configs import config_with, managed, write_config
from support.project import ROOT
from support.tls_server import APPLICATION_ID, TOKEN, CriiptoServer
from support.workflow_runner import (
    GitHubScript,
    JobResult,
    StandIn,
    aws_credentials,
    clean_env,
    load_workflow,
    no_op,
    run_job,
)

from tools.drift_issue import code, escape, read_document, render

# make check leaves out the tests that run doctor as a process (slow); make test runs them.
slow = pytest.mark.slow

MARKER = "<!-- criipto-cognito-drift:test -->"
SECRET = "canary-drift-secret-3b9e"  # the client secret handed to doctor: never shown
RUN_URL = "https://github.com/acme/infra/actions/runs/42"
CALLBACK = "https://acme-test-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"


def doctor(cli: Cli) -> tuple[int, str]:
    done = cli.doctor("--json", env={"TF_VAR_criipto_client_secret": SECRET})
    assert SECRET not in done.stdout + done.stderr
    assert TOKEN not in done.stdout + done.stderr
    return done.returncode, done.stdout


@pytest.fixture(scope="module")
def recorded(
    moto_endpoint: str, server: CriiptoServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[int, str]]:
    """doctor --json of one deployment: drifted (exit 1), healthy (0), unable to ask Criipto (2)."""
    config = write_config(tmp_path_factory.mktemp("drift"), config_with(managed()))
    reset(moto_endpoint)
    server.reset()
    cli = Cli(moto_endpoint, server, config)
    deploy(moto_endpoint)
    healthy = doctor(cli)
    # Drift, each made outside Terraform: the callback removed in the dashboard, the app
    # client's callback changed in the AWS console.
    server.state.applications[APPLICATION_ID]["returnUrls"] = ["https://elsewhere.example/cb"]
    reset(moto_endpoint)
    deploy(moto_endpoint)
    cognito = cli_cognito(moto_endpoint)
    pool = cognito.list_user_pools(MaxResults=10)["UserPools"][0]["Id"]
    client = cognito.list_user_pool_clients(UserPoolId=pool)["UserPoolClients"][0]["ClientId"]
    current = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=client)["UserPoolClient"]
    cognito.update_user_pool_client(
        UserPoolId=pool,
        ClientId=client,
        CallbackURLs=["https://console.example/narrowed"],
        SupportedIdentityProviders=current["SupportedIdentityProviders"],
        AllowedOAuthFlows=current["AllowedOAuthFlows"],
        AllowedOAuthScopes=current["AllowedOAuthScopes"],
        AllowedOAuthFlowsUserPoolClient=True,
    )
    failing = doctor(cli)
    cannot = cli.doctor("--json", env={"CRIIPTO_API_TOKEN": None})
    server.reset()
    return {"healthy": healthy, "failing": failing, "cannot": (cannot.returncode, cannot.stdout)}


def cli_cognito(endpoint: str) -> Any:
    from support.aws_server import moto_cognito

    return moto_cognito(endpoint)


# -- the issue text, from doctor's JSON ------------------------------------------------------


@slow
def test_the_issue_text_from_a_failing_doctor_names_each_row_and_its_fix(
    recorded: dict[str, tuple[int, str]],
) -> None:
    exit_code, stdout = recorded["failing"]
    assert exit_code == 1, stdout
    document = read_document(stdout)
    assert document is not None
    failing = [f for f in document["findings"] if f["status"] == "fail"]
    assert {f["check"] for f in failing} >= {"returnUrls", "callback URLs"}, failing
    text = render(document, environment="test", exit_code=exit_code, run_url=RUN_URL)
    assert text.splitlines()[0] == MARKER
    assert f"**doctor found {len(failing)} failing check(s).**" in text
    for finding in failing:
        assert f"- **FAIL** {escape(finding['subject'])}: {escape(finding['check'])}" in text
        assert f"  - fix: {escape(finding['fix'])}" in text
        assert f"  - found: {code(finding['found'])}" in text
    # The removed callback: what was expected (Cognito's idpresponse URL) and what was found.
    assert "  - found: ` https://elsewhere.example/cb `" in text
    assert CALLBACK in text
    # Nothing passing is listed, no secret is shown.
    assert "**FAIL** user pool" not in text
    assert SECRET not in text and TOKEN not in text
    assert f"[Workflow run]({RUN_URL})" in text


@slow
def test_a_doctor_that_could_not_check_says_so_with_what_it_found(
    recorded: dict[str, tuple[int, str]],
) -> None:
    exit_code, stdout = recorded["cannot"]
    assert exit_code == 2
    document = read_document(stdout)
    text = render(document, environment="test", exit_code=exit_code)
    assert "**doctor could not check (exit 2).**" in text
    assert "stays open until a run checks everything and passes" in text
    assert "- Criipto: no management API token" in text.replace("\\", "")
    # Without any JSON (doctor stopped before checking) it still says so.
    empty = render(read_document(""), environment="test", exit_code=2)
    assert "doctor printed no results" in empty


def test_unknown_rows_are_listed_as_unknown_and_values_cannot_become_markdown() -> None:
    hostile = "<img src=x> @acme/admins [click](https://evil.example) `x` | #12\nnext"
    document = {
        "findings": [
            {"subject": "criipto application", "check": "client secret", "status": "unknown",
             "expected": "accepted", "found": hostile, "fix": hostile},
            {"subject": "user pool", "check": "exists", "status": "pass",
             "expected": "a pool", "found": "a pool", "fix": ""},
        ],
        "cannot_check": [],
    }  # fmt: skip
    text = render(document, environment="test", exit_code=1)
    assert "#### Unknown (the answer settled nothing)" in text
    assert "- **unknown** criipto application: client secret" in text
    assert "user pool" not in text
    # What was found, in a code span no backtick closes early, on one line.
    assert (
        "  - found: `` <img src=x> @acme/admins [click](https://evil.example) `x` | #12 next ``"
        in text
    )
    # The fix, as escaped prose: no HTML, mention, link, autolink, code or reference.
    fix = next(line for line in text.splitlines() if line.startswith("  - fix: "))
    assert "<" not in fix and "&lt;img" in fix
    assert "@acme" not in fix and "@\u2060acme" in fix
    assert "[click](" not in fix and "https://" not in fix and "https\\://" in fix
    assert "\\`x\\`" in fix and "\\| \\#12 next" in fix


# -- the workflow's doctor job, run as a runner would ----------------------------------------


def run_doctor_job(
    tmp_path: Path, recorded: tuple[int, str], issues: list[dict[str, Any]], role: str = "arn:x"
) -> tuple[JobResult, GitHubScript]:
    """The doctor job for `test`; `.venv/bin/criipto-cognito` prints the recorded JSON."""
    workspace = tmp_path / "workspace"
    (workspace / ".venv" / "bin").mkdir(parents=True)
    (workspace / "tools").symlink_to(ROOT / "tools")
    code, stdout = recorded
    (tmp_path / "doctor.json").write_text(stdout, encoding="utf-8")
    fake = workspace / ".venv" / "bin" / "criipto-cognito"
    fake.write_text(f"#!/bin/sh\ncat '{tmp_path / 'doctor.json'}'\nexit {code}\n")
    fake.chmod(0o755)
    workflow = load_workflow("drift.yml")
    install = next(s for s in workflow["jobs"]["doctor"]["steps"] if s.get("run") == "make runtime")
    install["run"] = "test -x .venv/bin/criipto-cognito"  # the stand-in above is installed
    script = GitHubScript(workspace, issues=issues)
    stand_ins: dict[str, StandIn] = {
        "actions/checkout": no_op,
        "actions/setup-python": no_op,
        "aws-actions/configure-aws-credentials": aws_credentials(),
        "actions/github-script": script,
    }
    context = {
        "github": {"repository": "acme/infra", "server_url": "https://github.com", "run_id": "42"},
        "matrix": {"environment": "test", "aws_region": "eu-north-1", "backend": "s3"},
        "secrets": {"AWS_PLAN_ROLE_ARN": role, "CRIIPTO_CLIENT_SECRET": SECRET},
        "needs": {},
    }
    result = run_job(
        workflow, "doctor", workspace=workspace, context=context, stand_ins=stand_ins,
        base_env=clean_env(),
    )  # fmt: skip
    return result, script


def writes(script: GitHubScript) -> list[tuple[str, dict[str, Any]]]:
    return [(c["method"], c["params"]) for c in script.calls if c["method"] != "listForRepo"]


OURS = {"number": 31, "user": {"type": "Bot"}, "body": f"{MARKER}\n### Drift: `test`\n\nold"}
QUOTED = {"number": 32, "user": {"type": "User"}, "body": f"{MARKER}\na person quoting it"}
PULL = {"number": 33, "user": {"type": "Bot"}, "body": MARKER, "pull_request": {}}


@slow
def test_a_failing_doctor_updates_the_environments_open_issue(
    tmp_path: Path, recorded: dict[str, tuple[int, str]]
) -> None:
    result, script = run_doctor_job(tmp_path, recorded["failing"], [QUOTED, PULL, OURS])
    [(method, params)] = writes(script)
    assert (method, params["issue_number"]) == ("update", 31)  # the bot's issue only
    body = params["body"]
    assert body == render(read_document(recorded["failing"][1]), environment="test",
                          exit_code=1, run_url=RUN_URL)  # fmt: skip
    assert params["title"] == "Drift: criipto-cognito doctor fails for test"
    assert "state" not in params
    assert SECRET not in result.log + result.summary + json.dumps(script.calls)
    # The job fails, so the run is red as well.
    assert result.step("Fail the job when doctor did not pass").outcome == "failure"
    assert "doctor exited 1 for test" in result.log


@slow
def test_a_failing_doctor_opens_an_issue_when_none_is_open(
    tmp_path: Path, recorded: dict[str, tuple[int, str]]
) -> None:
    _, script = run_doctor_job(tmp_path, recorded["failing"], [QUOTED])
    [(method, params)] = writes(script)
    assert method == "create"
    assert params["body"].startswith(MARKER + "\n")
    assert params["title"] == "Drift: criipto-cognito doctor fails for test"


@slow
def test_a_passing_doctor_comments_and_closes_the_issue(
    tmp_path: Path, recorded: dict[str, tuple[int, str]]
) -> None:
    assert recorded["healthy"][0] == 0
    result, script = run_doctor_job(tmp_path, recorded["healthy"], [OURS])
    (comment, said), (close, closed) = writes(script)
    assert (comment, said["issue_number"]) == ("createComment", 31)
    assert "doctor passes again" in said["body"] and RUN_URL in said["body"]
    assert (close, closed) == (
        "update",
        {"owner": "acme", "repo": "infra", "issue_number": 31, "state": "closed",
         "state_reason": "completed"},
    )  # fmt: skip
    assert not result.failed
    # With no open issue, a passing run writes nothing.
    _, quiet = run_doctor_job(tmp_path / "again", recorded["healthy"], [QUOTED])
    assert writes(quiet) == []


@slow
def test_a_doctor_that_could_not_check_keeps_the_issue_open_saying_so(
    tmp_path: Path, recorded: dict[str, tuple[int, str]]
) -> None:
    result, script = run_doctor_job(tmp_path, recorded["cannot"], [OURS])
    [(method, params)] = writes(script)
    assert method == "update" and "state" not in params
    assert "**doctor could not check (exit 2).**" in params["body"]
    assert result.failed


@slow
def test_without_aws_credentials_doctor_does_not_run_and_the_issue_says_so(
    tmp_path: Path, recorded: dict[str, tuple[int, str]]
) -> None:
    result, script = run_doctor_job(tmp_path, recorded["healthy"], [OURS], role="")
    assert result.step("criipto-cognito doctor").outcome == "skipped"
    [(method, params)] = writes(script)
    assert method == "update"
    assert "**doctor could not check (exit 2).**" in params["body"]
    assert "doctor printed no results" in params["body"]
