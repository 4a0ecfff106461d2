"""Our copies of Cognito's value rules match AWS's own API model, which boto3 ships."""

from __future__ import annotations

from typing import Any

import botocore.loaders
import pytest

from stacks.rules import cognito as rules
from stacks.rules import tokens


@pytest.fixture(scope="module")
def shapes() -> dict[str, Any]:
    model = botocore.loaders.create_loader().load_service_model("cognito-idp", "service-2")
    return dict(model["shapes"])


def test_patterns_match_the_model(shapes: dict[str, Any]) -> None:
    assert shapes["DomainType"]["pattern"] == rules.DOMAIN_PREFIX_PATTERN
    assert shapes["DomainType"]["max"] == rules.DOMAIN_PREFIX_MAX
    assert shapes["ClientNameType"]["pattern"] == rules.NAME_PATTERN
    assert shapes["UserPoolNameType"]["pattern"] == rules.NAME_PATTERN
    assert shapes["ScopeType"]["pattern"] == rules.SCOPE_PATTERN
    assert shapes["UserPoolIdType"]["pattern"] == rules.USER_POOL_ID_PATTERN
    assert shapes["ClientIdType"]["pattern"] == rules.APP_CLIENT_ID_PATTERN
    visible = r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+"
    assert shapes["RedirectUrlType"]["pattern"] == visible, "redirect_url_characters_ok()"
    assert shapes["CustomAttributeNameType"]["pattern"] == visible, "visible_only()"
    assert shapes["ProviderNameTypeV2"]["pattern"] == (
        r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+"
    ), "provider_name_problem() encodes this pattern by hand: update it"


def test_lengths_match_the_model(shapes: dict[str, Any]) -> None:
    assert shapes["ProviderNameTypeV2"]["max"] == rules.PROVIDER_NAME_MAX
    assert shapes["ClientNameType"]["max"] == rules.NAME_MAX
    assert shapes["UserPoolNameType"]["max"] == rules.NAME_MAX
    assert shapes["ScopeType"]["max"] == rules.SCOPE_MAX
    assert shapes["ScopeListType"]["max"] == rules.SCOPES_MAX
    assert shapes["RedirectUrlType"]["max"] == rules.REDIRECT_URL_MAX
    assert shapes["CallbackURLsListType"]["max"] == rules.REDIRECT_URLS_MAX
    assert shapes["LogoutURLsListType"]["max"] == rules.REDIRECT_URLS_MAX
    assert shapes["UserPoolIdType"]["max"] == rules.USER_POOL_ID_MAX
    assert shapes["ClientIdType"]["max"] == rules.APP_CLIENT_ID_MAX
    assert shapes["AttributeMappingKeyType"]["max"] == rules.ATTRIBUTE_MAPPING_KEY_MAX
    assert shapes["CustomAttributeNameType"]["max"] == rules.CUSTOM_ATTRIBUTE_NAME_MAX
    assert shapes["SchemaAttributesListType"]["max"] == rules.SCHEMA_ATTRIBUTES_MAX
    assert shapes["AttributeValueType"]["max"] == rules.ATTRIBUTE_VALUE_MAX
    assert shapes["TagKeysType"]["max"] == rules.TAG_KEY_MAX
    assert shapes["TagKeysType"]["min"] == 1
    assert shapes["TagValueType"]["max"] == rules.TAG_VALUE_MAX


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("Criipto", True),
        ("SE-BankID", True),
        ("MitID", True),
        ("Idura Verify", False),  # the model allows no space after the 2nd character
        ("Crí", True),
        ("Cr", False),
        ("x" * 33, False),
        ("_Criipto", False),
        (" Criipto", False),
        ("Criipto ", False),
        ("Crii_pto", False),
    ],
)
def test_provider_names(name: str, ok: bool) -> None:
    assert (rules.provider_name_problem(name) is None) is ok


@pytest.mark.parametrize(
    ("scope", "ok"),
    [
        ("openid", True),
        ("aws.cognito.signin.user.admin", True),
        ("https://api.acme.com/read", True),
        ("api/read", True),
        ("read", False),
        ("api/", False),
        ('a"b/c', False),
    ],
)
def test_scopes(scope: str, ok: bool) -> None:
    assert (rules.scope_problem(scope) is None) is ok


