"""mode defaults to "external" (works with every Idura tenant); managed mode is chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.configs import (
    base_environment,
    changed,
    config_problems,
    config_with,
    managed,
    write_config,
)

from stacks.config import load_config

OLD_DEFAULT = (
    'applies only to mode = "managed", and the default mode is "external" now: add '
    'mode = "managed" to this table to keep managed mode'
)


def test_without_mode_an_environment_is_external(tmp_path: Path) -> None:
    env = base_environment()
    assert "mode" not in env["criipto"]
    config = load_config(write_config(tmp_path, config_with(env)))
    assert config.environments["test"].criipto.mode == "external"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("management_api_url", "https://api.acme.example/criipto"),
        ("application_name", "AWS Cognito"),
        ("tags", ["aws-cognito"]),
    ],
)
def test_a_config_that_relied_on_the_managed_default_gets_one_line(
    tmp_path: Path, key: str, value: object
) -> None:
    env = base_environment()
    env["criipto"][key] = value
    assert config_problems(tmp_path, config_with(env)) == [
        f"environments.test.criipto.{key}: {OLD_DEFAULT}"
    ]


def test_managed_mode_said_explicitly_is_managed(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, config_with(managed())))
    assert config.environments["test"].criipto.mode == "managed"


def test_external_said_explicitly_keeps_its_own_message(tmp_path: Path) -> None:
    env = changed("criipto.mode", "external", managed())
    assert config_problems(tmp_path, config_with(env)) == [
        'environments.test.criipto.management_api_url: applies only to mode = "managed"'
    ]
