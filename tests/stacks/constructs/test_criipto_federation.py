"""The public constructs: literal props are checked with the config's rules and messages, once,
when each construct or options object is made (a PropError names the prop; nothing is added to
the tree); tokens are left to Terraform; literal text stays data; a managed federation works
from code."""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from support.configs import base_environment, changed
from support.processes import run_captured
from support.project import ROOT
from support.synth import (
    federation_props,
    identity_provider,
    library_stack,
    synth_library,
    synth_stacks,
)

from stacks.constructs import (
    PICKER,
    AppClientOptions,
    ClientSecretSource,
    CriiptoApplication,
    CriiptoCognitoError,
    CriiptoFederation,
    CriiptoIdentityProvider,
    ExternalApplication,
    FederatedAppClient,
    FederationOptions,
    FederationUserPool,
    HostedDomain,
    LambdaConfig,
    LogConfiguration,
    LogDelivery,
    ManagedApplication,
    ManagedLoginBranding,
    PreTokenGenerationConfig,
    PropError,
    RefreshTokenRotation,
    ResourceServer,
    ResourceServerOptions,
    StoredClientSecret,
    TokenValidityUnits,
    TriggerPermissions,
    UserPoolAddOns,
    UserPoolFeatures,
    prefix_domain_host,
    user_pool_arguments,
)
from stacks.platform import TerraformStack, aws
from stacks.rules import federation_plan


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[FederationOptions]:
    """The options of every federation plan computed while the test runs."""
    calls: list[FederationOptions] = []
    planned = federation_plan._plan

    def counting(options: FederationOptions) -> federation_plan.FederationPlan:
        calls.append(options)
        return planned(options)

    monkeypatch.setattr(federation_plan, "_plan", counting)
    return calls


def test_the_plan_is_computed_once(tmp_path: Path, plans: list[FederationOptions]) -> None:
    """The options plan when made; the federation builds that plan and never plans again."""
    _, stack, secret = library_stack(tmp_path)
    options = FederationOptions(eids=["se-bankid", "dk-mitid-substantial"])
    federation = CriiptoFederation(stack, "criipto", **federation_props(secret), options=options)
    assert plans == [options]
    assert federation.plan is options.plan
    assert [p.provider_name for p in federation.plan.providers] == ["SE-BankID", "MitID"]


def test_the_toml_app_plans_each_environment_once(
    tmp_path: Path, plans: list[FederationOptions]
) -> None:
    """The config's check computes the plan; the stack builds that one (no second plan)."""
    eids = changed("criipto.eids", ["se-bankid"], changed("criipto.provider_name", ...))
    synth_stacks({"environments": {"picker": base_environment(), "eids": eids}}, tmp_path)
    assert [list(options.eids) for options in plans] == [[], ["se-bankid"]]  # () unset


def _each_refused_before_anything_is_built(
    stack: Any, base: dict[str, Any], cases: list[tuple[dict[str, Any], str]], before: list[str]
) -> None:
    """Each change of ``base`` raises PropError with its message, and the stack is unchanged."""
    for change, message in cases:
        with pytest.raises(PropError) as caught:
            CriiptoFederation(stack, "criipto", **{**base, **change})
        assert str(caught.value).startswith(message), change
        assert [child.node.id for child in stack.node.children] == before, change


def test_federation_refuses_bad_props_before_adding_anything(tmp_path: Path) -> None:
    _, stack, secret = library_stack(tmp_path)
    before = [child.node.id for child in stack.node.children]
    base = federation_props(secret)
    managed = ManagedApplication(name="A", api_url="https://x.example", api_token=secret)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"hosted_domain": "Login.acme.com"}, "hosted_domain: must be a lowercase DNS name"),
        ({"user_pool_id": "pool"}, "user_pool_id: 'pool' is not a user pool id"),
        ({"criipto_domain": "acme"}, "criipto_domain: must be a lowercase DNS name"),
        (
            {"application": managed, "hosted_domain": f"{secret}.example"},
            "hosted_domain: must be a literal, not a reference",
        ),
        # The parts check what they are given: the first part built refuses before it adds.
        (
            {"application": ExternalApplication(client_id="has space", client_secret=secret)},
            "client_id: must be 1 to 255 characters without spaces",
        ),
        (
            {"application": ExternalApplication(client_id="urn:acme", client_secret="hunter2")},
            "client_secret: must be a reference",
        ),
        (
            {"application": ManagedApplication(name=" A", api_url="https://x", api_token=secret)},
            "name: must not be empty or start or end with spaces",
        ),
        (
            {"application": ManagedApplication(name="A", api_url="https://x", api_token="t")},
            "api_token: must be a reference",
        ),
    ]
    _each_refused_before_anything_is_built(stack, base, cases, before)


