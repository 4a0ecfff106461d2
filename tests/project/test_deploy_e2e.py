"""Deploy for real: the synthesized stacks through real Terraform and the real AWS provider,
against moto's server on loopback, and back down again.

Needs Terraform and a provider mirror ($CRIIPTO_COGNITO_TF_MIRROR); skips with the reason
otherwise. One moto server serves the whole module; environments run one after another.
For each: deploy, an empty second plan, `criipto-cognito doctor` healthy (the Criipto side
against a real OpenID Provider on loopback, tools/oidc_stand_in.py, holding each environment's
application), `login-url` equal to the stack's output, a rotated client secret planned as one in-place update per identity
provider, destroy, and no secret in any output or in cdktf.out.

The "features" environment has what production teams add: several app clients with token
lifetimes, rotation and attributes, resource servers and the custom scopes that name them, the
Plus plan with threat protection, and Lambda triggers (a function made in moto beforehand) with
their invoke permissions. moto 5.2.5 serves all of it but DeleteResourceServer: the destroy
plans the servers' deletion, then forgets them (the pool's deletion takes them along). What
moto and the mirror's provider cannot apply (managed-login branding and log delivery, resources
of hashicorp/aws 6.x) is validated and planned where the mirror has them, else skipped saying
so. The stack makes no aws_cognito_risk_configuration (threat protection is the pool's
user_pool_add_ons), so moto's lack of it does not matter here.
"""

from __future__ import annotations

import copy
import io
import json
import secrets
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from support.aws_server import REGION, moto_client, running_moto
from support.configs import base_environment, external, short_rotating_tokens, write_config
from support.oidc_server import Application, running_op
from support.project import ROOT
from support.terraform_e2e import (
    Toolchain,
    Transcript,
    clean_environment,
    files_holding,
    make_project,
    planned_actions,
    project_with_mirror,
    toolchain_or_skip,
    write_cli_config,
)

from stacks.platform import PLATFORM_ENV_VAR, chosen_platform
from stacks.platform.choice import CDKTF, CDKTN, Platform

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f3c2b1a-1111-2222-3333-444455556666"
CUSTOM_DOMAIN = "login.e2e.acme.example"
DOMAIN = "acme-test.criipto.id"  # the base environment's Criipto domain
EXISTING_POOL_NAME = "e2e-existing-pool"
# The environments deployed here, and the one that goes through `make deploy`.
THROUGH_MAKE = "picker"
PROVIDERS = {
    "picker": ["criipto"],
    "eids": ["mitid", "se_bankid"],
    "existing": ["criipto"],
    "custom": ["criipto"],
    "features": ["criipto"],
}
# A resource server made beforehand in the existing pool: a client's scope names it although
# the config does not (not checked at synth on an existing pool; doctor finds it).
EXISTING_SERVER = "https://existing.acme.example"
ORDERS_API = "https://orders.acme.example"
# moto 5.2 accepts a custom domain but its DescribeUserPoolDomain leaves out
# CustomDomainConfig, so the provider reads certificate_arn back as empty and every later plan
# replaces the domain. AWS returns the certificate; this is the emulator's gap, and the one
# change a plan of the custom-domain stack may show here.
EMULATOR_DRIFT = {"custom": {"aws_cognito_user_pool_domain.domain": "replaced"}}


@dataclass(frozen=True)
class Deployment:
    toolchain: Toolchain
    endpoint: str
    project: Path
    config: dict[str, Any]
    existing_pool_id: str
    secret: str
    transcript: Transcript
    op_url: str
    function_arn: str

    def stack(self, name: str) -> Path:
        return self.project / "cdktf.out" / "stacks" / name

    def cognito(self) -> Any:
        return _client("cognito-idp", self.endpoint)

    def lambdas(self) -> Any:
        return _client("lambda", self.endpoint)


pytestmark = [pytest.mark.terraform, pytest.mark.oidc_harness]


