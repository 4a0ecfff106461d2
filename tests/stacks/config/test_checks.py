"""Every problem in one run: the checks (rules over several keys, stacks/config/checks.py) report
with the keys' own problems, in every table, and wait only for a key they read that is bad."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.configs import base_environment, changed, config_with, external, managed
from support.configs import config_problems as problems

from stacks.config.base import Model
from stacks.config.checks import Problems, check

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f3c2b1a-1111-2222-3333-444455556666"
OTHER_STATE = "environment 'c' already keeps its state in app.terraform.io/acme/criipto; each environment needs its own"


def _environment(name: str) -> dict[str, Any]:
    env = external(base_environment())
    env["user_pool"] = {"name": f"acme-{name}"}
    env["domain"] = {"prefix": f"acme-{name}-login"}
    return env


def test_one_problem_in_every_table_is_reported_in_one_run(tmp_path: Path) -> None:
    """Each table of the config holds a problem (a key's own, or a check's); five environments
    cover the three kinds of backend and the checks across tables and environments."""
    a = _environment("a")
    a["aws_region"] = "mars-1"  # the environment table
    a["user_pool"]["existing_id"] = "eu-north-1_AbC123"  # and name: both
    a["domain"]["certificate_arn"] = CERT  # with a prefix
    a["criipto"].pop("client_id")  # external mode, switched from managed: four lines
    a["criipto"].update(
        management_api_url="https://api.acme.example", application_name="x", tags=["t"]
    )
    a["app_client"]["callback_urls"] = ["http://app.acme.com/cb"]
    a["tags"] = {"aws:team": "x"}
    a["backend"] = {"type": "local", "path": "state.tfstate"}
    b = _environment("b")
    b["user_pool"] = {"existing_id": "eu-west-1_AbC123", "deletion_protection": False}
    b["domain"] = {"custom": "login.acme.com"}  # no certificate
    b["criipto"].pop("provider_name")
    b["criipto"]["eids"] = ["dk-mitid-substantial", "xx-bankid"]
    b["app_client"]["read_attributes"] = ["name", "name"]
    b["backend"] = {"type": "s3", "bucket": "Acme_State", "key": "k", "region": "eu-north-1"}
    c = _environment("c")
    c["user_pool"] = {"existing_id": "eu-north-1_AbC123"}
    c["criipto"].pop("provider_name")
    c["criipto"].update(
        eids=["dk-mitid-substantial"], attribute_mapping={"uuid": "custom:dk_mitid_uuid"}
    )
    c["backend"] = {"type": "cloud", "organization": "acme", "workspace": "criipto"}
    d = _environment("d")
    d["criipto"]["domain"] = "https://acme.criipto.id"
    d["backend"] = {"type": "cloud", "organization": "acme", "workspace": "criipto"}  # as c's
    e = _environment("e")
    e["criipto"]["mode"] = "managed"
    e["backend"] = {"type": "cloud", "organization": "acme", "workspace": "w", "tags": ["t"]}
    data = {
        "environments": {"a": a, "b": b, "c": c, "d": d, "e": e},
        "terraform": {"aws_provider": "~> banana"},
    }

    lines = problems(tmp_path, data)

    assert [line.split(": ", 1)[0] for line in lines] == [
        "environments.a.app_client.callback_urls",
        "environments.a.aws_region",
        "environments.a.backend.path",
        "environments.a.criipto.application_name",
        "environments.a.criipto.client_id",
        "environments.a.criipto.management_api_url",
        "environments.a.criipto.tags",
        "environments.a.domain.certificate_arn",
        "environments.a.tags",
        "environments.a.user_pool",
        "environments.b.app_client.read_attributes",
        "environments.b.backend.bucket",
        "environments.b.criipto.eids",
        "environments.b.domain.certificate_arn",
        "environments.b.user_pool.deletion_protection",
        "environments.b.user_pool.existing_id",
        "environments.c.user_pool.existing_custom_attributes",
        "environments.d.backend.workspace",
        "environments.d.criipto.domain",
        "environments.e.backend",
        "environments.e.criipto.management_api_url",
        "terraform.aws_provider",
    ]
    # The messages are the ones each rule gives alone (tests/stacks/config/test_loader.py).
    assert (
        "environments.a.user_pool: set exactly one of name (a new pool) or existing_id (attach)"
        in lines
    )
    assert (
        "environments.b.user_pool.existing_id: the pool is in eu-west-1 but aws_region is eu-north-1"
        in lines
    )
    assert f"environments.d.backend.workspace: {OTHER_STATE}" in lines
    assert (
        "environments.e.backend: set exactly one of workspace (one by name) or tags (by tags)"
        in lines
    )


FUNCTION = "arn:aws:lambda:eu-north-1:123456789012:function:pre-token"
LOG_GROUP = "arn:aws:logs:eu-north-1:123456789012:log-group:cognito"
STREAM = "arn:aws:firehose:eu-north-1:123456789012:deliverystream/cognito"


def _clients(**changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``[app_clients.<key>]`` tables: a good client changed as given for each key."""
    good = {"callback_urls": ["https://app.acme.com/callback"]}
    return {key: {**good, **change} for key, change in changes.items()}


