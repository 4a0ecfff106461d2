"""Where each stack keeps its Terraform state: the backend block from the environment's config."""

from __future__ import annotations

from stacks.config.backend import (
    DEFAULT_BACKEND,
    AnyBackend,
    CloudBackendConfig,
    LocalBackendConfig,
    S3BackendConfig,
)
from stacks.platform import (
    CloudBackend,
    LocalBackend,
    NamedCloudWorkspace,
    S3Backend,
    TaggedCloudWorkspaces,
    TerraformStack,
)

# cdktf runs Terraform in <outdir>/stacks/<stack>. State goes three levels up, into the project
# root where cdktf's own default puts it, so a re-synth never touches it. The path is relative:
# cdktf's default would write this machine's absolute path into the JSON.
LOCAL_STATE_PATH = "../../../terraform.{stack}.tfstate"
# Backend settings are not templates in Terraform (``$${`` would stay two dollars: see
# tests/criipto/test_terraform_text.py), so config text goes in as it is, unescaped.


def configure_backend(
    stack: TerraformStack, stack_name: str, config: AnyBackend = DEFAULT_BACKEND
) -> None:
    """Give ``stack`` the backend ``config`` describes."""
    if isinstance(config, LocalBackendConfig):
        LocalBackend(stack, path=LOCAL_STATE_PATH.format(stack=stack_name))
    elif isinstance(config, S3BackendConfig):
        _s3(stack, config)
    elif isinstance(config, CloudBackendConfig):
        _cloud(stack, config)
    else:  # pragma: no cover - the config model admits no other type
        raise TypeError(f"unknown backend {config!r}")


def _s3(stack: TerraformStack, config: S3BackendConfig) -> None:
    backend = S3Backend(
        stack,
        bucket=config.bucket,
        key=config.key,
        region=config.region,
        encrypt=True,
        dynamodb_table=config.dynamodb_table,
    )
    # S3-native locking (Terraform 1.10+). cdktf 0.21's S3Backend predates the argument.
    backend.add_override("use_lockfile", True)


def _cloud(stack: TerraformStack, config: CloudBackendConfig) -> None:
    workspaces: NamedCloudWorkspace | TaggedCloudWorkspaces
    if config.workspace is not None:
        workspaces = NamedCloudWorkspace(config.workspace, project=config.project)
    else:
        workspaces = TaggedCloudWorkspaces(list(config.tags or ()), project=config.project)
    CloudBackend(
        stack,
        organization=config.organization,
        workspaces=workspaces,
        hostname=config.hostname,
    )
