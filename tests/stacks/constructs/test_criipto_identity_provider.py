"""CriiptoIdentityProvider: literal props refused with the config's messages, tokens left to
Terraform, literal text escaped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.synth import identity_provider, library_stack, synth_library

from stacks.constructs import (
    PropError,
)
from stacks.platform import aws


@pytest.mark.parametrize(
    ("prop", "value", "message"),
    [
        (
            "user_pool_id",
            "pool",
            "user_pool_id: 'pool' is not a user pool id such as eu-north-1_AbC123",
        ),
        ("criipto_domain", "https://acme.criipto.id", "criipto_domain: must be a bare host name"),
        ("client_id", "has space", "client_id: must be 1 to 255 characters without spaces"),
        ("provider_name", "_x", "provider_name: must be 3 to 32 characters long (got 2)"),
        ("authorize_scopes", ["email"], 'authorize_scopes: must contain "openid"'),
        ("eid", "xx-nothing", "eid: unknown eID 'xx-nothing'; known: "),
        (
            "attribute_mapping",
            {"shoe_size": "x"},
            "attribute_mapping.shoe_size: 'shoe_size' is neither",
        ),
        (
            "attribute_mapping",
            {"username": "email"},
            'attribute_mapping.username: "username" always receives "sub"',
        ),
        ("client_secret", "hunter2", "client_secret: must be a reference"),
    ],
)
def test_identity_provider_refuses_bad_literals(
    tmp_path: Path, prop: str, value: Any, message: str
) -> None:
    _, stack, secret = library_stack(tmp_path)
    with pytest.raises(PropError) as caught:
        identity_provider(stack, secret, **{prop: value})
    assert str(caught.value).startswith(message)
    assert caught.value.prop == message.split(":")[0]
    assert str(caught.value) == f"{caught.value.prop}: {caught.value.problem}"
    assert isinstance(caught.value, ValueError)
    assert stack.node.children == [stack.node.find_child("aws"), stack.node.find_child("secret")]


def test_identity_provider_takes_tokens_and_escapes_literals(tmp_path: Path) -> None:
    app, stack, secret = library_stack(tmp_path)
    pool = aws.CognitoUserPool(stack, "pool", name="users")
    provider = identity_provider(
        stack,
        secret,
        user_pool_id=pool.id,  # a token: not a pool id by the rule, checked by Terraform
        provider_name="Id-${x}",
        eid="se-bankid",
        attribute_mapping={"name": "name"},
    )
    assert provider.provider_name.startswith("${")
    idp = synth_library(app, tmp_path)["resource"]["aws_cognito_identity_provider"]["idp"]
    assert idp["user_pool_id"] == "${aws_cognito_user_pool.pool.id}"
    assert idp["provider_name"] == "Id-$${x}"
    assert idp["attribute_mapping"] == {"username": "sub", "name": "name"}
    assert idp["provider_details"]["authorize_url"] == (
        "https://acme.criipto.id/dXJuOmdybjphdXRobjpzZTpiYW5raWQ=/oauth2/authorize"
    )
    assert idp["provider_details"]["client_secret"] == "${var.secret}"
