"""examples/own_pool: a standalone CDKTF app adds Criipto federation to its own pool and domain."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from support.processes import run_captured

from criipto import urls
from stacks.platform import chosen_platform

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "own_pool"


@pytest.mark.slow
def test_own_pool_example_synthesizes_per_eid_providers(tmp_path: Path) -> None:
    folder = tmp_path / "own_pool"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("cdktf.out"))
    # Run as docs/library.md says (from its own folder), but from a copy: main.py finds the
    # project through its path, so the copy sits where the project's packages are not.
    main = folder / "main.py"
    main.write_text(
        main.read_text().replace("Path(__file__).resolve().parents[2]", repr(str(ROOT))),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = run_captured([sys.executable, "main.py"], cwd=folder, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    stack: dict[str, Any] = json.loads((folder / "cdktf.out/stacks/login/cdk.tf.json").read_text())

    providers = stack["resource"]["aws_cognito_identity_provider"]
    assert set(providers) == {"mitid", "se_bankid"}
    acrs = {"mitid": "urn:grn:authn:dk:mitid:substantial", "se_bankid": "urn:grn:authn:se:bankid"}
    for address, provider in providers.items():
        # The user's own resources, by reference: the pool's id token.
        assert provider["user_pool_id"] == "${aws_cognito_user_pool.pool.id}"
        details = provider["provider_details"]
        assert details["authorize_url"] == urls.authorize_url("acme.criipto.id", acrs[address])
        assert details["client_secret"] == "${var.criipto_client_secret}"
        assert details["client_id"] == "urn:acme:cognito"
        assert provider["attribute_mapping"]["username"] == "sub"
        assert "custom:dk_mitid_uuid" not in provider["attribute_mapping"]

    client = stack["resource"]["aws_cognito_user_pool_client"]["app_client"]
    assert client["user_pool_id"] == "${aws_cognito_user_pool.pool.id}"
    assert client["supported_identity_providers"] == [
        "${aws_cognito_identity_provider.mitid.provider_name}",
        "${aws_cognito_identity_provider.se_bankid.provider_name}",
    ]
    assert client["callback_urls"] == ["https://app.acme.com/callback"]
    # Sign-in ready: the client may write every attribute its providers map (AWS fails a
    # federated sign-in that writes an attribute its client may not).
    mapped = {a for p in providers.values() for a in p["attribute_mapping"] if a != "username"}
    assert mapped and mapped <= set(client["write_attributes"])
    # The domain's host, by reference, in the callback and login outputs.
    host = "${aws_cognito_user_pool_domain.domain.domain}.auth.eu-north-1.amazoncognito.com"
    assert stack["output"]["criipto_callback_url"]["value"] == f"https://{host}/oauth2/idpresponse"
    assert stack["output"]["login_urls"]["value"]["SE-BankID"].startswith(
        f"https://{host}/oauth2/authorize?client_id=${{aws_cognito_user_pool_client.app_client.id}}"
    )
    assert "module" not in stack  # external: no Criipto application module
    # Written by the platform under test: its bindings' own provider source and release.
    platform = chosen_platform()
    assert stack["terraform"]["required_providers"]["aws"] == {
        "source": platform.aws_provider_source,
        "version": platform.aws_provider_version,
    }


@pytest.mark.example
def test_the_examples_are_external_by_default_and_managed_by_choice(tmp_path: Path) -> None:
    """federation.toml: every environment in external mode (what works with every tenant);
    examples/managed.toml: managed mode, chosen explicitly, with its module."""
    from support.project import EXAMPLE_CONFIG
    from support.synth import synth_stacks

    from stacks.config import load_config

    example = load_config(EXAMPLE_CONFIG)
    assert {env.criipto.mode for env in example.environments.values()} == {"external"}
    managed_path = ROOT / "examples" / "managed.toml"
    assert 'mode = "managed"' in managed_path.read_text(encoding="utf-8")
    managed = load_config(managed_path)
    assert {env.criipto.mode for env in managed.environments.values()} == {"managed"}
    stacks = synth_stacks(managed.model_dump(mode="python", exclude_unset=True), tmp_path)
    assert all("criipto_application" in stack["module"] for stack in stacks.values())
