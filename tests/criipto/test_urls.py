"""The URLs both sides exchange."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from criipto import urls


def test_acr_encoding_matches_criiptos_published_example() -> None:
    assert (
        urls.encode_acr("urn:grn:authn:dk:mitid:substantial")
        == "dXJuOmdybjphdXRobjpkazptaXRpZDpzdWJzdGFudGlhbA=="
    )


def test_acr_scoped_endpoints() -> None:
    acr = "urn:grn:authn:dk:mitid:substantial"
    encoded = "dXJuOmdybjphdXRobjpkazptaXRpZDpzdWJzdGFudGlhbA=="
    # Cognito's provider_details keys; the acr on the authorize URL only.
    assert urls.acr_scoped_endpoints("acme.criipto.id", acr) == {
        "authorize_url": f"https://acme.criipto.id/{encoded}/oauth2/authorize",
        "token_url": "https://acme.criipto.id/oauth2/token",
        "attributes_url": "https://acme.criipto.id/oauth2/userinfo",
        "jwks_uri": "https://acme.criipto.id/.well-known/jwks",
    }
    assert urls.discovery_url("acme.criipto.id", acr) == (
        f"https://acme.criipto.id/{encoded}/.well-known/openid-configuration"
    )
    assert urls.discovery_url("acme.criipto.id") == (
        "https://acme.criipto.id/.well-known/openid-configuration"
    )


def test_an_acr_with_slash_producing_bytes_stays_one_path_segment() -> None:
    # "???" is "Pz8/" in standard base64: the URL-safe alphabet keeps it one segment.
    assert urls.encode_acr("???") == "Pz8_"
    assert urls.authorize_url("acme.criipto.id", "???") == (
        "https://acme.criipto.id/Pz8_/oauth2/authorize"
    )


def test_login_urls_one_per_provider_in_order() -> None:
    by_provider = urls.login_urls(
        "login.acme.com",
        client_id="abc%2B123",
        provider_names=["SE BankID", "MitID"],
        redirect_uri="https://app.acme.com/cb?x=1",
        scopes=["openid", "profile"],
    )
    assert list(by_provider) == ["SE BankID", "MitID"]
    url = by_provider["SE BankID"]
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "login.acme.com",
        "/oauth2/authorize",
    )
    # The client id goes in as given: already encoded here, so it decodes to the id.
    assert parts.query.startswith("client_id=abc%2B123&")
    assert parse_qs(parts.query) == {
        "client_id": ["abc+123"],
        "identity_provider": ["SE BankID"],
        "response_type": ["code"],
        "redirect_uri": ["https://app.acme.com/cb?x=1"],
        "scope": ["openid profile"],
    }
    assert parse_qs(urlsplit(by_provider["MitID"]).query)["identity_provider"] == ["MitID"]


def test_a_terraform_reference_as_client_id_stays_whole() -> None:
    # At synth time the client id is a reference: encoding it would break it.
    reference = "${aws_cognito_user_pool_client.app_client.id}"
    (url,) = urls.login_urls(
        "login.acme.com",
        client_id=reference,
        provider_names=["Criipto"],
        redirect_uri="https://app.acme.com/cb",
        scopes=["openid"],
    ).values()
    assert f"?client_id={reference}&" in url


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("http://api.acme.example", "must be an absolute https URL"),
        ("api.acme.example", "must be an absolute https URL"),
        ("https://", "must be an absolute https URL"),
        ("https://api.acme.example/?a=1", "must carry no query, fragment or credentials"),
        ("https://api.acme.example/#top", "must carry no query, fragment or credentials"),
        ("https://user:pw@api.acme.example", "must carry no query, fragment or credentials"),
        ("https://api.acme.example:0", "names port 0"),
        ("https://api.acme.example:99999", "is not a valid URL"),
        ("https://api.acme.example/a b", "must be printable ASCII without spaces"),
        ("https://bücher.example", "must be printable ASCII without spaces"),
        ("https://api.acme.example/\n", "must be printable ASCII without spaces"),
        ("https:/api.acme.example", "must be an absolute https URL"),
        ("https://api.acme.example/v1#", "must carry no query, fragment or credentials"),
        ("https://api.acme.example:8443/v1", None),
        ("https://a.example/${x}", None),  # text, not a template: escaped where it is used
    ],
)
def test_the_https_base_url_rule(value: str, message: str | None) -> None:
    problem = urls.https_base_url_problem(value)
    if message is None:
        assert problem is None
    else:
        assert problem is not None
        assert problem.startswith(message)


def test_an_accepted_base_url_loses_its_trailing_slashes() -> None:
    assert urls.https_base_url_problem("https://api.acme.example:8443/v1//") is None
    assert urls.https_base_url("https://api.acme.example:8443/v1//") == (
        "https://api.acme.example:8443/v1"
    )
