"""The workflows' jobs run step by step as a runner would (tests/workflow_runner.py).

``run:`` scripts come from the YAML and run under ``bash -e``; the actions are stood in for
(checkout, artifact download, AWS credentials), except github-script, whose script runs under
node with a stand-in ``github`` object; Terraform is real, with the mirrored AWS provider and,
for plans, moto's server on loopback. Tests that need Terraform skip, saying why, without it.
The plan job's Criipto checks are the real command (this tree's virtualenv stands in for the
base branch's `make runtime`) against the oidc-provider stand-in for the Criipto domain, or a
refused loopback port where a test is not about them: nothing leaves loopback.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.configs import base_environment, changed, config_with, external, write_config
from support.oidc_server import Application, RunningOp, running_op
from support.project import ROOT
from support.synth import synth_stacks
from support.terraform_e2e import toolchain_or_skip, write_cli_config
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

from stacks.deploy.provider_locks import refresh

MERGE_SHA = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0"
HEAD_SHA = "f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9"
MARKER = "<!-- criipto-cognito-plan:test -->"
SECRET = "s3cr3t-value-never-printed"
# `[terraform] aws_provider` wide enough for the mirror's 5.x build.
WIDE_AWS = ">= 5.100.0, < 7.0.0"
# Where the Criipto checks go when a test is not about them: a loopback port nothing answers.
REFUSED_CRIIPTO = "https://127.0.0.1:9"


def needs_terraform() -> Path:
    """The provider mirror (skips with the reason where Terraform or a mirror is missing)."""
    found = toolchain_or_skip()
    return found.mirror


def needs_node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH (github-script runs under node)")
    return node


@pytest.fixture(scope="module")
def stacks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """cdktf.out for one external-mode environment `test`: as synthesized, and widened."""
    root = tmp_path_factory.mktemp("synth")
    synth_stacks({"environments": {"test": external()}}, root / "as-synthesized")
    widened = {"terraform": {"aws_provider": WIDE_AWS}, "environments": {"test": external()}}
    synth_stacks(widened, root / "widened")
    return {"as-synthesized": root / "as-synthesized", "widened": root / "widened"}


@pytest.fixture(scope="module")
def mirror_lock(stacks: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The lock file `make lock MIRROR=…` writes for the widened stack."""
    mirror = needs_terraform()
    copy = tmp_path_factory.mktemp("lock") / "cdktf.out"
    shutil.copytree(stacks["widened"], copy)
    locks = copy.parent / "locks"
    refresh(copy / "stacks", locks, mirror=mirror)
    return (locks / "test.terraform.lock.hcl").read_text(encoding="utf-8")


@pytest.fixture
def cli_config(tmp_path: Path) -> Path:
    """Terraform installs providers from the mirror only (there is no registry here)."""
    return write_cli_config(tmp_path / "terraform.rc", needs_terraform())


# -- stand-ins for the actions ---------------------------------------------------------------


def checkout_trusted(
    workspace: Path, locks: dict[str, str], config: dict[str, Any] | None = None
) -> StandIn:
    """The base branch's checkout: this tree's code (its virtualenv standing in for what the
    plan job's `make runtime` installs), the lock files the test commits and its config."""

    def stand_in(
        step: dict[str, Any], env: dict[str, str]
    ) -> tuple[dict[str, str], dict[str, str]]:
        target = workspace / step["with"]["path"]
        target.mkdir()
        for directory in ("stacks", "tools", "criipto", "criipto_cognito", ".venv"):
            (target / directory).symlink_to(ROOT / directory)
        if config is not None:
            write_config(target, config)
        (target / "locks").mkdir()
        for environment, text in locks.items():
            (target / "locks" / f"{environment}.terraform.lock.hcl").write_text(text)
        return {}, {}

    return stand_in


def download(workspace: Path, cdktf_out: Path, config: dict[str, Any]) -> StandIn:
    """The synth job's artifacts: its cdktf.out, and the pull request's federation.toml."""

    def stand_in(
        step: dict[str, Any], env: dict[str, str]
    ) -> tuple[dict[str, str], dict[str, str]]:
        target = workspace / step["with"]["path"]
        if step["with"]["name"] == "federation-config":
            target.mkdir()
            write_config(target, config)
            return {}, {}
        assert step["with"]["name"] == "cdktf-out"
        shutil.copytree(cdktf_out, target)
        return {}, {}

    return stand_in


