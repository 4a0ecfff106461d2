"""Configs to vary: one known-good environment (the base of every test config and of the
golden cases), and the ways the tests change, write and load it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import tomli_w


def base_environment() -> dict[str, Any]:
    """One environment in external mode (the default: it works with every Idura tenant), every
    key valid; ``managed()`` makes it managed mode."""
    return {
        "aws_region": "eu-north-1",
        "user_pool": {"name": "acme-test"},
        "domain": {"prefix": "acme-test-login"},
        "criipto": {
            "domain": "acme-test.criipto.id",
            "provider_name": "Criipto",
            "client_id": "urn:acme:cognito:test",
        },
        "app_client": {
            "name": "web",
            "callback_urls": ["https://app.acme.com/callback"],
            "logout_urls": ["https://app.acme.com/"],
        },
    }


def config_with(environment: dict[str, Any] | None = None, name: str = "test") -> dict[str, Any]:
    return {"environments": {name: environment if environment is not None else base_environment()}}


def changed(path: str, value: Any, environment: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of the base environment with the dotted key ``path`` set (or removed for ...)."""
    env = copy.deepcopy(environment if environment is not None else base_environment())
    *tables, key = path.split(".")
    target = env
    for table in tables:
        target = target.setdefault(table, {})
    if value is ...:
        target.pop(key, None)
    else:
        target[key] = value
    return env


def external(environment: dict[str, Any] | None = None) -> dict[str, Any]:
    """The environment in external mode, said explicitly: the application made by hand in the
    dashboard."""
    env = changed("criipto.mode", "external", environment)
    env["criipto"].pop("management_api_url", None)
    return env


MANAGEMENT_API_URL = "https://api.acme.example/criipto"


def managed(environment: dict[str, Any] | None = None) -> dict[str, Any]:
    """The environment in managed mode: the application a restapi resource behind the tenant's
    management gateway."""
    env = changed("criipto.mode", "managed", environment)
    env["criipto"]["management_api_url"] = MANAGEMENT_API_URL
    return env


def write_config(directory: Path, data: dict[str, Any], name: str = "federation.toml") -> Path:
    path = directory / name
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def config_problems(directory: Path, data: dict[str, Any]) -> list[str]:
    """The loader's lines for ``data`` (which must be refused), without the file prefix."""
    from stacks.config import ConfigError, load_config

    path = write_config(directory, data)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    prefix = f"{path}: "
    assert all(line.startswith(prefix) for line in caught.value.lines)
    return [line.removeprefix(prefix) for line in caught.value.lines]


def with_eids(
    *references: str, environment: dict[str, Any] | None = None, **criipto: Any
) -> dict[str, Any]:
    """The environment (the base one by default) offering ``references``, one provider each,
    with ``criipto``'s keys set too."""
    env = changed("criipto.eids", list(references), environment)
    env["criipto"].pop("provider_name", None)
    env["criipto"].update(criipto)
    return env


def environment_problems(directory: Path, environment: dict[str, Any]) -> list[str]:
    """The loader's lines for one environment named test, each without its
    ``environments.test.`` prefix."""
    lines = config_problems(directory, config_with(environment))
    return [line.removeprefix("environments.test.") for line in lines]


def short_rotating_tokens(minutes: int) -> dict[str, Any]:
    """An app client's keys for access and ID tokens of ``minutes`` and refresh-token rotation
    on (with a 10 s grace period)."""
    return {
        "access_token_validity": minutes,
        "id_token_validity": minutes,
        "token_validity_units": {"access_token": "minutes", "id_token": "minutes"},
        "refresh_token_rotation": {"feature": "ENABLED", "retry_grace_period_seconds": 10},
    }