def test_managed_federation_from_code(tmp_path: Path) -> None:
    app, stack, token = library_stack(tmp_path)
    pool = aws.CognitoUserPool(stack, "pool", name="users")
    host = prefix_domain_host("acme-login", "eu-north-1")
    federation = CriiptoFederation(
        stack,
        "criipto",
        user_pool_id=pool.id,
        hosted_domain=host,
        criipto_domain="acme.criipto.id",
        application=ManagedApplication(
            name="AWS Cognito ${prod}", api_url="https://api.acme.example/", api_token=token
        ),
        app_client=AppClientOptions(name="web", callback_urls=["https://app.acme.com/callback"]),
    )
    assert federation.application is not None and federation.application_id is not None
    out = synth_library(app, tmp_path)
    module = out["module"]["criipto_application"]
    assert module["api_token"] == "${var.secret}"
    assert module["api_url"] == "https://api.acme.example"
    [provider] = out["resource"]["aws_cognito_identity_provider"].values()
    assert provider["provider_name"] == "Criipto"
    assert provider["provider_details"]["client_id"] == "${module.criipto_application.client_id}"
    assert provider["provider_details"]["client_secret"] == (
        "${module.criipto_application.client_secret}"
    )
    assert out["output"]["criipto_application_id"]["value"] == (
        "${module.criipto_application.application_id}"
    )
    # The body is baked into the module: the realm and return URL follow the host, the name
    # is escaped there (data, not a template).
    [body_file] = (tmp_path / "cdktf.out/stacks/lib/assets").rglob("main.tf.json")
    data = json.loads(
        json.loads(body_file.read_text())["resource"]["restapi_object"]["application"][
            "data"
        ].replace("$${", "${")
    )
    assert data["realm"] == f"urn:aws-cognito:{host}"
    assert data["returnUrls"] == [f"https://{host}/oauth2/idpresponse"]
    assert data["name"] == "AWS Cognito ${prod}"


FUNCTION = "arn:aws:lambda:eu-north-1:123456789012:function:tokens"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: TokenValidityUnits(access_token="weeks"), "access_token: must be one of"),  # type: ignore[arg-type]
        (
            lambda: RefreshTokenRotation("ON"),  # type: ignore[arg-type]  # refused on purpose
            "feature: must be one of 'ENABLED' or 'DISABLED'",
        ),
        (
            lambda: RefreshTokenRotation("ENABLED", retry_grace_period_seconds=90),
            "retry_grace_period_seconds: must be 0 to 60 seconds (got 90)",
        ),
        (
            lambda: AppClientOptions(
                name="web", callback_urls=["https://app.acme.com/cb"], access_token_validity=25
            ),
            "access_token_validity: 25 hours is outside 5 minutes to 1 day",
        ),
        (
            lambda: AppClientOptions(
                name="web",
                callback_urls=["https://app.acme.com/cb"],
                access_token_validity=2,
                refresh_token_validity=1,
                token_validity_units=TokenValidityUnits(refresh_token="hours"),
            ),
            "access_token_validity: the access token (2 hours) must not outlive the refresh token",
        ),
        (
            lambda: AppClientOptions(
                name="web", callback_urls=["https://app.acme.com/cb"], auth_session_validity=1
            ),
            "auth_session_validity: must be 3 to 15 minutes (got 1)",
        ),
        (
            lambda: AppClientOptions(
                name="web", callback_urls=["https://app.acme.com/cb"], write_attributes=["shoe"]
            ),
            "write_attributes: 'shoe' is neither",
        ),
        (lambda: ResourceServerOptions(name="a/b"), "name: must be 1 to 256 ASCII letters"),
        (
            lambda: ResourceServerOptions(name="API", scopes={"a b": "x"}),
            "scopes.a b: must be 1 to 256 printable ASCII characters",
        ),
        (lambda: LambdaConfig(pre_sign_up="fn"), "pre_sign_up: 'fn' is not a Lambda function ARN"),
        (
            lambda: PreTokenGenerationConfig(FUNCTION, "V9_0"),  # type: ignore[arg-type]
            "lambda_version: must be one of 'V1_0', 'V2_0' or 'V3_0'",
        ),
        (
            lambda: UserPoolFeatures(user_pool_add_ons=UserPoolAddOns("AUDIT")),
            "user_pool_add_ons.advanced_security_mode: threat protection",
        ),
        (
            lambda: UserPoolFeatures(
                user_pool_tier="LITE",
                lambda_config=LambdaConfig(
                    pre_token_generation_config=PreTokenGenerationConfig(FUNCTION, "V2_0")
                ),
            ),
            "lambda_config.pre_token_generation_config.lambda_version: a pre token generation",
        ),
        (
            lambda: LogConfiguration("userNotification", "ERROR"),
            "cloud_watch_logs_configuration: give exactly one destination",
        ),
    ],
)
def test_production_options_are_checked_when_made(make: Any, message: str) -> None:
    with pytest.raises(PropError) as caught:
        make()
    assert str(caught.value).startswith(message)


