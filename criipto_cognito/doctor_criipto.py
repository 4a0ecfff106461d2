"""After deploy, the Criipto side: the application as the management contract returns it."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from criipto import contract, urls
from criipto_cognito.findings import Finding, checked, failed, passed
from criipto_cognito.http import get_json_object
from criipto_cognito.text import shown
from stacks.config import EnvironmentConfig

APPLICATION = "criipto application"
COGNITO_LOGIN_ERROR = "invalid token_type in idp oauth response"


def application_url(api_base: str, application_id: str) -> str:
    """``{base}/applications/{id}``, the id percent-encoded as one path segment."""
    path = contract.APPLICATION_PATH.replace("{id}", quote(application_id, safe=""))
    return f"{api_base.rstrip('/')}{path}"


def check_application(
    client: httpx.Client, config: EnvironmentConfig, *, api_base: str, application_id: str
) -> list[Finding]:
    """Every finding on the Criipto application; CannotCheck when the API cannot be asked."""
    url = application_url(api_base, application_id)
    body = get_json_object(client, url, what="Criipto application", missing_ok=True)
    if body is None:
        return [
            failed(
                APPLICATION,
                "exists",
                f"application {application_id}",
                f"HTTP 404 from {url}",
                "check --application-id against `terraform output criipto_application_id`, "
                "or run `cdktf deploy` to create it",
            )
        ]
    findings = [passed(APPLICATION, "exists", f"application {application_id}")]
    findings.append(_equal(contract.DOMAIN, config.criipto.domain, body.get(contract.DOMAIN)))
    findings.append(_equal(contract.REALM, config.criipto_realm, body.get(contract.REALM)))
    findings.append(_return_urls(config, body.get(contract.RETURN_URLS)))
    oauth2 = body.get(contract.OAUTH2)
    settings = oauth2 if isinstance(oauth2, dict) else {}
    findings.append(_code_flow(settings.get(contract.CODE_FLOW)))
    findings.append(_strategy(settings.get(contract.USER_INFO_RESPONSE_STRATEGY)))
    return findings


def _equal(field: str, expected: str, found: object) -> Finding:
    return checked(
        APPLICATION,
        field,
        found == expected,
        expected=expected,
        found=shown(found),
        fix="the application differs from the config: run `cdktf deploy` to put it back",
    )


def _return_urls(config: EnvironmentConfig, found: object) -> Finding:
    expected = urls.idp_response_url(config.hosted_domain)
    listed = found if isinstance(found, list) else []
    return checked(
        APPLICATION,
        contract.RETURN_URLS,
        expected in listed,
        expected=f"{expected} listed",
        found=shown(listed) if listed else "",
        fix="Criipto refuses to send users to an unlisted URL: add it to the application's "
        "Redirect URLs, or run `cdktf deploy`",
    )


def _code_flow(found: object) -> Finding:
    return checked(
        APPLICATION,
        f"{contract.OAUTH2}.{contract.CODE_FLOW}",
        found is True,
        expected="true",
        found=shown(found),
        fix="turn on 'Enable OAuth2 Code Flow' on the application (this issues the client "
        "secret Cognito uses), or run `cdktf deploy`",
    )


def _strategy(found: object) -> Finding:
    expected = contract.COGNITO_USER_INFO_RESPONSE_STRATEGY
    return checked(
        APPLICATION,
        f"{contract.OAUTH2}.{contract.USER_INFO_RESPONSE_STRATEGY}",
        found == expected,
        expected=expected,
        found=shown(found),
        fix=f"Cognito logins will fail with `{COGNITO_LOGIN_ERROR}`: set 'User info response "
        f"strategy' to {expected} on the application, or run `cdktf deploy`",
    )
