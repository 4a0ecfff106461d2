"""Every URL the two sides exchange, built in one place.

Criipto (Idura) picks the eID from ``acr_values``. Cognito cannot send those, so Criipto also
reads the acr value base64-encoded as the first path segment of its OAuth2 endpoints.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from urllib.parse import SplitResult, urlencode, urlsplit

DISCOVERY_PATH = "/.well-known/openid-configuration"
IDP_RESPONSE_PATH = "/oauth2/idpresponse"
# The endpoints Cognito discovers from the issuer unless a provider gives them: the discovery
# document's field for each -> the provider_details key Cognito keeps it under.
ENDPOINT_DETAIL_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "authorization_endpoint": "authorize_url",
        "token_endpoint": "token_url",
        "userinfo_endpoint": "attributes_url",
        "jwks_uri": "jwks_uri",
    }
)


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
    published = {
        "authorization_endpoint": authorize_url(domain, acr),
        "token_endpoint": token_url(domain),
        "userinfo_endpoint": userinfo_url(domain),
        "jwks_uri": jwks_url(domain),
    }
    return {ENDPOINT_DETAIL_KEYS[field]: url for field, url in published.items()}


def _acr_prefix(acr: str | None) -> str:
    return f"/{encode_acr(acr)}" if acr else ""


def idp_response_url(hosted_domain: str) -> str:
    """Where Criipto sends the user back: Cognito's ``/oauth2/idpresponse`` on the pool domain."""
    return f"https://{hosted_domain}{IDP_RESPONSE_PATH}"


def login_urls(
    hosted_domain: str,
    *,
    client_id: str,
    provider_names: Iterable[str],
    redirect_uri: str,
    scopes: Iterable[str],
) -> dict[str, str]:
    """Per identity provider, in order, a Cognito authorize URL that skips the hosted UI's
    picker and goes to that provider: the stack's ``login_urls`` (the first is ``login_url``).

    ``client_id`` goes into the query as given. The stack gives a Terraform reference, which
    encoding would break and whose value (an id Cognito made: letters and digits) needs none;
    a caller with an id from elsewhere gives ``quote(client_id, safe="")``, since a "+" is
    allowed in an id and would read as a space in a query.
    """
    scope = " ".join(scopes)
    return {
        provider: f"https://{hosted_domain}/oauth2/authorize?client_id={client_id}&"
        + urlencode(
            {
                "identity_provider": provider,
                "response_type": "code",
                "redirect_uri": redirect_uri,
                "scope": scope,
            }
        )
        for provider in provider_names
    }


def split_url(value: str) -> SplitResult | str:
    """``value`` in its parts, with its host and port read; or, as text, why it has none.

    The start every URL rule here shares (the base URL below, the config's callback URLs, the
    endpoints a discovery document names): ``urlsplit`` lets an unclosed ``[`` host or a port
    out of range through, and reading them raises; that is ``is not a valid URL (…)``.
    """
    try:
        parts = urlsplit(value)
        _ = parts.hostname, parts.port
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    return parts


def printable_ascii(value: str) -> bool:
    """Whether ``value`` is printable ASCII without spaces, as a URL sent on the wire must be."""
    return value.isascii() and value.isprintable() and " " not in value


def https_base_url_problem(value: str) -> str | None:
    """What is wrong with ``value`` as the base of https requests (an API, a mirror), or None.

    The one rule for ``criipto.management_api_url`` and the command's ``--base-url``: an
    absolute https URL of printable ASCII, a valid port, no query, fragment or credentials
    (a secret in a URL ends up in logs). The answer follows the value, which each caller
    shows its own way: ``f"{value!r} {problem}"``. :func:`https_base_url` gives the accepted
    form.
    """
    if not printable_ascii(value):
        return "must be printable ASCII without spaces (percent-encode the rest)"
    parts = split_url(value)
    if isinstance(parts, str):
        return parts
    if parts.port == 0:
        return "names port 0"
    if parts.scheme != "https" or not parts.hostname or not value.lower().startswith("https://"):
        return "must be an absolute https URL"
    if parts.query or parts.fragment or parts.username or parts.password or "#" in value:
        return "must carry no query, fragment or credentials"
    return None


def https_base_url(value: str) -> str:
    """An accepted base URL (see :func:`https_base_url_problem`) without its trailing slashes,
    so that paths can be appended to it."""
    return value.rstrip("/")
