"""Synthesis in-process, and what the tests read from a synthesized stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stacks.rules.secret_source import ClientSecretSource


def synth_stacks(data: dict[str, Any], outdir: Path) -> dict[str, dict[str, Any]]:
    """Synthesize ``data`` in-process into ``outdir``; the parsed JSON of each stack."""
    from stacks.app import build_app  # cdktf loads only for the tests that synthesize
    from stacks.config import FederationConfig

    config = FederationConfig.model_validate(data)
    build_app(config, outdir=str(outdir)).synth()
    return {
        name: json.loads((outdir / "stacks" / name / "cdk.tf.json").read_text())
        for name in config.environments
    }


def resources(stack: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(stack.get("resource", {}).get(kind, {}).values())


def only(stack: dict[str, Any], kind: str) -> dict[str, Any]:
    found = resources(stack, kind)
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def providers_by_name(stack: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The stack's identity providers by their provider_name."""
    return {p["provider_name"]: p for p in resources(stack, "aws_cognito_identity_provider")}


def library_stack(tmp_path: Path) -> tuple[Any, Any, str]:
    """An app with one stack named lib, as a library user starts: its AWS provider, and a
    sensitive variable's reference to pass as a secret. The app, the stack, the reference."""
    from stacks.platform import App, TerraformStack, TerraformVariable, aws

    app = App(outdir=str(tmp_path / "cdktf.out"))
    stack = TerraformStack(app, "lib")
    aws.AwsProvider(stack, "aws", region="eu-north-1")
    secret = TerraformVariable(stack, "secret", type="string", sensitive=True)
    return app, stack, secret.string_value


def synth_library(app: Any, tmp_path: Path) -> dict[str, Any]:
    """``library_stack``'s app synthesized: the lib stack's JSON."""
    app.synth()
    stack: dict[str, Any] = json.loads((tmp_path / "cdktf.out/stacks/lib/cdk.tf.json").read_text())
    return stack


def identity_provider(stack: Any, secret: str, **overrides: Any) -> Any:
    """A CriiptoIdentityProvider named idp in ``stack`` with valid props, ``overrides`` on top."""
    from stacks.constructs import CriiptoIdentityProvider

    props: dict[str, Any] = {
        "user_pool_id": "eu-north-1_AbC123",
        "criipto_domain": "acme.criipto.id",
        "client_id": "urn:acme:cognito",
        "client_secret": secret,
        **overrides,
    }
    return CriiptoIdentityProvider(stack, "idp", **props)


def federation_props(
    client_secret: str | ClientSecretSource, *, one_client: bool = True
) -> dict[str, Any]:
    """A CriiptoFederation's props in external mode, every one valid: the pool, the hosted
    domain, the Criipto domain, the application with ``client_secret`` (a reference or a
    ClientSecretSource) and, with ``one_client``, a web client."""
    from stacks.constructs import AppClientOptions, ExternalApplication

    props: dict[str, Any] = {
        "user_pool_id": "eu-north-1_AbC123",
        "hosted_domain": "login.acme.com",
        "criipto_domain": "acme.criipto.id",
        "application": ExternalApplication(client_id="urn:acme", client_secret=client_secret),
    }
    if one_client:
        props["app_client"] = AppClientOptions(
            name="web", callback_urls=["https://app.acme.com/cb"]
        )
    return props
