"""Every bad input is refused with one line naming file, environment and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import base_environment, changed, config_with
from conftest import config_problems as problems

from stacks.config_loader import ConfigError, load_config

CERT_US_EAST_1 = (
    "arn:aws:acm:us-east-1:123456789012:certificate/0f3c2b1a-1111-2222-3333-444455556666"
)
CERT_EU_WEST_1 = CERT_US_EAST_1.replace("us-east-1", "eu-west-1")


BAD_VALUES = [
    # (dotted key, value, the line expected)
    ("user_pool.nmae", "x", 'user_pool.nmae: unknown key (did you mean "name"?)'),
    ("aws_region", 5, "aws_region: expected a string, got an integer (5)"),
    ("aws_region", "eu-nort-1", "aws_region: 'eu-nort-1' is not an AWS region name"),
    ("aws_region", "EU-NORTH-1", "aws_region: 'EU-NORTH-1' is not an AWS region name"),
    ("user_pool.deletion_protection", "yes", "user_pool.deletion_protection: expected a boolean"),
    (
        "domain.prefix",
        "acme-cognito-login",
        'domain.prefix: must not contain the reserved word "cognito"',
    ),
    ("domain.prefix", "aws-login", 'domain.prefix: must not contain the reserved word "aws"'),
    ("domain.prefix", "amazonlogin", 'domain.prefix: must not contain the reserved word "amazon"'),
    ("domain.prefix", "Acme", "domain.prefix: must be 1 to 63 lowercase letters"),
    ("domain.prefix", "-acme", "domain.prefix: must be 1 to 63 lowercase letters"),
    ("domain.prefix", "acme-", "domain.prefix: must be 1 to 63 lowercase letters"),
    ("domain.prefix", "a" * 64, "domain.prefix: must be 1 to 63 lowercase letters"),
    (
        "criipto.provider_name",
        "Cr",
        "criipto.provider_name: must be 3 to 32 characters long (got 2)",
    ),
    (
        "criipto.provider_name",
        "C" * 33,
        "criipto.provider_name: must be 3 to 32 characters long (got 33)",
    ),
    (
        "criipto.provider_name",
        "_Criipto",
        "criipto.provider_name: must not start with an underscore",
    ),
    (
        "criipto.provider_name",
        "Criipto ",
        "criipto.provider_name: must not start with an underscore",
    ),
    (
        "criipto.domain",
        "https://acme.criipto.id",
        "criipto.domain: must be a bare host name, without scheme or path",
    ),
    (
        "criipto.domain",
        "acme.criipto.id/oauth2",
        "criipto.domain: must be a bare host name, without scheme or path",
    ),
    (
        "criipto.domain",
        "acme.criipto.id:443",
        "criipto.domain: must be a bare host name, without port",
    ),
    ("criipto.domain", "localhost", "criipto.domain: must be a lowercase DNS name"),
    (
        "criipto.mode",
        "manged",
        "criipto.mode: must be one of 'managed' or 'external' (got 'manged')",
    ),
    ("criipto.management_api_url", ..., "criipto.management_api_url: required in managed mode"),
    (
        "criipto.management_api_url",
        "http://api.acme.example",
        "criipto.management_api_url: 'http://api.acme.example' must be an absolute https URL",
    ),
    (
        "criipto.management_api_url",
        "api.acme.example",
        "criipto.management_api_url: 'api.acme.example' must be an absolute https URL",
    ),
    (
        "criipto.application_name",
        " padded",
        "criipto.application_name: must not be empty or start or end with spaces",
    ),
    (
        "criipto.application_name",
        "x" * 129,
        "criipto.application_name: must be at most 128 characters",
    ),
    (
        "criipto.application_name",
        "tab\there",
        "criipto.application_name: must not contain control characters",
    ),
    ("criipto.tags", ["two words"], "criipto.tags: tag 'two words' must not contain spaces"),
    ("criipto.tags", ["a", "a"], "criipto.tags: lists a tag twice"),
    ("criipto.tags", [""], "criipto.tags: tag '' must be 1 to 64 characters"),
    ("criipto.authorize_scopes", ["profile"], 'criipto.authorize_scopes: must contain "openid"'),
    (
        "app_client.callback_urls",
        ["http://app.acme.com/cb"],
        "app_client.callback_urls: 'http://app.acme.com/cb' must use https (plain http is allowed only for localhost)",
    ),
    (
        "app_client.callback_urls",
        ["/callback"],
        "app_client.callback_urls: '/callback' must be an absolute URL: https://… for a web app",
    ),
    (
        "app_client.callback_urls",
        ["https://app.acme.com/cb#x"],
        "app_client.callback_urls: 'https://app.acme.com/cb#x' must not contain a fragment",
    ),
    (
        "app_client.callback_urls",
        ["https://a.com/cb", "https://a.com/cb"],
        "app_client.callback_urls: duplicate URL 'https://a.com/cb'",
    ),
    ("app_client.callback_urls", [], "app_client.callback_urls: must not be empty"),
    (
        "app_client.callback_urls",
        [f"https://a.com/{i}" for i in range(101)],
        "app_client.callback_urls: at most 100 URLs (got 101)",
    ),
    (
        "app_client.callback_urls",
        ["https://a.com/" + "x" * 1024],
        "app_client.callback_urls: must be at most 1024 characters",
    ),
    (
        "app_client.logout_urls",
        ["http://example.com/"],
        "app_client.logout_urls: 'http://example.com/' must use https",
    ),
    (
        "app_client.oauth_scopes",
        ["openid", "bogus"],
        "app_client.oauth_scopes: 'bogus' must be one of Cognito's scopes",
    ),
    (
        "app_client.oauth_scopes",
        ["openid", "has space"],
        "app_client.oauth_scopes: 'has space' is not a valid OAuth scope",
    ),
    ("app_client.oauth_scopes", [], "app_client.oauth_scopes: must name at least one scope"),
    ("app_client.name", "web/app", "app_client.name: must be 1 to 128 ASCII letters"),
    ("user_pool.name", "acme#test", "user_pool.name: must be 1 to 128 ASCII letters"),
    (
        "app_client.read_attributes",
        ["shoe"],
        "app_client.read_attributes: 'shoe' is neither a standard Cognito attribute",
    ),
    (
        "app_client.read_attributes",
        ["name", "name"],
        "app_client.read_attributes: lists an attribute twice",
    ),
    ("app_client", ..., "app_client: required key is missing"),
    ("domain", "acme", "domain: expected a table, got a string ('acme')"),
]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    BAD_VALUES,
    ids=[c[0] + "-" + str(i) for i, c in enumerate(BAD_VALUES)],
)
def test_bad_value_is_named(tmp_path: Path, key: str, value: Any, expected: str) -> None:
    lines = problems(tmp_path, config_with(changed(key, value)))
    assert any(line.startswith(f"environments.test.{expected}") for line in lines), lines


def test_prefix_and_custom_both_or_neither(tmp_path: Path) -> None:
    both = changed("domain.custom", "login.acme.com")
    both["domain"]["certificate_arn"] = CERT_US_EAST_1
    neither = changed("domain.prefix", ...)
    for env in (both, neither):
        assert problems(tmp_path, config_with(env)) == [
            "environments.test.domain: set exactly one of prefix (Cognito domain) or custom (own domain)"
        ]


def test_custom_domain_needs_a_us_east_1_certificate(tmp_path: Path) -> None:
    custom = {"custom": "login.acme.com"}
    assert problems(tmp_path, config_with(changed("domain", custom))) == [
        "environments.test.domain.certificate_arn: required with custom (an ACM ARN in us-east-1)"
    ]
    elsewhere = changed("domain", {**custom, "certificate_arn": CERT_EU_WEST_1})
    [line] = problems(tmp_path, config_with(elsewhere))
    assert line.startswith(
        "environments.test.domain.certificate_arn: the certificate is in eu-west-1"
    )
    not_arn = changed("domain", {**custom, "certificate_arn": "my-cert"})
    assert problems(tmp_path, config_with(not_arn)) == [
        "environments.test.domain.certificate_arn: 'my-cert' is not an ACM certificate ARN"
    ]


def test_certificate_only_with_custom(tmp_path: Path) -> None:
    env = changed("domain.certificate_arn", CERT_US_EAST_1)
    assert problems(tmp_path, config_with(env)) == [
        "environments.test.domain.certificate_arn: applies only to a custom domain"
    ]


def test_pool_name_and_existing_id_both_or_neither(tmp_path: Path) -> None:
    both = changed("user_pool.existing_id", "eu-north-1_AbC123")
    neither = changed("user_pool.name", ...)
    for env in (both, neither):
        assert problems(tmp_path, config_with(env)) == [
            "environments.test.user_pool: set exactly one of name (a new pool) or existing_id (attach)"
        ]


@pytest.mark.parametrize(
    "pool_id", ["AbC123", "eu-north-1-AbC123", "eu-north-1_", "eu-north-1_Ab$"]
)
def test_malformed_pool_id(tmp_path: Path, pool_id: str) -> None:
    env = changed("user_pool", {"existing_id": pool_id})
    assert problems(tmp_path, config_with(env)) == [
        f"environments.test.user_pool.existing_id: {pool_id!r} is not a user pool id such as eu-north-1_AbC123"
    ]


def test_existing_pool_in_another_region(tmp_path: Path) -> None:
    env = changed("user_pool", {"existing_id": "eu-west-1_AbC123"})
    assert problems(tmp_path, config_with(env)) == [
        "environments.test.user_pool.existing_id: the pool is in eu-west-1 but aws_region is eu-north-1"
    ]


def test_deletion_protection_only_for_new_pools(tmp_path: Path) -> None:
    env = changed("user_pool", {"existing_id": "eu-north-1_AbC123", "deletion_protection": False})
    assert problems(tmp_path, config_with(env)) == [
        "environments.test.user_pool.deletion_protection: applies only to a pool this stack creates (name)"
    ]


def test_external_mode_needs_client_id_and_refuses_managed_keys(tmp_path: Path) -> None:
    env = changed("criipto.mode", "external")
    env["criipto"].pop("client_id")
    env["criipto"].pop("management_api_url")
    assert problems(tmp_path, config_with(env)) == [
        "environments.test.criipto.client_id: required in external mode (the application's Client ID/Realm)"
    ]
    env = changed("criipto.mode", "external")
    assert problems(tmp_path, config_with(env)) == [
        'environments.test.criipto.management_api_url: applies only to mode = "managed"'
    ]


def test_no_environments(tmp_path: Path) -> None:
    assert problems(tmp_path, {"environments": {}}) == [
        "environments: no environments: add a table [environments.<name>]"
    ]
    assert problems(tmp_path, {}) == ["environments: required key is missing"]


def test_bad_environment_name(tmp_path: Path) -> None:
    [line] = problems(tmp_path, config_with(base_environment(), name="prod env"))
    assert line.startswith('environments."prod env": environment name must be 1 to 63 letters')


def test_unknown_top_level_key(tmp_path: Path) -> None:
    data = {**config_with(), "enviroments": {}}
    assert problems(tmp_path, data) == ['enviroments: unknown key (did you mean "environments"?)']


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    env = changed("aws_region", "mars-1")
    env = changed("domain.prefix", "aws", env)
    env = changed("app_client.oauth_scopes", ["nope"], env)
    keys = [line.split(":")[0] for line in problems(tmp_path, config_with(env))]
    assert keys == [
        "environments.test.app_client.oauth_scopes",
        "environments.test.aws_region",
        "environments.test.domain.prefix",
    ]


def test_unparsable_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "federation.toml"
    path.write_text('[environments.test]\naws_region = "eu-north-1"\nbroken =\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    [line] = caught.value.lines
    assert line.startswith(f"{path}: invalid TOML: ")
    assert "line 3" in line


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.lines == [
        f"{path}: file not found (set FEDERATION_CONFIG to read another file)"
    ]


def test_the_example_config_is_valid() -> None:
    from conftest import EXAMPLE_CONFIG

    config = load_config(EXAMPLE_CONFIG)
    assert config.environments