def _client(service: str, endpoint: str) -> Any:
    return moto_client(endpoint, service)


def _trigger_function(endpoint: str) -> str:
    """A Lambda function in moto (its role too), as a team has it before adding the trigger."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = _client("iam", endpoint).create_role(
        RoleName="e2e-trigger", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    function = _client("lambda", endpoint).create_function(
        FunctionName="e2e-pre-token",
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": code.getvalue()},
    )
    return str(function["FunctionArn"])


def _toolchain() -> Toolchain:
    return toolchain_or_skip()


def environments(aws_constraint: str, existing_pool_id: str, function_arn: str) -> dict[str, Any]:
    """External-mode environments: the picker, per-eID providers, an existing pool, a custom
    domain, a pool with the production features. Deletion protection is off: moto does not
    enforce it, and a real pool needs it off to be destroyed."""

    def new(name: str) -> dict[str, Any]:
        env = external(copy.deepcopy(base_environment()))
        env["user_pool"] = {"name": f"e2e-{name}", "deletion_protection": False}
        env["domain"] = {"prefix": f"e2e-{name}-login"}
        env["criipto"]["client_id"] = f"urn:acme:cognito:{name}"
        return env

    eids = new("eids")
    eids["criipto"].pop("provider_name")
    eids["criipto"]["eids"] = ["dk-mitid-substantial", "se-bankid"]
    existing = new("existing")
    existing["user_pool"] = {"existing_id": existing_pool_id}
    existing["app_client"]["oauth_scopes"] = ["openid", f"{EXISTING_SERVER}/read"]
    custom = new("custom")
    custom["domain"] = {"custom": CUSTOM_DOMAIN, "certificate_arn": CERT}
    return {
        "terraform": {"aws_provider": aws_constraint},
        "environments": {
            "picker": new("picker"),
            "eids": eids,
            "existing": existing,
            "custom": custom,
            "features": features(new("features"), function_arn),
        },
    }


def features(env: dict[str, Any], function_arn: str) -> dict[str, Any]:
    """Several clients with their token settings, resource servers, the Plus plan with threat
    protection, and a pre token generation trigger."""
    web = env.pop("app_client")
    env["user_pool"].update(
        user_pool_tier="PLUS",
        user_pool_add_ons={"advanced_security_mode": "AUDIT"},
        lambda_config={
            "pre_token_generation_config": {"lambda_arn": function_arn, "lambda_version": "V2_0"}
        },
    )
    env["resource_servers"] = {
        ORDERS_API: {"name": "Orders", "scopes": {"read": "Read orders", "write": "Place orders"}},
        "reports": {"name": "Reports", "scopes": {"export": "Export reports"}},
    }
    env["app_clients"] = {
        "web": {
            **web,
            "name": "web",
            "oauth_scopes": ["openid", f"{ORDERS_API}/read"],
            "refresh_token_validity": 7,
            **short_rotating_tokens(15),
        },
        "backend": {
            "name": "Orders backend",
            "callback_urls": ["https://backend.acme.com/callback"],
            "oauth_scopes": ["openid", f"{ORDERS_API}/write", "reports/export"],
            "generate_secret": True,
            "auth_session_validity": 5,
            "refresh_token_validity": 1,
            "read_attributes": ["name"],
            "write_attributes": [],
            "prevent_user_existence_errors": "LEGACY",
        },
    }
    return env


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    base = tmp_path_factory.mktemp("e2e")
    mirrored = project_with_mirror(base)
    toolchain, project = mirrored.toolchain, mirrored.project
    secret = f"canary-client-secret-{secrets.token_hex(8)}"
    with running_moto() as endpoint, running_op(base / "op", DOMAIN, applications(secret)) as op:
        cognito = moto_client(endpoint, "cognito-idp")
        existing = cognito.create_user_pool(PoolName=EXISTING_POOL_NAME)["UserPool"]["Id"]
        cognito.create_resource_server(
            UserPoolId=existing,
            Identifier=EXISTING_SERVER,
            Name="Existing",
            Scopes=[{"ScopeName": "read", "ScopeDescription": "Read"}],
        )
        function_arn = _trigger_function(endpoint)
        config = environments(mirrored.aws_constraint, existing, function_arn)
        write_config(project, config)
        transcript = mirrored.transcript(
            endpoint, TF_VAR_criipto_client_secret=secret, SSL_CERT_FILE=str(op.ca_file)
        )
        # The user's first step; the stacks it writes serve every case below, on the platform
        # under test (its release is in the manifest).
        transcript.run(["make", "synth"], project)
        manifest = json.loads((project / "cdktf.out" / "manifest.json").read_text())
        assert manifest["version"] == version(chosen_platform().package)
        yield Deployment(
            toolchain,
            endpoint,
            project,
            config,
            existing,
            secret,
            transcript,
            op.base_url,
            function_arn,
        )


def applications(secret: str) -> list[Application]:
    """Each environment's application as the dashboard holds it: its Client ID, the secret
    Terraform deploys, Cognito's callback on its domain."""
    hosts = {name: f"e2e-{name}-login.auth.{REGION}.amazoncognito.com" for name in PROVIDERS}
    hosts["custom"] = CUSTOM_DOMAIN
    return [
        Application(f"urn:acme:cognito:{name}", secret, [f"https://{host}/oauth2/idpresponse"])
        for name, host in hosts.items()
    ]


