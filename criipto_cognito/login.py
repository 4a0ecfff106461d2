"""The hosted-UI URL that starts a login through Criipto: the stack's ``login_url`` output."""

from __future__ import annotations

import re
from urllib.parse import quote

from criipto import urls
from criipto_cognito.text import printable, truncated
from stacks.config import EnvironmentConfig

# ClientIdType in botocore's cognito-idp model: [\w+]+, 1-128 characters. AWS's regexes are
# Java's, where \w means [a-zA-Z0-9_] (ASCII), hence re.ASCII.
CLIENT_ID_PATTERN = re.compile(r"[\w+]{1,128}", re.ASCII)


def client_id_problem(client_id: str) -> str | None:
    if not CLIENT_ID_PATTERN.fullmatch(client_id):
        shown = truncated(printable(client_id), 140)
        return (
            f"'{shown}' is not a Cognito app client id "
            "(1-128 ASCII letters, digits, underscores and plus signs)"
        )
    return None


def login_urls(config: EnvironmentConfig, client_id: str) -> dict[str, str]:
    """A login URL per identity provider, first provider first: the stack's ``login_urls``.

    The first is the stack's ``login_url`` output. ``client_id`` is percent-encoded here: a
    "+" is allowed in an id, and in a query it would read as a space.
    """
    return urls.login_urls(
        config.hosted_domain,
        client_id=quote(client_id, safe=""),
        provider_names=[plan.provider_name for plan in config.criipto.plan.providers],
        redirect_uri=config.app_client.callback_urls[0],
        scopes=config.app_client.oauth_scopes,
    )
