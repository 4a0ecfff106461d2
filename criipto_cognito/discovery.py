"""Before deploy: does the Criipto domain publish what Cognito's OIDC provider relies on?

``discover`` takes a list of targets, each a label and an optional acr value: the plain domain,
and (once the config lists eIDs) one acr-scoped discovery document per eID.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from criipto import urls
from criipto_cognito.findings import Finding, failed, passed
from criipto_cognito.http import get_json_object
from criipto_cognito.text import shown
from stacks.rules.common import hostname_problem

ENDPOINT_FIELDS = tuple(urls.ENDPOINT_DETAIL_KEYS)
# Discovery field -> the value Cognito needs among its list, and why Cognito needs it.
REQUIRED_MEMBERS = {
    "response_types_supported": ("code", "Cognito federates with the authorization code flow"),
    "token_endpoint_auth_methods_supported": (
        "client_secret_post",
        "Cognito sends the client secret in the token request body",
    ),
    "scopes_supported": ("openid", "Cognito asks for the openid scope"),
    "id_token_signing_alg_values_supported": ("RS256", "Cognito verifies RS256-signed ID tokens"),
}
JWKS_CHECK = "jwks keys"


@dataclass(frozen=True)
class DiscoveryTarget:
    """One discovery document to check: the domain's own, or the one scoped to an acr value."""

    label: str
    acr: str | None = None


DOMAIN_TARGET = DiscoveryTarget("domain")


def rebased(url: str, base_url: str | None) -> str:
    """``url`` with its origin replaced by ``base_url`` (a proxy or mirror), path kept."""
    if base_url is None:
        return url
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{base_url.rstrip('/')}{parts.path}{query}"


def discover(
    client: httpx.Client,
    domain: str,
    targets: Sequence[DiscoveryTarget] = (DOMAIN_TARGET,),
    *,
    base_url: str | None = None,
) -> list[Finding]:
    """Fetch and check each target's discovery document and JWKS.

    Raises CannotCheck when a document cannot be fetched or is not a JSON object.
    """
    findings: list[Finding] = []
    for target in targets:
        url = rebased(urls.discovery_url(domain, target.acr), base_url)
        document = get_json_object(client, url, what=f"discovery ({target.label})")
        assert document is not None  # missing_ok is off: 404 raises
        findings += check_document(domain, document, target.label)
        if target.acr:
            findings += check_pinned_endpoints(domain, target.acr, document, target.label)
        findings.append(_check_jwks(client, domain, document, target.label, base_url))
    return findings


def check_document(domain: str, document: dict[str, object], subject: str) -> list[Finding]:
    """The checks on one discovery document that need no further request."""
    issuer = urls.issuer(domain)
    found_issuer = document.get("issuer")
    if found_issuer == issuer:
        findings = [passed(subject, "issuer", issuer)]
    else:
        fix = _issuer_fix(domain, found_issuer)
        findings = [failed(subject, "issuer", issuer, shown(found_issuer), fix)]
    for field in ENDPOINT_FIELDS:
        findings.append(_check_endpoint(domain, document.get(field), field, subject))
    for field, (member, why) in REQUIRED_MEMBERS.items():
        values = document.get(field)
        expected = f"{member!r} among them"
        if isinstance(values, list) and member in values:
            findings.append(passed(subject, field, expected, shown(values)))
        else:
            fix = (
                f"{why}: check that criipto.domain ({domain}) is a Criipto (Idura) domain "
                "and that --base-url, if given, reaches it"
            )
            findings.append(failed(subject, field, expected, shown(values), fix))
    return findings


# discovery field -> the provider_details key the stack pins for an eID provider
PINNED_FIELDS = tuple(urls.ENDPOINT_DETAIL_KEYS.items())


def check_pinned_endpoints(
    domain: str, acr: str, document: dict[str, object], subject: str
) -> list[Finding]:
    """An eID provider sets its endpoints itself (Cognito cannot discover acr-scoped ones):
    each must be what the acr-scoped document publishes.

    The authorize URL may be published with or without the acr segment: the stack's, with
    it, is the same endpoint pinned to the eID.
    """
    pinned = urls.acr_scoped_endpoints(domain, acr)
    findings = []
    for field, key in PINNED_FIELDS:
        published = document.get(field)
        accepted = {pinned[key]}
        if key == "authorize_url":
            accepted.add(urls.authorize_url(domain))
        check = f"stack's {key}"
        # A list or an object is no URL (and could not be looked up in a set).
        if isinstance(published, str) and published in accepted:
            findings.append(passed(subject, check, pinned[key], published))
        else:
            fix = (
                f"the stack pins {key} = {pinned[key]} for this eID, but Criipto publishes "
                f"{shown(published)}: report this (urls.acr_scoped_endpoints must follow it)"
            )
            findings.append(failed(subject, check, pinned[key], shown(published), fix))
    return findings


