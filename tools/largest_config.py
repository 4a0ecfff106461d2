"""The largest config the loader accepts: every list and table as full as its rules allow.

`make bench` synthesizes it (the limits in stacks/rules/limits.py exist so that this takes
seconds), and tests/stacks/rules/test_limits.py proves it is accepted and that one item more
anywhere is refused. Environments come in four kinds, so that every key is filled somewhere:
managed mode with Criipto's picker, external mode with every eID, every eID on an existing
pool with a custom domain, and a pool with every feature: all app clients and resource servers,
the Plus plan with threat protection, every trigger, managed login and both log streams.
"""

from __future__ import annotations

from typing import Any

from criipto import eids
from stacks.rules import limits
from stacks.rules.federation_plan import STANDARD_ATTRIBUTES
from stacks.rules.triggers import PLAIN_TRIGGERS

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f3c2b1a-1111-2222-3333-444455556666"
_USABLE = [eid for eid in eids.KNOWN_EIDS if eid.unsupported_reason is None]
# Every claim a Cognito attribute can hold (BankID's evidence, kilobytes, cannot be mapped).
_RETURNED_CLAIMS = sorted(
    {claim.name for eid in _USABLE for claim in eid.claims if eid.returns(claim.name)}
    - {claim.name for eid in _USABLE for claim in eid.claims if claim.max_length is None}
)


def largest_config() -> dict[str, Any]:
    """The config, as data for tomli_w."""
    kinds = (_managed_picker, _external_eids, _existing_pool, _every_feature)
    return {
        "terraform": {"aws_provider": ">= 6.25.0, < 7.0.0", "restapi_provider": "~> 3.0.0"},
        "environments": {
            f"env{index:02d}": kinds[index % len(kinds)](index)
            for index in range(limits.ENVIRONMENTS.maximum)
        },
    }


