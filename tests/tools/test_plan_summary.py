"""The pull request's plan comment (tools/plan_summary.py): actions from `terraform show -json`
without values, the Criipto side beside it, and the command line the plan job runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from support.processes import run_captured
from support.project import ROOT

from tools.plan_summary import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_NO_CHANGES,
    CriiptoChecks,
    render,
    summarize,
)

SECRET = "s3cr3t-in-the-plan-json"


def resource(
    address: str, actions: list[str], *, mode: str = "managed", **extra: Any
) -> dict[str, Any]:
    """One entry of resource_changes, with values in it, as terraform show -json gives it."""
    kind, name = address.rsplit(".", 2)[-2:]
    change = {
        "actions": actions,
        "before": None,
        "after": {"name": "acme-test", "client_secret": SECRET},
        "after_sensitive": {"client_secret": True},
        **extra.pop("change", {}),
    }
    return {"address": address, "mode": mode, "type": kind, "name": name, "change": change, **extra}


def plan_json(*changes: dict[str, Any], outputs: dict[str, Any] | None = None) -> str:
    return json.dumps(
        {
            "format_version": "1.2",
            "terraform_version": "1.11.4",
            "variables": {"criipto_client_secret": {"value": SECRET}},
            "planned_values": {"root_module": {"resources": [{"values": {"x": SECRET}}]}},
            "resource_changes": list(changes),
            "output_changes": outputs or {},
            "applyable": True,
            "complete": True,
            "errored": False,
        }
    )


PLAN_JSON = plan_json(
    resource("aws_cognito_user_pool.user_pool_D84C6164", ["create"]),
    resource("aws_cognito_identity_provider.criipto_provider_1", ["delete", "create"]),
    resource("module.criipto_application.restapi_object.application", ["update"]),
    resource("aws_cognito_user_pool_domain.domain", ["no-op"]),
    resource("data.aws_region.current", ["read"], mode="data"),
    resource(
        "aws_cognito_user_pool_client.client_web",
        ["create", "delete"],
        change={"action_reason": "replace_because_tainted"},
    ),
    resource(
        "aws_cognito_resource_server.api",
        ["no-op"],
        previous_address="aws_cognito_resource_server.old_api",
    ),
    outputs={"login_url": {"actions": ["create"], "after": "https://acme-test-login.example"}},
)


def test_plan_comment_lists_actions_without_values() -> None:
    body = render(
        summarize(PLAN_JSON),
        environment="test",
        exitcode=EXIT_CHANGES,
        backend="s3",
        commit="0123456789abcdef0123",
        run_url="https://github.example/run/1",
    )
    assert body.splitlines()[0] == "<!-- criipto-cognito-plan:test -->"
    assert "### Terraform plan: `test` (s3 backend)" in body
    # As Terraform counts: a replacement adds and destroys, a read and a move count nothing.
    assert "**Plan: 3 to add, 1 to change, 2 to destroy.**" in body
    assert "- create `aws_cognito_user_pool.user_pool_D84C6164`" in body
    assert "- replace `aws_cognito_identity_provider.criipto_provider_1`" in body
    assert "- update `module.criipto_application.restapi_object.application`" in body
    assert "- read `data.aws_region.current`" in body
    assert "- replace (tainted) `aws_cognito_user_pool_client.client_web`" in body
    assert (
        "- move `aws_cognito_resource_server.api` (moved from `aws_cognito_resource_server.old_api`)"
        in body
    )
    assert "user_pool_domain" not in body, "a no-op is no action"
    assert "Resources (6)" in body
    assert "Built merge commit `0123456789ab`" in body
    for value in (SECRET, "acme-test", "login_url", "client_secret"):
        assert value not in body, value


def test_plan_comment_counts_imports_and_forgets_as_terraform_does() -> None:
    summary = summarize(
        plan_json(
            resource("aws_cognito_user_pool.pool", ["no-op"], change={"importing": {"id": "p"}}),
            resource(
                "aws_cognito_user_pool_client.c", ["update"], change={"importing": {"id": "c"}}
            ),
            resource("aws_cognito_resource_server.s", ["forget"]),
        )
    )
    assert (
        summary.closing_line
        == "Plan: 2 to import, 0 to add, 1 to change, 0 to destroy, 1 to forget."
    )
    assert [(a.verb, a.address) for a in summary.actions] == [
        ("import", "aws_cognito_user_pool.pool"),
        ("import and update", "aws_cognito_user_pool_client.c"),
        ("forget", "aws_cognito_resource_server.s"),
    ]


def test_plan_comment_for_no_changes_outputs_only_and_errors() -> None:
    quiet = render(
        summarize(plan_json(resource("aws_cognito_user_pool.pool", ["no-op"]))),
        environment="prod",
        exitcode=EXIT_NO_CHANGES,
    )
    assert "**No changes. Your infrastructure matches the configuration.**" in quiet
    outputs = render(
        summarize(plan_json(outputs={"login_url": {"actions": ["update"], "after": "x"}})),
        environment="prod",
        exitcode=EXIT_CHANGES,
    )
    assert "**No resource changes; only outputs change.**" in outputs
    assert "login_url" not in outputs and "Resources (" not in outputs
    failed_text = (
        "╷\n│ Error: No valid credential sources found\n│\n│   with provider.aws,\n"
        '│   on cdk.tf.json line 3:\n│    3:  "access_key": "AKIA123",\n│\n'
        "│ Please see the provider's documentation.\n╵\n"
    )
    failed = render(summarize(None, failed_text), environment="prod", exitcode=EXIT_ERROR)
    assert "**The plan failed at terraform plan.**" in failed
    assert "- Error: `No valid credential sources found`" in failed
    assert "  Please see the provider's documentation." in failed
    assert "AKIA123" not in failed
    local = render(summarize(""), environment="test", exitcode=EXIT_CHANGES, backend="local")
    assert "plans from nothing" in local


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"resource_changes": []}', "no format_version"),
        (plan_json({"address": "a.b", "change": {}}), "resource_changes[0] has no"),
        (plan_json(resource("a.b", ["explode"])), "unknown actions ['explode']"),
    ],
)
def test_a_plan_json_that_cannot_be_read_fails_the_comment_saying_why(
    text: str, problem: str
) -> None:
    body = render(summarize(text), environment="test", exitcode=EXIT_CHANGES)
    assert "**The plan failed at terraform plan.**" in body
    assert "- Error: `The plan's JSON could not be read`" in body
    assert problem in body


def criipto_comment(checks: CriiptoChecks) -> str:
    plan = summarize(plan_json(resource("aws_cognito_user_pool.pool", ["update"])))
    return render(plan, environment="test", exitcode=EXIT_CHANGES, criipto=checks)


def discover_document(*findings: dict[str, str], **extra: object) -> dict[str, Any]:
    return {"command": "discover", "environment": "test", "findings": list(findings),
            "cannot_check": [], **extra}  # fmt: skip


def test_an_unknown_criipto_row_stays_visibly_unknown_and_blocks_nothing() -> None:
    unknown = {"subject": "criipto application", "check": "client secret", "status": "unknown",
               "expected": "accepted", "found": "HTTP 502", "fix": "try a login"}  # fmt: skip
    body = criipto_comment(CriiptoChecks(discover_document(unknown), 0))
    assert "**Plan: 0 to add, 1 to change, 0 to destroy.**" in body  # beside the plan
    assert "**Unknown** (the answer settled nothing; check by hand):" in body
    assert "- **unknown** criipto application: client secret\n  - expected: ` accepted `" in body
    assert "  - found: ` HTTP 502 `" in body
    assert "Blocking" not in body and "Every Criipto check that could run passed" not in body


def test_criipto_rows_are_text_never_markup() -> None:
    """A server's answer reaches the comment as text: no HTML, link, mention or line break."""
    hostile = {"subject": "criipto application", "check": "<img src=x> @team [a](b)",
               "status": "fail", "expected": "x", "found": "`\n# heading",
               "fix": "<script>@admin</script>"}  # fmt: skip
    body = criipto_comment(CriiptoChecks(discover_document(hostile), 1))
    assert "<img" not in body and "<script" not in body and "](b)" not in body
    assert "@team" not in body and "@admin" not in body
    assert "\n# heading" not in body
    assert "**Blocking: 1 Criipto check(s) fail.**" in body


