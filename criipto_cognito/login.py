"""The hosted-UI URL that starts a login through Criipto: the stack's ``login_url`` output."""

from __future__ import annotations

from urllib.parse import quote

from criipto import urls
from stacks.config import EnvironmentConfig


def login_urls(config: EnvironmentConfig, key: str, client_id: str) -> dict[str, str]:
    """A login URL per identity provider of the client ``key``, first provider first: the
    stack's ``login_urls`` (with ``app_clients``: ``app_client_login_urls[key]``).

    The first is the stack's ``login_url`` output. ``client_id`` is percent-encoded here: a
    "+" is allowed in an id, and in a query it would read as a space.
    """
    client = config.clients[key]
    return urls.login_urls(
        config.hosted_domain,
        client_id=quote(client_id, safe=""),
        provider_names=[plan.provider_name for plan in config.criipto.plan.providers],
        redirect_uri=client.callback_urls[0],
        scopes=client.oauth_scopes,
    )
