"""Names every JavaScript object has, in every place a config name becomes a construct id or a
map key: ``--check`` and synth agree (refused with one line naming the key, or synthesized
with the name as its Terraform address), never accepted and then a crash inside jsii."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.configs import base_environment, external, write_config
from support.synth import synth_stacks

from stacks.config import ConfigError, load_config
from stacks.rules import javascript

Edit = Callable[[dict[str, Any], str], None]


def _provider_name(env: dict[str, Any], name: str) -> None:
    env["criipto"]["provider_name"] = name


def _eid_provider_name(env: dict[str, Any], name: str) -> None:
    env["criipto"].pop("provider_name")
    env["criipto"]["eids"] = ["se-bankid"]
    env["criipto"]["provider_names"] = {"se-bankid": name}


def _client_key(env: dict[str, Any], name: str) -> None:
    client = env.pop("app_client")
    client.pop("name")
    env["app_clients"] = {name: client}


def _client_name(env: dict[str, Any], name: str) -> None:
    env["app_client"]["name"] = name


def _resource_server(env: dict[str, Any], name: str) -> None:
    env["resource_servers"] = {name: {"name": name, "scopes": {name: name}}}


def _tag(env: dict[str, Any], name: str) -> None:
    env["tags"] = {name: name}


def _pool_name(env: dict[str, Any], name: str) -> None:
    env["user_pool"]["name"] = name


POSITIONS: dict[str, Edit] = {
    "criipto.provider_name": _provider_name,
    "criipto.provider_names": _eid_provider_name,
    "app_clients": _client_key,
    "app_client.name": _client_name,
    "resource_servers": _resource_server,
    "tags": _tag,
    "user_pool.name": _pool_name,
}


def _environments(tmp_path: Path) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(name, position, what --check said, environment) for every name and position."""
    for name in sorted(javascript.OBJECT_PROPERTIES):
        for position, edit in POSITIONS.items():
            env = copy.deepcopy(external(base_environment()))
            edit(env, name)
            path = write_config(tmp_path, {"environments": {"test": env}})
            try:
                load_config(path)
            except ConfigError as refused:
                yield name, position, "\n".join(refused.lines), env
            else:
                yield name, position, "", env


@pytest.mark.slow
def test_check_and_synth_agree_for_every_javascript_name(tmp_path: Path) -> None:
    accepted: dict[str, dict[str, Any]] = {}
    accepted_at: set[tuple[str, str]] = set()
    for name, position, refusal, env in _environments(tmp_path):
        if refusal:
            # One line, naming the key where the name stands.
            lines = refusal.splitlines()
            assert len(lines) == 1, refusal
            assert f"environments.test.{position}" in lines[0], refusal
        else:
            accepted[f"e{len(accepted)}"] = env
            accepted_at.add((name, position))
    # Among them the names that crashed synth before: `constructor` as the construct id of a
    # provider, a client and a resource server.
    assert {
        ("constructor", "criipto.provider_name"),
        ("constructor", "criipto.provider_names"),
        ("constructor", "app_clients"),
        ("constructor", "resource_servers"),
    } <= accepted_at
    outdir = tmp_path / "out"
    for start in range(0, len(accepted), 20):  # at most 20 environments a config
        batch = dict(list(accepted.items())[start : start + 20])
        stacks = synth_stacks({"environments": batch}, outdir)
        assert set(stacks) == set(batch)


@pytest.mark.parametrize(
    ("edit", "kind", "address"),
    [
        (_provider_name, "aws_cognito_identity_provider", "constructor"),
        (_client_key, "aws_cognito_user_pool_client", "constructor"),
        (_resource_server, "aws_cognito_resource_server", "constructor"),
    ],
)
def test_constructor_keeps_its_terraform_address(
    tmp_path: Path, edit: Edit, kind: str, address: str
) -> None:
    env = copy.deepcopy(external(base_environment()))
    edit(env, "constructor")
    stack = synth_stacks({"environments": {"test": env}}, tmp_path)["test"]
    assert address in stack["resource"][kind]


def test_proto_as_a_tag_key_is_one_line(tmp_path: Path) -> None:
    env = external(base_environment())
    env["tags"] = {"__proto__": "x"}
    with pytest.raises(ConfigError) as refused:
        load_config(write_config(tmp_path, {"environments": {"test": env}}))
    (line,) = refused.value.lines
    assert "environments.test.tags" in line
    assert "'__proto__' is a name JavaScript reserves" in line