def test_one_problem_in_every_production_table_is_reported_in_one_run(tmp_path: Path) -> None:
    """As above for the production keys (issue 19): each client table and its token tables,
    each resource server, the feature plan, the triggers, managed login and log delivery hold a
    problem of their own or one of a rule across keys or tables, and every line comes at once.
    Three environments: several clients and servers on a Lite pool (f); triggers, threat
    protection, eIDs and the log destinations (g); the keys an existing pool refuses (h)."""
    f = _environment("f")
    f["user_pool"]["user_pool_tier"] = "LITE"
    f["user_pool"]["lambda_config"] = {  # access tokens: not on Lite
        "pre_token_generation_config": {"lambda_arn": FUNCTION, "lambda_version": "V2_0"}
    }
    f["domain"]["managed_login_version"] = 2  # not on Lite
    f["criipto"]["attribute_mapping"] = {"name": "name"}
    f.pop("app_client")
    f["app_clients"] = _clients(
        **{"1web": {}},  # a key that cannot name a Terraform resource
        web={"callback_urls": ["http://app.acme.com/cb"]},
        # The access token outlives the refresh token (2 hours, 60 minutes).
        mobile={
            "access_token_validity": 2,
            "refresh_token_validity": 60,
            "token_validity_units": {"refresh_token": "minutes"},
        },
        backend={"token_validity_units": {"id_token": "weeks"}},
        batch={"refresh_token_rotation": {"feature": "ENABLED", "retry_grace_period_seconds": 61}},
        api={"oauth_scopes": ["openid", "orders/read"]},  # no server "orders"
        admin={"write_attributes": ["email"]},  # not "name", which the provider maps
        kiosk={"name": "admin"},  # the name of another client
        **{"ops-tool": {"auth_session_validity": 2}, "Ops_Tool": {}},  # one resource name
    )
    f["resource_servers"] = {
        "https://api.acme.com": {"name": "Acme/API"},
        "api.acme": {"name": "A"},
        "api-acme": {"name": "B"},  # the resource name of api.acme
    }
    f["log_delivery_configuration"] = {
        "log_configurations": [
            {  # user activity needs the Plus plan
                "event_source": "userAuthEvents",
                "log_level": "INFO",
                "firehose_configuration": {"stream_arn": STREAM},
            },
            {
                "event_source": "userNotification",
                "log_level": "INFO",
                "cloud_watch_logs_configuration": {"log_group_arn": LOG_GROUP},
            },
        ]
    }
    g = _environment("g")
    g["user_pool"]["user_pool_add_ons"] = {"advanced_security_mode": "AUDIT"}  # not on Essentials
    g["user_pool"]["lambda_config"] = {
        "pre_sign_up": "my-function",
        "pre_token_generation_config": {"lambda_arn": FUNCTION, "lambda_version": "V4_0"},
    }
    g["domain"]["managed_login_version"] = 3
    g["criipto"].pop("provider_name")
    g["criipto"].update(eids=["uk-oneid"], provider_names={"uk-oneid": "Login URL"})
    g["app_clients"] = _clients(extra={})  # and app_client
    g["resource_servers"] = {"inventory": {"name": "Inventory", "scopes": {"a/b": "x"}}}
    g["log_delivery_configuration"] = {
        "log_configurations": [
            {"event_source": "userNotification", "log_level": "ERROR"},
            {
                "event_source": "userAuthEvents",
                "log_level": "INFO",
                "cloud_watch_logs_configuration": {"log_group_arn": FUNCTION},
            },
        ]
    }
    h = _environment("h")
    h["user_pool"] = {
        "existing_id": "eu-north-1_AbC123",
        "user_pool_tier": "PLUS",
        "user_pool_add_ons": {"advanced_security_mode": "AUDIT"},
    }
    h["app_client"]["oauth_scopes"] = ["openid", "orders/read"]  # doctor's to check
    h["log_delivery_configuration"] = {
        "log_configurations": [
            {
                "event_source": "userNotification",
                "log_level": "ERROR",
                "cloud_watch_logs_configuration": {"log_group_arn": LOG_GROUP},
            }
        ]
    }
    data = {"environments": {"f": f, "g": g, "h": h}}

    lines = problems(tmp_path, data)

    clients = "environments.f.app_clients"
    logs = "log_delivery_configuration.log_configurations"
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{clients}.1web",
        f"{clients}.Ops_Tool",
        f"{clients}.admin.write_attributes",
        f"{clients}.api.oauth_scopes",
        f"{clients}.backend.token_validity_units.id_token",
        f"{clients}.batch.refresh_token_rotation.retry_grace_period_seconds",
        f"{clients}.kiosk.name",
        f"{clients}.mobile.access_token_validity",
        f"{clients}.ops-tool.auth_session_validity",
        f"{clients}.web.callback_urls",
        "environments.f.domain.managed_login_version",
        f"environments.f.{logs}.0.event_source",
        f"environments.f.{logs}.1.log_level",
        'environments.f.resource_servers."https://api.acme.com".name',
        "environments.f.resource_servers.api-acme",
        "environments.f.user_pool.lambda_config.pre_token_generation_config.lambda_version",
        "environments.g.app_client",
        "environments.g.criipto.eid_scopes.uk-oneid",
        "environments.g.criipto.provider_names.uk-oneid",
        "environments.g.domain.managed_login_version",
        f"environments.g.{logs}.0.cloud_watch_logs_configuration",
        f"environments.g.{logs}.1.cloud_watch_logs_configuration.log_group_arn",
        'environments.g.resource_servers.inventory.scopes."a/b"',
        "environments.g.user_pool.lambda_config.pre_sign_up",
        "environments.g.user_pool.lambda_config.pre_token_generation_config.lambda_version",
        "environments.g.user_pool.user_pool_add_ons.advanced_security_mode",
        "environments.h.log_delivery_configuration",
        "environments.h.user_pool.user_pool_add_ons",
        "environments.h.user_pool.user_pool_tier",
    ]
    # The messages are the ones each rule gives alone (tests/stacks/app/test_production_config.py).
    assert (
        f"{clients}.mobile.access_token_validity: the access token (2 hours) must not outlive "
        "the refresh token (60 minutes, refresh_token_validity): AWS refuses it"
    ) in lines
    assert (
        f"environments.f.{logs}.0.event_source: exporting user-activity logs (event_source "
        "userAuthEvents) needs the PLUS feature plan or higher, and user_pool.user_pool_tier "
        "is LITE (user-activity logs come from threat protection, a Plus feature)"
    ) in lines
    assert "environments.g.app_client: set either app_client or app_clients, not both" in lines


