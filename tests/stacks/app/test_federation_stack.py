"""The Cognito side of the guide, asserted on the synthesized Terraform JSON."""

from __future__ import annotations

from typing import Any

from support.configs import base_environment, changed, external
from support.synth import only, resources

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f3c2b1a-1111-2222-3333-444455556666"
DISCOVERED = {
    "authorize_url",
    "token_url",
    "attributes_url",
    "jwks_uri",
    "attributes_url_add_attributes",
}


def test_provider_region_and_tags(synth: Any) -> None:
    stack = synth(changed("tags", {"CostCenter": "id-42"}))
    [aws] = stack["provider"]["aws"]
    assert aws["region"] == "eu-north-1"
    assert aws["default_tags"] == [
        {"tags": {"ManagedBy": "criipto-cognito", "Environment": "test", "CostCenter": "id-42"}}
    ]


def test_pool_never_requires_email(synth: Any) -> None:
    pool = only(synth(base_environment()), "aws_cognito_user_pool")
    assert pool["name"] == "acme-test"
    assert "username_attributes" not in pool
    assert "alias_attributes" not in pool
    for attribute in pool.get("schema", []):
        assert not (attribute["name"] == "email" and attribute.get("required"))
    assert "email" not in pool.get("auto_verified_attributes", [])
    assert pool["admin_create_user_config"] == {"allow_admin_create_user_only": True}


def test_deletion_protection_defaults_on(synth: Any) -> None:
    pool = only(synth(base_environment()), "aws_cognito_user_pool")
    assert pool["deletion_protection"] == "ACTIVE"
    off = only(synth(changed("user_pool.deletion_protection", False)), "aws_cognito_user_pool")
    assert off["deletion_protection"] == "INACTIVE"


def test_existing_pool_creates_no_pool(synth: Any) -> None:
    stack = synth(changed("user_pool", {"existing_id": "eu-north-1_AbC123"}))
    assert resources(stack, "aws_cognito_user_pool") == []
    for kind in (
        "aws_cognito_user_pool_domain",
        "aws_cognito_identity_provider",
        "aws_cognito_user_pool_client",
    ):
        assert only(stack, kind)["user_pool_id"] == "eu-north-1_AbC123"
    assert stack["output"]["user_pool_id"]["value"] == "eu-north-1_AbC123"


def test_prefix_domain(synth: Any) -> None:
    stack = synth(base_environment())
    domain = only(stack, "aws_cognito_user_pool_domain")
    assert domain["domain"] == "acme-test-login"
    assert "certificate_arn" not in domain
    assert domain["user_pool_id"].startswith("${aws_cognito_user_pool.")
    outputs = stack["output"]
    host = "acme-test-login.auth.eu-north-1.amazoncognito.com"
    assert outputs["hosted_domain"]["value"] == host
    assert outputs["criipto_callback_url"]["value"] == f"https://{host}/oauth2/idpresponse"
    assert "custom_domain_alias_target" not in outputs


def test_custom_domain(synth: Any) -> None:
    env = changed("domain", {"custom": "login.acme.com", "certificate_arn": CERT})
    stack = synth(env)
    domain = only(stack, "aws_cognito_user_pool_domain")
    assert domain["domain"] == "login.acme.com"
    assert domain["certificate_arn"] == CERT
    outputs = stack["output"]
    assert outputs["hosted_domain"]["value"] == "login.acme.com"
    assert outputs["criipto_callback_url"]["value"] == "https://login.acme.com/oauth2/idpresponse"
    assert outputs["custom_domain_alias_target"]["value"].endswith(".cloudfront_distribution}")


def test_identity_provider(synth: Any) -> None:
    provider = only(synth(external()), "aws_cognito_identity_provider")
    assert provider["provider_name"] == "Criipto"
    assert provider["provider_type"] == "OIDC"
    details = provider["provider_details"]
    assert details["client_id"] == "urn:acme:cognito:test"
    assert details["client_secret"] == "${var.criipto_client_secret}"
    assert "openid" in details["authorize_scopes"].split(" ")
    assert details["oidc_issuer"] == "https://acme-test.criipto.id"
    assert details["attributes_request_method"] == "GET"
    assert provider["attribute_mapping"]["username"] == "sub"