def test_federation_with_several_clients_and_servers_from_code(tmp_path: Path) -> None:
    app, stack, secret = library_stack(tmp_path)
    pool = aws.CognitoUserPool(
        stack,
        "pool",
        name="users",
        **user_pool_arguments(
            UserPoolFeatures(
                user_pool_tier="ESSENTIALS",
                lambda_config=LambdaConfig(
                    pre_token_generation_config=PreTokenGenerationConfig(FUNCTION, "V2_0")
                ),
            )
        ),
    )
    TriggerPermissions(
        stack,
        "permissions",
        user_pool_arn=pool.arn,
        lambda_config=LambdaConfig(
            pre_token_generation_config=PreTokenGenerationConfig(FUNCTION, "V2_0")
        ),
    )
    federation = CriiptoFederation(
        stack,
        "criipto",
        user_pool_id=pool.id,
        hosted_domain="login.acme.com",
        criipto_domain="acme.criipto.id",
        application=ExternalApplication(client_id="urn:acme", client_secret=secret),
        app_clients={
            "web": AppClientOptions(
                name="web",
                callback_urls=["https://app.acme.com/cb"],
                oauth_scopes=["openid", "orders/read"],
                refresh_token_rotation=RefreshTokenRotation("ENABLED", 30),
            ),
            "mobile": AppClientOptions(name="mobile", callback_urls=["myapp://cb"]),
        },
        resource_servers={"orders": ResourceServerOptions("Orders", {"read": "Read orders"})},
        managed_login_branding=True,
    )
    assert federation.app_client is None
    assert sorted(federation.app_clients) == ["mobile", "web"]
    assert federation.client_id == federation.app_clients["web"].client_id
    out = synth_library(app, tmp_path)
    resource = out["resource"]
    assert sorted(resource["aws_cognito_user_pool_client"]) == ["mobile", "web"]
    assert resource["aws_cognito_user_pool_client"]["web"]["depends_on"] == [
        "aws_cognito_resource_server.orders"
    ]
    assert sorted(resource["aws_cognito_managed_login_branding"]) == ["mobile", "web"]
    assert resource["aws_cognito_user_pool"]["pool"]["user_pool_tier"] == "ESSENTIALS"
    assert list(resource["aws_lambda_permission"]) == ["pre_token_generation_config"]
    assert sorted(out["output"]["app_client_ids"]["value"]) == ["mobile", "web"]


def test_federation_refuses_clients_that_break_a_rule_before_adding_anything(
    tmp_path: Path,
) -> None:
    _, stack, secret = library_stack(tmp_path)
    before = [child.node.id for child in stack.node.children]
    web = AppClientOptions(name="web", callback_urls=["https://app.acme.com/cb"])
    base = federation_props(secret, one_client=False)
    orders = dataclasses.replace(web, oauth_scopes=["openid", "orders/read"])
    cases: list[tuple[dict[str, Any], str]] = [
        ({}, "app_client: give app_client (one client) or app_clients, not both"),
        ({"app_client": web, "app_clients": {"web": web}}, "app_client: give app_client"),
        ({"app_clients": {"web": web, "Web": web}}, "app_clients.Web: 'web' and 'Web' would both"),
        ({"app_clients": {"9": web}}, "app_clients.9: an app client's key must be"),
        (
            {"app_client": orders},
            "app_client.oauth_scopes: 'orders/read' names the resource server",
        ),
        (
            {"app_client": orders, "resource_servers": {"orders": ResourceServerOptions("O")}},
            "app_client.oauth_scopes: 'orders/read': the resource server 'orders' has no scope",
        ),
        (
            {
                "app_client": dataclasses.replace(web, write_attributes=[]),
                "options": FederationOptions(attribute_mapping={"name": "name"}),
            },
            "app_client.write_attributes: must include every attribute",
        ),
    ]
    _each_refused_before_anything_is_built(stack, base, cases, before)
    # A pool whose servers are made elsewhere: the scope is not the federation's to check.
    CriiptoFederation(stack, "criipto", **base, app_client=orders, check_custom_scopes=False)