def test_switching_to_external_mode_names_every_managed_key_at_once(tmp_path: Path) -> None:
    env = changed("criipto.mode", "external", managed())
    env["criipto"].update(application_name="AWS Cognito", tags=["aws-cognito"])
    assert problems(tmp_path, config_with(env)) == [
        'environments.test.criipto.application_name: applies only to mode = "managed"',
        'environments.test.criipto.management_api_url: applies only to mode = "managed"',
        'environments.test.criipto.tags: applies only to mode = "managed"',
    ]


def test_a_bad_domain_does_not_hide_a_missing_client_id(tmp_path: Path) -> None:
    env = external()
    env["criipto"]["domain"] = "acme.criipto.id:443"
    env["criipto"].pop("client_id")
    assert problems(tmp_path, config_with(env)) == [
        "environments.test.criipto.client_id: required in external mode (the application's Client ID/Realm)",
        "environments.test.criipto.domain: must be a bare host name, without port",
    ]


def test_a_check_waits_for_a_bad_key_it_reads(tmp_path: Path) -> None:
    """A bad mode says nothing about which keys the mode allows: only its own line."""
    env = changed("criipto.mode", "manged")
    assert problems(tmp_path, config_with(env)) == [
        "environments.test.criipto.mode: must be one of 'managed' or 'external' (got 'manged')"
    ]
    # A pool id that is no pool id has no region to compare: the id's own line alone.
    env = changed("user_pool", {"existing_id": "eu-west-1-AbC123"})
    assert problems(tmp_path, config_with(env)) == [
        "environments.test.user_pool.existing_id: 'eu-west-1-AbC123' is not a user pool id such as eu-north-1_AbC123"
    ]


