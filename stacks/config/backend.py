"""Where an environment keeps its Terraform state: the ``[environments.<name>.backend]`` table.

Three kinds, chosen by ``type``: ``local`` (the default), ``s3`` and ``cloud`` (Terraform Cloud
or Enterprise). Like stacks/config.py this module stays free of cdktf: stacks/backend.py turns
a validated table into a backend block.

Credentials never belong here: S3 reads the usual AWS credential chain, Terraform Cloud the
token of ``terraform login`` or ``TF_TOKEN_<host>``. Keys that would hold one are refused.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Annotated, Literal, Self

from pydantic import Field, field_validator, model_validator

from stacks.config.base import Model, rule
from stacks.rules.common import (
    hostname_problem,
    invisible_characters,
    region_problem,
    shown,
)

TFC_HOSTNAME = "app.terraform.io"

# Every pattern is matched whole (fullmatch): with a "$" anchor a trailing newline would pass.
# General purpose bucket names (AWS S3 user guide, "Bucket naming rules").
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
_DYNAMODB_TABLE = re.compile(r"[A-Za-z0-9_.-]{3,255}")
S3_KEY_MAX = 1024
# Terraform Cloud: organization and workspace names, workspace tags, project names.
_TFC_NAME = re.compile(r"[A-Za-z0-9_-]+")
TFC_WORKSPACE_MAX = 90
_TFC_TAG = re.compile(r"[a-z0-9](?:[a-z0-9:_-]*[a-z0-9])?")
TFC_TAG_MAX = 255
_TFC_PROJECT = re.compile(r"[A-Za-z0-9 _-]{3,40}")

_NO_SECRETS = "never put credentials in the config: {how} (and keep them out of the repository)"


def _refuse_credentials(value: object, how: str) -> None:
    raise ValueError(_NO_SECRETS.format(how=how))


def bucket_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid S3 general purpose bucket name, or None."""
    if not 3 <= len(name) <= 63:
        return f"must be 3 to 63 characters long (got {len(name)})"
    if not _BUCKET.fullmatch(name):
        return (
            "must hold only lowercase letters, digits, dots and hyphens, and begin and end "
            "with a letter or digit"
        )
    if ".." in name:
        return "must not contain two adjacent dots"
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        pass
    else:
        return "must not be formatted as an IP address"
    for prefix in _BUCKET_PREFIXES:
        if name.startswith(prefix):
            return f"must not start with {prefix!r} (reserved by S3)"
    for suffix in _BUCKET_SUFFIXES:
        if name.endswith(suffix):
            return f"must not end with {suffix!r} (reserved by S3)"
    return None


def _tfe_hostname_problem(value: str) -> str | None:
    return hostname_problem(value, example="tfe.acme.com")


class LocalBackendConfig(Model):
    """State in a file under the project (``terraform.<environment>.tfstate``, git-ignored)."""

    type: Literal["local"] = "local"


class S3BackendConfig(Model):
    """State in an S3 bucket, always encrypted, locked with an S3 lock file.

    ``dynamodb_table`` adds DynamoDB locking too (Terraform deprecates it in favour of the lock
    file; set both while you migrate).
    """

    type: Literal["s3"]
    bucket: str
    key: str
    region: str
    dynamodb_table: str | None = None
    access_key: None = None
    secret_key: None = None

    _bucket = field_validator("bucket")(rule(bucket_name_problem))

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be empty (e.g. criipto-cognito/prod.tfstate)")
        if len(value.encode()) > S3_KEY_MAX:
            raise ValueError(f"must be at most {S3_KEY_MAX} bytes")
        if value.startswith("/") or value.endswith("/"):
            raise ValueError("must not start or end with /")
        if "//" in value:
            raise ValueError("must not contain //")
        if invisible_characters(value):
            raise ValueError("must not contain control or invisible characters")
        return value

    _region = field_validator("region")(rule(region_problem))

    @field_validator("dynamodb_table")
    @classmethod
    def _dynamodb_table(cls, value: str) -> str:
        if not _DYNAMODB_TABLE.fullmatch(value):
            raise ValueError("must be 3 to 255 letters, digits or the characters _ . -")
        return value

    @field_validator("access_key", "secret_key", mode="before")
    @classmethod
    def _credentials(cls, value: object) -> None:
        _refuse_credentials(value, "the S3 backend uses the AWS credential chain")