@pytest.mark.parametrize("name", ["picker", "eids", "existing", "custom", "features"])
def test_deploy_replan_check_rotate_destroy(deployment: Deployment, name: str) -> None:
    run = deployment.transcript
    stack = deployment.stack(name)
    rotated = f"canary-rotated-secret-{secrets.token_hex(8)}"

    if name == THROUGH_MAKE:
        run.run(["make", "deploy", f"ENV={name}", "CDKTF_ARGS=--auto-approve"], deployment.project)
    else:
        run.terraform(stack, "init", "-input=false")
        run.terraform(stack, "apply", "-auto-approve", "-input=false")

    # Nothing left to do: AWS's discovered values are ignored, nothing else drifts.
    drift = EMULATOR_DRIFT.get(name, {})
    replan = run.terraform(
        stack, "plan", "-detailed-exitcode", "-input=false", ok=(2,) if drift else (0,)
    )
    assert planned_actions(replan.stdout) == drift
    if drift:
        assert "# forces replacement" in replan.stdout
        assert sum("forces replacement" in line for line in replan.stdout.splitlines()) == 1
        assert "+ certificate_arn" in replan.stdout

    config = ["--config", str(deployment.project / "federation.toml")]
    doctor = run.criipto_cognito(
        deployment.project, "doctor", name, *config, "--base-url", deployment.op_url
    )
    assert "0 failed" in doctor.stdout
    # Nothing unknown or skipped: only what no request can see.
    assert doctor.stdout.splitlines()[-1].endswith(", 1 not visible from outside"), doctor.stdout
    if name == "features":
        # One login URL per client, each the stack's app_client_login_urls entry.
        by_client = json.loads(
            run.terraform(stack, "output", "-json", "app_client_login_urls").stdout
        )
        assert sorted(by_client) == ["backend", "web"]
        for key, by_provider in by_client.items():
            login_url = run.criipto_cognito(
                deployment.project, "login-url", name, *config, "--client", key
            )
            assert login_url.stdout.strip() == by_provider["Criipto"]
        _assert_features_applied(deployment, stack)
    else:
        login_url = run.criipto_cognito(deployment.project, "login-url", name, *config)
        output = run.terraform(stack, "output", "-raw", "login_url")
        assert login_url.stdout.strip() == output.stdout.strip()
        assert output.stdout.startswith("https://")
    if name == "custom":
        alias = run.terraform(stack, "output", "-raw", "custom_domain_alias_target").stdout
        described = deployment.cognito().describe_user_pool_domain(Domain=CUSTOM_DOMAIN)[
            "DomainDescription"
        ]
        assert alias == described["CloudFrontDistribution"]

    # A new secret reaches every provider, and nothing else changes.
    plan = run.terraform(
        stack,
        "plan",
        "-detailed-exitcode",
        "-input=false",
        ok=(2,),
        TF_VAR_criipto_client_secret=rotated,
    )
    expected = {f"aws_cognito_identity_provider.{p}": "updated in-place" for p in PROVIDERS[name]}
    assert planned_actions(plan.stdout) == {**expected, **drift}
    if not drift:
        assert f"Plan: 0 to add, {len(expected)} to change, 0 to destroy." in plan.stdout
    if name == THROUGH_MAKE:
        diff = run.run(
            ["make", "diff", f"ENV={name}"],
            deployment.project,
            TF_VAR_criipto_client_secret=rotated,
        )
        assert "1 to change" in diff.stdout
        assert not (stack / "plan").exists(), "cdktf's plan file holds the secret"
    if name == "eids":
        # Applied, the rotated secret is what Cognito holds for each eID's provider.
        run.terraform(
            stack, "apply", "-auto-approve", "-input=false", TF_VAR_criipto_client_secret=rotated
        )
        pool_id = run.terraform(stack, "output", "-raw", "user_pool_id").stdout
        for provider in ("MitID", "SE-BankID"):
            details = deployment.cognito().describe_identity_provider(
                UserPoolId=pool_id, ProviderName=provider
            )["IdentityProvider"]["ProviderDetails"]
            assert details["client_secret"] == rotated

    pool_id = run.terraform(stack, "output", "-raw", "user_pool_id").stdout
    if name == "features":
        # moto 5.2.5 has no DeleteResourceServer: the plan shows both servers destroyed (as AWS
        # would do it), then Terraform forgets them and the pool's deletion takes them along.
        servers = [
            f"aws_cognito_resource_server.{n}" for n in ("https_orders_acme_example", "reports")
        ]
        destroy_plan = run.terraform(
            stack, "plan", "-destroy", "-input=false", TF_VAR_criipto_client_secret=rotated
        )
        for server in servers:
            assert planned_actions(destroy_plan.stdout)[server] == "destroyed"
        run.terraform(stack, "state", "rm", *servers)
        # state rm leaves a backup of the state (secrets included) in the working directory.
        for backup in stack.glob("terraform.tfstate.*.backup"):
            backup.unlink()
    if name == THROUGH_MAKE:
        run.run(["make", "destroy", f"ENV={name}", "CDKTF_ARGS=--auto-approve"], deployment.project)
    else:
        run.terraform(
            stack, "destroy", "-auto-approve", "-input=false", TF_VAR_criipto_client_secret=rotated
        )
    _assert_removed(deployment, name, pool_id)

    run.assert_never_printed(deployment.secret, rotated)
    out = deployment.project / "cdktf.out"
    assert files_holding(out, deployment.secret) == []
    assert files_holding(out, rotated) == []


