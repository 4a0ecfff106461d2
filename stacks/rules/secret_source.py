"""Where an external-mode client secret is kept instead of a Terraform variable: a Secrets
Manager secret (optionally one key of a JSON secret) or an SSM SecureString parameter.

The names are checked by AWS's documented rules, so that a typo is one config line instead of
a failed plan:

- Secrets Manager, CreateSecret ``Name`` (AWS Secrets Manager API Reference, CreateSecret;
  https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html):
  1 to 512 characters, ASCII letters, digits and ``/_+=.@-``. GetSecretValue's ``SecretId``
  takes the name or the ARN (1 to 2048 characters), and the ARN ends in the name and the six
  characters Secrets Manager adds (``…:secret:<name>-AbCdEf``).
- SSM, PutParameter ``Name`` (AWS Systems Manager API Reference, PutParameter;
  https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html):
  ``a-zA-Z0-9_.-`` and ``/`` between levels, a leading ``/`` for a name in a hierarchy, at
  most fifteen levels, no ``aws`` or ``ssm`` prefix (case-insensitive), at most 1011
  characters (the documented 2048 include 1037 reserved for AWS's own use).

The lengths are also those of AWS's service models as botocore ships them (``NameType``,
``SecretIdType``, ``PSParameterName``): tests/stacks/rules/test_secret_source.py fails when AWS
changes one.

A name is looked up in the environment's region (the stack's provider); a Secrets Manager ARN
names its own region, which may be another one (the stack reads it there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, ClassVar

from stacks.rules.common import invisible_characters, region_problem, shown
from stacks.rules.problems import PropError, raise_all
from stacks.rules.schema import TABLE, Rule, field_problems

SECRETSMANAGER = "secretsmanager"
SSM = "ssm"
JSON_KEY = "json_key"
SECRET_NAME_MAX = 512
SECRET_ID_MAX = 2048
_SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=.@-]+")
_SECRET_ARN = re.compile(
    r"arn:(?P<partition>aws(?:-[a-z]+)*):secretsmanager:(?P<region>[a-z0-9-]+):[0-9]{12}"
    r":secret:(?P<name>[A-Za-z0-9/_+=.@-]+)"
)
PARAMETER_NAME_MAX = 1011
# PutParameter's documented 2048 counts these characters AWS reserves for its own use.
PARAMETER_NAME_RESERVED = 1037
PARAMETER_LEVELS_MAX = 15
_PARAMETER_NAME = re.compile(r"[A-Za-z0-9_.\-/]+")
_PARAMETER_RESERVED = ("aws", "ssm")
# A JSON key is any string; what no one types on purpose is refused, and the length is a
# secret's own (a SecretString holds at most 65,536 bytes).
JSON_KEY_MAX = 1024
_SECRET_EXAMPLE = "acme/criipto-client-secret"  # noqa: S105 (a name, not a secret)
_PARAMETER_EXAMPLE = "/acme/criipto/client-secret"


def secret_region(secret_id: str) -> str | None:
    """The region an ARN names; None for a name (looked up in the environment's region)."""
    match = _SECRET_ARN.fullmatch(secret_id)
    return match.group("region") if match else None


def secret_id_problem(secret_id: str) -> str | None:
    """Why ``secret_id`` is neither a Secrets Manager secret name nor its ARN, or None."""
    if secret_id.startswith("arn:"):
        match = _SECRET_ARN.fullmatch(secret_id)
        if match is not None and region_problem(match.group("region")):
            return f"{shown(secret_id)}: {region_problem(match.group('region'))}"
        if match is None or len(secret_id) > SECRET_ID_MAX:
            return (
                f"{shown(secret_id)} is not a Secrets Manager secret ARN such as "
                f"arn:aws:secretsmanager:eu-north-1:123456789012:secret:{_SECRET_EXAMPLE}-AbCdEf"
            )
        return None
    if not _SECRET_NAME.fullmatch(secret_id) or len(secret_id) > SECRET_NAME_MAX:
        return (
            f"{shown(secret_id)} is not a Secrets Manager secret name: 1 to {SECRET_NAME_MAX} "
            f"ASCII letters, digits and /_+=.@- (e.g. {_SECRET_EXAMPLE}), or the secret's ARN"
        )
    return None


def parameter_name_problem(name: str) -> str | None:
    """Why ``name`` is not an SSM parameter name, or None."""
    shape = (
        f"1 to {PARAMETER_NAME_MAX} letters, digits and _.-, with / between levels "
        f"(e.g. {_PARAMETER_EXAMPLE})"
    )
    if not _PARAMETER_NAME.fullmatch(name) or len(name) > PARAMETER_NAME_MAX:
        return f"{shown(name)} is not an SSM parameter name: {shape}"
    if "/" in name and not name.startswith("/"):
        return f"{shown(name)}: a name in a hierarchy starts with / (e.g. {_PARAMETER_EXAMPLE})"
    levels = name.strip("/").split("/")
    if "" in levels:
        return f"{shown(name)}: a level between two / is empty"
    if len(levels) > PARAMETER_LEVELS_MAX:
        return f"{shown(name)}: at most {PARAMETER_LEVELS_MAX} levels (got {len(levels)})"
    if name.lstrip("/").lower().startswith(_PARAMETER_RESERVED):
        return f"{shown(name)}: a parameter name cannot start with aws or ssm (AWS's own)"
    return None


def json_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be the key of the client secret in a JSON secret, or None."""
    if not key or invisible_characters(key) or len(key) > JSON_KEY_MAX:
        return f"{shown(key)} is not a JSON key (1 to {JSON_KEY_MAX} visible characters)"
    return None


@dataclass(frozen=True)
class ClientSecretSource:
    """``client_secret_from``: the store the Criipto client secret is read from at plan, set
    exactly once: ``secretsmanager`` (a secret's name or ARN; ``json_key`` for one key of a
    JSON secret) or ``ssm`` (a SecureString parameter's name, read with decryption)."""

    __pydantic_config__: ClassVar[dict[str, object]] = TABLE
    secretsmanager: Annotated[str, Rule(secret_id_problem)] | None = None
    json_key: Annotated[str, Rule(json_key_problem)] | None = None
    ssm: Annotated[str, Rule(parameter_name_problem)] | None = None

    def __post_init__(self) -> None:
        problems = []
        if (self.secretsmanager is None) == (self.ssm is None):
            problems.append(
                PropError(
                    SECRETSMANAGER,
                    "set exactly one of secretsmanager (a secret's name or ARN) or ssm "
                    "(a SecureString parameter's name)",
                )
            )
        if self.json_key is not None and self.secretsmanager is None:
            problems.append(PropError(JSON_KEY, "applies only with secretsmanager"))
        raise_all([*problems, *field_problems(self)])

    @property
    def store(self) -> str:
        """The store and the name, for people: ``Secrets Manager secret acme/criipto``."""
        if self.secretsmanager is not None:
            return f"Secrets Manager secret {self.secretsmanager}"
        return f"SSM parameter {self.ssm}"

    @property
    def label(self) -> str:
        """Where the secret is read, for people: the store, the name and any key."""
        key = f" (key {self.json_key})" if self.json_key is not None else ""
        return f"{self.store}{key}"