def pr_context(secrets: dict[str, str], environment: str = "test") -> dict[str, Any]:
    return {
        "github": {
            "sha": MERGE_SHA,
            "ref": "refs/pull/7/merge",
            "repository": "acme/infra",
            "server_url": "https://github.com",
            "run_id": "42",
            "event": {
                "pull_request": {
                    "number": 7,
                    "head": {"sha": HEAD_SHA, "repo": {"full_name": "acme/infra"}},
                    "base": {"sha": "0" * 40},
                }
            },
        },
        "matrix": {
            "environment": environment,
            "aws_region": "eu-north-1",
            "backend": "local",
            "tfc_host": "",
            "tfc_workspace": "",
        },
        "secrets": {
            "AWS_PLAN_ROLE_ARN": "arn:aws:iam::123456789012:role/plan",
            "CRIIPTO_BASE_URL": REFUSED_CRIIPTO,
            **secrets,
        },
        "needs": {},
    }


OLD_COMMENTS = [
    {"id": 55, "user": {"type": "Bot"}, "body": f"{MARKER}\n### Terraform plan: `test`\n\nold"},
    {"id": 56, "user": {"type": "User"}, "body": f"{MARKER}\na person quoting the comment"},
]


# The one environment the plan tests synthesize (the stacks fixture's config).
PLANNED = config_with(external())


def run_plan_job(
    tmp_path: Path,
    cdktf_out: Path,
    *,
    locks: dict[str, str],
    secrets: dict[str, str],
    cli_config: Path,
    endpoint: str = "http://127.0.0.1:9",
    config: dict[str, Any] = PLANNED,
    base_config: dict[str, Any] = PLANNED,
    ca_file: Path | None = None,
) -> tuple[JobResult, GitHubScript]:
    """The plan job of a pull request whose federation.toml is ``config``, on a base branch
    whose federation.toml is ``base_config``."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    comment = GitHubScript(workspace, OLD_COMMENTS)
    stand_ins: dict[str, StandIn] = {
        "actions/checkout": checkout_trusted(workspace, locks, base_config),
        "actions/download-artifact": download(workspace, cdktf_out, config),
        "hashicorp/setup-terraform": no_op,
        "aws-actions/configure-aws-credentials": aws_credentials(endpoint),
        "actions/setup-python": no_op,
        "actions/github-script": comment,
    }
    workflow = load_workflow("plan.yml")
    install = next(s for s in workflow["jobs"]["plan"]["steps"] if s.get("id") == "install")
    assert install["run"] == 'make -C "$TRUSTED" runtime'
    install["run"] = 'test -x "$TRUSTED/.venv/bin/criipto-cognito"'  # the checkout's symlink
    trust = {"SSL_CERT_FILE": str(ca_file)} if ca_file is not None else {}
    result = run_job(
        workflow,
        "plan",
        workspace=workspace,
        context=pr_context(secrets),
        stand_ins=stand_ins,
        base_env=clean_env(TF_CLI_CONFIG_FILE=str(cli_config), AWS_MAX_ATTEMPTS="2", **trust),
    )
    return result, comment


def posted(comment: GitHubScript) -> dict[str, Any]:
    """The one comment write the script made; it must replace the bot's old comment."""
    writes = [c for c in comment.calls if c["method"] != "listComments"]
    assert len(writes) == 1, comment.calls
    assert writes[0]["method"] == "updateComment"
    assert writes[0]["params"]["comment_id"] == 55  # the bot's, not the person's
    return dict(writes[0]["params"])


# -- the synth job: a bad config fails at the matrix step with our lines ---------------------


def run_synth_job(tmp_path: Path, config: dict[str, Any], workflow: str) -> JobResult:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    write_config(workspace, config)
    (workspace / ".venv").symlink_to(ROOT / ".venv")  # `make runtime` is stood in for below
    stand_ins: dict[str, StandIn] = {
        "actions/checkout": no_op,
        "actions/setup-python": no_op,
        "actions/setup-node": no_op,
        "actions/upload-artifact": no_op,
    }
    job = load_workflow(workflow)
    install = next(s for s in job["jobs"]["synth"]["steps"] if s.get("run") == "make runtime")
    install["run"] = "test -x .venv/bin/python"  # the test's own virtualenv stands in
    context = pr_context({})
    context["github"]["ref"] = "refs/heads/main"
    return run_job(
        job,
        "synth",
        workspace=workspace,
        context=context,
        stand_ins=stand_ins,
        base_env=clean_env(),
    )