def _assert_features_applied(deployment: Deployment, stack: Path) -> None:
    """What the features environment made is in AWS (moto) as the config says."""
    run = deployment.transcript
    pool_id = run.terraform(stack, "output", "-raw", "user_pool_id").stdout
    ids = json.loads(run.terraform(stack, "output", "-json", "app_client_ids").stdout)
    cognito = deployment.cognito()
    web = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=ids["web"])[
        "UserPoolClient"
    ]
    assert web["AccessTokenValidity"] == 15
    assert web["TokenValidityUnits"] == {
        "AccessToken": "minutes",
        "IdToken": "minutes",
        "RefreshToken": "days",
    }
    assert web["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}
    assert web["ExplicitAuthFlows"] == []  # AWS refuses ALLOW_REFRESH_TOKEN_AUTH with rotation
    backend = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=ids["backend"])[
        "UserPoolClient"
    ]
    assert backend["ClientName"] == "Orders backend"
    assert backend["PreventUserExistenceErrors"] == "LEGACY"
    assert backend["ReadAttributes"] == ["name"]
    assert sorted(backend["AllowedOAuthScopes"]) == sorted(
        ["openid", f"{ORDERS_API}/write", "reports/export"]
    )
    orders = cognito.describe_resource_server(UserPoolId=pool_id, Identifier=ORDERS_API)
    assert sorted(s["ScopeName"] for s in orders["ResourceServer"]["Scopes"]) == ["read", "write"]
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["UserPoolTier"] == "PLUS"
    assert pool["UserPoolAddOns"] == {"AdvancedSecurityMode": "AUDIT"}
    assert pool["LambdaConfig"]["PreTokenGenerationConfig"] == {
        "LambdaArn": deployment.function_arn,
        "LambdaVersion": "V2_0",
    }
    policy = json.loads(
        deployment.lambdas().get_policy(FunctionName=deployment.function_arn)["Policy"]
    )
    [statement] = policy["Statement"]
    assert statement["Principal"] == {"Service": "cognito-idp.amazonaws.com"}
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == pool["Arn"]


