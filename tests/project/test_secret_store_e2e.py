"""The client secret from a secret store, for real: real Terraform and the real AWS provider
(from the mirror) against moto's server, which serves Secrets Manager and SSM as well as
Cognito, and doctor against the stand-in OpenID Provider (tools/oidc_stand_in.py).

Three environments, none given TF_VAR_criipto_client_secret: a Secrets Manager secret by name
with json_key (two identity providers, one per eID), an SSM SecureString parameter, and a
Secrets Manager ARN in another region than the environment's. For each: deploy; an empty
re-plan; rotate refuses while the store holds Cognito's secret; a store holding no secret (a
blank parameter, a secret that is not the JSON json_key reads) stops the plan at the providers'
precondition, quoting nothing of it; a new value put into the store; rotate then names the
steps; doctor (the OP holds the new secret) passes the store's
row and fails each identity provider still holding the old one; the plan is one in-place
update per identity provider; apply; an empty re-plan; doctor healthy; destroy. No secret in
any output, in the synthesized JSON, or in cdktf.out after destroy (the canary).
"""

from __future__ import annotations

import copy
import json
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.aws_server import REGION, moto_client, running_moto
from support.configs import base_environment, external, write_config
from support.oidc_server import Application, running_op
from support.terraform_e2e import (
    Transcript,
    files_holding,
    planned_actions,
    project_with_mirror,
)

DOMAIN = "acme-test.criipto.id"
OTHER_REGION = "us-east-1"
SECRET_NAME = "acme/criipto-e2e"
PARAMETER = "/acme/criipto/e2e-client-secret"
ARN_SECRET_NAME = "acme/criipto-elsewhere"
# A key Terraform would read as code, were it written as it is: it must reach jsondecode as data.
JSON_KEY = 'client_secret ${x} %{if true}"q"%{endif}'
PROVIDERS = {
    "sm": ["aws_cognito_identity_provider.mitid", "aws_cognito_identity_provider.se_bankid"],
    "ssm": ["aws_cognito_identity_provider.criipto"],
    "arn": ["aws_cognito_identity_provider.criipto"],
}

pytestmark = [pytest.mark.terraform, pytest.mark.oidc_harness]


@dataclass(frozen=True)
class Stores:
    """The three stores in moto, and how a value is put into each."""

    endpoint: str
    arn: str

    def client(self, service: str, region: str = REGION) -> Any:
        return moto_client(self.endpoint, service, region)

    def put(self, name: str, secret: str) -> None:
        if name == "sm":
            payload = json.dumps({"username": "ignored", JSON_KEY: secret})
            self.client("secretsmanager").put_secret_value(
                SecretId=SECRET_NAME, SecretString=payload
            )
        elif name == "ssm":
            self.client("ssm").put_parameter(
                Name=PARAMETER, Value=secret, Type="SecureString", Overwrite=True
            )
        else:
            self.client("secretsmanager", OTHER_REGION).put_secret_value(
                SecretId=self.arn, SecretString=secret
            )


def make_stores(endpoint: str, secret: str) -> Stores:
    """Each store holding ``secret``, as a team has them before the first deploy."""
    manager = moto_client(endpoint, "secretsmanager", OTHER_REGION)
    arn = manager.create_secret(Name=ARN_SECRET_NAME, SecretString=secret)["ARN"]
    stores = Stores(endpoint, arn)
    stores.client("secretsmanager").create_secret(
        Name=SECRET_NAME, SecretString=json.dumps({JSON_KEY: secret})
    )
    stores.put("ssm", secret)
    return stores


def environments(aws_constraint: str, arn: str) -> dict[str, Any]:
    def new(name: str, source: dict[str, str]) -> dict[str, Any]:
        env = external(copy.deepcopy(base_environment()))
        env["user_pool"] = {"name": f"e2e-{name}", "deletion_protection": False}
        env["domain"] = {"prefix": f"e2e-{name}-login"}
        env["criipto"]["client_id"] = f"urn:acme:cognito:{name}"
        env["criipto"]["client_secret_from"] = source
        return env

    sm = new("sm", {"secretsmanager": SECRET_NAME, "json_key": JSON_KEY})
    sm["criipto"].pop("provider_name")
    sm["criipto"]["eids"] = ["dk-mitid-substantial", "se-bankid"]
    return {
        "terraform": {"aws_provider": aws_constraint},
        "environments": {
            "sm": sm,
            "ssm": new("ssm", {"ssm": PARAMETER}),
            "arn": new("arn", {"secretsmanager": arn}),
        },
    }


@dataclass(frozen=True)
class Deployment:
    project: Path
    stores: Stores
    transcript: Transcript
    old: str
    new: str
    base: Path

    def stack(self, name: str) -> Path:
        return self.project / "cdktf.out" / "stacks" / name


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    base = tmp_path_factory.mktemp("secret-store-e2e")
    mirrored = project_with_mirror(base)
    project = mirrored.project
    old = f"canary-stored-old-{secrets.token_hex(8)}"
    new = f"canary-stored-new-{secrets.token_hex(8)}"
    with running_moto() as endpoint:
        stores = make_stores(endpoint, old)
        config = environments(mirrored.aws_constraint, stores.arn)
        write_config(project, config)
        # No TF_VAR_criipto_client_secret: with a store, nothing needs it.
        transcript = mirrored.transcript(endpoint)
        transcript.run(["make", "synth"], project)
        yield Deployment(project, stores, transcript, old, new, base)


