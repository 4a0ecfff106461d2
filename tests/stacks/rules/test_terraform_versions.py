"""The [terraform] table (provider constraints, required Terraform) and the readable addresses."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.configs import (
    changed,
    config_problems,
    config_with,
    external,
    managed,
    write_config,
)
from support.project import run_main
from support.synth import synth_stacks

from stacks.platform import chosen_platform
from stacks.rules import addresses
from stacks.rules.terraform_versions import parse_constraints, version_constraint_problem

# Terraform's grammar, both sides of the line; test_grammar_agrees_with_terraform asks
# the real binary about each.
ACCEPTED = [
    ">= 6.25.0, < 7.0.0",
    "~> 3.0.0",
    "~>3.0",
    "6.25.0",
    "= 5.100.0",
    "!= 6.0.0",
    ">6",
    "<= 6.30",
    " >= 6.0 ,< 7 ",
    ">= 1.0.0-beta1",
    "1.2.3+build.5",
]
REFUSED = [
    "",
    "   ",
    "v6.25.0",
    ">= v6.25.0",
    "6.*",
    "6.x",
    "=> 6.0",
    "=< 6.0",
    ">=  6.0",
    "6.0,",
    ",6.0",
    "6.0,,7.0",
    "1.2.3.4",
    "latest",
    ">= 6.0 < 7.0",
    "^6.0.0",
    "6.0 || 7.0",
    "6.0.0 - 7.0.0",
    "${var.version}",
    "\u0666.0.0",  # an Arabic-Indic digit six: a digit to Python, not to Terraform
]


@pytest.mark.parametrize("value", ACCEPTED)
def test_accepted_constraints(value: str) -> None:
    assert version_constraint_problem(value) is None


@pytest.mark.parametrize("value", REFUSED)
def test_refused_constraints(value: str) -> None:
    assert version_constraint_problem(value) is not None


@pytest.mark.parametrize("value", ACCEPTED + REFUSED)
def test_the_lock_check_reads_constraints_with_the_same_grammar(value: str) -> None:
    """One grammar: what the config accepts is what the lock-file check can evaluate."""
    readable = parse_constraints(value) is not None
    assert readable == (version_constraint_problem(value) is None), value


@pytest.mark.terraform
def test_grammar_agrees_with_terraform(tmp_path: Path) -> None:
    """Terraform itself, asked about every example: "Invalid version constraint" or not."""
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not on PATH: the grammar is checked against the examples only")
    disagreements = []
    for index, value in enumerate(ACCEPTED + REFUSED):
        directory = tmp_path / str(index)
        directory.mkdir()
        document = {
            "terraform": {
                "required_providers": {"aws": {"source": "hashicorp/aws", "version": value}}
            }
        }
        (directory / "main.tf.json").write_text(json.dumps(document))
        result = subprocess.run(
            [terraform, "validate", "-no-color"],
            cwd=directory,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CHECKPOINT_DISABLE": "1"},
            timeout=60,
        )
        terraform_refuses = "Invalid version constraint" in result.stdout + result.stderr
        if terraform_refuses != (version_constraint_problem(value) is not None):
            disagreements.append(value)
    assert disagreements == []


def test_defaults_are_the_bindings_version_and_later_6x(tmp_path: Path) -> None:
    """(tests/stacks/platform/test_choice.py checks the platform's facts against its bindings.)"""
    stacks = synth_stacks(config_with(managed()), tmp_path / "out")
    terraform = stacks["test"]["terraform"]
    platform = chosen_platform()
    assert terraform["required_providers"]["aws"] == {
        "source": platform.aws_provider_source,
        "version": platform.default_aws_provider,
    }
    assert terraform["required_version"] == ">= 1.8.0"
    module = _module_document(tmp_path / "out" / "stacks" / "test", stacks["test"])
    assert module["terraform"]["required_providers"]["restapi"] == {
        "source": "Mastercard/restapi",
        "version": "~> 3.0.0",
    }


def test_configured_constraints_reach_every_stack_and_the_module(tmp_path: Path) -> None:
    config = {
        "terraform": {"aws_provider": ">= 5.100.0, < 7.0.0", "restapi_provider": "= 3.0.0"},
        "environments": {
            "managed": managed(),
            "external": external(changed("domain.prefix", "acme-other")),
        },
    }
    stacks = synth_stacks(config, tmp_path / "out")
    for name, stack in stacks.items():
        aws = stack["terraform"]["required_providers"]["aws"]
        assert aws["version"] == ">= 5.100.0, < 7.0.0", name
        assert "restapi" not in stack["terraform"]["required_providers"], name
    module = _module_document(tmp_path / "out" / "stacks" / "managed", stacks["managed"])
    assert module["terraform"]["required_providers"]["restapi"]["version"] == "= 3.0.0"
    assert "module" not in stacks["external"]


def test_bad_constraint_exits_2_naming_the_key(tmp_path: Path) -> None:
    config = config_with(managed())
    config["terraform"] = {"aws_provider": "6.*", "restapi_provider": "v3.0.0"}
    path = write_config(tmp_path, config)
    result = run_main(tmp_path, path, None, "--check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}: terraform.aws_provider: '6.*': ")
    assert lines[1].startswith(f"{path}: terraform.restapi_provider: 'v3.0.0': no \"v\"")


def test_unknown_terraform_key_is_named(tmp_path: Path) -> None:
    config = config_with(managed())
    config["terraform"] = {"aws_providr": ">= 6.25.0"}
    assert config_problems(tmp_path, config) == [
        'terraform.aws_providr: unknown key (did you mean "aws_provider"?)'
    ]


# Addresses


@pytest.mark.parametrize(
    ("provider_name", "resource_name"),
    [
        ("Criipto", "criipto"),
        ("MitID", "mitid"),
        ("SE-BankID", "se_bankid"),
        ("NO-BankID", "no_bankid"),
        ("Bank.ID", "bank_id"),
        ("Åland ID", "aland_id"),
        ("3D-Secure", "idp_3d_secure"),
        ("---", "idp"),
    ],
)
def test_identity_provider_names(provider_name: str, resource_name: str) -> None:
    assert addresses.identity_provider_name(provider_name) == resource_name


def test_stack_addresses_have_no_hash_suffix(tmp_path: Path) -> None:
    env = changed("criipto.eids", ["dk-mitid-substantial", "se-bankid"], managed())
    env["criipto"].pop("provider_name")
    env["criipto"]["provider_names"] = {"se-bankid": "Bank.ID"}
    stack = synth_stacks(config_with(env), tmp_path / "out")["test"]
    assert _addresses(stack) == {
        "aws_cognito_user_pool.user_pool",
        "aws_cognito_user_pool_domain.domain",
        "aws_cognito_identity_provider.mitid",
        "aws_cognito_identity_provider.bank_id",
        "aws_cognito_user_pool_client.app_client",
        "module.criipto_application",
    }
    client = stack["resource"]["aws_cognito_user_pool_client"]["app_client"]
    assert client["supported_identity_providers"] == [
        "${aws_cognito_identity_provider.mitid.provider_name}",
        "${aws_cognito_identity_provider.bank_id.provider_name}",
    ]
    assert client["user_pool_id"] == "${aws_cognito_user_pool.user_pool.id}"


def test_picker_and_existing_pool_addresses(tmp_path: Path) -> None:
    env = external(changed("user_pool", {"existing_id": "eu-north-1_AbC123"}))
    stack = synth_stacks(config_with(env), tmp_path / "out")["test"]
    assert _addresses(stack) == {
        "aws_cognito_user_pool_domain.domain",
        "aws_cognito_identity_provider.criipto",
        "aws_cognito_user_pool_client.app_client",
    }


@pytest.mark.parametrize(
    ("eids", "names", "expected"),
    [
        (
            ["dk-mitid-substantial", "se-bankid"],
            {"dk-mitid-substantial": "Bank-ID", "se-bankid": "Bank.ID"},
            "provider_names.se-bankid: provider names 'Bank-ID' and 'Bank.ID' would both be "
            "the Terraform resource aws_cognito_identity_provider.bank_id",
        ),
        (
            ["dk-mitid-substantial", "dk-mitid-high"],
            {"dk-mitid-high": "mitid"},
            "provider_names.dk-mitid-high: provider names 'MitID' and 'mitid' would both be "
            "the Terraform resource aws_cognito_identity_provider.mitid",
        ),
        (
            # The second keeps its default name: the key is the table, where it needs one.
            ["dk-mitid-substantial", "se-bankid"],
            {"dk-mitid-substantial": "se.bankid"},
            "provider_names: provider names 'se.bankid' and 'SE-BankID' would both be the "
            "Terraform resource aws_cognito_identity_provider.se_bankid: give 'se-bankid' a name",
        ),
    ],
)
def test_names_sharing_an_address_are_refused(
    tmp_path: Path, eids: list[str], names: dict[str, str], expected: str
) -> None:
    env = changed("criipto.eids", eids)
    env["criipto"].pop("provider_name")
    env["criipto"]["provider_names"] = names
    [line] = config_problems(tmp_path, config_with(env))
    assert line.startswith(f"environments.test.criipto.{expected}")


def _addresses(stack: dict[str, Any]) -> set[str]:
    found = {
        f"{kind}.{name}" for kind, named in stack.get("resource", {}).items() for name in named
    }
    found |= {f"module.{name}" for name in stack.get("module", {})}
    return found


def _module_document(stack_dir: Path, stack: dict[str, Any]) -> dict[str, Any]:
    [module] = stack["module"].values()
    document: dict[str, Any] = json.loads(
        (stack_dir / module["source"] / "main.tf.json").read_text()
    )
    return document