def _numbered(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{index}" for index in range(count)]


def _client(index: int, server: str = "api") -> dict[str, Any]:
    """An app client with every list full and every token setting given."""
    urls = limits.CALLBACK_URLS.maximum
    return {
        "name": "web",
        "callback_urls": [f"https://app{index}.acme.com/callback/{i}" for i in range(urls)],
        "logout_urls": [
            f"https://app{index}.acme.com/bye/{i}" for i in range(limits.LOGOUT_URLS.maximum)
        ],
        "oauth_scopes": [
            "openid",
            *(f"{server}/scope{i}" for i in range(limits.OAUTH_SCOPES.maximum - 1)),
        ],
        "generate_secret": True,
        "read_attributes": _readable(_RETURNED_CLAIMS),
        "write_attributes": _readable(_RETURNED_CLAIMS),
        "access_token_validity": 5,
        "id_token_validity": 5,
        "refresh_token_validity": 3650,
        "token_validity_units": {
            "access_token": "minutes",
            "id_token": "minutes",
            "refresh_token": "days",
        },
        "auth_session_validity": 15,
        "refresh_token_rotation": {"feature": "ENABLED", "retry_grace_period_seconds": 60},
        "enable_token_revocation": True,
        "prevent_user_existence_errors": "ENABLED",
    }


def _server(name: str) -> dict[str, Any]:
    """A resource server with every scope it may have."""
    scopes = limits.RESOURCE_SERVER_SCOPES.maximum
    return {"name": name, "scopes": {f"scope{i}": f"Scope {i} of {name}" for i in range(scopes)}}


def _common(index: int) -> dict[str, Any]:
    return {
        "aws_region": "eu-north-1",
        "tags": {f"Key{i}": f"value {i}" for i in range(limits.TAGS.maximum)},
        "user_pool": {"name": f"acme-pool-{index}"},
        "domain": {"prefix": f"acme-login-{index}"},
        "resource_servers": {"api": _server("API")},
        "app_client": _client(index),
    }


def _managed_picker(index: int) -> dict[str, Any]:
    env = _common(index)
    env["criipto"] = {
        "domain": f"acme-{index}.criipto.id",
        "mode": "managed",
        "management_api_url": "https://criipto-management.acme.example/v1",
        "application_name": f"AWS Cognito ({index})",
        "tags": _numbered("tag-", limits.APPLICATION_TAGS.maximum),
        "authorize_scopes": [
            "openid",
            *_numbered("scope", limits.AUTHORIZE_SCOPES.maximum - 1),
        ],
        "attribute_mapping": _mapping(),
        "store_national_identifiers": True,
        "dashboard_settings": list(eids.DASHBOARD_SETTINGS),
    }
    return env


def _mapping() -> dict[str, str]:
    """Every claim the known eIDs return, each into a custom attribute of its own."""
    return {claim: f"custom:claim_{i}" for i, claim in enumerate(_RETURNED_CLAIMS)}


def _every_eid(index: int) -> dict[str, Any]:
    return {
        "domain": f"acme-{index}.idura.broker",
        "mode": "external",
        "client_id": f"urn:acme:cognito:{index}",
        "eids": [eid.short_name for eid in _USABLE],
        "provider_names": {eid.short_name: f"{eid.provider_name[:28]}-{index}" for eid in _USABLE},
        "attribute_mapping": _mapping(),
        "store_national_identifiers": True,
        "eid_scopes": {
            eid.short_name: _usable_scopes(eid)
            for eid in _USABLE
            if any(s not in eid.refused_scopes for s in eid.scopes)
        },
        "dashboard_settings": list(eids.DASHBOARD_SETTINGS),
    }


def _usable_scopes(eid: eids.Eid) -> list[str]:
    """Every scope the eID documents and Cognito can send; of a scope it needs exactly one of
    (OneID's product), the first."""
    usable = [s for s in eid.scopes if s not in eid.refused_scopes]
    return [s for s in usable if s not in eid.choose_one_scope[1:]]


def _external_eids(index: int) -> dict[str, Any]:
    env = _common(index)
    env["criipto"] = _every_eid(index)
    return env


def _existing_pool(index: int) -> dict[str, Any]:
    env = _common(index)
    env["criipto"] = _every_eid(index)
    custom = [f"claim_{i}" for i in range(len(_RETURNED_CLAIMS))]
    spare = limits.EXISTING_CUSTOM_ATTRIBUTES.maximum - len(custom)
    env["user_pool"] = {
        "existing_id": f"eu-north-1_Existing{index}",
        "existing_custom_attributes": custom + _numbered("spare_", spare),
    }
    env["domain"] = {"custom": f"login{index}.acme.com", "certificate_arn": CERTIFICATE}
    env["backend"] = {
        "type": "cloud",
        "organization": "acme",
        "tags": _numbered("env", limits.BACKEND_TAGS.maximum),
    }
    return env


def _every_feature(index: int) -> dict[str, Any]:
    """A new pool with every feature the config offers, and as many clients as it allows."""
    env = _common(index)
    env.pop("app_client")
    env["criipto"] = _every_eid(index)
    function = "arn:aws:lambda:eu-north-1:123456789012:function:"
    env["user_pool"].update(
        user_pool_tier="PLUS",
        user_pool_add_ons={"advanced_security_mode": "ENFORCED"},
        lambda_config={
            **{trigger: f"{function}{trigger}" for trigger in PLAIN_TRIGGERS},
            "pre_token_generation_config": {
                "lambda_arn": f"{function}tokens:live",
                "lambda_version": "V3_0",
            },
        },
    )
    env["domain"]["managed_login_version"] = 2
    servers = [f"https://api{i}.acme.com" for i in range(limits.RESOURCE_SERVERS.maximum)]
    env["resource_servers"] = {server: _server(f"API {i}") for i, server in enumerate(servers)}
    env["app_clients"] = {
        f"client{i}": {**_client(index, servers[i % len(servers)]), "name": f"Client {i}"}
        for i in range(limits.APP_CLIENTS.maximum)
    }
    env["log_delivery_configuration"] = {
        "log_configurations": [
            {
                "event_source": "userNotification",
                "log_level": "ERROR",
                "cloud_watch_logs_configuration": {
                    "log_group_arn": "arn:aws:logs:eu-north-1:123456789012:log-group:cognito"
                },
            },
            {
                "event_source": "userAuthEvents",
                "log_level": "INFO",
                "firehose_configuration": {
                    "stream_arn": "arn:aws:firehose:eu-north-1:123456789012:deliverystream/c"
                },
            },
        ]
    }
    return env


def _readable(claims: list[str]) -> list[str]:
    """Every standard attribute and every custom attribute the mapping fills."""
    return sorted(STANDARD_ATTRIBUTES) + [f"custom:claim_{i}" for i in range(len(claims))]
