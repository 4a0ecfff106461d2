"""``[environments.<env>.criipto.client_secret_from]``: exactly one store, named by AWS's rules,
one line naming the key for each problem; the stack reads the secret from it at plan and
declares no criipto_client_secret variable; config text stays data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import botocore.loaders
import pytest
from support.configs import base_environment, config_problems, config_with, managed

from criipto.terraform_text import literal
from stacks.rules import secret_source

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/criipto-AbCdEf"
WHERE = "environments.test.criipto.client_secret_from"


def with_source(source: Any, environment: dict[str, Any] | None = None) -> dict[str, Any]:
    env = environment if environment is not None else base_environment()
    env["criipto"]["client_secret_from"] = source
    return env


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ({}, f"{WHERE}.secretsmanager: set exactly one of secretsmanager"),
        (
            {"secretsmanager": "acme/criipto", "ssm": "/acme/criipto"},
            f"{WHERE}.secretsmanager: set exactly one of secretsmanager",
        ),
        ({"ssm": "/acme/criipto", "json_key": "k"}, f"{WHERE}.json_key: applies only with"),
        ({"secretsmanager": "acme/${x}"}, f"{WHERE}.secretsmanager: 'acme/${{x}}' is not a"),
        ({"secretsmanager": ""}, f"{WHERE}.secretsmanager: '' is not a Secrets Manager"),
        ({"secretsmanager": "a" * 513}, f"{WHERE}.secretsmanager: "),
        ({"secretsmanager": "arn:aws:s3:::bucket"}, f"{WHERE}.secretsmanager: 'arn:aws:s3:::"),
        (
            {"secretsmanager": ARN.replace("us-east-1", "us-eats-1")},
            f"{WHERE}.secretsmanager: 'arn:aws:secretsmanager:us-eats-1:",
        ),
        ({"ssm": "acme/criipto"}, f"{WHERE}.ssm: 'acme/criipto': a name in a hierarchy starts"),
        ({"ssm": "/aws/criipto"}, f"{WHERE}.ssm: '/aws/criipto': a parameter name cannot"),
        ({"ssm": "SSM-secret"}, f"{WHERE}.ssm: 'SSM-secret': a parameter name cannot"),
        ({"ssm": "/a b"}, f"{WHERE}.ssm: '/a b' is not an SSM parameter name"),
        ({"ssm": "/a//b"}, f"{WHERE}.ssm: '/a//b': a level between two / is empty"),
        ({"ssm": "/" + "/".join("l" * 16)}, f"{WHERE}.ssm: "),
        ({"ssm": "/" + "a" * 1011}, f"{WHERE}.ssm: "),
        ({"ssm": "/${x}"}, f"{WHERE}.ssm: '/${{x}}' is not an SSM parameter name"),
        ({"secretsmanager": "a", "json_key": ""}, f"{WHERE}.json_key: '' is not a JSON key"),
        ({"secretsmanager": 5}, f"{WHERE}.secretsmanager: expected a string, got an integer"),
        ({"secretsmanager": "a", "secret": "hunter2"}, f"{WHERE}.secret: unknown key: secrets"),
        ("acme/criipto", f"{WHERE}: expected a table"),
    ],
)
def test_each_problem_is_one_line_naming_the_key(tmp_path: Path, source: Any, line: str) -> None:
    problems = config_problems(tmp_path, config_with(with_source(source)))
    assert len(problems) == 1, problems
    assert problems[0].startswith(line), problems


def test_managed_mode_refuses_the_table(tmp_path: Path) -> None:
    env = with_source({"ssm": "/acme/criipto"}, managed())
    [problem] = config_problems(tmp_path, config_with(env))
    assert problem.startswith(f'{WHERE}: applies only to mode = "external"')


@pytest.mark.parametrize(
    "source",
    [
        {"secretsmanager": "acme/criipto"},
        {"secretsmanager": "a/b_c+d=e.f@g-h", "json_key": 'client secret ${x} "q" \\'},
        {"secretsmanager": ARN},  # another region than the environment's
        {
            "secretsmanager": ARN.replace("arn:aws:", "arn:aws-us-gov:").replace(
                "us-east", "us-gov-west"
            )
        },
        {"ssm": "criipto"},
        {"ssm": "/acme/criipto/client-secret_1.v2"},
        {"ssm": "/" + "/".join("l" * 15)},
    ],
)
def test_valid_sources_are_accepted(synth: Any, source: dict[str, str]) -> None:
    stack = synth(with_source(source))
    assert "variable" not in stack  # no criipto_client_secret to give
    assert json.dumps(stack).count("criipto_client_secret") >= 1


def test_the_providers_read_the_secret_from_the_store(synth: Any) -> None:
    env = with_source({"secretsmanager": ARN, "json_key": "client_secret"})
    env["criipto"].pop("provider_name")
    env["criipto"]["eids"] = ["dk-mitid-substantial", "se-bankid"]
    stack = synth(env)
    version = stack["data"]["aws_secretsmanager_secret_version"]["criipto_client_secret"]
    assert version["secret_id"] == ARN
    # A name is read in the stack's region; an ARN in the region it names.
    assert version["provider"] == "aws.criipto_client_secret_region"
    regions = {p.get("alias"): p["region"] for p in stack["provider"]["aws"]}
    assert regions == {None: "eu-north-1", "criipto_client_secret_region": "us-east-1"}
    reference = (
        "${jsondecode(data.aws_secretsmanager_secret_version.criipto_client_secret"
        ".secret_string).client_secret}"
    )
    providers = stack["resource"]["aws_cognito_identity_provider"]
    assert sorted(providers) == ["mitid", "se_bankid"]
    assert {p["provider_details"]["client_secret"] for p in providers.values()} == {reference}
    # Each provider checks there is a secret first, quietly: jsondecode's own error would
    # quote the secret's first character.
    for provider in providers.values():
        [precondition] = provider["lifecycle"]["precondition"]
        assert precondition["condition"] == (
            "${try(length(trimspace(tostring(" + reference[2:-1] + "))), 0) > 0}"
        )


def test_ssm_is_read_with_decryption_in_the_stack_region(synth: Any) -> None:
    stack = synth(with_source({"ssm": "/acme/criipto"}))
    parameter = stack["data"]["aws_ssm_parameter"]["criipto_client_secret"]
    assert parameter["name"] == "/acme/criipto"
    assert parameter["with_decryption"] is True
    assert "provider" not in parameter
    assert len(stack["provider"]["aws"]) == 1
    [provider] = stack["resource"]["aws_cognito_identity_provider"].values()
    assert provider["provider_details"]["client_secret"] == (
        "${data.aws_ssm_parameter.criipto_client_secret.value}"
    )
    [precondition] = provider["lifecycle"]["precondition"]
    assert precondition["condition"] == (
        "${try(length(trimspace(tostring(data.aws_ssm_parameter.criipto_client_secret.value)))"
        ", 0) > 0}"
    )


def test_without_the_table_the_variable_stays(synth: Any) -> None:
    stack = synth(base_environment())
    assert "criipto_client_secret" in stack["variable"]
    assert "data" not in stack


@pytest.mark.parametrize("key", ["a${x}", "%{if true}x%{endif}", 'a"b', "a\\b", "a.b", "1"])
def test_a_json_key_stays_data(synth: Any, key: str) -> None:
    """A key Terraform would read as code (a template, a quote that ends the string) goes in
    base64, which holds none of it; the expression around it is the stack's own."""
    stack = synth(with_source({"secretsmanager": "acme/criipto", "json_key": key}))
    [provider] = stack["resource"]["aws_cognito_identity_provider"].values()
    written = provider["provider_details"]["client_secret"]
    assert written.startswith(
        "${jsondecode(data.aws_secretsmanager_secret_version.criipto_client_secret"
        '.secret_string)[base64decode("'
    )
    assert key not in written and literal(key) not in written
    # The providers' check reads the same key, written out the same way.
    [precondition] = provider["lifecycle"]["precondition"]
    assert written[2:-1] in precondition["condition"]


def test_the_lengths_are_those_of_aws_models() -> None:
    """botocore's service models: AWS's own (CreateSecret's Name, GetSecretValue's SecretId,
    PutParameter's Name, whose 2048 hold 1037 characters AWS reserves)."""
    loader = botocore.loaders.Loader()
    manager = loader.load_service_model("secretsmanager", "service-2")["shapes"]
    assert (manager["NameType"]["min"], manager["NameType"]["max"]) == (
        1,
        secret_source.SECRET_NAME_MAX,
    )
    assert manager["SecretIdType"]["max"] == secret_source.SECRET_ID_MAX
    ssm = loader.load_service_model("ssm", "service-2")["shapes"]
    assert ssm["PSParameterName"]["max"] == (
        secret_source.PARAMETER_NAME_MAX + secret_source.PARAMETER_NAME_RESERVED
    )
