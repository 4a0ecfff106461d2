"""Backends per environment: the block each type synthesizes, and every bad key named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.configs import base_environment, changed, config_with, write_config
from support.configs import config_problems as problems
from support.project import run_main

S3 = {"type": "s3", "bucket": "acme-tfstate", "key": "criipto/test.tfstate", "region": "eu-west-1"}
CLOUD = {"type": "cloud", "organization": "acme", "workspace": "criipto-test"}


def with_backend(backend: dict[str, Any]) -> dict[str, Any]:
    return changed("backend", backend)


# -- what each type synthesizes ----------------------------------------------------------------


def test_local_is_the_default_and_relative(synth: Any) -> None:
    stack = synth(base_environment())
    assert stack["terraform"]["backend"] == {"local": {"path": "../../../terraform.test.tfstate"}}
    assert "cloud" not in stack["terraform"]
    explicit = synth(with_backend({"type": "local"}))
    assert explicit["terraform"]["backend"] == stack["terraform"]["backend"]


def test_s3_is_encrypted_and_locked(synth: Any) -> None:
    stack = synth(with_backend(S3))
    assert stack["terraform"]["backend"] == {
        "s3": {
            "bucket": "acme-tfstate",
            "key": "criipto/test.tfstate",
            "region": "eu-west-1",
            "encrypt": True,
            "use_lockfile": True,
        }
    }


def test_s3_with_a_dynamodb_table(synth: Any) -> None:
    stack = synth(with_backend({**S3, "dynamodb_table": "terraform-locks"}))
    block = stack["terraform"]["backend"]["s3"]
    assert block["dynamodb_table"] == "terraform-locks"
    assert block["use_lockfile"] is True
    assert block["encrypt"] is True


def test_cloud_named_workspace(synth: Any) -> None:
    stack = synth(with_backend(CLOUD))
    assert "backend" not in stack["terraform"]
    assert stack["terraform"]["cloud"] == {
        "organization": "acme",
        "workspaces": {"name": "criipto-test"},
    }


def test_cloud_tagged_workspaces_on_enterprise(synth: Any) -> None:
    backend = {
        "type": "cloud",
        "organization": "acme",
        "tags": ["criipto", "prod"],
        "project": "Identity",
        "hostname": "tfe.acme.com",
    }
    stack = synth(with_backend(backend))
    assert stack["terraform"]["cloud"] == {
        "hostname": "tfe.acme.com",
        "organization": "acme",
        "workspaces": {"tags": ["criipto", "prod"], "project": "Identity"},
    }


def test_environments_get_their_own_backends(tmp_path: Path) -> None:
    from support.synth import synth_stacks

    prod = with_backend({**S3, "key": "criipto/prod.tfstate"})
    data = {"environments": {"test": base_environment(), "prod": prod}}
    stacks = synth_stacks(data, tmp_path / "out")
    assert "local" in stacks["test"]["terraform"]["backend"]
    assert stacks["prod"]["terraform"]["backend"]["s3"]["key"] == "criipto/prod.tfstate"
    for path in (tmp_path / "out").rglob("*.json"):
        assert str(tmp_path) not in path.read_text(), f"absolute path in {path}"


# -- bad input: one line naming the key ------------------------------------------------------

BAD_BACKENDS = [
    ({"type": "gcs"}, "backend.type: must be one of 'local', 's3' or 'cloud' (got 'gcs')"),
    ({"type": 5}, "backend.type: must be one of 'local', 's3' or 'cloud' (got 5)"),
    ({"bucket": "acme-tfstate"}, "backend.type: required key is missing (one of 'local', 's3'"),
    ({"type": "local", "path": "x"}, "backend.path: unknown key"),
    ({**S3, "bucket": ...}, "backend.bucket: required key is missing"),
    ({**S3, "key": ...}, "backend.key: required key is missing"),
    ({**S3, "region": ...}, "backend.region: required key is missing"),
    ({**S3, "buckt": "x"}, 'backend.buckt: unknown key (did you mean "bucket"?)'),
    ({**S3, "bucket": "ab"}, "backend.bucket: must be 3 to 63 characters long (got 2)"),
    ({**S3, "bucket": "a" * 64}, "backend.bucket: must be 3 to 63 characters long (got 64)"),
    ({**S3, "bucket": "Acme-State"}, "backend.bucket: must hold only lowercase letters"),
    ({**S3, "bucket": "acme_state"}, "backend.bucket: must hold only lowercase letters"),
    ({**S3, "bucket": "-acme"}, "backend.bucket: must hold only lowercase letters"),
    ({**S3, "bucket": "acme."}, "backend.bucket: must hold only lowercase letters"),
    ({**S3, "bucket": "acme..state"}, "backend.bucket: must not contain two adjacent dots"),
    ({**S3, "bucket": "192.168.5.4"}, "backend.bucket: must not be formatted as an IP address"),
    ({**S3, "bucket": "xn--acme"}, "backend.bucket: must not start with 'xn--'"),
    ({**S3, "bucket": "acme-s3alias"}, "backend.bucket: must not end with '-s3alias'"),
    ({**S3, "bucket": 7}, "backend.bucket: expected a string, got an integer (7)"),
    ({**S3, "key": ""}, "backend.key: must not be empty"),
    ({**S3, "key": "/state.tfstate"}, "backend.key: must not start or end with /"),
    ({**S3, "key": "criipto/"}, "backend.key: must not start or end with /"),
    ({**S3, "key": "a//b"}, "backend.key: must not contain //"),
    ({**S3, "region": "eu-nort-1"}, "backend.region: 'eu-nort-1' is not an AWS region name"),
    ({**S3, "region": "Europe"}, "backend.region: 'Europe' is not an AWS region name"),
    ({**S3, "dynamodb_table": "t"}, "backend.dynamodb_table: must be 3 to 255 letters"),
    ({**S3, "encrypt": False}, "backend.encrypt: unknown key"),
    ({**S3, "secret_key": "x"}, "backend.secret_key: never put credentials in the config"),
    ({**S3, "access_key": "AKIA"}, "backend.access_key: never put credentials in the config"),
    ({"type": "cloud", "workspace": "w"}, "backend.organization: required key is missing"),
    ({**CLOUD, "organization": "acme corp"}, "backend.organization: must be letters, digits"),
    ({**CLOUD, "workspace": "a/b"}, "backend.workspace: must be 1 to 90 letters"),
    ({**CLOUD, "workspace": "w" * 91}, "backend.workspace: must be 1 to 90 letters"),
    ({**CLOUD, "workspace": ..., "tags": []}, "backend.tags: must name at least one tag"),
    ({**CLOUD, "workspace": ..., "tags": ["Prod"]}, "backend.tags: tag 'Prod' must be lowercase"),
    ({**CLOUD, "workspace": ..., "tags": ["a", "a"]}, "backend.tags: lists a tag twice"),
    ({**CLOUD, "workspace": ..., "tags": "prod"}, "backend.tags: expected a list"),
    ({**CLOUD, "hostname": "https://tfe.acme.com"}, "backend.hostname: must be a bare host name"),
    ({**CLOUD, "hostname": "tfe"}, "backend.hostname: must be a lowercase DNS name"),
    ({**CLOUD, "project": "x"}, "backend.project: must be 3 to 40 letters"),
    ({**CLOUD, "token": "secret"}, "backend.token: never put credentials in the config"),
    ({**CLOUD, "bucket": "acme-tfstate"}, "backend.bucket: unknown key"),
    ("s3", "backend: expected a table, got a string ('s3')"),
]


def _drop_ellipsis(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if v is not ...}
    return value


@pytest.mark.parametrize(
    ("backend", "expected"), BAD_BACKENDS, ids=[c[1].split(":")[0] for c in BAD_BACKENDS]
)
def test_bad_backend_is_named(tmp_path: Path, backend: Any, expected: str) -> None:
    lines = problems(tmp_path, config_with(with_backend(_drop_ellipsis(backend))))
    assert any(line.startswith(f"environments.test.{expected}") for line in lines), lines


def test_both_or_neither_workspace_and_tags(tmp_path: Path) -> None:
    both = {**CLOUD, "tags": ["criipto"]}
    neither = {"type": "cloud", "organization": "acme"}
    for backend in (both, neither):
        assert problems(tmp_path, config_with(with_backend(backend))) == [
            "environments.test.backend: set exactly one of workspace (one by name) or "
            "tags (by tags)"
        ]


def test_two_environments_never_share_a_state(tmp_path: Path) -> None:
    data = {
        "environments": {
            "test": with_backend(S3),
            "prod": with_backend(S3),
            "staging": with_backend(CLOUD),
            "qa": with_backend(CLOUD),
        }
    }
    assert problems(tmp_path, data) == [
        "environments.prod.backend.key: environment 'test' already keeps its state in "
        "s3://acme-tfstate/criipto/test.tfstate; each environment needs its own",
        "environments.qa.backend.workspace: environment 'staging' already keeps its state in "
        "app.terraform.io/acme/criipto-test; each environment needs its own",
    ]


def test_a_bad_backend_exits_2_naming_the_key(tmp_path: Path) -> None:
    path = write_config(tmp_path, config_with(with_backend({**CLOUD, "tags": ["criipto"]})))
    result = run_main(tmp_path, path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"{path}: environments.test.backend: set exactly one of workspace (one by name) or "
        "tags (by tags)"
    )
    assert not (tmp_path / "cdktf.out").exists()
