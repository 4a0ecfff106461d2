"""The production keys: several app clients, token lifetimes and rotation, resource servers, the
feature plan, managed login, Lambda triggers and log delivery. Each bad value is one line naming
its key; each rule that ties two tables names both; what is accepted synthesizes to the
resources and addresses the docs state, and a config without these keys is unchanged (the
golden files, tests/stacks/app/test_golden.py)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from support.configs import base_environment, changed, config_with, external, managed
from support.configs import config_problems as problems
from support.synth import only, resources

FUNCTION = "arn:aws:lambda:eu-north-1:123456789012:function:pre-token"
LOG_GROUP = "arn:aws:logs:eu-north-1:123456789012:log-group:cognito"
API = "https://api.acme.com"


def several(environment: dict[str, Any] | None = None, **clients: dict[str, Any]) -> dict[str, Any]:
    """The environment with app_clients (each client the base's, changed as given)."""
    env = copy.deepcopy(environment if environment is not None else base_environment())
    base = env.pop("app_client")
    base.pop("name")
    env["app_clients"] = {key: {**base, **changes} for key, changes in clients.items()}
    return env


def with_server(env: dict[str, Any], identifier: str = API, **scopes: str) -> dict[str, Any]:
    env = copy.deepcopy(env)
    env.setdefault("resource_servers", {})[identifier] = {
        "name": "Acme API",
        "scopes": scopes or {"read": "Read orders"},
    }
    return env


def lines(tmp_path: Path, env: dict[str, Any]) -> list[str]:
    return [
        line.removeprefix("environments.test.") for line in problems(tmp_path, config_with(env))
    ]


BAD_VALUES = [
    ("app_client.access_token_validity", 25, "app_client.access_token_validity: 25 hours is outside 5 minutes to 1 day"),
    ("app_client.access_token_validity", "1h", "app_client.access_token_validity: expected an integer"),
    ("app_client.id_token_validity", 0, "app_client.id_token_validity: 0 hours is outside"),
    ("app_client.refresh_token_validity", 3651, "app_client.refresh_token_validity: 3651 days is outside 60 minutes to 10 years"),
    ("app_client.token_validity_units", {"access_token": "weeks"}, "app_client.token_validity_units.access_token: must be one of 'seconds', 'minutes', 'hours' or 'days' (got 'weeks')"),
    ("app_client.token_validity_units", {"id_token": "minutes"}, "app_client.token_validity_units.id_token: applies only with id_token_validity"),
    ("app_client.auth_session_validity", 2, "app_client.auth_session_validity: must be 3 to 15 minutes (got 2)"),
    ("app_client.refresh_token_rotation", {"feature": "ON"}, "app_client.refresh_token_rotation.feature: must be one of 'ENABLED' or 'DISABLED' (got 'ON')"),
    ("app_client.refresh_token_rotation", {"feature": "ENABLED", "retry_grace_period_seconds": 61}, "app_client.refresh_token_rotation.retry_grace_period_seconds: must be 0 to 60 seconds (got 61)"),
    ("app_client.refresh_token_rotation", {"retry_grace_period_seconds": 1}, "app_client.refresh_token_rotation.feature: required key is missing"),
    ("app_client.enable_token_revocation", "yes", "app_client.enable_token_revocation: expected a boolean"),
    ("app_client.prevent_user_existence_errors", "OFF", "app_client.prevent_user_existence_errors: must be one of 'ENABLED' or 'LEGACY' (got 'OFF')"),
    ("app_client.write_attributes", ["shoe"], "app_client.write_attributes: 'shoe' is neither a standard Cognito attribute"),
    ("app_client.write_attributes", ["name", "name"], "app_client.write_attributes: lists an attribute twice"),
    ("user_pool.user_pool_tier", "FREE", "user_pool.user_pool_tier: must be one of 'LITE', 'ESSENTIALS' or 'PLUS' (got 'FREE')"),
    ("user_pool.user_pool_add_ons", {"advanced_security_mode": "ON"}, "user_pool.user_pool_add_ons.advanced_security_mode: must be one of 'OFF', 'AUDIT' or 'ENFORCED' (got 'ON')"),
    ("user_pool.lambda_config", {"pre_sign_up": "my-function"}, "user_pool.lambda_config.pre_sign_up: 'my-function' is not a Lambda function ARN"),
    ("user_pool.lambda_config", {"pre_sign_up": "arn:aws:sns:eu-north-1:123456789012:topic"}, "user_pool.lambda_config.pre_sign_up: 'arn:aws:sns:eu-north-1:123456789012:topic' is not a Lambda function ARN"),
    ("user_pool.lambda_config", {"custom_message": FUNCTION}, 'user_pool.lambda_config.custom_message: unknown key'),
    ("user_pool.lambda_config", {"pre_token_generation_config": {"lambda_arn": FUNCTION, "lambda_version": "V4_0"}}, "user_pool.lambda_config.pre_token_generation_config.lambda_version: must be one of 'V1_0', 'V2_0' or 'V3_0' (got 'V4_0')"),
    ("domain.managed_login_version", 3, "domain.managed_login_version: must be 1 (the classic hosted UI) or 2 (managed login) (got 3)"),
    ("domain.managed_login_version", True, "domain.managed_login_version: expected an integer, got a boolean"),
    ("resource_servers", {"has space": {"name": "x"}}, 'resource_servers."has space": must be 1 to 256 printable ASCII characters without spaces'),
    ("resource_servers", {API: {"name": "Acme/API"}}, 'resource_servers."https://api.acme.com".name: must be 1 to 256 ASCII letters'),
    ("resource_servers", {API: {"name": "API", "scopes": {"a/b": "x"}}}, 'resource_servers."https://api.acme.com".scopes."a/b": must be 1 to 256 printable ASCII characters without spaces, quotes, slashes'),
    ("resource_servers", {API: {"name": "API", "scopes": {"read": ""}}}, 'resource_servers."https://api.acme.com".scopes.read: must be 1 to 256 characters long (got 0)'),
    ("resource_servers", {API: {"name": "API", "scopes": {"read": "a\nb"}}}, 'resource_servers."https://api.acme.com".scopes.read: must not contain control or invisible characters'),
    ("resource_servers", {"api.acme": {"name": "A"}, "api-acme": {"name": "B"}}, "resource_servers.api-acme: 'api.acme' and 'api-acme' would both be the Terraform resource aws_cognito_resource_server.api_acme"),
    ("log_delivery_configuration", {"log_configurations": []}, "log_delivery_configuration.log_configurations: must not be empty"),
    ("log_delivery_configuration", {"log_configurations": [{"event_source": "userNotification", "log_level": "INFO", "cloud_watch_logs_configuration": {"log_group_arn": LOG_GROUP}}]}, "log_delivery_configuration.log_configurations.0.log_level: must be 'ERROR' for userNotification (got 'INFO')"),
    ("log_delivery_configuration", {"log_configurations": [{"event_source": "userNotification", "log_level": "ERROR", "s3_configuration": {"bucket_arn": "arn:aws:s3:::logs-bucket"}}]}, "log_delivery_configuration.log_configurations.0.s3_configuration: userNotification logs go to a CloudWatch Logs group only"),
    ("log_delivery_configuration", {"log_configurations": [{"event_source": "userNotification", "log_level": "ERROR"}]}, "log_delivery_configuration.log_configurations.0.cloud_watch_logs_configuration: give exactly one destination"),
    ("log_delivery_configuration", {"log_configurations": [{"event_source": "userNotification", "log_level": "ERROR", "cloud_watch_logs_configuration": {"log_group_arn": FUNCTION}}]}, "log_delivery_configuration.log_configurations.0.cloud_watch_logs_configuration.log_group_arn: 'arn:aws:lambda:eu-north-1:123456789012:function:pre-token' is not a CloudWatch Logs group ARN"),
    ("log_delivery_configuration", {"log_configurations": [{"event_source": "userNotification", "log_level": "ERROR", "cloud_watch_logs_configuration": {"log_group_arn": LOG_GROUP}}] * 2}, "log_delivery_configuration.log_configurations.1.event_source: userNotification is configured twice"),
    ("log_delivery_configuration", {"log_configurations": [{"event_source": "userSignIns", "log_level": "INFO", "cloud_watch_logs_configuration": {"log_group_arn": LOG_GROUP}}]}, "log_delivery_configuration.log_configurations.0.event_source: must be one of 'userNotification' or 'userAuthEvents'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("key", "value", "expected"), BAD_VALUES, ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD_VALUES)]
)
def test_a_bad_value_is_one_line_naming_its_key(
    tmp_path: Path, key: str, value: Any, expected: str
) -> None:
    found = lines(tmp_path, changed(key, value))
    assert len(found) == 1, found
    assert found[0].startswith(expected), found


def test_exactly_one_client_table(tmp_path: Path) -> None:
    env = base_environment()
    env["app_clients"] = {"web": env["app_client"]}
    assert lines(tmp_path, env) == ["app_client: set either app_client or app_clients, not both"]
    env.pop("app_client")
    env.pop("app_clients")
    [line] = lines(tmp_path, env)
    assert line.startswith("app_client: required key is missing: give [app_client] (one client)")


def test_client_keys_names_and_addresses(tmp_path: Path) -> None:
    [line] = lines(tmp_path, several(**{"1web": {}}))
    assert line.startswith("app_clients.1web: an app client's key must be 1 to 63 letters")
    [line] = lines(tmp_path, several(**{"web-app": {}, "Web_App": {}}))
    assert line == (
        "app_clients.Web_App: 'web-app' and 'Web_App' would both be the Terraform resource "
        "aws_cognito_user_pool_client.web_app: keys must differ in more than case and - or _"
    )
    [line] = lines(tmp_path, several(web={}, mobile={"name": "web"}))
    assert line.startswith("app_clients.mobile.name: 'web' is also the name of the client 'web'")
    [line] = lines(tmp_path, several(web={"name": "web/app"}))
    assert line.startswith("app_clients.web.name: must be 1 to 128 ASCII letters")


def test_a_custom_scope_must_name_a_defined_server_and_scope(tmp_path: Path) -> None:
    env = changed("app_client.oauth_scopes", ["openid", f"{API}/read"])
    [line] = lines(tmp_path, env)
    assert line.startswith(
        "app_client.oauth_scopes: 'https://api.acme.com/read' names the resource server "
        "'https://api.acme.com', which the config does not define (resource_servers: none)"
    )
    [line] = lines(tmp_path, with_server(env, write="Place orders"))
    assert line == (
        "app_client.oauth_scopes: 'https://api.acme.com/read': the resource server "
        "'https://api.acme.com' has no scope 'read' (its scopes: 'write')"
    )
    accepted = several(with_server(base_environment()), web={"oauth_scopes": [f"{API}/read"]})
    assert problems_or_none(tmp_path, accepted) is None


def test_on_an_existing_pool_a_custom_scope_is_left_to_doctor(tmp_path: Path) -> None:
    env = changed("user_pool", {"existing_id": "eu-north-1_AbC123"})
    env = changed("app_client.oauth_scopes", ["openid", "orders/read"], env)
    assert problems_or_none(tmp_path, env) is None


def test_write_attributes_hold_every_mapped_attribute(tmp_path: Path) -> None:
    env = changed("criipto.attribute_mapping", {"name": "name", "email": "email"})
    env = changed("app_client.write_attributes", ["name"], env)
    assert lines(tmp_path, env) == [
        "app_client.write_attributes: must include every attribute the identity providers map, "
        "or each federated sign-in fails when Cognito writes it (AWS, CreateUserPoolClient "
        "WriteAttributes): add 'email', or leave write_attributes unset and the stack writes them"
    ]
    env = changed("app_client.write_attributes", ["email", "name"], env)
    assert problems_or_none(tmp_path, env) is None


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("user_pool_tier", "LITE", "user_pool.user_pool_tier: applies only to a pool this stack creates"),
        ("user_pool_add_ons", {"advanced_security_mode": "OFF"}, "user_pool.user_pool_add_ons: applies only"),
        ("lambda_config", {"pre_sign_up": FUNCTION}, "user_pool.lambda_config: applies only to a pool this stack creates"),
    ],
)  # fmt: skip
def test_an_existing_pools_settings_are_its_owners(
    tmp_path: Path, key: str, value: Any, expected: str
) -> None:
    env = changed("user_pool", {"existing_id": "eu-north-1_AbC123", key: value})
    [line] = lines(tmp_path, env)
    assert line.startswith(expected)


