"""What a new pool offers beyond federation: its feature plan, threat protection, its triggers.

``UserPoolFeatures`` holds the hashicorp/aws arguments of ``aws_cognito_user_pool`` of the same
names (``user_pool_tier``, ``user_pool_add_ons``, ``lambda_config``) and checks, when made, that
the plan has each feature asked for (stacks/rules/tiers.py). Only a pool the stack creates has
them: an existing pool's settings are its owner's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from stacks.rules import cognito as rules
from stacks.rules import tiers
from stacks.rules.common import one_of_problem
from stacks.rules.problems import PropError, raise_all
from stacks.rules.schema import TABLE
from stacks.rules.triggers import LambdaConfig

ADVANCED_SECURITY_MODE = "user_pool_add_ons.advanced_security_mode"
PRE_TOKEN_VERSION = "lambda_config.pre_token_generation_config.lambda_version"  # noqa: S105 (a key)
_ACCESS_TOKEN_VERSIONS = ("V2_0", "V3_0")
# The advanced_security_mode values that turn threat protection on (OFF is the other).
ACTIVE_THREAT_PROTECTION = ("AUDIT", "ENFORCED")


@dataclass(frozen=True)
class UserPoolAddOns:
    """Threat protection: ``advanced_security_mode`` OFF, AUDIT (metrics and logs only) or
    ENFORCED (risk responses)."""

    __pydantic_config__: ClassVar[dict[str, object]] = TABLE
    advanced_security_mode: Literal["OFF", "AUDIT", "ENFORCED"]

    def __post_init__(self) -> None:
        problem = one_of_problem(self.advanced_security_mode, rules.ADVANCED_SECURITY_MODES)
        if problem:
            raise PropError("advanced_security_mode", problem)


@dataclass(frozen=True)
class UserPoolFeatures:
    """A new pool's plan and the features that depend on it. Default: AWS's (unset)."""

    user_pool_tier: str | None = None
    user_pool_add_ons: UserPoolAddOns | None = None
    lambda_config: LambdaConfig | None = None

    def __post_init__(self) -> None:
        tier = self.user_pool_tier
        unknown = None if tier is None else one_of_problem(tier, rules.USER_POOL_TIERS)
        if unknown:
            raise PropError("user_pool_tier", unknown)
        pre_token = self.lambda_config.pre_token_generation_config if self.lambda_config else None
        version = pre_token.lambda_version if pre_token else None
        found = (
            threat_protection_problem(tier, self.advanced_security_mode),
            token_customization_problem(tier, version),
        )
        raise_all([problem for problem in found if problem])

    @property
    def advanced_security_mode(self) -> str | None:
        return self.user_pool_add_ons.advanced_security_mode if self.user_pool_add_ons else None


def threat_protection_problem(
    tier: str | None, advanced_security_mode: str | None
) -> PropError | None:
    """Threat protection (AUDIT or ENFORCED) on a new pool whose plan ``tier`` lacks it."""
    if advanced_security_mode not in ACTIVE_THREAT_PROTECTION:
        return None
    problem = tiers.tier_problem(tiers.THREAT_PROTECTION, tier)
    return PropError(ADVANCED_SECURITY_MODE, problem) if problem else None


def token_customization_problem(tier: str | None, lambda_version: str | None) -> PropError | None:
    """A pre token generation event that customizes access tokens (``lambda_version`` V2_0 or
    V3_0) on a new pool whose plan ``tier`` lacks it."""
    if lambda_version not in _ACCESS_TOKEN_VERSIONS:
        return None
    problem = tiers.tier_problem(tiers.ACCESS_TOKEN_CUSTOMIZATION, tier)
    return PropError(PRE_TOKEN_VERSION, problem) if problem else None
