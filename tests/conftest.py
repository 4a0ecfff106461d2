"""Shared helpers: a known-good config to vary, and synthesis in-process or as the CLI runs it."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Before anything imports jsii: its Node 20 banner would otherwise fill the test output.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import pytest
import tomli_w

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = ROOT / "federation.toml"


def base_environment() -> dict[str, Any]:
    """One environment in managed mode, every key valid."""
    return {
        "aws_region": "eu-north-1",
        "user_pool": {"name": "acme-test"},
        "domain": {"prefix": "acme-test-login"},
        "criipto": {
            "domain": "acme-test.criipto.id",
            "provider_name": "Criipto",
            "client_id": "urn:acme:cognito:test",
            "management_api_url": "https://api.acme.example/criipto",
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
    """The environment in external mode: the application made by hand in the dashboard."""
    env = changed("criipto.mode", "external", environment)
    env["criipto"].pop("management_api_url")
    return env


def write_config(directory: Path, data: dict[str, Any], name: str = "federation.toml") -> Path:
    path = directory / name
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def config_problems(directory: Path, data: dict[str, Any]) -> list[str]:
    """The loader's lines for ``data`` (which must be refused), without the file prefix."""
    from stacks.config.loader import ConfigError, load_config

    path = write_config(directory, data)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    prefix = f"{path}: "
    assert all(line.startswith(prefix) for line in caught.value.lines)
    return [line.removeprefix(prefix) for line in caught.value.lines]


def synth_stacks(data: dict[str, Any], outdir: Path) -> dict[str, dict[str, Any]]:
    """Synthesize ``data`` in-process into ``outdir``; the parsed JSON of each stack."""
    from stacks.app import build_app
    from stacks.config import FederationConfig

    config = FederationConfig.model_validate(data)
    build_app(config, outdir=str(outdir)).synth()
    return {
        name: json.loads((outdir / "stacks" / name / "cdk.tf.json").read_text())
        for name in config.environments
    }


def run_main(
    cwd: Path, config: Path, extra_env: dict[str, str] | None = None, *args: str
) -> subprocess.CompletedProcess[str]:
    """main.py as cdktf runs it: a fresh process, the config chosen by FEDERATION_CONFIG."""
    env = {**os.environ, "FEDERATION_CONFIG": str(config), **(extra_env or {})}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree_bytes(directory: Path) -> dict[str, bytes]:
    """Every file below ``directory`` by relative path."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def synth(tmp_path: Path) -> Iterator[Any]:
    """synth(environment, name="test") -> the stack's parsed JSON."""
    counter = iter(range(1000))

    def _synth(environment: dict[str, Any], name: str = "test") -> dict[str, Any]:
        outdir = tmp_path / f"out{next(counter)}"
        return synth_stacks(config_with(environment, name), outdir)[name]

    yield _synth


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """moto's server on loopback, one per test module (tests reset it as they need)."""
    from support.aws_server import running_moto  # moto loads only for the modules that use it

    with running_moto() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The loopback HTTPS stand-in for Criipto (tls_server.CriiptoServer), one per module."""
    from support.tls_server import running_server

    with running_server(tmp_path_factory.mktemp("tls")) as running:
        yield running


def resources(stack: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(stack.get("resource", {}).get(kind, {}).values())


def only(stack: dict[str, Any], kind: str) -> dict[str, Any]:
    found = resources(stack, kind)
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]