@pytest.mark.parametrize("workflow", ["plan.yml", "apply.yml"])
def test_a_bad_config_fails_the_matrix_step_with_its_lines(tmp_path: Path, workflow: str) -> None:
    bad = {"environments": {"test": changed("aws_region", "mars")}}
    result = run_synth_job(tmp_path, bad, workflow)
    matrix = next(s for s in result.steps if s.outputs or "Environments" in s.name)
    assert matrix.outcome == "failure"
    assert "matrix" not in matrix.outputs
    assert "environments.test.aws_region" in matrix.log
    assert "federation.toml was refused" in result.summary
    assert "environments.test.aws_region" in result.summary
    assert "Traceback" not in matrix.log + result.summary
    assert result.step("Synthesize").outcome == "skipped"


def test_a_good_config_gives_the_matrix(tmp_path: Path) -> None:
    good = {"environments": {"test": base_environment(), "prod": base_environment()}}
    result = run_synth_job(tmp_path, good, "plan.yml")
    matrix = result.step("Environments from federation.toml")
    assert matrix.outcome == "success", matrix.log
    assert [e["environment"] for e in json.loads(matrix.outputs["matrix"])["include"]] == [
        "test",
        "prod",
    ]


# -- the plan job ----------------------------------------------------------------------------


@pytest.mark.terraform
def test_a_missing_lock_file_fails_the_plan_job_loudly(
    tmp_path: Path, stacks: dict[str, Path], cli_config: Path
) -> None:
    needs_node()
    result, comment = run_plan_job(
        tmp_path, stacks["widened"], locks={}, secrets={}, cli_config=cli_config
    )
    assert result.step("Lock file").outcome == "failure"
    assert "run make lock and commit locks/test.terraform.lock.hcl" in result.step("Lock file").log
    assert result.step("terraform init").outcome == "skipped"
    body = posted(comment)["body"]
    assert body.startswith(MARKER)
    assert "The plan failed at the lock file check." in body
    assert "run make lock and commit locks/test.terraform.lock.hcl" in body


@pytest.mark.terraform
def test_a_failed_init_replaces_the_comment_and_names_the_step(
    tmp_path: Path, stacks: dict[str, Path], mirror_lock: str, cli_config: Path
) -> None:
    needs_node()
    # The committed lock holds aws 5.100.0; the pull request's stack wants 6.25.0.
    result, comment = run_plan_job(
        tmp_path,
        stacks["as-synthesized"],
        locks={"test": mirror_lock},
        secrets={"CRIIPTO_CLIENT_SECRET": SECRET},
        cli_config=cli_config,
    )
    assert result.failed
    assert result.step("terraform init").outcome == "failure"
    assert result.step("terraform plan").outcome == "skipped"
    body = posted(comment)["body"]
    assert body.startswith(MARKER)
    assert "The plan failed at terraform init." in body
    assert "- Error: `Failed to query available provider packages`" in body
    assert "does not match" in body and "6.25.0" in body
    assert f"Built merge commit `{MERGE_SHA[:12]}`" in body
    assert f"`{HEAD_SHA[:12]}`" in body
    assert body in result.summary
    assert SECRET not in result.log + result.summary + body


PlanWidened = Callable[[str], tuple[JobResult, GitHubScript]]


@pytest.fixture
def plan_widened(
    tmp_path: Path,
    stacks: dict[str, Path],
    mirror_lock: str,
    cli_config: Path,
    moto_endpoint: str,
) -> PlanWidened:
    """The plan job of the widened stack against moto, with the GitHub secret given."""

    def plan(secret: str) -> tuple[JobResult, GitHubScript]:
        needs_node()
        return run_plan_job(
            tmp_path,
            stacks["widened"],
            locks={"test": mirror_lock},
            secrets={"CRIIPTO_CLIENT_SECRET": secret},
            cli_config=cli_config,
            endpoint=moto_endpoint,
        )

    return plan


@pytest.mark.terraform
def test_an_empty_secret_fails_the_plan_naming_the_variable(plan_widened: PlanWidened) -> None:
    result, comment = plan_widened("")  # what an unset GitHub secret becomes
    assert result.step("terraform init").outcome == "success", result.step("terraform init").log
    assert result.step("terraform plan").outcome == "failure"
    body = posted(comment)["body"]
    assert "The plan failed at terraform plan." in body
    assert "- Error: `Invalid value for variable`" in body
    assert "The variable criipto_client_secret is empty" in body
    assert "TF_VAR_criipto_client_secret" in body
    assert "CRIIPTO_CLIENT_SECRET" in body
    assert 'var.criipto_client_secret is ""' not in body  # the source excerpt stays out


