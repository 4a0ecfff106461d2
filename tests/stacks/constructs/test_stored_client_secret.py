"""The library's side of client_secret_from: ``ExternalApplication(client_secret=
ClientSecretSource(...))`` makes ``StoredClientSecret``, whose data source the federation's
identity providers read; its rules are the config's (one declaration), checked when made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.synth import federation_props, library_stack, synth_library

from stacks.constructs import (
    ClientSecretSource,
    CriiptoFederation,
    PropError,
    StoredClientSecret,
)
from stacks.rules.problems import PropErrors


def _federation(tmp_path: Path, source: ClientSecretSource, prefix: str = "") -> dict[str, Any]:
    app, stack, _ = library_stack(tmp_path)
    CriiptoFederation(stack, "criipto", **federation_props(source), prefix=prefix)
    return synth_library(app, tmp_path)


def test_a_federation_reads_its_secret_from_the_store(tmp_path: Path) -> None:
    stack = _federation(tmp_path, ClientSecretSource(ssm="/partners/criipto"), prefix="partners")
    assert list(stack["data"]["aws_ssm_parameter"]) == ["partners_criipto_client_secret"]
    [provider] = stack["resource"]["aws_cognito_identity_provider"].values()
    assert provider["provider_details"]["client_secret"] == (
        "${data.aws_ssm_parameter.partners_criipto_client_secret.value}"
    )
    assert list(stack["variable"]) == ["secret"]  # library_stack's own: the federation adds none


@pytest.mark.parametrize(
    ("made", "message"),
    [
        (lambda: ClientSecretSource(), "secretsmanager: set exactly one of"),
        (lambda: ClientSecretSource(secretsmanager="a", ssm="/b"), "secretsmanager: set exactly"),
        (lambda: ClientSecretSource(ssm="/b", json_key="k"), "json_key: applies only with"),
        (lambda: ClientSecretSource(secretsmanager="acme/${x}"), "secretsmanager: 'acme/${x}'"),
        (lambda: ClientSecretSource(ssm="/ssm/x"), "ssm: '/ssm/x': a parameter name cannot"),
    ],
)
def test_a_source_is_checked_when_made(made: Any, message: str) -> None:
    with pytest.raises((PropError, PropErrors)) as raised:
        made()
    assert message in str(raised.value)


def test_only_a_source_is_a_source(tmp_path: Path) -> None:
    _, stack, _ = library_stack(tmp_path)
    before = [child.node.id for child in stack.node.children]
    with pytest.raises(PropError, match="client_secret: must be a reference or a"):
        StoredClientSecret(stack, "secret", source="acme/criipto")  # type: ignore[arg-type]
    assert [child.node.id for child in stack.node.children] == before
