"""Rules for the federation's own values: redirect URLs, scopes, the Criipto client id and API URL.

Shared by the config models (``stacks/config/``), the public constructs' prop checks
(``stacks/constructs/props.py``) and the command, so a bad value gets the same message from a
TOML file and from code. Each rule says what is wrong with a value, or None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from criipto import urls
from stacks.rules import cognito as rules
from stacks.rules.common import invisible_characters, shown
from stacks.rules.problems import PropError

OPENID = "openid"
# Defaults shared by the config keys and the construct props of the same names.
DEFAULT_PROVIDER_NAME = "Criipto"  # the one provider of Criipto's eID picker
DEFAULT_OAUTH_SCOPES = (OPENID,)  # what the app client may ask Cognito for
DEFAULT_AUTHORIZE_SCOPES = (OPENID,)  # what Cognito asks Criipto for (picker mode)
CLIENT_ID_MAX = 255
_ACM_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:acm:(?P<region>[a-z0-9-]+):[0-9]{12}:certificate/[0-9a-f-]{36}"
)
_LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
_WEB_SCHEMES = ("https", "http")
_URL_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*")
# Schemes that run code, read local data or go elsewhere than an app: never a place to send an
# authorization code to. Any other scheme is a native app's own (myapp://signin, RFC 8252).
_REFUSED_SCHEMES = frozenset(
    {
        "about", "blob", "chrome", "data", "file", "filesystem", "ftp", "jar", "javascript",
        "livescript", "mailto", "sms", "tel", "view-source", "vbscript", "ws", "wss",
    }
)  # fmt: skip


def user_pool_id_problem(value: str) -> str | None:
    """Why ``value`` is not a Cognito user pool id, or None."""
    if rules.user_pool_id_ok(value):
        return None
    return f"{shown(value)} is not a user pool id such as eu-north-1_AbC123"


def redirect_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a callback or logout URL, or None.

    A web app's URL is https (http only for localhost); a native app's is its own scheme
    (``myapp://signin``, ``com.acme.app:/callback``), as Cognito documents. Never a fragment,
    never a scheme that runs code or reads local data.
    """
    if rules.aws_length(url) > rules.REDIRECT_URL_MAX:
        return f"must be at most {rules.REDIRECT_URL_MAX} characters" + (
            " (counted in UTF-16 units as AWS counts)" if not url.isascii() else ""
        )
    if not rules.redirect_url_characters_ok(url):
        return f"{shown(url)} must not be empty nor contain spaces, control or invisible characters"
    scheme, colon, rest = url.partition(":")
    scheme = scheme.lower()
    if not colon or not _URL_SCHEME.fullmatch(scheme) or not rest.strip("/"):
        return (
            f"{shown(url)} must be an absolute URL: https://… for a web app, or a native app's "
            "<scheme>://…"
        )
    if "#" in url:
        return f"{shown(url)} must not contain a fragment (#...)"
    if scheme in _REFUSED_SCHEMES:
        return f"{shown(url)}: the {scheme}: scheme cannot receive a login (use https://…)"
    if scheme not in _WEB_SCHEMES:
        return None
    parts = urls.split_url(url)
    if isinstance(parts, str):
        return f"{shown(url)} {parts}"
    host = parts.hostname
    if not rest.startswith("//") or not host:
        return f"{shown(url)} must be an absolute https URL with a host"
    if scheme == "http" and host not in _LOOPBACK_HOSTS:
        return f"{shown(url)} must use https (plain http is allowed only for localhost)"
    return None


def redirect_urls_problem(urls: Sequence[str]) -> str | None:
    """Why ``urls`` cannot be an app client's callback (or logout) URL list, or None."""
    if len(urls) > rules.REDIRECT_URLS_MAX:
        return f"at most {rules.REDIRECT_URLS_MAX} URLs (got {len(urls)})"
    for url in urls:
        problem = redirect_url_problem(url)
        if problem:
            return problem
    duplicates = sorted({u for u in urls if urls.count(u) > 1})
    if duplicates:
        return f"duplicate URL {shown(duplicates[0])}"
    return None


def oauth_scopes_problem(scopes: Sequence[str]) -> str | None:
    """Why ``scopes`` cannot be the scopes an app client may ask Cognito for, or None."""
    if not scopes:
        return 'must name at least one scope, e.g. ["openid"]'
    if len(scopes) > rules.SCOPES_MAX:
        return f"at most {rules.SCOPES_MAX} scopes"
    for scope in scopes:
        problem = rules.scope_problem(scope)
        if problem:
            return f"{shown(scope)} {problem}"
    if len(set(scopes)) != len(scopes):
        return "lists a scope twice"
    return None


def authorize_scopes_problem(scopes: Sequence[str]) -> str | None:
    """Why Cognito cannot ask Criipto for ``scopes`` (an OIDC provider's authorize_scopes)."""
    if OPENID not in scopes:
        return 'must contain "openid" (Cognito federates over OpenID Connect)'
    for scope in scopes:
        if not rules.oauth_scope_ok(scope):
            return f"{shown(scope)} is not a valid OAuth scope"
    return None


def client_id_problem(value: str) -> str | None:
    """Why ``value`` cannot be a Criipto application's Client ID/Realm, or None."""
    if not value or len(value) > CLIENT_ID_MAX or any(c.isspace() for c in value):
        return f"must be 1 to {CLIENT_ID_MAX} characters without spaces"
    if invisible_characters(value):
        return "must not contain control or invisible characters"
    return None


def management_api_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be the Criipto management API's base URL, or None: the command's
    rule for ``--base-url`` too (criipto.urls.https_base_url_problem)."""
    problem = urls.https_base_url_problem(value)
    return f"{shown(value)} {problem}" if problem else None


def default_realm(hosted_domain: str) -> str:
    """The Client ID/Realm of a managed Criipto application: unique to the pool's domain."""
    return f"urn:aws-cognito:{hosted_domain}"


def prefix_domain_host(prefix: str, region: str) -> str:
    """The host of a Cognito prefix domain: ``<prefix>.auth.<region>.amazoncognito.com``."""
    return f"{prefix}.auth.{region}.amazoncognito.com"


def hosted_domain(prefix: str | None, custom: str | None, region: str) -> str:
    """The host the hosted UI answers on: the custom domain, else the prefix domain's host."""
    return custom if custom is not None else prefix_domain_host(prefix or "", region)


def certificate_arn_problem(value: str) -> str | None:
    """Why ``value`` cannot be a custom domain's certificate, or None: an ACM certificate ARN in
    us-east-1 (CloudFront serves the hosted UI)."""
    match = _ACM_ARN.fullmatch(value)
    if not match:
        return f"{shown(value)} is not an ACM certificate ARN"
    if match["region"] != "us-east-1":
        return (
            f"the certificate is in {match['region']}; Cognito custom domains need one "
            "in us-east-1 (CloudFront serves the hosted UI)"
        )
    return None


DOMAIN_CHOICE = "set exactly one of prefix (Cognito domain) or custom (own domain)"


def domain_choice_problem(*, prefix: bool, custom: bool, certificate: bool) -> PropError | None:
    """The certificate given without a custom domain or missing with one (each argument:
    whether that key is given); exactly one of prefix and custom is ``DOMAIN_CHOICE``."""
    if custom and not certificate:
        return PropError("certificate_arn", "required with custom (an ACM ARN in us-east-1)")
    if prefix and certificate:
        return PropError("certificate_arn", "applies only to a custom domain")
    return None
