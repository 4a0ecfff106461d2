"""AppClientOptions: checked when made, with the config's messages."""

from __future__ import annotations

from typing import Any

import pytest

from stacks.constructs import (
    AppClientOptions,
    PropError,
)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"callback_urls": []}, "callback_urls: must name at least one URL"),
        (
            {"callback_urls": ["http://app.acme.com/"]},
            "callback_urls: 'http://app.acme.com/' must use https",
        ),
        ({"oauth_scopes": ["openid", "openid"]}, "oauth_scopes: lists a scope twice"),
        ({"name": "web\n"}, "name: must be 1 to 128 ASCII letters"),
        ({"read_attributes": ["name", "name"]}, "read_attributes: lists an attribute twice"),
        ({"read_attributes": ["shoe_size"]}, "read_attributes: 'shoe_size' is neither"),
    ],
)
def test_app_client_options_are_checked_when_made(options: dict[str, Any], message: str) -> None:
    with pytest.raises(PropError) as caught:
        AppClientOptions(**{"name": "web", "callback_urls": ["https://app.acme.com/cb"], **options})
    assert str(caught.value).startswith(message)
