"""The hosted-UI URL that starts a login through Criipto: the stack's ``login_url`` output."""

from __future__ import annotations

import re

from criipto import urls
from stacks.config import EnvironmentConfig

# ClientIdType in botocore's cognito-idp model.
CLIENT_ID_PATTERN = r"[\w+]{1,128}"


def client_id_problem(client_id: str) -> str | None:
    if not re.fullmatch(CLIENT_ID_PATTERN, client_id):
        return f"{client_id!r} is not a Cognito app client id (1-128 letters and digits)"
    return None


def login_urls(config: EnvironmentConfig, client_id: str) -> dict[str, str]:
    """A login URL per identity provider, first provider first: the stack's ``login_urls``.

    The first is the stack's ``login_url`` output.
    """
    return {
        plan.provider_name: urls.hosted_ui_login_url(
            config.hosted_domain,
            client_id=client_id,
            provider_name=plan.provider_name,
            redirect_uri=config.app_client.callback_urls[0],
            scopes=config.app_client.oauth_scopes,
        )
        for plan in config.criipto.plan.providers
    }