def test_ignore_changes_is_exactly_what_discovery_fills_in(synth: Any) -> None:
    provider = only(synth(base_environment()), "aws_cognito_identity_provider")
    ignored = provider["lifecycle"]["ignore_changes"]
    assert {
        key.removeprefix('provider_details["').removesuffix('"]') for key in ignored
    } == DISCOVERED
    assert not any("client_secret" in key for key in ignored)


def test_secret_is_a_sensitive_variable_in_external_mode(synth: Any) -> None:
    stack = synth(external())
    variable = stack["variable"]["criipto_client_secret"]
    assert variable["sensitive"] is True
    assert "default" not in variable, "external mode must demand the secret"
    assert "criipto_api_token" not in stack["variable"]


def test_app_client(synth: Any) -> None:
    env = changed("app_client.oauth_scopes", ["openid", "profile", "api.acme.com/read"])
    env["resource_servers"] = {"api.acme.com": {"name": "Acme API", "scopes": {"read": "Read"}}}
    client = only(synth(env), "aws_cognito_user_pool_client")
    assert client["name"] == "web"
    assert client["supported_identity_providers"] == [
        "${aws_cognito_identity_provider.criipto.provider_name}"
    ]
    assert client["allowed_oauth_flows"] == ["code"]
    assert client["allowed_oauth_flows_user_pool_client"] is True
    assert client["allowed_oauth_scopes"] == ["openid", "profile", "api.acme.com/read"]
    assert client["callback_urls"] == ["https://app.acme.com/callback"]
    assert client["logout_urls"] == ["https://app.acme.com/"]
    assert client["explicit_auth_flows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    assert client["generate_secret"] is False


def test_app_client_defaults(synth: Any) -> None:
    env = changed("app_client.logout_urls", ...)
    env = changed("app_client.oauth_scopes", ..., env)
    client = only(synth(env), "aws_cognito_user_pool_client")
    assert client["allowed_oauth_scopes"] == ["openid"]
    assert "logout_urls" not in client


def test_localhost_http_callback_is_allowed(synth: Any) -> None:
    env = changed("app_client.callback_urls", ["http://localhost:3000/cb", "http://127.0.0.1/cb"])
    client = only(synth(env), "aws_cognito_user_pool_client")
    assert client["callback_urls"] == ["http://localhost:3000/cb", "http://127.0.0.1/cb"]


def test_outputs(synth: Any) -> None:
    stack = synth(changed("app_client.oauth_scopes", ["openid", "profile"]))
    outputs = stack["output"]
    assert outputs["user_pool_id"]["value"] == "${aws_cognito_user_pool.user_pool.id}"
    assert outputs["app_client_id"]["value"] == "${aws_cognito_user_pool_client.app_client.id}"
    assert outputs["login_url"]["value"] == (
        "https://acme-test-login.auth.eu-north-1.amazoncognito.com/oauth2/authorize"
        "?client_id=${aws_cognito_user_pool_client.app_client.id}"
        "&identity_provider=Criipto&response_type=code"
        "&redirect_uri=https%3A%2F%2Fapp.acme.com%2Fcallback&scope=openid+profile"
    )


def test_local_backend_path_is_relative(synth: Any) -> None:
    backend = synth(base_environment(), name="prod")["terraform"]["backend"]
    assert backend == {"local": {"path": "../../../terraform.prod.tfstate"}}


def test_read_attributes_narrow_what_the_client_sees(synth: Any) -> None:
    client = only(synth(base_environment()), "aws_cognito_user_pool_client")
    assert "read_attributes" not in client
    env = changed("app_client.read_attributes", ["name", "custom:dk_mitid_uuid"])
    client = only(synth(env), "aws_cognito_user_pool_client")
    assert client["read_attributes"] == ["name", "custom:dk_mitid_uuid"]
