"""The Criipto application contract this project speaks: every path and field name, in one place.

Idura publishes no management API for Verify applications, so the project states the contract
(``docs/criipto-management-api.md``). A tenant whose API differs changes this module only.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# The management API token: the stack's sensitive Terraform variable (TF_VAR_criipto_api_token
# where Terraform runs), and the environment variable the workflows' secret and the
# criipto-cognito command use; the command reads either.
API_TOKEN_VARIABLE = "criipto_api_token"  # noqa: S105 (a variable name)
API_TOKEN_ENV_VAR = "CRIIPTO_API_TOKEN"  # noqa: S105 (a variable name)
API_TOKEN_ENV_VARS = (API_TOKEN_ENV_VAR, f"TF_VAR_{API_TOKEN_VARIABLE}")

# Paths, relative to the management API's base URL.
APPLICATIONS_PATH = "/applications"
APPLICATION_PATH = "/applications/{id}"  # "{id}" is the restapi provider's placeholder too
ID_FIELD = "id"

# Body fields.
NAME = "name"
DOMAIN = "domain"
REALM = "realm"
RETURN_URLS = "returnUrls"
OAUTH2 = "oauth2"
CODE_FLOW = "codeFlow"
USER_INFO_RESPONSE_STRATEGY = "userInfoResponseStrategy"
CLIENT_SECRET = "clientSecret"  # noqa: S105 (a field name) under "oauth2", in the create answer only
TAGS = "tags"

USER_INFO_RESPONSE_STRATEGIES = (
    "plainJson",
    "signedJwt",
    "signedAndEncryptedJwt",
    "fromTokenEndpoint",
)
# Cognito reads userinfo as plain JSON; anything else fails every login with
# "invalid token_type in idp oauth response".
COGNITO_USER_INFO_RESPONSE_STRATEGY = "plainJson"

# Fields the contract cannot change in place: a change replaces the application
# (and so issues a new client secret).
REPLACE_ON_CHANGE = (DOMAIN,)

APPLICATION_NAME_MAX = 128
TAG_MAX = 64


@dataclass(frozen=True)
class ApplicationSpec:
    """What the Criipto application must look like for one Cognito environment."""

    name: str
    domain: str
    realm: str
    return_urls: tuple[str, ...]
    tags: tuple[str, ...] = ()


def application_body(spec: ApplicationSpec) -> dict[str, object]:
    """The create/update body for ``spec``, exactly as the contract lays it out."""
    return {
        NAME: spec.name,
        DOMAIN: spec.domain,
        REALM: spec.realm,
        RETURN_URLS: list(spec.return_urls),
        OAUTH2: {CODE_FLOW: True, USER_INFO_RESPONSE_STRATEGY: COGNITO_USER_INFO_RESPONSE_STRATEGY},
        TAGS: list(spec.tags),
    }


def render_body(spec: ApplicationSpec) -> str:
    """The body as the JSON string the restapi provider sends (stable key order)."""
    return json.dumps(application_body(spec), ensure_ascii=False, separators=(", ", ": "))


def application_name_problem(name: str) -> str | None:
    """Why the contract cannot carry ``name`` as an application name, or None."""
    if not name.strip() or name != name.strip():
        return "must not be empty or start or end with spaces"
    if len(name) > APPLICATION_NAME_MAX:
        return f"must be at most {APPLICATION_NAME_MAX} characters"
    if any(unicodedata.category(c).startswith("C") for c in name):
        return "must not contain control characters"
    return None


def tags_problem(tags: Sequence[str]) -> str | None:
    """Why the contract cannot carry ``tags``, or None."""
    for tag in tags:
        if not tag or len(tag) > TAG_MAX:
            return f"tag {tag!r} must be 1 to {TAG_MAX} characters"
        if any(c.isspace() or unicodedata.category(c).startswith("C") for c in tag):
            return f"tag {tag!r} must not contain spaces or control characters"
    if len(set(tags)) != len(tags):
        return "lists a tag twice"
    return None