@pytest.mark.terraform
def test_a_set_secret_plans_and_the_comment_lists_the_actions(
    tmp_path: Path, plan_widened: PlanWidened
) -> None:
    result, comment = plan_widened(SECRET)
    plan = result.step("terraform plan")
    assert plan.outcome == "success", plan.log + result.summary
    assert plan.outputs["exitcode"] == "2"
    assert result.step("terraform show -json").outcome == "success"
    body = posted(comment)["body"]
    # From terraform show -json: the counts as Terraform's closing line, each address's action.
    assert "**Plan: 4 to add, 0 to change, 0 to destroy.**" in body
    assert "- create `aws_cognito_identity_provider." in body
    assert "- create `aws_cognito_user_pool." in body
    for value in (SECRET, "acme-test-login", "urn:acme:cognito:test"):
        assert value not in body + result.log + result.summary
    # The saved plan and its JSON held the secret in plain text: neither is left on the runner.
    runner_temp = tmp_path / "workspace-runner-temp"
    left = [path.name for path in runner_temp.rglob("*") if path.is_file()]
    assert "plan.tfplan" not in left and "plan.json" not in left, left
    for path in runner_temp.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path.name


def test_the_synth_failed_job_marks_every_plan_comment(tmp_path: Path) -> None:
    needs_node()
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    comments = [
        *OLD_COMMENTS,
        {"id": 57, "user": {"type": "Bot"}, "body": "<!-- criipto-cognito-plan:prod -->\nold"},
    ]
    comment = GitHubScript(workspace, comments)
    context = pr_context({})
    context["needs"] = {"synth": {"result": "failure"}}
    result = run_job(
        load_workflow("plan.yml"),
        "synth-failed",
        workspace=workspace,
        context=context,
        stand_ins={
            "actions/checkout": checkout_trusted(workspace, {}),
            "actions/github-script": comment,
        },
        base_env=clean_env(),
    )
    assert not result.failed, result.log
    updates = {c["params"]["comment_id"]: c["params"]["body"] for c in comment.calls[1:]}
    assert set(updates) == {55, 57}
    assert updates[57].startswith("<!-- criipto-cognito-plan:prod -->\n### Terraform plan: `prod`")
    assert "The plan failed at synthesis" in updates[55]
    assert MERGE_SHA[:12] in updates[55]


# -- the plan job's Criipto side -------------------------------------------------------------
# No lock file is given, so the job stops before Terraform (which these tests do not need): the
# Criipto checks run all the same, and the comment holds both.

CRIIPTO_DOMAIN = "acme-test.criipto.id"
CLIENT_ID = "urn:acme:cognito:test"
OLD_CALLBACK = "https://acme-test-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
NEW_CALLBACK = "https://acme-new-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
CRIIPTO_SECRET = "canary-plan-criipto-secret-9e21"
BASE = config_with(external(base_environment()))
NEW_PREFIX = config_with(changed("domain.prefix", "acme-new-login", external(base_environment())))