def applications(name: str, secret: str) -> list[Application]:
    callback = f"https://e2e-{name}-login.auth.{REGION}.amazoncognito.com/oauth2/idpresponse"
    return [Application(f"urn:acme:cognito:{name}", secret, [callback])]


def held_secrets(deployment: Deployment, name: str) -> set[str]:
    """The client secret each identity provider of the environment's pool holds (moto)."""
    cognito = deployment.stores.client("cognito-idp")
    [pool] = [
        p["Id"]
        for p in cognito.list_user_pools(MaxResults=60)["UserPools"]
        if p["Name"] == f"e2e-{name}"
    ]
    providers = cognito.list_identity_providers(UserPoolId=pool)["Providers"]
    return {
        cognito.describe_identity_provider(UserPoolId=pool, ProviderName=p["ProviderName"])[
            "IdentityProvider"
        ]["ProviderDetails"]["client_secret"]
        for p in providers
    }


@pytest.mark.parametrize("name", ["sm", "ssm", "arn"])
def test_deploy_rotate_through_the_store(deployment: Deployment, name: str) -> None:
    run, stack = deployment.transcript, deployment.stack(name)
    synthesized = json.loads((stack / "cdk.tf.json").read_text())
    assert "variable" not in synthesized  # no criipto_client_secret to give
    config = ["--config", str(deployment.project / "federation.toml")]

    run.terraform(stack, "init", "-input=false")
    run.terraform(stack, "apply", "-auto-approve", "-input=false")
    assert held_secrets(deployment, name) == {deployment.old}
    run.terraform(stack, "plan", "-detailed-exitcode", "-input=false")

    # The store still holds what Cognito has: rotate refuses, naming neither secret.
    refused = run.criipto_cognito(deployment.project, "rotate", name, *config, ok=(1,))
    assert "refused: " in refused.stderr
    assert "still holds the secret Cognito has" in refused.stderr

    if name == "sm":
        # The new secret put in as it is, not into the JSON: the plan stops at the providers'
        # precondition, and jsondecode never quotes the secret's first character.
        deployment.stores.client("secretsmanager").put_secret_value(
            SecretId=SECRET_NAME, SecretString=deployment.new
        )
        failed = run.terraform(stack, "plan", "-input=false", ok=(1,))
        said = " ".join(failed.stderr.split())  # Terraform wraps its lines
        assert "Resource precondition failed" in said
        assert f"The Secrets Manager secret {SECRET_NAME} holds no client secret (not JSON" in said
        assert "invalid character" not in failed.stdout + failed.stderr
    if name == "ssm":
        # A blank secret is refused as the variable refuses one, before any provider changes.
        deployment.stores.put(name, "   ")
        failed = run.terraform(stack, "plan", "-input=false", ok=(1,))
        said = " ".join(failed.stderr.split())
        assert f"The SSM parameter {PARAMETER} holds no client secret (empty)" in said
    deployment.stores.put(name, deployment.new)
    ready = run.criipto_cognito(deployment.project, "rotate", name, *config)
    for address in PROVIDERS[name]:
        assert address in ready.stdout

    with running_op(
        deployment.base / f"op-{name}", DOMAIN, applications(name, deployment.new)
    ) as op:
        ca_file = str(op.ca_file)
        doctor = [*config, "--base-url", op.base_url, "--json"]
        before = run.run(
            [*_cli(), "doctor", name, *doctor], deployment.project, ok=(1,), SSL_CERT_FILE=ca_file
        )
        rows = _secret_rows(before.stdout)
        store_rows = {k: v for k, v in rows.items() if "Secrets Manager" in k or "SSM" in k}
        assert list(store_rows.values()) == ["pass"], rows  # the source, named, accepts
        assert len(rows) == len(PROVIDERS[name]) + 1
        assert [v for k, v in rows.items() if k not in store_rows] == ["fail"] * len(
            PROVIDERS[name]
        )  # each identity provider still holds the old secret, which the OP refuses

        plan = run.terraform(stack, "plan", "-detailed-exitcode", "-input=false", ok=(2,))
        assert planned_actions(plan.stdout) == dict.fromkeys(PROVIDERS[name], "updated in-place")
        run.terraform(stack, "apply", "-auto-approve", "-input=false")
        run.terraform(stack, "plan", "-detailed-exitcode", "-input=false")
        assert held_secrets(deployment, name) == {deployment.new}

        after = run.run(
            [*_cli(), "doctor", name, *doctor], deployment.project, SSL_CERT_FILE=ca_file
        )
        assert set(_secret_rows(after.stdout).values()) == {"pass"}

    run.terraform(stack, "destroy", "-auto-approve", "-input=false")
    run.assert_never_printed(deployment.old, deployment.new)
    for secret in (deployment.old, deployment.new):
        assert secret not in json.dumps(synthesized)
        assert files_holding(deployment.project / "cdktf.out", secret) == []


def _cli() -> list[str]:
    return [sys.executable, "-m", "criipto_cognito.cli"]


def _secret_rows(document: str) -> dict[str, str]:
    """Doctor's client secret rows: where the secret was read -> pass or fail."""
    findings = json.loads(document)["findings"]
    return {
        f["check"]: f["status"]
        for f in findings
        if str(f.get("check", "")).startswith("client secret")
    }
