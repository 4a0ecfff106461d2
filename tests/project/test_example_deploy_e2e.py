"""The example as shipped, deployed for real: `make deploy ENV=prod` of federation.toml (its
copy in tests/data/example/) with only `[terraform] aws_provider` widened to admit the mirror's
build, real Terraform, the real AWS provider, moto as AWS; the Criipto side a real OpenID
Provider on loopback (tools/oidc_stand_in.py) holding the application the guide describes.

Then the dashboard-rotated secret: the OP's application gets a new secret, Cognito still holds
the old one in all three eID providers, and doctor finds it for each (exit 1); the new secret
given to Terraform and applied, doctor is healthy again. No secret in any output or in cdktf.out.
Needs Terraform and a provider mirror ($CRIIPTO_COGNITO_TF_MIRROR); skips with the reason
otherwise.
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

import pytest
from support.aws_server import aws_env, moto_cognito, running_moto
from support.oidc_server import Application, running_op
from support.project import EXAMPLE_CONFIG
from support.terraform_e2e import (
    Transcript,
    clean_environment,
    files_holding,
    make_project,
    toolchain_or_skip,
    write_cli_config,
)

from stacks.config import load_config

ENVIRONMENT = "prod"
pytestmark = [pytest.mark.example, pytest.mark.terraform, pytest.mark.oidc_harness]


def test_the_example_deploys_and_doctor_finds_a_rotated_secret(tmp_path: Path) -> None:
    toolchain = toolchain_or_skip()
    example = load_config(EXAMPLE_CONFIG).environments[ENVIRONMENT]
    project = make_project(tmp_path / "project")
    # As shipped, with only the AWS provider constraint widened for the mirror's build.
    shipped = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    widened = f'\n[terraform]\naws_provider = ">= {toolchain.aws_version}, < 7.0.0"\n'
    (project / "federation.toml").write_text(shipped + widened, encoding="utf-8")
    deployed = f"canary-example-secret-{secrets.token_hex(8)}"
    rotated = f"canary-rotated-in-dashboard-{secrets.token_hex(8)}"
    callback = f"https://{example.hosted_domain}/oauth2/idpresponse"

    def application(secret: str) -> Application:
        return Application(example.criipto_realm, secret, [callback])

    with running_moto() as endpoint:
        run = Transcript(
            clean_environment(
                **aws_env(endpoint),
                TF_CLI_CONFIG_FILE=str(
                    write_cli_config(tmp_path / "mirror.tfrc", toolchain.mirror)
                ),
                TF_VAR_criipto_client_secret=deployed,
            )
        )
        run.run(["make", "deploy", f"ENV={ENVIRONMENT}", "CDKTF_ARGS=--auto-approve"], project)
        stack = project / "cdktf.out" / "stacks" / ENVIRONMENT

        cognito_rows: dict[str, dict[str, str]] = {}

        def doctor(op_url: str, ca_file: Path, *, ok: tuple[int, ...]) -> dict[str, str]:
            done = run.run(
                [*doctor_command(op_url), "--json"], project, ok=ok, SSL_CERT_FILE=str(ca_file)
            )
            findings = json.loads(done.stdout)["findings"]
            cognito_rows.clear()
            cognito_rows.update(
                {f"{f['subject']}: {f['check']}": f for f in findings if f["subject"] != APP}
            )
            return {f["check"]: f["status"] for f in findings if f["subject"] == APP}

        providers = [plan.provider_name for plan in example.criipto.plan.providers]
        assert len(providers) == 3
        with running_op(tmp_path / "op1", example.criipto.domain, [application(deployed)]) as op:
            healthy = doctor(op.base_url, op.ca_file, ok=(0,))
        assert {healthy[f"client secret ({name})"] for name in providers} == {"pass"}
        assert {healthy[f"redirect URL registered ({name})"] for name in providers} == {"pass"}
        # Sign-in ready as deployed: the client may write the custom attributes MitID and
        # Norwegian BankID map, which the pool declares mutable and long enough.
        assert cognito_rows["app client: write attributes"]["status"] == "pass"
        for attribute in ("custom:dk_mitid_uuid", "custom:no_bankid_uid"):
            row = cognito_rows[f"user pool: {attribute} writable at sign-in"]
            assert row["status"] == "pass", row

        # A client narrowed in the console (AWS's API): every MitID sign-in would now fail.
        narrow_client_write_attributes(
            endpoint, example.user_pool.name or "", drop="custom:dk_mitid_uuid"
        )
        with running_op(tmp_path / "op1b", example.criipto.domain, [application(deployed)]) as op:
            doctor(op.base_url, op.ca_file, ok=(1,))
        narrowed = cognito_rows["app client: write attributes"]
        assert narrowed["status"] == "fail"
        assert narrowed["found"] == "cannot write custom:dk_mitid_uuid (mapped by MitID)"
        assert "app_client.write_attributes" in narrowed["fix"]

        # Regenerated in the dashboard; Cognito still holds the old secret everywhere.
        with running_op(tmp_path / "op2", example.criipto.domain, [application(rotated)]) as op:
            stale = doctor(op.base_url, op.ca_file, ok=(1,))
            assert {stale[f"client secret ({name})"] for name in providers} == {"fail"}
            # The fix doctor names: the new secret to Terraform, applied.
            run.terraform(stack, "apply", "-auto-approve", "-input=false",
                          TF_VAR_criipto_client_secret=rotated)  # fmt: skip
            again = doctor(op.base_url, op.ca_file, ok=(0,))
        assert {again[f"client secret ({name})"] for name in providers} == {"pass"}

        run.run(
            ["make", "destroy", f"ENV={ENVIRONMENT}", "CDKTF_ARGS=--auto-approve"],
            project,
            TF_VAR_criipto_client_secret=rotated,
        )
    run.assert_never_printed(deployed, rotated)
    assert files_holding(project / "cdktf.out", deployed) == []
    assert files_holding(project / "cdktf.out", rotated) == []


APP = "criipto application"


def narrow_client_write_attributes(endpoint: str, pool_name: str, *, drop: str) -> None:
    """The deployed client's write attributes without ``drop``, set through AWS's API as a
    console edit would (UpdateUserPoolClient resets what it is not given: all is given back).
    The emulator may hold other tests' pools: this one is found by its name."""
    cognito = moto_cognito(endpoint)
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    (pool,) = [pool for pool in pools if pool["Name"] == pool_name]
    (summary,) = cognito.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
    client = cognito.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=summary["ClientId"])[
        "UserPoolClient"
    ]
    kept = {key: value for key, value in client.items() if key in _UPDATABLE}
    kept["WriteAttributes"] = [a for a in client["WriteAttributes"] if a != drop]
    cognito.update_user_pool_client(**kept)


_UPDATABLE = (
    "UserPoolId", "ClientId", "ClientName", "RefreshTokenValidity", "AccessTokenValidity",
    "IdTokenValidity", "TokenValidityUnits", "ReadAttributes", "WriteAttributes",
    "ExplicitAuthFlows", "SupportedIdentityProviders", "CallbackURLs", "LogoutURLs",
    "AllowedOAuthFlows", "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient",
    "PreventUserExistenceErrors", "EnableTokenRevocation", "AuthSessionValidity",
)  # fmt: skip


def doctor_command(op_url: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "criipto_cognito.cli",
        "doctor",
        ENVIRONMENT,
        "--base-url",
        op_url,
    ]