# -- docs/library.md: each table row is the constructor's own default -------------------------

DOCUMENTED = {
    "CriiptoFederation": CriiptoFederation,
    "FederationUserPool": FederationUserPool,
    "HostedDomain": HostedDomain,
    "FederationOptions": FederationOptions,
    "AppClientOptions": AppClientOptions,
    "TokenValidityUnits": TokenValidityUnits,
    "RefreshTokenRotation": RefreshTokenRotation,
    "ResourceServerOptions": ResourceServerOptions,
    "UserPoolFeatures": UserPoolFeatures,
    "UserPoolAddOns": UserPoolAddOns,
    "LambdaConfig": LambdaConfig,
    "PreTokenGenerationConfig": PreTokenGenerationConfig,
    "LogConfiguration": LogConfiguration,
    "ManagedApplication": ManagedApplication,
    "ExternalApplication": ExternalApplication,
    "ClientSecretSource": ClientSecretSource,
    "StoredClientSecret": StoredClientSecret,
    "CriiptoIdentityProvider": CriiptoIdentityProvider,
    "CriiptoApplication": CriiptoApplication,
    "FederatedAppClient": FederatedAppClient,
    "ResourceServer": ResourceServer,
    "ManagedLoginBranding": ManagedLoginBranding,
    "TriggerPermissions": TriggerPermissions,
    "LogDelivery": LogDelivery,
}
REQUIRED = object()


def _documented_props() -> dict[str, dict[str, str]]:
    """Per ``## `Name``` section of docs/library.md: prop -> its Default cell."""
    tables: dict[str, dict[str, str]] = {}
    section = None
    for line in (ROOT / "docs" / "library.md").read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"## `(\w+)`", line)
        if heading:
            section = heading[1]
            tables[section] = {}
        elif line.startswith("## "):
            section = None
        elif section and (row := re.match(r"\| `(\w+)` \| ([^|]+) \|", line)):
            tables[section][row[1]] = row[2].strip()
    return tables


