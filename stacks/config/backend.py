"""Where an environment keeps its Terraform state: the ``[environments.<name>.backend]`` table.

Three kinds, chosen by ``type``: ``local`` (the default), ``s3`` and ``cloud`` (Terraform Cloud
or Enterprise). Each value is checked by its rule in ``stacks/rules/backend.py``; keys that
would hold credentials are refused. ``stacks/app/backend.py`` turns a validated table into a
backend block.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Annotated, Literal

from pydantic import Field, field_validator

from stacks.config.base import Model, rule
from stacks.config.checks import Problems, check, validated
from stacks.rules import backend as rules
from stacks.rules import limits
from stacks.rules.common import region_problem

TFC_HOSTNAME = "app.terraform.io"


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

    _bucket = field_validator("bucket")(rule(rules.bucket_name_problem))
    _key = field_validator("key")(rule(rules.s3_key_problem))
    _region = field_validator("region")(rule(region_problem))
    _dynamodb_table = field_validator("dynamodb_table")(rule(rules.dynamodb_table_problem))
    _credentials = field_validator("access_key", "secret_key", mode="before")(
        rule(rules.s3_credentials_problem)
    )


class CloudBackendConfig(Model):
    """State and runs in Terraform Cloud (or Enterprise with ``hostname``).

    One workspace by name (``workspace``), or the workspaces that carry all of ``tags``
    (then ``terraform workspace select`` or TF_WORKSPACE picks one).
    """

    type: Literal["cloud"]
    organization: str
    workspace: str | None = None
    tags: Annotated[list[str], Field(max_length=limits.BACKEND_TAGS.maximum)] | None = None
    project: str | None = None
    hostname: str | None = None
    token: None = None

    _organization = field_validator("organization")(rule(rules.tfc_organization_problem))
    _workspace = field_validator("workspace")(rule(rules.tfc_workspace_problem))
    _tags = field_validator("tags")(rule(rules.tfc_tags_problem))
    _project = field_validator("project")(rule(rules.tfc_project_problem))
    _hostname = field_validator("hostname")(rule(rules.tfe_hostname_problem))
    _token = field_validator("token", mode="before")(rule(rules.tfc_token_problem))

    @check("workspace", "tags")
    def _one_selector(self) -> Problems:
        if (self.workspace is None) == (self.tags is None):
            yield "set exactly one of workspace (one by name) or tags (by tags)"

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

    Two stacks writing one state would destroy each other's resources on every apply. A
    backend whose keys did not all validate (checks.py) is left out: its own lines come first.
    """
    first: dict[str, str] = {}
    problems: list[tuple[str, str, str]] = []
    for name, backend in backends.items():
        identity = validated(partial(state_identity, backend))
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
