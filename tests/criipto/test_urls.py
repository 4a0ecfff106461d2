"""The URLs both sides exchange."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from criipto import urls


def test_acr_encoding_matches_criiptos_published_example() -> None:
    assert (
        urls.encode_acr("urn:grn:authn:dk:mitid:substantial")
        == "dXJuOmdybjphdXRobjpkazptaXRpZDpzdWJzdGFudGlhbA=="
    )


def test_acr_scoped_endpoints() -> None:
    acr = "urn:grn:authn:dk:mitid:substantial"
    encoded = urls.encode_acr(acr)
    assert urls.authorize_url("acme.criipto.id", acr) == (
        f"https://acme.criipto.id/{encoded}/oauth2/authorize"
    )
    assert urls.discovery_url("acme.criipto.id", acr) == (
        f"https://acme.criipto.id/{encoded}/.well-known/openid-configuration"
    )
    assert urls.discovery_url("acme.criipto.id") == (
        "https://acme.criipto.id/.well-known/openid-configuration"
    )


def test_hosted_ui_login_url() -> None:
    url = urls.hosted_ui_login_url(
        "login.acme.com",
        client_id="abc123",
        provider_name="SE BankID",
        redirect_uri="https://app.acme.com/cb?x=1",
        scopes=["openid", "profile"],
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "login.acme.com",
        "/oauth2/authorize",
    )
    assert parse_qs(parts.query) == {
        "client_id": ["abc123"],
        "identity_provider": ["SE BankID"],
        "response_type": ["code"],
        "redirect_uri": ["https://app.acme.com/cb?x=1"],
        "scope": ["openid profile"],
    }
