"""doctor's Cognito half (criipto_cognito/doctor_cognito.py) against moto: the pool, domain,
providers and clients as AWS describes them, and what a sign-in writes."""

from __future__ import annotations

from typing import Any

import pytest
from support.aws_server import REGION, aws_env, deploy, moto_cognito, reset, use_moto
from support.configs import base_environment, changed
from support.findings import failures

from criipto import urls
from criipto_cognito.cognito_lookup import cognito_client
from criipto_cognito.deadline import Deadline
from criipto_cognito.doctor_cognito import check_cognito
from criipto_cognito.findings import CannotCheck, Finding
from stacks.config import EnvironmentConfig


def environment(env: dict[str, Any] | None = None) -> EnvironmentConfig:
    return EnvironmentConfig.model_validate(env or base_environment())


# ---- Cognito ---------------------------------------------------------------------------------


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    return use_moto(moto_endpoint, monkeypatch)


def cognito_findings(config: EnvironmentConfig | None = None) -> list[Finding]:
    return check_cognito(cognito_client(REGION, Deadline(10.0)), config or environment())


def test_healthy_deployment_has_no_findings(aws: str) -> None:
    deploy(aws)
    findings = cognito_findings()
    assert failures(findings) == {}
    checked = {(f.subject, f.check) for f in findings}
    assert {
        ("user pool", "email not required"),
        ("domain", "active"),
        ("identity provider Criipto", "issuer"),
        ("identity provider Criipto", "client id"),
        ("identity provider Criipto", "authorize scopes"),
        ("app client", "provider Criipto enabled"),
        ("app client", "code flow"),
        ("app client", "callback URLs"),
    } <= checked


def test_a_scope_the_mapping_needs_is_diagnosed(aws: str) -> None:
    # Mapping the email claim makes the provider ask for the email scope; the deployed
    # provider asks for openid only, so the email never arrives.
    deploy(aws)
    wanted = environment(changed("criipto.attribute_mapping", {"email": "email"}))
    found = failures(cognito_findings(wanted))
    finding = found["identity provider Criipto", "authorize scopes"]
    assert (finding.expected, finding.found) == ("openid email", "openid")
    assert "does not ask for email" in finding.fix
    reset(aws)
    deploy(aws, extra_details={"authorize_scopes": "openid email"})
    assert ("identity provider Criipto", "authorize scopes") not in failures(
        cognito_findings(wanted)
    )


def _client(aws: str) -> tuple[Any, str, str]:
    """moto's Cognito, the deployed pool and its one client."""
    deployment = deploy(aws)
    assert deployment.client_id is not None
    return moto_cognito(aws), deployment.pool_id, deployment.client_id


def test_token_lifetimes_are_compared_as_durations(aws: str) -> None:
    cognito, pool_id, client_id = _client(aws)
    # AWS's defaults on both sides: nothing to find.
    assert ("app client", "token lifetimes") not in failures(cognito_findings())
    wanted = changed("app_client.access_token_validity", 15)
    wanted = changed("app_client.token_validity_units", {"access_token": "minutes"}, wanted)
    finding = failures(cognito_findings(environment(wanted)))["app client", "token lifetimes"]
    assert finding.expected == "access token 15 minutes, ID token 1 hour, refresh token 30 days"
    assert finding.found == "access token 1 hour, ID token 1 hour, refresh token 30 days"
    # 900 seconds is 15 minutes: the same lifetime in another unit is no finding.
    cognito.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client_id,
        ClientName="web",
        SupportedIdentityProviders=["Criipto"],
        AllowedOAuthFlows=["code"],
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=["openid"],
        CallbackURLs=["https://app.acme.com/callback"],
        AccessTokenValidity=900,
        TokenValidityUnits={"AccessToken": "seconds"},
    )
    assert ("app client", "token lifetimes") not in failures(cognito_findings(environment(wanted)))


