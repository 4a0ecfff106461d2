"""Every bad input is refused with one line naming file, environment and key."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from support.configs import base_environment, changed, config_with, managed, write_config
from support.configs import config_problems as problems
from support.project import run_main

from stacks.config.loader import MAX_CONFIG_BYTES, MAX_PROBLEMS_SHOWN, ConfigError, load_config

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
    # An IP address is no Criipto domain, in any form a resolver reads as one (issue 29).
    *(
        ("criipto.domain", address, "criipto.domain: is an IP address, not a DNS name")
        for address in ("127.0.0.1", "10.0.0.1.", "127.1", "0x7f.0.0.1", "::1", "[::1]")
    ),
    ("domain.custom", "192.168.1.10", "domain.custom: is an IP address, not a DNS name"),
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
    # Lengths as the stricter of AWS (UTF-16 units) and hashicorp/aws (UTF-8 bytes) counts
    # them (issue 29): each of these passed, counted in code points.
    (
        "criipto.provider_name",
        "😀" * 17,
        "criipto.provider_name: must be 3 to 32 characters long, counted in UTF-16 units as "
        "AWS counts (got 34 for 17 characters)",
    ),
    (
        "resource_servers",
        {"api": {"name": "API", "scopes": {"read": "é" * 129}}},
        "resource_servers.api.scopes.read: must be 1 to 256 bytes long in UTF-8, as the AWS "
        "provider counts (got 258 bytes for 129 characters)",
    ),
    (
        "criipto.attribute_mapping",
        {"name": "custom:" + "é" * 11},
        "criipto.attribute_mapping.name: custom attribute name must be 1 to 20 bytes long in "
        "UTF-8, as the AWS provider counts (got 22 bytes for 11 characters)",
    ),
    (
        "user_pool.existing_custom_attributes",
        ["é" * 11],
        "user_pool.existing_custom_attributes: 'ééééééééééé': must be 1 to 20 bytes long",
    ),
    (
        "tags",
        {"Team": "ü" * 128 + "😀" * 65},
        "tags: tag 'Team': value must be at most 256 characters long, counted in UTF-16 units "
        "as AWS counts (got 258 for 193 characters)",
    ),
    (
        "app_client.callback_urls",
        ["https://app.acme.com/" + "😀" * 510],
        "app_client.callback_urls: must be at most 1024 characters (counted in UTF-16 units",
    ),
    ("domain", "acme", "domain: expected a table, got a string ('acme')"),
]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    BAD_VALUES,
    ids=[c[0] + "-" + str(i) for i, c in enumerate(BAD_VALUES)],
)
def test_bad_value_is_named(tmp_path: Path, key: str, value: Any, expected: str) -> None:
    # managed mode: its keys are only read there (and the other keys read the same in both).
    lines = problems(tmp_path, config_with(changed(key, value, managed())))
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
    assert problems(tmp_path, config_with(env)) == [
        "environments.test.criipto.client_id: required in external mode (the application's Client ID/Realm)"
    ]
    env = changed("criipto.mode", "external", managed())
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


@pytest.mark.example
def test_the_example_config_is_valid() -> None:
    from support.project import EXAMPLE_CONFIG

    config = load_config(EXAMPLE_CONFIG)
    assert config.environments


# --- Hostile input: one line per problem, exit 2, never a hang or a traceback ----------------


def _lines(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    lines = caught.value.lines
    assert all(len(line.splitlines()) == 1 and line.startswith(f"{path}: ") for line in lines)
    return [line.removeprefix(f"{path}: ") for line in lines]


def test_special_files_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer for ever
    assert _lines(fifo) == ["is a FIFO (named pipe), not a config file"]
    assert _lines(tmp_path) == ["is a directory, not a config file"]
    assert _lines(Path("/dev/zero")) == ["is a character device, not a config file"]
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    assert _lines(link) == ["is a character device, not a config file"]


def test_a_fifo_through_main_ends_with_exit_2(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    result = run_main(tmp_path, fifo, None, "--check")
    assert result.returncode == 2
    assert result.stderr == f"{fifo}: is a FIFO (named pipe), not a config file\n"


def test_a_file_over_the_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    with path.open("wb") as file:
        file.truncate(MAX_CONFIG_BYTES + 1)  # sparse: no disk used
    assert _lines(path) == ["larger than 8 MB: not a config file"]


def test_integers_beyond_pythons_digit_limit(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_text(f"x = {'9' * 5000}\n")
    assert _lines(path) == ["invalid TOML: an integer has more than 4300 digits"]
    env = tomli_w.dumps(config_with()).replace(
        'aws_region = "eu-north-1"', "aws_region = 0x" + "f" * 5000
    )
    path.write_text(env)
    [line] = _lines(path)
    assert line.startswith(
        "environments.test.aws_region: expected a string, got an integer (an integer of about"
    )


def test_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert _lines(path) == ["invalid TOML: arrays or tables nested too deeply"]
    base = tomli_w.dumps(config_with())
    path.write_text(
        base.replace('aws_region = "eu-north-1"', "aws_region = " + "[" * 300 + "]" * 300)
    )
    assert _lines(path) == ["environments.test.aws_region: expected a string, got a list"]


def test_keys_with_line_breaks_are_escaped(tmp_path: Path) -> None:
    env = base_environment()
    env["user_pool"]["nmae\nenvironments.test.aws_region: forged"] = "x"
    lines = problems(tmp_path, config_with(env, name="test"))
    assert lines == [
        'environments.test.user_pool."nmae\\nenvironments.test.aws_region: forged": unknown key'
    ]
    lines = problems(tmp_path, config_with(base_environment(), name="prod\n"))
    assert lines == [
        'environments."prod\\n": environment name must be 1 to 63 letters, digits, - '
        "and _, starting with a letter (it names a Terraform stack)"
    ]
    env = changed("criipto.attribute_mapping", {"na\nme": "name"})
    [line] = problems(tmp_path, config_with(env))
    assert line.startswith("environments.test.criipto.attribute_mapping.na\\nme: 'na\\nme' is not")


def test_many_problems_are_bounded(tmp_path: Path) -> None:
    data = config_with()
    data.update({f"unknown_{i:04}": i for i in range(1000)})
    lines = problems(tmp_path, data)
    assert len(lines) == MAX_PROBLEMS_SHOWN + 1
    assert lines[0] == "unknown_0000: unknown key"
    assert lines[-1] == f"… and {1000 - MAX_PROBLEMS_SHOWN} more problems (fix these first)"


def test_wrong_typed_attribute_mapping_names_the_real_key(tmp_path: Path) -> None:
    env = changed("criipto.attribute_mapping", {"name": 5})
    assert problems(tmp_path, config_with(env)) == [
        'environments.test.criipto.attribute_mapping.name: must be a Cognito attribute (a string, e.g. "name") or false'
    ]


def test_region_mismatch_is_reported_with_other_problems(tmp_path: Path) -> None:
    env = changed("user_pool", {"existing_id": "eu-west-1_AbC123"})
    env = changed("app_client.name", "web/app", env)
    env = changed("domain.prefix", "aws", env)
    keys = [line.split(":")[0] for line in problems(tmp_path, config_with(env))]
    assert keys == [
        "environments.test.app_client.name",
        "environments.test.domain.prefix",
        "environments.test.user_pool.existing_id",
    ]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("aws_region", "eu-north-1\n"),
        ("domain.prefix", "acme\n"),
        ("criipto.domain", "acme.criipto.id\n"),
        ("user_pool.existing_id", "eu-north-1_AbC123\n"),
        ("criipto.provider_name", "Criipto\n"),
        ("app_client.name", "web\n"),
        ("user_pool.name", "名前"),  # \w is ASCII in AWS's (Java) patterns
        ("app_client.name", "wéb"),
        ("app_client.callback_urls", ["\x00https://app.acme.com/cb"]),
        ("app_client.logout_urls", ["https://app.acme.com/\u200b"]),
        ("criipto.provider_name", "Cri\npto"),
        ("criipto.client_id", "urn:\u200bx"),
        ("criipto.management_api_url", "https://api.acme.example/\n"),
        ("user_pool.existing_custom_attributes", ["a b"]),
    ],
)
def test_values_aws_refuses_are_refused(tmp_path: Path, key: str, value: Any) -> None:
    env = changed(key, value)
    if key == "user_pool.existing_id":
        env["user_pool"].pop("name")
    lines = problems(tmp_path, config_with(env))
    assert [line for line in lines if line.startswith(f"environments.test.{key}: ")], lines


def test_certificate_arn_and_backend_names_with_a_trailing_newline(tmp_path: Path) -> None:
    env = changed("domain", {"custom": "login.acme.com", "certificate_arn": CERT_US_EAST_1 + "\n"})
    [line] = problems(tmp_path, config_with(env))
    assert line.startswith("environments.test.domain.certificate_arn: ")
    backend = {"type": "s3", "bucket": "acme-state\n", "key": "k", "region": "eu-north-1\n"}
    keys = [
        line.split(":")[0] for line in problems(tmp_path, config_with(changed("backend", backend)))
    ]
    assert keys == ["environments.test.backend.bucket", "environments.test.backend.region"]


@pytest.mark.parametrize(
    "url",
    ["myapp://signin", "com.acme.app:/oauth2redirect", "http://localhost:3000/cb",
     "http://127.0.0.1/cb", "https://app.acme.com/cb?x=1"],
)  # fmt: skip
def test_native_app_and_web_callbacks_are_accepted(tmp_path: Path, url: str) -> None:
    path = write_config(tmp_path, config_with(changed("app_client.callback_urls", [url])))
    client = load_config(path).environments["test"].app_client
    assert client is not None
    assert client.callback_urls == [url]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("javascript:alert(1)", "the javascript: scheme cannot receive a login"),
        ("JavaScript://x%0aalert(1)", "the javascript: scheme cannot receive a login"),
        ("data:text/html,x", "the data: scheme cannot receive a login"),
        ("file:///etc/passwd", "the file: scheme cannot receive a login"),
        ("vbscript:x", "the vbscript: scheme cannot receive a login"),
        ("blob:https://a.com/x", "the blob: scheme cannot receive a login"),
        ("http://app.acme.com/cb", "must use https"),
        ("https://[::1/a", "is not a valid URL"),
        ("https://app.acme.com:99999/", "is not a valid URL"),
        ("myapp:", "must be an absolute URL"),
        ("https:///cb", "must be an absolute https URL with a host"),
    ],
)
def test_unsafe_callbacks_are_refused(tmp_path: Path, url: str, expected: str) -> None:
    [line] = problems(tmp_path, config_with(changed("app_client.callback_urls", [url])))
    assert line.startswith("environments.test.app_client.callback_urls: ")
    assert expected in line


@pytest.mark.parametrize(
    "name", ["constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf"]
)
def test_environment_names_every_javascript_object_has(tmp_path: Path, name: str) -> None:
    [line] = problems(tmp_path, config_with(base_environment(), name=name))
    assert line.startswith(f"environments.{name}: environment name {name!r} is taken by every")


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({"": "x"}, "tag key '' must be 1 to 128 characters long (got 0)"),
        ({"k" * 129: "x"}, "must be 1 to 128 characters long (got 129)"),
        ({"k": "v" * 257}, "value must be at most 256 characters long (got 257)"),
        ({"aws:team": "x"}, 'must not start with "aws:"'),
        ({"team": "a\nb"}, "value must hold only letters, digits, spaces"),
        ({"$team": "x"}, "must hold only letters, digits, spaces"),
        ({f"t{i}": "x" for i in range(49)}, "at most 48 tags"),
    ],
)
def test_tags_follow_aws_tag_rules(tmp_path: Path, tags: dict[str, str], expected: str) -> None:
    [line] = problems(tmp_path, config_with(changed("tags", tags)))
    assert line.startswith("environments.test.tags: ")
    assert expected in line


@pytest.mark.parametrize(
    ("key", "variable"),
    [("client_secret", "TF_VAR_criipto_client_secret"), ("api_token", "TF_VAR_criipto_api_token")],
)
def test_a_secret_in_the_config_is_told_where_it_goes(
    tmp_path: Path, key: str, variable: str
) -> None:
    # Not 'did you mean "client_id"?', which would invite the secret into a committed file.
    env = changed(f"criipto.{key}", "s3cr3t-canary")
    (line,) = problems(tmp_path, config_with(env))
    assert line.startswith(f"environments.test.criipto.{key}: unknown key: secrets are never")
    assert variable in line
    assert "did you mean" not in line and "s3cr3t-canary" not in line
