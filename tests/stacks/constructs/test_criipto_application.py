"""CriiptoApplication (managed mode's module): literal props refused, tokens kept out of the body."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.synth import library_stack

from stacks.constructs import (
    CriiptoApplication,
    PropError,
)


def test_application_refuses_bad_literals_and_tokens_in_the_body(tmp_path: Path) -> None:
    _, stack, secret = library_stack(tmp_path)
    good: dict[str, Any] = {
        "name": "App",
        "domain": "acme.criipto.id",
        "realm": "urn:acme",
        "return_urls": ["https://login.acme.com/oauth2/idpresponse"],
        "api_url": "https://api.acme.example",
        "api_token": secret,
    }
    cases: list[tuple[dict[str, Any], str]] = [
        ({"name": " App"}, "name: must not be empty or start or end with spaces"),
        ({"tags": ["a", "a"]}, "tags: lists a tag twice"),
        (
            {"api_url": "http://api.acme.example"},
            "api_url: 'http://api.acme.example' must be an absolute https URL",
        ),
        ({"api_token": "literal-token"}, "api_token: must be a reference"),
        ({"restapi_version": "v3"}, "restapi_version: 'v3': no \"v\" before the version"),
        ({"realm": secret}, "realm: must be a literal, not a reference"),
    ]
    for change, message in cases:
        with pytest.raises(PropError) as caught:
            CriiptoApplication(stack, "app", **{**good, **change})
        assert str(caught.value).startswith(message), change
    assert stack.node.try_find_child("app") is None  # each refusal came before any child