def test_log_delivery_is_for_a_pool_the_stack_creates(tmp_path: Path) -> None:
    env = changed("user_pool", {"existing_id": "eu-north-1_AbC123"})
    env["log_delivery_configuration"] = _user_notification_logs()
    [line] = lines(tmp_path, env)
    assert line.startswith("log_delivery_configuration: applies only to a pool this stack creates")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            changed("domain.managed_login_version", 2, changed("user_pool.user_pool_tier", "LITE")),
            "domain.managed_login_version: managed login (managed_login_version = 2) needs the "
            "ESSENTIALS feature plan or higher, and user_pool.user_pool_tier is LITE (the Lite "
            "plan serves only the classic hosted UI)",
        ),
        (
            changed("user_pool.user_pool_add_ons", {"advanced_security_mode": "AUDIT"}),
            "user_pool.user_pool_add_ons.advanced_security_mode: threat protection "
            "(advanced_security_mode AUDIT or ENFORCED) needs the PLUS feature plan or higher, "
            "and user_pool.user_pool_tier is unset, which AWS makes ESSENTIALS (threat "
            "protection is a Plus feature)",
        ),
        (
            changed(
                "user_pool.lambda_config",
                {"pre_token_generation_config": {"lambda_arn": FUNCTION, "lambda_version": "V2_0"}},
                changed("user_pool.user_pool_tier", "LITE"),
            ),
            "user_pool.lambda_config.pre_token_generation_config.lambda_version: a pre token "
            "generation event V2_0 or V3_0 needs the ESSENTIALS feature plan or higher, and "
            "user_pool.user_pool_tier is LITE",
        ),
    ],
)
def test_a_feature_above_the_plan_is_refused_naming_both_keys(
    tmp_path: Path, env: dict[str, Any], expected: str
) -> None:
    [line] = lines(tmp_path, env)
    assert line.startswith(expected)