def test_managed_login_and_log_delivery_are_validated_and_planned(
    deployment: Deployment, tmp_path: Path
) -> None:
    """Managed login (version 2 with a branding per client) and log delivery: resources of
    hashicorp/aws 6.x, which moto 5.2.5 does not serve. Validated and planned against moto
    (a plan of new resources reads nothing) where the mirror's provider knows them."""
    run = deployment.transcript
    project = make_project(tmp_path / "project")
    env = features(external(copy.deepcopy(base_environment())), deployment.function_arn)
    env["domain"]["managed_login_version"] = 2
    env["log_delivery_configuration"] = {
        "log_configurations": [
            {
                "event_source": "userAuthEvents",
                "log_level": "INFO",
                "s3_configuration": {"bucket_arn": "arn:aws:s3:::e2e-cognito-logs"},
            }
        ]
    }
    config = {
        "terraform": deployment.config["terraform"],
        "environments": {"managed-login": env},
    }
    write_config(project, config)
    run.run(["make", "synth"], project)
    stack = project / "cdktf.out" / "stacks" / "managed-login"
    run.terraform(stack, "init", "-input=false")
    schema = json.loads(run.terraform(stack, "providers", "schema", "-json").stdout)
    [aws] = [v for k, v in schema["provider_schemas"].items() if k.endswith("hashicorp/aws")]
    needed = ["aws_cognito_managed_login_branding", "aws_cognito_log_delivery_configuration"]
    lacking = [kind for kind in needed if kind not in aws["resource_schemas"]]
    if lacking:
        pytest.skip(
            f"not validated nor planned: hashicorp/aws {deployment.toolchain.aws_version} in "
            f"the mirror lacks {', '.join(lacking)} (hashicorp/aws 6.x resources), and moto "
            "5.2.5 serves neither managed-login branding nor log delivery; synthesized only"
        )
    run.terraform(stack, "validate")
    plan = run.terraform(stack, "plan", "-input=false", ok=(0,))
    actions = planned_actions(plan.stdout)
    assert actions["aws_cognito_managed_login_branding.web"] == "created"
    assert actions["aws_cognito_managed_login_branding.backend"] == "created"
    assert actions["aws_cognito_log_delivery_configuration.log_delivery"] == "created"