def plain(markdown: str) -> str:
    """The text as GitHub shows it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def no_stacks(tmp_path: Path) -> Path:
    """An empty cdktf.out: these jobs stop at the lock file, before reading it."""
    (tmp_path / "cdktf.out").mkdir()
    return tmp_path / "cdktf.out"


def plan_against_op(
    tmp_path: Path, redirect_urls: list[str], config: dict[str, Any]
) -> tuple[JobResult, str, RunningOp]:
    """The plan job of a pull request with ``config``, on a base branch with BASE, the Criipto
    application (on the stand-in domain) listing ``redirect_urls``; and the comment it posted."""
    needs_node()
    application = Application(CLIENT_ID, CRIIPTO_SECRET, redirect_urls)
    with running_op(tmp_path / "op", CRIIPTO_DOMAIN, [application]) as op:
        result, comment = run_plan_job(
            tmp_path,
            no_stacks(tmp_path),
            locks={},
            secrets={"CRIIPTO_CLIENT_SECRET": CRIIPTO_SECRET, "CRIIPTO_BASE_URL": op.base_url},
            cli_config=tmp_path / "unused.tfrc",
            config=config,
            base_config=BASE,
            ca_file=op.ca_file,
        )
    body = str(posted(comment)["body"])
    assert_no_secret(tmp_path, result, body)
    return result, body, op


def assert_no_secret(tmp_path: Path, result: JobResult, body: str) -> None:
    """Not in the comment, the log, the job summary, nor any file the job left."""
    assert CRIIPTO_SECRET not in body + result.log + result.summary
    for path in (tmp_path / "workspace-runner-temp").rglob("*"):
        if path.is_file():
            assert CRIIPTO_SECRET.encode() not in path.read_bytes(), path.name


@pytest.mark.oidc_harness
def test_a_changed_prefix_blocks_on_the_new_callback_the_dashboard_lacks(tmp_path: Path) -> None:
    result, body, op = plan_against_op(tmp_path, [OLD_CALLBACK], NEW_PREFIX)
    checks = result.step("Criipto checks")
    assert (checks.outcome, checks.outputs["exitcode"]) == ("success", "1"), checks.log
    assert body.startswith(MARKER)
    assert "The plan failed at the lock file check." in body  # beside it, the Criipto side
    assert "#### Criipto (Idura) side: ` criipto-cognito discover test `" in body
    assert (
        f"**Cognito's callback changes in this pull request**: ` {OLD_CALLBACK} ` → "
        f"` {NEW_CALLBACK} `: the application's 'Redirect URL(s)' in the Idura dashboard must "
        f"list {NEW_CALLBACK} before this deploys" in plain(body)
    )
    assert "**Blocking: 1 Criipto check(s) fail.**" in body
    blocking = body.split("- **BLOCKING** criipto application: redirect URL registered\n", 1)[1]
    expected, found, fix = blocking.splitlines()[:3]
    assert expected == f"  - expected: ` {NEW_CALLBACK} `"
    assert found.startswith("  - found: ` refused like it: HTTP 400")
    # guide's wording: the dashboard field, the value to add.
    assert plain(fix).startswith(
        f"  - fix: add {NEW_CALLBACK} to the application's 'Redirect URL(s)' in the Idura dashboard"
    )
    # The secret was checked (accepted), at the token endpoint the domain publishes.
    assert "- ok criipto application: client secret (TF_VAR_criipto_client_secret)" in plain(body)
    assert [r for r in op.requests() if r.startswith("POST ")] == ["POST /oauth2/token"]
    assert body in result.summary


@pytest.mark.oidc_harness
def test_a_changed_callback_is_called_out_even_when_the_dashboard_lists_it(
    tmp_path: Path,
) -> None:
    result, body, _ = plan_against_op(tmp_path, [OLD_CALLBACK, NEW_CALLBACK], NEW_PREFIX)
    assert result.step("Criipto checks").outputs["exitcode"] == "0"
    assert "**Cognito's callback changes in this pull request**" in body
    assert f"must list {NEW_CALLBACK} before this deploys" in plain(body)
    assert "Blocking" not in body
    assert "- ok criipto application: redirect URL registered" in body


@pytest.mark.oidc_harness
def test_a_healthy_environment_renders_passing_rows(tmp_path: Path) -> None:
    result, body, _ = plan_against_op(tmp_path, [OLD_CALLBACK], BASE)
    assert result.step("Criipto checks").outputs["exitcode"] == "0"
    assert "**Every Criipto check that could run passed.**" in body
    for row in ("domain: issuer", "criipto application: Client ID registered",
                "criipto application: redirect URL registered"):  # fmt: skip
        assert f"- ok {row}\n" in plain(body), row
    assert "callback changes" not in body and "Blocking" not in body
    # What no request from outside can see stays said, not passed.
    assert "- not visible from outside criipto application: user info response strategy" in body


@pytest.mark.slow
def test_criipto_checks_that_reach_nothing_say_so_and_keep_the_secret(tmp_path: Path) -> None:
    """The Criipto domain refuses the connection: exit 2, its line in the comment, no row
    passes or fails by default, no traceback, no secret."""
    needs_node()
    result, comment = run_plan_job(
        tmp_path,
        no_stacks(tmp_path),
        locks={},
        secrets={"CRIIPTO_CLIENT_SECRET": CRIIPTO_SECRET},
        cli_config=tmp_path / "unused.tfrc",
    )
    body = str(posted(comment)["body"])
    assert result.step("Criipto checks").outputs["exitcode"] == "2"
    assert "**The Criipto checks could not finish (exit 2)**" in body
    # discover's own line, saying where it could not reach.
    line = "- criipto-cognito: discovery (domain): connection refused by https://127.0.0.1:9"
    assert line in plain(body)
    assert "Traceback" not in body + result.log
    assert_no_secret(tmp_path, result, body)
