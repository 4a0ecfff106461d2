"""Accepted configs with non-ASCII text in every free-text field pass ``terraform validate``
with the real hashicorp/aws provider from the mirror (issue 29).

The config counts lengths as AWS (UTF-16 units) and hashicorp/aws (UTF-8 bytes, where its
validator is Go's ``len()``) count them; a scope description of 129 x "é" once passed the check
and synth, then failed here. Every value below sits at the limit in its stricter count. Needs
Terraform and a mirror holding hashicorp/aws ($CRIIPTO_COGNITO_TF_MIRROR, as the end-to-end
suite); without them the test skips and says why.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from support.configs import base_environment, external, write_config
from support.terraform_e2e import (
    Transcript,
    clean_environment,
    make_project,
    toolchain_or_skip,
    write_cli_config,
)

from stacks.config import load_config

LETTER = "\U0001d400"  # MATHEMATICAL BOLD CAPITAL A: a letter beyond U+FFFF, two UTF-16 units
EMOJI = "😀"  # a symbol beyond U+FFFF: two UTF-16 units, four UTF-8 bytes


def _environment(name: str) -> dict[str, Any]:
    env = external(copy.deepcopy(base_environment()))
    env["user_pool"] = {"name": f"v-{name}"}
    env["domain"] = {"prefix": f"v-{name}-login"}
    env["criipto"]["client_id"] = f"urn:åcme:cögnito:{name}:名前"
    env["tags"] = {LETTER * 64: "Ünïcode " + "名" * 248, "Team": LETTER * 128}  # 128, 256 units
    env["app_client"]["callback_urls"] = [
        "https://app.acme.com/" + EMOJI * 501 + "a",  # 1,024 UTF-16 units
        "https://äpp.acme.com/cb/ü",
    ]
    env["app_client"]["logout_urls"] = ["https://app.acme.com/ørk"]
    return env


def non_ascii_environments() -> dict[str, Any]:
    """Criipto's picker, per-eID providers, resource servers and several clients: every
    free-text field the stacks write holds non-ASCII text, most at their limit."""
    picker = _environment("picker")
    picker["criipto"]["provider_name"] = f"Crí{EMOJI}" * 6 + "ab"  # 32 UTF-16 units
    picker["criipto"]["attribute_mapping"] = {
        "name": "custom:" + "é" * 10,  # 20 UTF-8 bytes: the schema name's limit
        "birthdate": "custom:名前ø",
    }
    eids = _environment("eids")
    eids["criipto"].pop("provider_name")
    eids["criipto"]["eids"] = ["dk-mitid-substantial", "se-bankid"]
    eids["criipto"]["provider_names"] = {
        "dk-mitid-substantial": "MitID-ø" + EMOJI * 12,  # 31 units
        "se-bankid": "BankID-Sverige-åäö",
    }
    eids["criipto"]["attribute_mapping"] = {"name": "custom:" + "ø" * 10}
    features = _environment("features")
    web = features.pop("app_client")
    features["resource_servers"] = {
        "orders": {
            "name": "Orders",
            "scopes": {
                "read": "é" * 128,  # 256 UTF-8 bytes: the description's limit
                "write": f"Bestil 名前 {EMOJI}" + "x" * 236,  # 256 bytes
            },
        }
    }
    features["app_clients"] = {
        "web": {**web, "name": "web", "oauth_scopes": ["openid", "orders/read"]},
        "app": {"name": "app", "callback_urls": ["myapp://sígnin/" + "名" * 1000]},
    }
    return {"picker": picker, "eids": eids, "features": features}


@pytest.mark.terraform
def test_non_ascii_text_at_every_limit_passes_terraform_validate(tmp_path: Path) -> None:
    toolchain = toolchain_or_skip()
    project = make_project(tmp_path / "project")
    config = {
        "terraform": {"aws_provider": f">= {toolchain.aws_version}, < 7.0.0"},
        "environments": non_ascii_environments(),
    }
    load_config(write_config(project, config))  # accepted: the check's own answer
    run = Transcript(
        clean_environment(
            TF_CLI_CONFIG_FILE=str(write_cli_config(tmp_path / "mirror.tfrc", toolchain.mirror))
        )
    )
    run.run(["make", "synth"], project)
    for name in config["environments"]:
        stack = project / "cdktf.out" / "stacks" / name
        run.terraform(stack, "init", "-input=false", "-backend=false")
        validated = run.terraform(stack, "validate")
        assert "Success!" in validated.stdout, name
    # The provider counts as this test says it does: one character more, in bytes, and
    # validate refuses (what the config check now refuses before it).
    stack = project / "cdktf.out" / "stacks" / "features"
    document = stack / "cdk.tf.json"
    text = document.read_text(encoding="utf-8")
    assert text.count("é" * 128) == 1
    document.write_text(text.replace("é" * 128, "é" * 129), encoding="utf-8")
    refused = run.terraform(stack, "validate", ok=(1,))
    assert "scope_description" in refused.stderr