def test_a_table_with_a_bad_key_still_lends_its_good_keys_to_the_checks_above(
    tmp_path: Path,
) -> None:
    """user_pool has a bad key of its own; the environment's region check reads existing_id,
    which validated, and reports too."""
    env = changed(
        "user_pool",
        {"existing_id": "eu-west-1_AbC123", "existing_custom_attributes": ["a b"]},
    )
    keys = [line.split(": ", 1)[0] for line in problems(tmp_path, config_with(env))]
    assert keys == [
        "environments.test.user_pool.existing_custom_attributes",
        "environments.test.user_pool.existing_id",
    ]


def test_a_shared_state_is_found_beside_other_problems(tmp_path: Path) -> None:
    first, second = base_environment(), base_environment()
    s3 = {"type": "s3", "bucket": "acme-state", "key": "one.tfstate", "region": "eu-north-1"}
    first["backend"] = second["backend"] = s3
    second["domain"]["prefix"] = "aws"
    data = {"environments": {"one": first, "two": second}}
    assert problems(tmp_path, data) == [
        "environments.two.backend.key: environment 'one' already keeps its state in "
        "s3://acme-state/one.tfstate; each environment needs its own",
        'environments.two.domain.prefix: must not contain the reserved word "aws"',
    ]


def test_a_check_must_name_keys_its_table_has() -> None:
    with pytest.raises(TypeError, match=r"reads keys it does not have: \['nmae'\]"):

        class Table(Model):
            name: str

            @check("nmae")
            def _named(self) -> Problems:
                yield from ()


def test_every_eid_option_problem_is_reported_at_once(tmp_path: Path) -> None:
    """The federation plan checks every option before it answers (stacks/rules/federation_plan):
    two unknown eIDs and an unknown dashboard setting, three lines in one run."""
    env = external()
    env["criipto"].pop("provider_name")
    env["criipto"].update(
        eids=["dk-mitid-substantial", "xx-bankid", "yy-id"], dashboard_settings=["nope"]
    )
    lines = problems(tmp_path, config_with(env))
    assert [line.split(": ", 2)[:2] for line in lines] == [
        ["environments.test.criipto.dashboard_settings", "unknown setting 'nope'; known"],
        ["environments.test.criipto.eids", "unknown eID 'xx-bankid'; known"],
        ["environments.test.criipto.eids", "unknown eID 'yy-id'; known"],
    ]
    # With the eIDs right, what reads them is checked too, each key on its line.
    env["criipto"].update(
        eids=["dk-mitid-substantial"],
        provider_names={"se-bankid": "BankID"},
        eid_scopes={"se-bankid": ["openid"]},
        attribute_mapping={"shoe_size": "name"},
    )
    keys = [line.split(": ", 1)[0] for line in problems(tmp_path, config_with(env))]
    assert keys == [
        "environments.test.criipto.attribute_mapping.shoe_size",
        "environments.test.criipto.dashboard_settings",
        "environments.test.criipto.eid_scopes.se-bankid",
        "environments.test.criipto.provider_names.se-bankid",
    ]
