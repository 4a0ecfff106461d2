"""FederatedAppClient: a client can write every attribute its providers map."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from support.synth import identity_provider, library_stack, synth_library

from stacks.constructs import (
    AppClientOptions,
    FederatedAppClient,
    PropError,
)


def test_a_client_writes_what_its_providers_map(tmp_path: Path) -> None:
    """AWS fails each sign-in whose client may not write a mapped attribute: a client used on
    its own takes the providers' ``mapped_attributes`` and writes them, or refuses a given list
    that lacks one, before anything is added."""
    app, stack, secret = library_stack(tmp_path)
    provider = identity_provider(
        stack,
        secret,
        eid="dk-mitid-substantial",
        attribute_mapping={"custom:dk_mitid_uuid": "uuid", "name": "name"},
    )
    assert provider.mapped_attributes == ("custom:dk_mitid_uuid", "name")
    options = AppClientOptions(name="web", callback_urls=["https://app.acme.com/cb"])
    with pytest.raises(PropError) as caught:
        FederatedAppClient(
            stack,
            "narrow",
            user_pool_id="eu-north-1_AbC123",
            identity_providers=[provider.provider_name],
            options=dataclasses.replace(options, write_attributes=["name"]),
            mapped_attributes=provider.mapped_attributes,
        )
    assert caught.value.prop == "write_attributes"
    assert "add 'custom:dk_mitid_uuid'" in caught.value.problem
    assert stack.node.try_find_child("narrow") is None
    FederatedAppClient(
        stack,
        "web",
        user_pool_id="eu-north-1_AbC123",
        identity_providers=[provider.provider_name],
        options=options,
        mapped_attributes=provider.mapped_attributes,
    )
    client = synth_library(app, tmp_path)["resource"]["aws_cognito_user_pool_client"]["web"]
    written = client["write_attributes"]
    assert written[-1] == "custom:dk_mitid_uuid"  # after the standard attributes
    assert {"name", "email", "updated_at"} <= set(written)
    assert "email_verified" not in written  # not among AWS's default write attributes