def test_user_activity_logs_need_plus_and_threat_protection(tmp_path: Path) -> None:
    logs = {
        "log_configurations": [
            {
                "event_source": "userAuthEvents",
                "log_level": "INFO",
                "firehose_configuration": {
                    "stream_arn": "arn:aws:firehose:eu-north-1:123456789012:deliverystream/c"
                },
            }
        ]
    }
    env = changed("log_delivery_configuration", logs)
    [line] = lines(tmp_path, env)
    assert line.startswith(
        "log_delivery_configuration.log_configurations.0.event_source: exporting user-activity "
        "logs (event_source userAuthEvents) needs the PLUS feature plan or higher"
    )
    env = changed("user_pool.user_pool_tier", "PLUS", env)
    [line] = lines(tmp_path, env)
    assert "only while threat protection is active" in line
    env = changed("user_pool.user_pool_add_ons", {"advanced_security_mode": "ENFORCED"}, env)
    assert problems_or_none(tmp_path, env) is None


def problems_or_none(tmp_path: Path, env: dict[str, Any]) -> list[str] | None:
    from support.configs import write_config

    from stacks.config import ConfigError, load_config

    try:
        load_config(write_config(tmp_path, config_with(env)))
    except ConfigError as exc:
        return exc.lines
    return None


def _user_notification_logs() -> dict[str, Any]:
    return {
        "log_configurations": [
            {
                "event_source": "userNotification",
                "log_level": "ERROR",
                "cloud_watch_logs_configuration": {"log_group_arn": LOG_GROUP},
            }
        ]
    }