def test_refresh_token_rotation_is_checked_when_configured(aws: str) -> None:
    _client(aws)
    wanted = environment(
        changed(
            "app_client.refresh_token_rotation",
            {"feature": "ENABLED", "retry_grace_period_seconds": 5},
        )
    )
    finding = failures(cognito_findings(wanted))["app client", "refresh token rotation"]
    assert (finding.expected, finding.found) == ("ENABLED, grace 5 s", "DISABLED, grace 0 s")


def test_resource_servers_and_the_scopes_clients_name_are_checked(aws: str) -> None:
    cognito, pool_id, _ = _client(aws)
    env = changed("app_client.oauth_scopes", ["openid", "https://api.acme.com/read"])
    env["resource_servers"] = {
        "https://api.acme.com": {"name": "Acme API", "scopes": {"read": "Read orders"}}
    }
    wanted = environment(env)
    found = failures(cognito_findings(wanted))
    assert found["resource server https://api.acme.com", "exists"].found == "none"
    _create_server(cognito, pool_id, "https://api.acme.com", "Old name", "write")
    found = failures(cognito_findings(wanted))
    assert found["resource server https://api.acme.com", "name"].found == "Old name"
    scopes = found["resource server https://api.acme.com", "scopes"]
    assert (scopes.expected, scopes.found) == ("read", "write")


def _create_server(cognito: Any, pool_id: str, identifier: str, name: str, scope: str) -> None:
    """A resource server made outside the stack (in the console, say), with one scope."""
    cognito.create_resource_server(
        UserPoolId=pool_id,
        Identifier=identifier,
        Name=name,
        Scopes=[{"ScopeName": scope, "ScopeDescription": scope.title()}],
    )


def test_on_an_existing_pool_a_scopes_server_is_looked_up(aws: str) -> None:
    """Not checked at synth (the pool may have the server): doctor finds it, or not."""
    cognito, pool_id, _ = _client(aws)
    env = changed("user_pool", {"existing_id": pool_id})
    env = changed("app_client.oauth_scopes", ["openid", "orders/read"], env)
    found = failures(cognito_findings(environment(env)))
    assert found["resource server orders", "exists"].expected == "a resource server 'orders'"
    _create_server(cognito, pool_id, "orders", "Orders", "read")
    found = failures(cognito_findings(environment(env)))
    assert not [key for key in found if key[0].startswith("resource server")]


def test_the_feature_plan_is_checked_when_configured(aws: str) -> None:
    deploy(aws)
    wanted = environment(changed("user_pool.user_pool_tier", "LITE"))
    finding = failures(cognito_findings(wanted))["user pool", "feature plan"]
    assert finding.expected == "LITE"


def test_several_clients_are_checked_each(aws: str) -> None:
    deploy(aws)
    env = base_environment()
    web = env.pop("app_client")
    env["app_clients"] = {"web": web, "mobile": {"callback_urls": ["myapp://cb"]}}
    found = failures(cognito_findings(environment(env)))
    assert found["app client mobile", "exists"].expected == "an app client named 'mobile'"
    assert not [key for key in found if key[0] == "app client web"]


def test_required_email_is_diagnosed(aws: str) -> None:
    deploy(aws, email_required=True)
    found = failures(cognito_findings())
    assert list(found) == [("user pool", "email not required")]
    assert "eIDs return no email" in found["user pool", "email not required"].fix


def test_provider_missing_from_the_client_is_diagnosed(aws: str) -> None:
    deploy(aws, client_providers=("COGNITO",))
    found = failures(cognito_findings())
    assert list(found) == [("app client", "provider Criipto enabled")]
    assert found["app client", "provider Criipto enabled"].found == "COGNITO"


def test_wrong_issuer_is_diagnosed(aws: str) -> None:
    deploy(aws, issuer="https://acme-prod.criipto.id")
    finding = failures(cognito_findings())["identity provider Criipto", "issuer"]
    assert (finding.expected, finding.found) == (
        "https://acme-test.criipto.id",
        "https://acme-prod.criipto.id",
    )


