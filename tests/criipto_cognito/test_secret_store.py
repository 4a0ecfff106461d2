"""The secret store as doctor and rotate read it (moto's Secrets Manager, SSM and Cognito):
each store and region as the stack reads it, a store that cannot serve the secret as one line
that never holds a value, and rotate's guard. No secret in any output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.aws_server import REGION, deploy, moto_client, use_moto
from support.cli_runner import Cli, one_line
from support.configs import base_environment, config_with, external, write_config
from support.tls_server import CriiptoServer

from criipto_cognito.deadline import Deadline
from criipto_cognito.findings import CannotCheck
from criipto_cognito.secret_store import read_stored_secret
from stacks.rules.secret_source import ClientSecretSource

HELD = "not-a-real-secret"  # what support.aws_server.deploy gives the identity provider
NEW = "canary-store-new-5be1c0"
OTHER = "canary-store-other-93a7d1"


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    return use_moto(moto_endpoint, monkeypatch)


def read(source: ClientSecretSource) -> str:
    return read_stored_secret(source, REGION, Deadline(10.0))


def test_each_store_is_read_where_the_stack_reads_it(aws: str) -> None:
    moto_client(aws, "ssm").put_parameter(Name="/acme/criipto", Value=NEW, Type="SecureString")
    moto_client(aws, "secretsmanager").create_secret(
        Name="acme/json", SecretString=json.dumps({"client_secret": OTHER})
    )
    elsewhere = moto_client(aws, "secretsmanager", "us-east-1").create_secret(
        Name="acme/elsewhere", SecretString=NEW
    )["ARN"]
    assert read(ClientSecretSource(ssm="/acme/criipto")) == NEW
    assert read(ClientSecretSource(secretsmanager="acme/json", json_key="client_secret")) == OTHER
    assert read(ClientSecretSource(secretsmanager=elsewhere)) == NEW


@pytest.mark.parametrize(
    ("stored", "json_key", "message"),
    [
        (NEW, "client_secret", "is not JSON, but json_key is set"),
        (json.dumps({"other": NEW}), "client_secret", "its JSON has no key json_key names"),
        (json.dumps({"client_secret": 5, "x": NEW}), "client_secret", "is not a string"),
        (json.dumps([NEW]), "client_secret", "its JSON has no key"),
        ("   ", None, "is empty"),
    ],
)
def test_a_secret_that_is_not_what_the_config_says_is_described_never_shown(
    aws: str, stored: str, json_key: str | None, message: str
) -> None:
    moto_client(aws, "secretsmanager").create_secret(Name="acme/criipto", SecretString=stored)
    with pytest.raises(CannotCheck) as raised:
        read(ClientSecretSource(secretsmanager="acme/criipto", json_key=json_key))
    assert message in str(raised.value)
    assert NEW not in str(raised.value)
    assert "Secrets Manager secret acme/criipto" in str(raised.value)


def test_a_missing_store_is_one_line(aws: str) -> None:
    with pytest.raises(CannotCheck, match=r"cannot read the SSM parameter /absent: AWS answered"):
        read(ClientSecretSource(ssm="/absent"))
    with pytest.raises(CannotCheck, match=r"the Secrets Manager secret absent: AWS answered"):
        read(ClientSecretSource(secretsmanager="absent"))


@pytest.fixture
def cli(aws: str, server: CriiptoServer, tmp_path: Path) -> Cli:
    env = external(base_environment())
    env["criipto"]["client_secret_from"] = {"ssm": "/acme/criipto"}
    return Cli(aws, server, write_config(tmp_path, config_with(env)))


def rotate(cli: Cli) -> Any:
    done = cli("rotate", "test", "--config", str(cli.config))
    for secret in (HELD, NEW):
        assert secret not in done.stdout + done.stderr
    return done


def test_rotate_refuses_while_the_store_holds_what_cognito_has(aws: str, cli: Cli) -> None:
    deploy(aws)
    moto_client(aws, "ssm").put_parameter(Name="/acme/criipto", Value=HELD, Type="SecureString")
    done = rotate(cli)
    assert done.returncode == 1
    assert one_line(done.stderr).startswith(
        "criipto-cognito: refused: the SSM parameter /acme/criipto still holds the secret "
        "Cognito has (Criipto): first in the application's"
    )
    assert done.stdout == ""


def test_rotate_names_the_steps_once_the_store_holds_a_new_secret(aws: str, cli: Cli) -> None:
    deploy(aws)
    moto_client(aws, "ssm").put_parameter(Name="/acme/criipto", Value=NEW, Type="SecureString")
    done = rotate(cli)
    assert done.returncode == 0, done.stderr
    assert "aws_cognito_identity_provider.criipto" in done.stdout
    assert "make deploy ENV=test" in done.stdout
    assert "criipto-cognito doctor test" in done.stdout


def test_rotate_before_deploy_and_without_a_store_is_one_line(
    aws: str, cli: Cli, tmp_path: Path
) -> None:
    moto_client(aws, "ssm").put_parameter(Name="/acme/criipto", Value=NEW, Type="SecureString")
    done = rotate(cli)
    assert done.returncode == 2
    assert "Cognito holds no secret for 'Criipto': deploy first" in one_line(done.stderr)
    plain = write_config(tmp_path, config_with(external(base_environment())), "plain.toml")
    done = cli("rotate", "test", "--config", str(plain))
    assert done.returncode == 2
    assert "does not set: with TF_VAR_criipto_client_secret" in one_line(done.stderr)
