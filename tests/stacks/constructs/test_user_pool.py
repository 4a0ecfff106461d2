"""FederationUserPool and HostedDomain take props, not config models."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.synth import library_stack, synth_library

from stacks.constructs import (
    FederationUserPool,
    HostedDomain,
    PropError,
)


def test_pool_and_domain_take_props(tmp_path: Path) -> None:
    app, stack, _ = library_stack(tmp_path)
    with pytest.raises(PropError, match=r"^prefix: set exactly one of prefix"):
        HostedDomain(stack, "domain", user_pool_id="eu-north-1_AbC123", region="eu-north-1")
    with pytest.raises(PropError, match=r"^certificate_arn: required with custom"):
        HostedDomain(
            stack, "domain", user_pool_id="eu-north-1_AbC123", region="eu-north-1", custom="a.b.c"
        )
    with pytest.raises(PropError, match=r'^prefix: must not contain the reserved word "aws"'):
        HostedDomain(
            stack, "domain", user_pool_id="eu-north-1_AbC123", region="eu-north-1", prefix="aws"
        )
    with pytest.raises(PropError, match=r"^name: "):
        FederationUserPool(stack, "pool", name="bad/name")
    assert stack.node.try_find_child("pool") is None and stack.node.try_find_child("domain") is None
    pool = FederationUserPool(
        stack,
        "pool",
        name="users",
        custom_attributes={"dk_mitid_uuid": 36},
        deletion_protection=False,
    )
    domain = HostedDomain(
        stack, "domain", user_pool_id=pool.user_pool_id, region="eu-north-1", prefix="acme-login"
    )
    assert domain.host_name == "acme-login.auth.eu-north-1.amazoncognito.com"
    resource = synth_library(app, tmp_path)["resource"]
    made = resource["aws_cognito_user_pool"]["pool"]
    assert made["deletion_protection"] == "INACTIVE"
    assert [attribute["name"] for attribute in made["schema"]] == ["dk_mitid_uuid"]
    assert resource["aws_cognito_user_pool_domain"]["domain"]["domain"] == "acme-login"
