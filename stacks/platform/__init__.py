"""The seam: the one package that imports the platform, CDK for Terraform or CDK Terrain.

Both platforms have the same Python API under their own module names (``cdktf``, ``cdktn``);
every other module takes these names from here, and ``stacks/platform/aws.py`` is the one
module that loads the AWS provider bindings of the same platform. Which platform it is:
``stacks/platform/choice.py``. ``tests/project/test_layers.py`` proves that no other module
imports or names either package.

The names load on first use (a module ``__getattr__``), so ``stacks.platform.choice`` answers
without loading a platform, and the other platform is never imported. mypy reads the names from
CDK for Terraform, whose types CDK Terrain shares.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from stacks.platform.choice import PLATFORM_ENV_VAR, Platform, PlatformError, chosen_platform

# The construct base class comes from one package both platforms build on; every other name of
# __all__ not defined here is the platform's, as both platforms spell it.
_CONSTRUCTS_NAMES = frozenset({"Construct"})


def _load(name: str) -> object:
    # Only names missing from the module come here: the platform's and Construct.
    if name in _CONSTRUCTS_NAMES:
        module = importlib.import_module("constructs")
    elif name in __all__:
        module = importlib.import_module(chosen_platform().package)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value: object = getattr(module, name)
    globals()[name] = value  # later lookups find it without coming here
    return value


if TYPE_CHECKING:
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
else:
    # Hidden from mypy, so that a misspelt name is still an error there.
    __getattr__ = _load

__all__ = [
    "PLATFORM_ENV_VAR",
    "App",
    "AssetType",
    "CloudBackend",
    "Construct",
    "Fn",
    "LocalBackend",
    "NamedCloudWorkspace",
    "Platform",
    "PlatformError",
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
    "chosen_platform",
]