def test_criipto_checks_that_did_not_run_are_said_so() -> None:
    body = criipto_comment(CriiptoChecks(None, None))
    assert "**The Criipto checks did not run**: see the workflow run's log." in body


def test_criipto_checks_that_stopped_show_their_lines() -> None:
    errors = ("criipto-cognito: discovery (domain): connection refused by https://127.0.0.1:9",)
    body = criipto_comment(CriiptoChecks(None, 2, errors))
    assert "**The Criipto checks could not finish (exit 2)**" in body
    assert "- criipto\\-cognito\\: discovery \\(domain\\)\\: connection refused" in body


def test_an_address_cannot_break_out_of_its_code_span() -> None:
    """Module keys are the pull request's strings: a backtick or a line break stays inside."""
    address = 'module.app["x`\n# injected"].aws_cognito_user_pool.pool'
    body = render(
        summarize(plan_json(resource(address, ["create"]))),
        environment="test",
        exitcode=EXIT_CHANGES,
    )
    [line] = [line for line in body.splitlines() if line.startswith("- create")]
    assert line == '- create `module.app["x\'?# injected"].aws_cognito_user_pool.pool`'


def test_plan_summary_cli(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(plan_json(resource("aws_cognito_user_pool.pool", ["create"])), encoding="utf-8")
    result = run_captured(
        [
            sys.executable,
            "-E",
            "-s",
            "-m",
            "tools.plan_summary",
            str(plan),
            "--environment",
            "test",
            "--exitcode",
            "2",
        ],
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "**Plan: 1 to add, 0 to change, 0 to destroy.**" in result.stdout
    assert SECRET not in result.stdout
