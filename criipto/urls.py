"""Every URL the two sides exchange, built in one place.

Criipto (Idura) picks the eID from ``acr_values``. Cognito cannot send those, so Criipto also
reads the acr value base64-encoded as the first path segment of its OAuth2 endpoints.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

DISCOVERY_PATH = "/.well-known/openid-configuration"
IDP_RESPONSE_PATH = "/oauth2/idpresponse"


def issuer(domain: str) -> str:
    """The OIDC issuer of a Criipto domain: ``https://<domain>``, no trailing slash."""
    return f"https://{domain}"


def discovery_url(domain: str, acr: str | None = None) -> str:
    """The discovery document, optionally the acr-scoped one."""
    return f"{issuer(domain)}{_acr_prefix(acr)}{DISCOVERY_PATH}"


def encode_acr(acr: str) -> str:
    """The acr value as Criipto reads it from a path segment: base64-url, with padding.

    URL-safe so that no "/" can split the path; for every acr value Criipto documents, this
    is the same string as standard base64.

    ``urn:grn:authn:dk:mitid:substantial`` gives
    ``dXJuOmdybjphdXRobjpkazptaXRpZDpzdWJzdGFudGlhbA==`` (Criipto's published example).
    """
    return base64.urlsafe_b64encode(acr.encode("utf-8")).decode("ascii")


def authorize_url(domain: str, acr: str | None = None) -> str:
    """Criipto's authorization endpoint, with the acr value in the path when one is given."""
    return f"{issuer(domain)}{_acr_prefix(acr)}/oauth2/authorize"


def token_url(domain: str) -> str:
    return f"{issuer(domain)}/oauth2/token"


def userinfo_url(domain: str) -> str:
    return f"{issuer(domain)}/oauth2/userinfo"


def jwks_url(domain: str) -> str:
    return f"{issuer(domain)}/.well-known/jwks"


def acr_scoped_endpoints(domain: str, acr: str) -> dict[str, str]:
    """Cognito provider_details for a provider pinned to one eID.

    Cognito discovers endpoints from the issuer's unscoped document, whose authorize URL lets
    the user pick any eID; so all four are given, with the acr only on the authorize URL.
    """
    return {
        "authorize_url": authorize_url(domain, acr),
        "token_url": token_url(domain),
        "attributes_url": userinfo_url(domain),
        "jwks_uri": jwks_url(domain),
    }


def _acr_prefix(acr: str | None) -> str:
    return f"/{encode_acr(acr)}" if acr else ""


def idp_response_url(hosted_domain: str) -> str:
    """Where Criipto sends the user back: Cognito's ``/oauth2/idpresponse`` on the pool domain."""
    return f"https://{hosted_domain}{IDP_RESPONSE_PATH}"


def hosted_ui_login_url(
    hosted_domain: str,
    *,
    client_id: str,
    provider_name: str,
    redirect_uri: str,
    scopes: list[str],
) -> str:
    """A Cognito authorize URL that skips the hosted UI's picker and goes to one provider.

    ``client_id`` goes in unencoded: at synth time it is a Terraform reference, and Cognito
    client ids are plain alphanumerics anyway.
    """
    query = urlencode(
        {
            "identity_provider": provider_name,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
        }
    )
    return f"https://{hosted_domain}/oauth2/authorize?client_id={client_id}&{query}"
