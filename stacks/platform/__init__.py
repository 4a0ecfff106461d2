"""The one module that imports the CDK for Terraform platform: ``cdktf`` and ``constructs``.

Every other module takes these names from here (``tests/stacks/test_platform_seam.py`` checks
it), and ``stacks/platform/aws.py`` is the one module that imports the AWS provider bindings.
cdktf is archived; moving to CDK Terrain (``cdktn``, the maintained fork with the same API
under new module names) is a change here, in ``aws.py`` (the bindings package's name) and in
the pins of ``pyproject.toml``: see docs/library.md, "One seam for the platform".
"""

from __future__ import annotations

from cdktf import (
    App,
    AssetType,
    CloudBackend,
    Fn,
    LocalBackend,
    NamedCloudWorkspace,
    Precondition,
    S3Backend,
    TaggedCloudWorkspaces,
    TerraformAsset,
    TerraformElement,
    TerraformHclModule,
    TerraformOutput,
    TerraformResourceLifecycle,
    TerraformStack,
    TerraformVariable,
    TerraformVariableValidationConfig,
    Token,
)
from constructs import Construct

__all__ = [
    "App",
    "AssetType",
    "CloudBackend",
    "Construct",
    "Fn",
    "LocalBackend",
    "NamedCloudWorkspace",
    "Precondition",
    "S3Backend",
    "TaggedCloudWorkspaces",
    "TerraformAsset",
    "TerraformElement",
    "TerraformHclModule",
    "TerraformOutput",
    "TerraformResourceLifecycle",
    "TerraformStack",
    "TerraformVariable",
    "TerraformVariableValidationConfig",
    "Token",
]
