"""The public constructs: literal props are checked with the config's rules and messages, tokens
are left to Terraform, literal text stays data, and a managed federation works from code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stacks.constructs.criipto_application import CriiptoApplication
from stacks.constructs.criipto_federation import (
    CriiptoFederation,
    ExternalApplication,
    ManagedApplication,
)
from stacks.constructs.criipto_identity_provider import CriiptoIdentityProvider
from stacks.platform import App, TerraformStack, TerraformVariable, aws
from stacks.rules.federation import prefix_domain_host


def _stack(tmp_path: Path) -> tuple[App, TerraformStack, str]:
    app = App(outdir=str(tmp_path / "cdktf.out"))
    stack = TerraformStack(app, "lib")
    aws.AwsProvider(stack, "aws", region="eu-north-1")
    secret = TerraformVariable(stack, "secret", type="string", sensitive=True)
    return app, stack, secret.string_value


def _synth(app: App, tmp_path: Path) -> dict[str, Any]:
    app.synth()
    stack: dict[str, Any] = json.loads((tmp_path / "cdktf.out/stacks/lib/cdk.tf.json").read_text())
    return stack


def _provider(stack: TerraformStack, secret: str, **overrides: Any) -> CriiptoIdentityProvider:
    kwargs: dict[str, Any] = {
        "user_pool_id": "eu-north-1_AbC123",
        "criipto_domain": "acme.criipto.id",
        "client_id": "urn:acme:cognito",
        "client_secret": secret,
        **overrides,
    }
    return CriiptoIdentityProvider(stack, "idp", **kwargs)


@pytest.mark.parametrize(
    ("prop", "value", "message"),
    [
        (
            "user_pool_id",
            "pool",
            "user_pool_id: 'pool' is not a user pool id such as eu-north-1_AbC123",
        ),
        ("criipto_domain", "https://acme.criipto.id", "criipto_domain: must be a bare host name"),
        ("client_id", "has space", "client_id: must be 1 to 255 characters without spaces"),
        ("provider_name", "_x", "provider_name: must be 3 to 32 characters long (got 2)"),
        ("authorize_scopes", ["email"], 'authorize_scopes: must contain "openid"'),
        ("eid", "xx-nothing", "eid: unknown eID 'xx-nothing'; known: "),
        (
            "attribute_mapping",
            {"shoe_size": "x"},
            "attribute_mapping.shoe_size: 'shoe_size' is neither",
        ),
        (
            "attribute_mapping",
            {"username": "email"},
            'attribute_mapping.username: "username" always receives "sub"',
        ),
        ("client_secret", "hunter2", "client_secret: must be a reference"),
    ],
)
def test_identity_provider_refuses_bad_literals(
    tmp_path: Path, prop: str, value: Any, message: str
) -> None:
    _, stack, secret = _stack(tmp_path)
    with pytest.raises(ValueError) as caught:
        _provider(stack, secret, **{prop: value})
    assert str(caught.value).startswith(message)


def test_identity_provider_takes_tokens_and_escapes_literals(tmp_path: Path) -> None:
    app, stack, secret = _stack(tmp_path)
    pool = aws.CognitoUserPool(stack, "pool", name="users")
    provider = _provider(
        stack,
        secret,
        user_pool_id=pool.id,  # a token: not a pool id by the rule, checked by Terraform
        provider_name="Id-${x}",
        eid="se-bankid",
        attribute_mapping={"name": "name"},
    )
    assert provider.provider_name.startswith("${")
    idp = _synth(app, tmp_path)["resource"]["aws_cognito_identity_provider"]["idp"]
    assert idp["user_pool_id"] == "${aws_cognito_user_pool.pool.id}"
    assert idp["provider_name"] == "Id-$${x}"
    assert idp["attribute_mapping"] == {"username": "sub", "name": "name"}
    assert idp["provider_details"]["authorize_url"] == (
        "https://acme.criipto.id/dXJuOmdybjphdXRobjpzZTpiYW5raWQ=/oauth2/authorize"
    )
    assert idp["provider_details"]["client_secret"] == "${var.secret}"


def test_application_refuses_bad_literals_and_tokens_in_the_body(tmp_path: Path) -> None:
    _, stack, secret = _stack(tmp_path)
    good: dict[str, Any] = {
        "name": "App",
        "domain": "acme.criipto.id",
        "realm": "urn:acme",
        "return_urls": ["https://login.acme.com/oauth2/idpresponse"],
        "api_url": "https://api.acme.example",
        "api_token": secret,
    }
    cases = [
        ({"name": " App"}, "name: must not be empty or start or end with spaces"),
        ({"tags": ["a", "a"]}, "tags: lists a tag twice"),
        (
            {"api_url": "http://api.acme.example"},
            "api_url: 'http://api.acme.example' must be an absolute https URL",
        ),
        ({"api_token": "literal-token"}, "api_token: must be a reference"),
        ({"restapi_version": "v3"}, "restapi_version: 'v3': no \"v\" before the version"),
        ({"realm": secret}, "realm: must be a literal, not a reference"),
    ]
    for change, message in cases:
        with pytest.raises(ValueError) as caught:
            CriiptoApplication(stack, "app", **{**good, **change})
        assert str(caught.value).startswith(message), change


def test_federation_reports_plan_problems_by_prop(tmp_path: Path) -> None:
    _, stack, secret = _stack(tmp_path)
    base: dict[str, Any] = {
        "user_pool_id": "eu-north-1_AbC123",
        "hosted_domain": "login.acme.com",
        "criipto_domain": "acme.criipto.id",
        "application": ExternalApplication(client_id="urn:acme", client_secret=secret),
        "app_client_name": "web",
        "callback_urls": ["https://app.acme.com/callback"],
    }
    cases = [
        ({"eids": ["se-bankid", "se-bankid"]}, "eids: lists 'se-bankid' twice"),
        (
            {"eids": ["se-bankid"], "provider_names": {"dk-mitid": "MitID"}},
            "provider_names.dk-mitid: names no eID listed in eids",
        ),
        (
            {"eids": ["se-bankid"], "provider_name": "Mine"},
            "provider_name: applies only without eids",
        ),
        (
            {"callback_urls": ["http://app.acme.com/"]},
            "callback_urls: 'http://app.acme.com/' must use https",
        ),
        ({"oauth_scopes": ["openid", "openid"]}, "oauth_scopes: lists a scope twice"),
        ({"hosted_domain": "Login.acme.com"}, "hosted_domain: must be a lowercase DNS name"),
        (
            {
                "application": ManagedApplication(
                    name="A", api_url="https://x.example", api_token=secret
                ),
                "hosted_domain": f"{secret}.example",
            },
            "hosted_domain: must be a literal, not a reference",
        ),
    ]
    for change, message in cases:
        with pytest.raises(ValueError) as caught:
            CriiptoFederation(stack, **{**base, **change})
        assert str(caught.value).startswith(message), change


def test_managed_federation_from_code(tmp_path: Path) -> None:
    app, stack, token = _stack(tmp_path)
    pool = aws.CognitoUserPool(stack, "pool", name="users")
    host = prefix_domain_host("acme-login", "eu-north-1")
    federation = CriiptoFederation(
        stack,
        user_pool_id=pool.id,
        hosted_domain=host,
        criipto_domain="acme.criipto.id",
        application=ManagedApplication(
            name="AWS Cognito ${prod}", api_url="https://api.acme.example/", api_token=token
        ),
        app_client_name="web",
        callback_urls=["https://app.acme.com/callback"],
    )
    assert federation.application is not None and federation.application_id is not None
    out = _synth(app, tmp_path)
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