def _check_endpoint(domain: str, value: object, field: str, subject: str) -> Finding:
    expected = f"https://{domain}/..."
    problem = endpoint_problem(value, domain)
    if problem is None:
        return passed(subject, field, expected, shown(value))
    fix = (
        f"{field} {problem}: Cognito calls every endpoint on the issuer's host over https; "
        "criipto.domain must be the domain the discovery document names, not an alias"
    )
    return failed(subject, field, expected, shown(value), fix)


def endpoint_problem(value: object, domain: str) -> str | None:
    """Why ``value`` is not a URL Cognito can call on ``domain``; None when it is one."""
    if value is None:
        return "is missing"
    if not isinstance(value, str):
        return "is not a string"
    if not urls.printable_ascii(value):
        return "contains spaces, control or non-ASCII characters"
    parts = urls.split_url(value)  # "https://[::1/a", "https://host:99999/"
    if isinstance(parts, str):
        return parts
    if parts.scheme != "https":
        return "is not an https URL"
    if parts.port == 0:
        return "names port 0"
    if parts.username is not None or parts.password is not None:
        return "carries credentials"
    if parts.hostname != domain:
        return f"is not on {domain}"
    # Another port on the same host is another origin: not where Cognito, nor the secret
    # check (application_probes.token_destination, which asks this same rule), would go.
    if parts.port not in (None, 443):
        return f"is not on https://{domain} (port {parts.port} is another origin)"
    return None


def _check_jwks(
    client: httpx.Client,
    domain: str,
    document: dict[str, object],
    subject: str,
    base_url: str | None,
) -> Finding:
    expected = "at least one key, every key with a kid"
    jwks_uri = document.get("jwks_uri")
    if not isinstance(jwks_uri, str) or endpoint_problem(jwks_uri, domain) is not None:
        # Never fetch keys from a host other than the domain's: the endpoint check reports it.
        return failed(
            subject, JWKS_CHECK, expected, "not fetched (no usable jwks_uri)", "see jwks_uri"
        )
    jwks = get_json_object(client, rebased(jwks_uri, base_url), what=f"JWKS ({subject})")
    assert jwks is not None
    keys = jwks.get("keys")
    if not isinstance(keys, list) or not keys:
        return failed(
            subject, JWKS_CHECK, expected, "no keys", "the domain publishes no signing keys yet"
        )
    kids = [key.get("kid") for key in keys if isinstance(key, dict)]
    if len(kids) != len(keys) or not all(isinstance(kid, str) and kid for kid in kids):
        return failed(
            subject,
            JWKS_CHECK,
            expected,
            f"{len(keys)} key(s), not all with a kid",
            "Cognito picks the key by the token's kid: every published key needs one",
        )
    return passed(
        subject, JWKS_CHECK, expected, shown(f"{len(keys)} key(s): {', '.join(map(str, kids))}")
    )


def _issuer_fix(domain: str, found: object) -> str:
    """A fix for a wrong issuer; it proposes criipto.domain only when that changes it."""
    host = _plain_https_origin_host(found)
    if host is not None and host != domain:
        return (
            f"the domain names itself {found}: set criipto.domain = {host!r} "
            "(Cognito compares the issuer exactly)"
        )
    if isinstance(found, str) and found:
        return (
            f"Cognito compares the issuer exactly, and the stack sets it to {urls.issuer(domain)}; "
            "no config value changes that: check that --base-url, if given, reaches "
            f"{domain}, else ask Criipto (Idura) why the document names another issuer"
        )
    return "check criipto.domain: its discovery document names no usable issuer"


def _plain_https_origin_host(value: object) -> str | None:
    """``host`` when ``value`` is exactly ``https://host`` with a host name criipto.domain
    accepts (the config's own rule: a DNS name, never an IP address), else None."""
    if not isinstance(value, str) or not value.startswith("https://"):
        return None
    host = value.removeprefix("https://")
    return host if hostname_problem(host) is None else None