def _defaults(cls: type) -> dict[str, object]:
    """prop -> its default (REQUIRED when it has none), from the constructor's signature."""
    if dataclasses.is_dataclass(cls):
        found: dict[str, object] = {}
        for field in dataclasses.fields(cls):
            if not field.init:
                continue
            if field.default is not dataclasses.MISSING:
                found[field.name] = field.default
            elif field.default_factory is not dataclasses.MISSING:
                found[field.name] = field.default_factory()
            else:
                found[field.name] = REQUIRED
        return found
    parameters = list(inspect.signature(cls.__init__).parameters.values())  # type: ignore[misc]
    return {
        p.name: REQUIRED if p.default is inspect.Parameter.empty else p.default
        for p in parameters
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


def test_the_library_docs_state_every_prop_with_its_real_default() -> None:
    tables = _documented_props()
    assert sorted(tables) == sorted(DOCUMENTED)
    for name, cls in DOCUMENTED.items():
        defaults = _defaults(cls)
        assert list(tables[name]) == list(defaults), name
        for prop, cell in tables[name].items():
            if defaults[prop] is REQUIRED:
                assert cell == "required", (name, prop)
                continue
            written = re.fullmatch(r"`([^`]+)`", cell)
            assert written, (name, prop, cell)
            value = eval(written[1], {"PICKER": PICKER, "UserPoolFeatures": UserPoolFeatures})  # noqa: S307
            actual = defaults[prop]
            assert value == (tuple(actual) if isinstance(actual, tuple) else actual), (name, prop)


def _federation(stack: TerraformStack, id: str, secret: str, **props: Any) -> CriiptoFederation:
    pool = FederationUserPool(stack, f"{id}_pool", name=f"{id}-users")
    domain = HostedDomain(
        stack, f"{id}_domain", user_pool_id=pool.user_pool_id, region="eu-north-1", prefix=id
    )
    return CriiptoFederation(
        stack,
        id,
        user_pool_id=pool.user_pool_id,
        hosted_domain=domain.host_name,
        criipto_domain="acme.criipto.id",
        application=ExternalApplication(client_id=f"urn:acme:{id}", client_secret=secret),
        app_client=AppClientOptions(name="web", callback_urls=["https://app.acme.com/cb"]),
        **props,
    )


def test_two_federations_fit_in_one_stack_at_readable_addresses(tmp_path: Path) -> None:
    """Each federation is a construct of its own; a prefix keeps the Terraform names apart and
    readable, and a second federation with a prefix already taken is refused."""
    app, stack, secret = library_stack(tmp_path)
    staff = _federation(stack, "staff", secret)
    partners = _federation(stack, "partners", secret, prefix="partners")
    assert stack.node.try_find_child("staff") is staff
    assert [child.node.id for child in partners.node.children] == [
        "partners_criipto",
        "partners_app_client",
    ]
    with pytest.raises(PropError, match=r"^prefix: another CriiptoFederation in this stack"):
        _federation(stack, "third", secret, prefix="partners")
    with pytest.raises(PropError, match=r"^prefix: 'Partners!' must be 1 to 32 lowercase"):
        _federation(stack, "fourth", secret, prefix="Partners!")
    out = synth_library(app, tmp_path)
    resource = out["resource"]
    assert sorted(resource["aws_cognito_identity_provider"]) == ["criipto", "partners_criipto"]
    assert sorted(resource["aws_cognito_user_pool_client"]) == ["app_client", "partners_app_client"]
    assert sorted(resource["aws_cognito_user_pool"]) == [
        "fourth_pool",
        "partners_pool",
        "staff_pool",
        "third_pool",
    ]
    clients = resource["aws_cognito_user_pool_client"]
    assert (
        clients["partners_app_client"]["user_pool_id"]
        == "${aws_cognito_user_pool.partners_pool.id}"
    )
    assert clients["partners_app_client"]["supported_identity_providers"] == [
        "${aws_cognito_identity_provider.partners_criipto.provider_name}"
    ]
    assert clients["app_client"]["supported_identity_providers"] == [
        "${aws_cognito_identity_provider.criipto.provider_name}"
    ]
    assert {"login_url", "partners_login_url", "app_client_id", "partners_app_client_id"} <= set(
        out["output"]
    )
    assert out["output"]["partners_hosted_domain"]["value"] == (
        "partners.auth.eu-north-1.amazoncognito.com"
    )


def test_a_library_user_catches_every_refusal_with_the_root(tmp_path: Path) -> None:
    """One ``except CriiptoCognitoError`` for the library: a bad option, several problems at
    once, a bad construct prop; each is still the ValueError it was."""
    _, stack, secret = library_stack(tmp_path)
    before = [child.node.id for child in stack.node.children]
    refusals: list[Any] = [
        lambda: FederationOptions(eids=["xx-no-such-eid"]),
        lambda: FederationOptions(eids=["xx-no-such-eid"], attribute_mapping={"": "sub"}),
        lambda: AppClientOptions(name="web", callback_urls=["http://app.acme.com/cb"]),
        lambda: identity_provider(stack, secret, client_secret="hunter2"),
    ]
    for refuse in refusals:
        with pytest.raises(CriiptoCognitoError) as caught:
            refuse()
        assert isinstance(caught.value, ValueError)
    assert [child.node.id for child in stack.node.children] == before


def test_a_platform_that_cannot_load_is_caught_with_the_root() -> None:
    """The first import of the library raises PlatformError (an ImportError) for a bad
    CRIIPTO_COGNITO_PLATFORM, and the root, importable without the platform, catches it."""
    code = (
        "from criipto.errors import CriiptoCognitoError\n"
        "try:\n"
        "    import stacks.constructs\n"
        "except CriiptoCognitoError as error:\n"
        "    print(type(error).__name__, isinstance(error, ImportError))\n"
    )
    env = {**os.environ, "CRIIPTO_COGNITO_PLATFORM": "no-such-platform"}
    done = run_captured([sys.executable, "-c", code], cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "PlatformError True"