class CloudBackendConfig(Model):
    """State and runs in Terraform Cloud (or Enterprise with ``hostname``).

    One workspace by name (``workspace``), or the workspaces that carry all of ``tags``
    (then ``terraform workspace select`` or TF_WORKSPACE picks one).
    """

    type: Literal["cloud"]
    organization: str
    workspace: str | None = None
    tags: list[str] | None = None
    project: str | None = None
    hostname: str | None = None
    token: None = None

    @field_validator("organization")
    @classmethod
    def _organization(cls, value: str) -> str:
        if not _TFC_NAME.fullmatch(value):
            raise ValueError("must be letters, digits, - and _ only")
        return value

    @field_validator("workspace")
    @classmethod
    def _workspace(cls, value: str) -> str:
        if len(value) > TFC_WORKSPACE_MAX or not _TFC_NAME.fullmatch(value):
            raise ValueError(f"must be 1 to {TFC_WORKSPACE_MAX} letters, digits, - and _")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError('must name at least one tag, e.g. ["criipto", "prod"]')
        for tag in value:
            if len(tag) > TFC_TAG_MAX or not _TFC_TAG.fullmatch(tag):
                raise ValueError(
                    f"tag {shown(tag)} must be lowercase letters, digits, : _ and -, beginning "
                    "and ending with a letter or digit"
                )
        if len(set(value)) != len(value):
            raise ValueError("lists a tag twice")
        return value

    @field_validator("project")
    @classmethod
    def _project(cls, value: str) -> str:
        if not _TFC_PROJECT.fullmatch(value):
            raise ValueError("must be 3 to 40 letters, digits, spaces, - and _")
        return value

    _hostname = field_validator("hostname")(rule(_tfe_hostname_problem))

    @field_validator("token", mode="before")
    @classmethod
    def _token(cls, value: object) -> None:
        _refuse_credentials(value, "run `terraform login` or set TF_TOKEN_<host>")

    @model_validator(mode="after")
    def _one_selector(self) -> Self:
        if (self.workspace is None) == (self.tags is None):
            raise ValueError("set exactly one of workspace (one by name) or tags (by tags)")
        return self

    @property
    def host(self) -> str:
        return self.hostname or TFC_HOSTNAME


AnyBackend = LocalBackendConfig | S3BackendConfig | CloudBackendConfig
BackendConfig = Annotated[AnyBackend, Field(discriminator="type")]
DEFAULT_BACKEND = LocalBackendConfig()


def state_identity(backend: AnyBackend) -> str | None:
    """A description of the one state ``backend`` points at, or None when it is per stack."""
    if isinstance(backend, S3BackendConfig):
        return f"s3://{backend.bucket}/{backend.key}"
    if isinstance(backend, CloudBackendConfig) and backend.workspace is not None:
        return f"{backend.host}/{backend.organization}/{backend.workspace}"
    return None


def shared_states(
    backends: Mapping[str, AnyBackend],
) -> list[tuple[str, str, str]]:
    """``(environment, key, message)`` for each environment whose state another one uses.

    Two stacks writing one state would destroy each other's resources on every apply.
    """
    first: dict[str, str] = {}
    problems: list[tuple[str, str, str]] = []
    for name, backend in backends.items():
        identity = state_identity(backend)
        if identity is None:
            continue
        if identity in first:
            key = "key" if isinstance(backend, S3BackendConfig) else "workspace"
            problems.append(
                (
                    name,
                    key,
                    f"environment {first[identity]!r} already keeps its state in {identity}; "
                    "each environment needs its own",
                )
            )
        else:
            first[identity] = name
    return problems
