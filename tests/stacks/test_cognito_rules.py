"""Our copies of Cognito's value rules match AWS's own API model, which boto3 ships."""

from __future__ import annotations

from typing import Any

import botocore.loaders
import pytest

from stacks.rules import cognito as rules


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