# --- What the stack makes -----------------------------------------------------------------


def test_several_clients_have_their_own_addresses_and_outputs(synth: Any) -> None:
    env = several(
        external(), web={}, **{"Mobile-App": {"name": "Mobile", "callback_urls": ["myapp://cb"]}}
    )
    stack = synth(env)
    clients = stack["resource"]["aws_cognito_user_pool_client"]
    assert sorted(clients) == ["mobile_app", "web"]
    assert clients["web"]["name"] == "web"  # the key, when name is not given
    assert clients["mobile_app"]["name"] == "Mobile"
    outputs = stack["output"]
    assert "app_client_id" not in outputs and "login_url" not in outputs
    assert outputs["app_client_ids"]["value"] == {
        "web": "${aws_cognito_user_pool_client.web.id}",
        "Mobile-App": "${aws_cognito_user_pool_client.mobile_app.id}",
    }
    mobile = outputs["app_client_login_urls"]["value"]["Mobile-App"]["Criipto"]
    assert "client_id=${aws_cognito_user_pool_client.mobile_app.id}" in mobile
    assert "redirect_uri=myapp%3A%2F%2Fcb" in mobile


def test_a_client_keyed_app_client_keeps_the_single_clients_address(synth: Any) -> None:
    """The documented move from [app_client] to [app_clients]: no state mv needed."""
    single = only(synth(base_environment()), "aws_cognito_user_pool_client")
    keyed = only(synth(several(app_client={"name": "web"})), "aws_cognito_user_pool_client")
    assert single["//"]["metadata"]["uniqueId"] == keyed["//"]["metadata"]["uniqueId"]
    assert {k: v for k, v in single.items() if k != "//"} == {
        k: v for k, v in keyed.items() if k != "//"
    }