def test_the_production_keys_match_the_model(shapes: dict[str, Any]) -> None:
    """Token lifetimes, rotation, resource servers, plans, triggers and log delivery."""
    assert shapes["AccessTokenValidityType"]["max"] == rules.ACCESS_TOKEN_VALIDITY_MAX
    assert shapes["IdTokenValidityType"]["max"] == rules.ID_TOKEN_VALIDITY_MAX
    assert shapes["RefreshTokenValidityType"]["max"] == rules.REFRESH_TOKEN_VALIDITY_MAX
    assert tuple(shapes["TimeUnitsType"]["enum"]) == rules.TIME_UNITS
    assert shapes["AuthSessionValidityType"]["min"] == rules.AUTH_SESSION_VALIDITY_MIN
    assert shapes["AuthSessionValidityType"]["max"] == rules.AUTH_SESSION_VALIDITY_MAX
    assert tuple(shapes["FeatureType"]["enum"]) == rules.FEATURE_STATES
    assert shapes["RetryGracePeriodSecondsType"] == {
        **shapes["RetryGracePeriodSecondsType"],
        "min": 0,
        "max": rules.RETRY_GRACE_PERIOD_MAX,
    }
    assert tuple(shapes["PreventUserExistenceErrorTypes"]["enum"]) == rules.USER_EXISTENCE_ERRORS
    assert tuple(shapes["UserPoolTierType"]["enum"]) == rules.USER_POOL_TIERS
    assert tuple(shapes["AdvancedSecurityModeType"]["enum"]) == rules.ADVANCED_SECURITY_MODES
    assert (
        tuple(shapes["PreTokenGenerationLambdaVersionType"]["enum"])
        == rules.PRE_TOKEN_GENERATION_VERSIONS
    )
    identifier, name = shapes["ResourceServerIdentifierType"], shapes["ResourceServerNameType"]
    assert identifier["pattern"] == rules.RESOURCE_SERVER_IDENTIFIER_PATTERN
    assert identifier["max"] == rules.RESOURCE_SERVER_IDENTIFIER_MAX
    assert name["pattern"] == rules.NAME_PATTERN
    assert name["max"] == rules.RESOURCE_SERVER_NAME_MAX
    scope = shapes["ResourceServerScopeNameType"]
    assert scope["pattern"] == rules.RESOURCE_SERVER_SCOPE_NAME_PATTERN
    assert scope["max"] == rules.RESOURCE_SERVER_SCOPE_NAME_MAX
    description = shapes["ResourceServerScopeDescriptionType"]
    assert description["max"] == rules.RESOURCE_SERVER_SCOPE_DESCRIPTION_MAX
    assert shapes["ResourceServerScopeListType"]["max"] == rules.RESOURCE_SERVER_SCOPES_MAX
    assert shapes["ArnType"]["pattern"] == rules.ARN_PATTERN
    assert (shapes["ArnType"]["min"], shapes["ArnType"]["max"]) == (rules.ARN_MIN, rules.ARN_MAX)
    assert shapes["S3ArnType"]["pattern"] == rules.S3_ARN_PATTERN
    assert (shapes["S3ArnType"]["min"], shapes["S3ArnType"]["max"]) == (
        rules.S3_ARN_MIN,
        rules.S3_ARN_MAX,
    )
    assert shapes["LogConfigurationListType"]["max"] == rules.LOG_CONFIGURATIONS_MAX
    assert tuple(shapes["LogLevel"]["enum"]) == rules.LOG_LEVELS
    assert tuple(shapes["EventSourceName"]["enum"]) == rules.LOG_EVENT_SOURCES
    assert shapes["ClientPermissionType"]["max"] == rules.CLIENT_PERMISSION_MAX


def test_the_lifetime_ranges_are_the_models(shapes: dict[str, Any]) -> None:
    """The durations in stacks/rules/tokens.py, as TokenValidityUnitsType's members state them."""
    members = shapes["TokenValidityUnitsType"]["members"]
    short = "can range from five minutes to one day"
    assert short in members["AccessToken"]["documentation"]
    assert short in members["IdToken"]["documentation"]
    assert "can range from 60 minutes to 10 years" in members["RefreshToken"]["documentation"]
    assert (tokens.ACCESS_TOKEN.minimum_seconds, tokens.ACCESS_TOKEN.maximum_seconds) == (
        5 * 60,
        86400,
    )
    assert tokens.ID_TOKEN.maximum_seconds == tokens.ACCESS_TOKEN.maximum_seconds
    assert (tokens.REFRESH_TOKEN.minimum_seconds, tokens.REFRESH_TOKEN.maximum_seconds) == (
        3600,
        10 * 365 * 86400,
    )
    # The defaults the docs state (hours, hours, days) are what the provider defaults to too.
    assert tokens.TokenValidityUnits("hours", "hours", "days") == tokens.DEFAULT_UNITS


@pytest.mark.parametrize(
    ("values", "units", "problems"),
    [
        ({}, None, []),
        ({"access": 24}, None, []),
        ({"access": 25}, None, ["access_token_validity"]),
        ({"access": 4}, "minutes", ["access_token_validity"]),
        ({"access": 5, "id": 5}, "minutes", []),
        ({"refresh": 1}, "hours", []),
        ({"refresh": 59, "access": 5, "id": 5}, "minutes", ["refresh_token_validity"]),
        # 2 hours against a 1-hour refresh token: AWS refuses the access token outliving it.
        ({"access": 2, "refresh": 1}, "hours", ["access_token_validity"]),
        ({"access": 1, "id": 1, "refresh": 1}, "hours", []),
        ({"refresh": 3650}, None, []),
        ({"refresh": 3651}, None, ["refresh_token_validity"]),
        ({"access": 0}, None, ["access_token_validity"]),
    ],
)
def test_token_lifetimes(values: dict[str, int], units: str | None, problems: list[str]) -> None:
    lifetimes = {
        tokens.ACCESS_TOKEN: values.get("access"),
        tokens.ID_TOKEN: values.get("id"),
        tokens.REFRESH_TOKEN: values.get("refresh"),
    }
    # The unit applies to the lifetimes given; the others keep AWS's.
    given = {"access": "access_token", "id": "id_token", "refresh": "refresh_token"}
    in_units = (
        None
        if units is None
        else tokens.TokenValidityUnits(**{given[key]: units for key in values})  # type: ignore[arg-type]
    )
    found = tokens.token_lifetime_problems(lifetimes, in_units)
    assert [problem.prop for problem in found] == problems


def test_a_unit_for_an_unset_lifetime_is_refused() -> None:
    units = tokens.TokenValidityUnits(access_token="minutes")
    [problem] = tokens.token_lifetime_problems({}, units)
    assert problem.prop == "token_validity_units.access_token"