def test_missing_domain_is_diagnosed(aws: str) -> None:
    deploy(aws, with_domain=False)
    finding = failures(cognito_findings())["domain", "active"]
    assert finding.found == "no such domain"


def test_missing_provider_and_client_are_diagnosed(aws: str) -> None:
    deploy(aws, with_provider=False, with_client=False)
    assert set(failures(cognito_findings())) == {
        ("identity provider Criipto", "exists"),
        ("app client", "exists"),
    }


def test_callback_urls_and_client_id_differ_from_config(aws: str) -> None:
    deploy(aws)
    config = changed("criipto.client_id", "urn:acme:other", base_environment())
    config = changed("app_client.callback_urls", ["https://app.acme.com/new"], config)
    assert set(failures(cognito_findings(environment(config)))) == {
        ("identity provider Criipto", "client id"),
        ("app client", "callback URLs"),
    }


def test_eid_providers_are_checked_one_by_one(aws: str) -> None:
    mitid = "urn:grn:authn:dk:mitid:substantial"
    deploy(
        aws,
        provider_name="MitID",
        client_providers=("MitID",),
        extra_details={"authorize_url": urls.authorize_url("acme-test.criipto.id", mitid)},
    )
    with_eids = changed("criipto.eids", ["dk-mitid-substantial", "se-bankid"])
    with_eids["criipto"].pop("provider_name")
    found = failures(cognito_findings(environment(with_eids)))
    # MitID is deployed and pinned to its acr; Swedish BankID is not deployed yet.
    assert set(found) == {
        ("identity provider SE-BankID", "exists"),
        ("app client", "provider SE-BankID enabled"),
    }


def test_eid_provider_without_its_acr_is_diagnosed(aws: str) -> None:
    deploy(aws, provider_name="MitID", client_providers=("MitID",))
    with_eids = changed("criipto.eids", ["dk-mitid-substantial"])
    with_eids["criipto"].pop("provider_name")
    [finding] = failures(cognito_findings(environment(with_eids))).values()
    assert (finding.subject, finding.check, finding.found) == (
        "identity provider MitID",
        "authorize_url",
        "(missing)",
    )


def test_nothing_deployed_is_one_finding(aws: str) -> None:
    [finding] = cognito_findings()
    assert (finding.subject, finding.check, finding.status) == ("user pool", "exists", "fail")


def test_existing_pool_id_is_used_as_configured(aws: str) -> None:
    deployed = deploy(aws, pool_name="named-otherwise")
    attached = changed("user_pool", {"existing_id": deployed.pool_id})
    assert failures(cognito_findings(environment(attached))) == {}


def test_two_pools_with_the_configured_name_cannot_be_checked(aws: str) -> None:
    deploy(aws)
    deploy(aws, with_domain=False)
    with pytest.raises(CannotCheck, match="2 user pools are named 'acme-test'"):
        cognito_findings()


def test_unreachable_aws_cannot_be_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in aws_env("http://127.0.0.1:9").items():
        monkeypatch.setenv(name, value)
    with pytest.raises(CannotCheck, match="cannot list the user pools: AWS did not answer"):
        check_cognito(cognito_client(REGION, Deadline(2.0)), environment())


# ---- what a sign-in writes (AWS applies these only when a person signs in) --------------------

# The picker mapping MitID's uuid into a custom attribute, as a config would.
_UUID_MAPPED = changed("criipto.attribute_mapping", {"uuid": "custom:dk_mitid_uuid"})
_UUID_ATTRIBUTE = {
    "Name": "dk_mitid_uuid",
    "AttributeDataType": "String",
    "Mutable": True,
    "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "36"},
}