def _assert_removed(deployment: Deployment, name: str, pool_id: str) -> None:
    cognito = deployment.cognito()
    pools = {p["Id"]: p["Name"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]}
    if name != "existing":
        assert pool_id not in pools
        return
    # Attached, not owned: the pool stays, and what the stack added to it is gone.
    assert pools.get(deployment.existing_pool_id) == EXISTING_POOL_NAME
    assert (
        cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"] == []
    )
    # The server made beforehand is the pool's own, not the stack's: still there.
    servers = cognito.list_resource_servers(UserPoolId=pool_id, MaxResults=50)["ResourceServers"]
    assert [server["Identifier"] for server in servers] == [EXISTING_SERVER]
    assert cognito.list_identity_providers(UserPoolId=pool_id, MaxResults=60)["Providers"] == []
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert not pool.get("Domain") and not pool.get("CustomDomain")


@pytest.mark.second_platform
def test_a_deployment_moves_between_the_platforms_without_a_change(
    deployment: Deployment, tmp_path: Path
) -> None:
    """docs/platforms.md, "Moving an existing deployment": deployed from CDK for Terraform's
    synth, the same config synthesized by CDK Terrain plans no change on the same state, and
    back again. Once, from the default platform's suite; needs both environments."""
    if chosen_platform() != CDKTF:
        pytest.skip("run once, from the default platform's suite")
    if not (ROOT / ".venv-cdktn" / ".installed").exists():
        pytest.skip(".venv-cdktn is not installed (make setup CRIIPTO_COGNITO_PLATFORM=cdktn)")
    project = make_project(tmp_path / "project")
    config = environments(
        f">= {deployment.toolchain.aws_version}, < 7.0.0", "unused", deployment.function_arn
    )
    config["environments"] = {"moved": config["environments"]["eids"]}
    config["environments"]["moved"]["user_pool"]["name"] = "e2e-moved"
    config["environments"]["moved"]["domain"]["prefix"] = "e2e-moved-login"
    write_config(project, config)
    run = deployment.transcript
    stack = project / "cdktf.out" / "stacks" / "moved"

    # main.py as the cdktf CLI runs it, with each platform's environment (the CLI itself is
    # the same on both: the deploy test above goes through it).
    synth = {CDKTF: ".venv", CDKTN: ".venv-cdktn"}

    def synthesize(platform: Platform) -> None:
        python = str(ROOT / synth[platform] / "bin" / "python")
        env: dict[str, Any] = {PLATFORM_ENV_VAR: platform.name}
        run.run([python, "main.py"], project, **env)

    synthesize(CDKTF)
    run.terraform(stack, "init", "-input=false")
    run.terraform(stack, "apply", "-auto-approve", "-input=false")
    for platform in (CDKTN, CDKTF):
        synthesize(platform)
        written = json.loads((stack / "cdk.tf.json").read_text())["terraform"]
        assert written["required_providers"]["aws"]["source"] == platform.aws_provider_source
        run.terraform(stack, "init", "-input=false")
        replan = run.terraform(stack, "plan", "-detailed-exitcode", "-input=false")
        assert "No changes." in replan.stdout, platform.title
    run.terraform(stack, "destroy", "-auto-approve", "-input=false")


def test_managed_mode_validates_with_the_mirrored_restapi(tmp_path: Path) -> None:
    toolchain = _toolchain()
    if toolchain.restapi_version is None:
        pytest.skip(
            "managed mode is not exercised end to end: its apply needs a Criipto management "
            f"API, and the mirror {toolchain.mirror} holds no Mastercard/restapi build, so "
            "even terraform validate cannot run on a managed-mode stack"
        )
    project = make_project(tmp_path / "project")
    config = {
        "terraform": {
            "aws_provider": f">= {toolchain.aws_version}, < 7.0.0",
            "restapi_provider": f"= {toolchain.restapi_version}",
        },
        "environments": {"managed": base_environment()},
    }
    write_config(project, config)
    run = Transcript(
        clean_environment(
            TF_CLI_CONFIG_FILE=str(write_cli_config(tmp_path / "mirror.tfrc", toolchain.mirror))
        )
    )
    run.run(["make", "synth"], project)
    stack = project / "cdktf.out" / "stacks" / "managed"
    run.terraform(stack, "init", "-input=false", "-backend=false")
    run.terraform(stack, "validate")
