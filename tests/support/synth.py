"""Synthesis in-process, and what the tests read from a synthesized stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


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