def test_token_settings_are_written_as_given(synth: Any) -> None:
    env = changed("app_client.access_token_validity", 15)
    env = changed("app_client.token_validity_units", {"access_token": "minutes"}, env)
    env = changed("app_client.auth_session_validity", 5, env)
    env = changed("app_client.enable_token_revocation", False, env)
    env = changed("app_client.prevent_user_existence_errors", "LEGACY", env)
    env = changed("app_client.write_attributes", ["name"], env)
    client = only(synth(env), "aws_cognito_user_pool_client")
    assert client["access_token_validity"] == 15
    # Every unit written (AWS's for the others), so the plan never fills one in.
    assert client["token_validity_units"] == [
        {"access_token": "minutes", "id_token": "hours", "refresh_token": "days"}
    ]
    assert client["auth_session_validity"] == 5
    assert client["enable_token_revocation"] is False
    assert client["prevent_user_existence_errors"] == "LEGACY"
    assert client["write_attributes"] == ["name"]
    assert "refresh_token_rotation" not in client and "id_token_validity" not in client


def test_rotation_writes_the_grace_period_and_drops_the_refresh_flow(synth: Any) -> None:
    env = changed("app_client.refresh_token_rotation", {"feature": "ENABLED"})
    client = only(synth(env), "aws_cognito_user_pool_client")
    assert client["refresh_token_rotation"] == [
        {"feature": "ENABLED", "retry_grace_period_seconds": 0}
    ]
    assert client["explicit_auth_flows"] == []
    env = changed("app_client.refresh_token_rotation", {"feature": "DISABLED"})
    client = only(synth(env), "aws_cognito_user_pool_client")
    assert client["explicit_auth_flows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]


def test_resource_servers_come_before_the_clients_that_name_them(synth: Any) -> None:
    env = several(
        with_server(with_server(base_environment()), "reports", export="Export"),
        web={"oauth_scopes": ["openid", f"{API}/read"]},
        plain={},
    )
    stack = synth(env)
    servers = stack["resource"]["aws_cognito_resource_server"]
    assert sorted(servers) == ["https_api_acme_com", "reports"]
    assert servers["https_api_acme_com"]["identifier"] == API
    assert servers["https_api_acme_com"]["scope"] == [
        {"scope_name": "read", "scope_description": "Read orders"}
    ]
    clients = stack["resource"]["aws_cognito_user_pool_client"]
    assert clients["web"]["depends_on"] == ["aws_cognito_resource_server.https_api_acme_com"]
    assert "depends_on" not in clients["plain"]


def test_the_plan_threat_protection_and_triggers_with_their_permissions(synth: Any) -> None:
    env = changed("user_pool.user_pool_tier", "PLUS")
    env = changed("user_pool.user_pool_add_ons", {"advanced_security_mode": "ENFORCED"}, env)
    env = changed(
        "user_pool.lambda_config",
        {
            "pre_sign_up": FUNCTION,
            "pre_token_generation_config": {
                "lambda_arn": f"{FUNCTION}:live",
                "lambda_version": "V3_0",
            },
        },
        env,
    )
    stack = synth(env)
    pool = only(stack, "aws_cognito_user_pool")
    assert pool["user_pool_tier"] == "PLUS"
    assert pool["user_pool_add_ons"] == {"advanced_security_mode": "ENFORCED"}
    assert pool["lambda_config"] == {
        "pre_sign_up": FUNCTION,
        "pre_token_generation_config": {"lambda_arn": f"{FUNCTION}:live", "lambda_version": "V3_0"},
    }
    permissions = stack["resource"]["aws_lambda_permission"]
    assert sorted(permissions) == ["pre_sign_up", "pre_token_generation_config"]
    for trigger, function in (
        ("pre_sign_up", FUNCTION),
        ("pre_token_generation_config", f"{FUNCTION}:live"),
    ):
        permission = {k: v for k, v in permissions[trigger].items() if k != "//"}
        assert permission == {
            "action": "lambda:InvokeFunction",
            "function_name": function,
            "principal": "cognito-idp.amazonaws.com",
            "source_arn": "${aws_cognito_user_pool.user_pool.arn}",
        }


def test_managed_login_gives_every_client_cognitos_style(synth: Any) -> None:
    stack = synth(several(changed("domain.managed_login_version", 2), web={}, backend={}))
    assert only(stack, "aws_cognito_user_pool_domain")["managed_login_version"] == 2
    brandings = stack["resource"]["aws_cognito_managed_login_branding"]
    assert sorted(brandings) == ["backend", "web"]
    assert brandings["web"]["client_id"] == "${aws_cognito_user_pool_client.web.id}"
    assert brandings["web"]["use_cognito_provided_values"] is True
    classic = synth(changed("domain.managed_login_version", 1))
    assert resources(classic, "aws_cognito_managed_login_branding") == []


def test_log_delivery(synth: Any) -> None:
    stack = synth(changed("log_delivery_configuration", _user_notification_logs()))
    delivery = stack["resource"]["aws_cognito_log_delivery_configuration"]["log_delivery"]
    assert delivery["user_pool_id"] == "${aws_cognito_user_pool.user_pool.id}"
    assert delivery["log_configurations"] == [
        {
            "event_source": "userNotification",
            "log_level": "ERROR",
            "cloud_watch_logs_configuration": [{"log_group_arn": LOG_GROUP}],
        }
    ]


def test_without_the_new_keys_nothing_new_is_made(synth: Any) -> None:
    stack = synth(base_environment())
    for kind in (
        "aws_cognito_resource_server",
        "aws_cognito_managed_login_branding",
        "aws_lambda_permission",
        "aws_cognito_log_delivery_configuration",
    ):
        assert resources(stack, kind) == []
    pool = only(stack, "aws_cognito_user_pool")
    assert {"user_pool_tier", "lambda_config", "user_pool_add_ons"}.isdisjoint(pool)


def test_a_provider_named_like_a_name_the_stack_has_is_refused(tmp_path: Path) -> None:
    """A provider's name is a top-level name of the stack: "Domain" would be "domain", the
    domain's, and synth would fail instead of answering with one line."""
    for name, key in (("Domain", "criipto.provider_name"), ("Login-URL", "criipto.provider_name")):
        [line] = lines(tmp_path, changed(key, name))
        assert line.startswith(f"criipto.provider_name: {name!r} would be named")
    env = changed("criipto.eids", ["se-bankid"], changed("criipto.provider_name", ...))
    env["criipto"]["provider_names"] = {"se-bankid": "App-Clients"}
    [line] = lines(tmp_path, env)
    assert line.startswith("criipto.provider_names.se-bankid: 'App-Clients' would be named")


def test_every_top_level_name_is_known_to_the_provider_name_check() -> None:
    """addresses.STACK_NAMES holds every name a stack gives at its top level or its federation
    but the providers', with every feature on (and the single client, managed mode, a custom domain)."""
    from stacks.app import build_app
    from stacks.config import FederationConfig
    from stacks.rules import addresses

    every = several(
        with_server(external()),
        web={"oauth_scopes": ["openid", f"{API}/read"]},
        mobile={},
    )
    every["user_pool"].update(
        user_pool_tier="PLUS",
        user_pool_add_ons={"advanced_security_mode": "AUDIT"},
        lambda_config={"pre_sign_up": FUNCTION},
    )
    every["domain"]["managed_login_version"] = 2
    every["log_delivery_configuration"] = _user_notification_logs()
    custom = changed("domain", {"custom": "login.acme.com", "certificate_arn": CERT}, managed())
    config = FederationConfig.model_validate({"environments": {"every": every, "managed": custom}})
    app = build_app(config)
    found = set()
    for stack in app.node.children:
        providers = {
            addresses.identity_provider_name(p.provider_name)
            for p in config.environments[stack.node.id].criipto.plan.providers
        }
        # The federation's parts are its children, with the Terraform names they had at the
        # stack's top level: one namespace with the providers' names.
        federation = stack.node.find_child(addresses.FEDERATION)
        children = [*stack.node.children, *federation.node.children]
        found |= {child.node.id for child in children} - providers
    assert found <= addresses.STACK_NAMES, found - addresses.STACK_NAMES
    assert {"app_client_ids", "login_url", "criipto_application", "lambda_permissions"} <= found


CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f3c2b1a-1111-2222-3333-444455556666"
