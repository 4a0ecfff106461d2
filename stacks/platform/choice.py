"""Which platform the seam loads, CDK for Terraform or CDK Terrain, and what each one is.

The rule, stated once: CDK Terrain when its extra is installed (``pip install -e '.[cdktn]'``
adds ``cdktn`` and ``cdktn_provider_aws``), CDK for Terraform otherwise (the default install);
``CRIIPTO_COGNITO_PLATFORM=cdktf|cdktn`` chooses between them when both are installed. The AWS
bindings always follow the platform: one platform's constructs cannot live in the other's App.

Standard library only, and nothing here imports a platform (``importlib.util.find_spec`` only
looks), so ``main.py --check`` asks before anything heavy loads and a bad choice answers with
one line, exit 2, like a bad config.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Mapping
from dataclasses import dataclass

from criipto.errors import CriiptoCognitoError

PLATFORM_ENV_VAR = "CRIIPTO_COGNITO_PLATFORM"
_SHOWN_CHARACTERS = 40  # of a bad value, in the message


class PlatformError(CriiptoCognitoError, ImportError):
    """The platform asked for cannot be loaded; the message is one line naming the variable.

    An ImportError: to a library user it is one, raised by the first import of the seam.
    """


@dataclass(frozen=True)
class Platform:
    """One platform: its package, its AWS bindings and what those bindings were generated from."""

    name: str  # the value of CRIIPTO_COGNITO_PLATFORM
    title: str
    package: str  # the CDK package, with App, TerraformStack, ...
    bindings: str  # the prebuilt AWS provider bindings built on that package
    install: str  # the command that installs it into the project's environment
    # What the bindings write into required_providers on their own: the registry source, and
    # the hashicorp/aws release they were generated from (tests/stacks/platform/test_choice.py
    # checks both against the installed bindings).
    aws_provider_source: str
    aws_provider_version: str

    @property
    def default_aws_provider(self) -> str:
        """``[terraform] aws_provider`` unless the config says otherwise: the bindings' release
        and every later release of that major (a new major may remove or rename arguments)."""
        major = int(self.aws_provider_version.split(".")[0])
        return f">= {self.aws_provider_version}, < {major + 1}.0.0"

    def is_installed(self) -> bool:
        return all(
            importlib.util.find_spec(name) is not None for name in (self.package, self.bindings)
        )


CDKTF = Platform(
    name="cdktf",
    title="CDK for Terraform",
    package="cdktf",
    bindings="cdktf_cdktf_provider_aws",
    install="pip install -e .",
    # Terraform reads the bare name as hashicorp/aws: the same provider, the same lock entry.
    aws_provider_source="aws",
    aws_provider_version="6.25.0",
)
CDKTN = Platform(
    name="cdktn",
    title="CDK Terrain",
    package="cdktn",
    bindings="cdktn_provider_aws",
    install="pip install -e '.[cdktn]'",
    aws_provider_source="hashicorp/aws",
    aws_provider_version="6.69.1",
)
PLATFORMS = (CDKTF, CDKTN)
# With the extra installed, the extra is what was asked for.
_PREFERENCE = (CDKTN, CDKTF)


def choose(environ: Mapping[str, str]) -> Platform:
    """The platform ``environ`` and the installed packages pick, or PlatformError (one line)."""
    wanted = environ.get(PLATFORM_ENV_VAR, "")
    if wanted:
        found = next((p for p in PLATFORMS if p.name == wanted), None)
        if found is None:
            shown = repr(wanted[:_SHOWN_CHARACTERS]) + (
                "…" if len(wanted) > _SHOWN_CHARACTERS else ""
            )
            names = " or ".join(p.name for p in PLATFORMS)
            raise PlatformError(f"{PLATFORM_ENV_VAR}: {shown} is not a platform ({names})")
        if not found.is_installed():
            raise PlatformError(
                f"{PLATFORM_ENV_VAR}: {found.name} ({found.title}) is not installed here: "
                f"{found.install}"
            )
        return found
    installed = next((p for p in _PREFERENCE if p.is_installed()), None)
    if installed is None:
        raise PlatformError(
            f"{PLATFORM_ENV_VAR}: neither {CDKTF.title} nor {CDKTN.title} is installed: "
            f"{CDKTF.install}"
        )
    return installed


@functools.cache
def chosen_platform() -> Platform:
    """The platform of this process, chosen once: the seam and the bindings load this one."""
    return choose(os.environ)