def _sign_in_rows(findings: list[Finding]) -> dict[tuple[str, str], Finding]:
    return {
        (f.subject, f.check): f
        for f in findings
        if f.check in ("write attributes", "custom:dk_mitid_uuid writable at sign-in")
    }


def test_a_client_on_aws_default_cannot_write_a_mapped_custom_attribute(aws: str) -> None:
    # No WriteAttributes: AWS's default, the standard attributes only; the mapped custom one
    # fails every sign-in.
    deploy(
        aws,
        attribute_mapping={"custom:dk_mitid_uuid": "uuid"},
        custom_attributes=[_UUID_ATTRIBUTE],
    )
    rows = _sign_in_rows(cognito_findings(environment(_UUID_MAPPED)))
    client_row = rows["app client", "write attributes"]
    assert client_row.failed
    assert client_row.found == "cannot write custom:dk_mitid_uuid (mapped by Criipto)"
    assert "app_client.write_attributes" in client_row.fix
    assert not rows["user pool", "custom:dk_mitid_uuid writable at sign-in"].failed


def test_a_client_that_may_write_the_mapped_attribute_passes(aws: str) -> None:
    deploy(
        aws,
        attribute_mapping={"custom:dk_mitid_uuid": "uuid"},
        custom_attributes=[_UUID_ATTRIBUTE],
        write_attributes=["name", "custom:dk_mitid_uuid"],
    )
    rows = _sign_in_rows(cognito_findings(environment(_UUID_MAPPED)))
    assert [row.status for row in rows.values()] == ["pass", "pass"]


def test_a_client_narrowed_in_the_console_fails_naming_the_attribute(aws: str) -> None:
    # Standard attributes are no exception: a list that leaves out a mapped one fails too.
    deploy(aws, attribute_mapping={"name": "name"}, write_attributes=["email"])
    row = failures(cognito_findings())["app client", "write attributes"]
    assert row.found == "cannot write name (mapped by Criipto)"


@pytest.mark.parametrize(
    ("attribute", "found", "problem"),
    [
        (None, "not declared", "not in the pool's schema"),
        ({**_UUID_ATTRIBUTE, "Mutable": False}, "immutable, at most 36 characters", "immutable"),
        (
            {**_UUID_ATTRIBUTE, "StringAttributeConstraints": {"MaxLength": "20"}},
            "mutable, at most 20 characters",
            "holds at most 20 characters, and the claim can be 36",
        ),
        (
            {**_UUID_ATTRIBUTE, "DeveloperOnlyAttribute": True},
            "mutable, developer-only, at most 36 characters",
            "developer-only",
        ),
    ],
)
def test_the_pool_schema_must_take_what_a_sign_in_writes(
    aws: str, attribute: dict[str, Any] | None, found: str, problem: str
) -> None:
    # An existing pool (or one changed by hand) the stack cannot fix: each of these fails a
    # sign-in that writes MitID's uuid (36 characters) into the attribute.
    deploy(
        aws,
        attribute_mapping={"custom:dk_mitid_uuid": "uuid"},
        custom_attributes=[attribute] if attribute else [],
        write_attributes=["custom:dk_mitid_uuid"],
    )
    row = failures(cognito_findings(environment(_UUID_MAPPED)))[
        "user pool", "custom:dk_mitid_uuid writable at sign-in"
    ]
    assert row.expected == "declared, mutable, room for 36 characters"
    assert row.found == found
    assert problem in row.fix


def test_a_required_attribute_no_provider_maps_fails(aws: str) -> None:
    required = {"Name": "family_name", "AttributeDataType": "String", "Required": True}
    deploy(aws, custom_attributes=[required])
    row = failures(cognito_findings())["user pool", "required attributes mapped"]
    assert row.found == "Criipto maps none of family_name"
    reset(aws)
    deploy(aws, custom_attributes=[required], attribute_mapping={"family_name": "family_name"})
    assert ("user pool", "required attributes mapped") not in failures(cognito_findings())
