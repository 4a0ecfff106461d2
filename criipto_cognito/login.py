"""The hosted-UI URL that starts a login through Criipto: the stack's ``login_url`` output."""

from __future__ import annotations

from urllib.parse import quote

from criipto import urls
from stacks.config import EnvironmentConfig


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
