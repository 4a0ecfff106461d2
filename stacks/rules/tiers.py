"""The user pool's feature plan (``user_pool_tier``) and the features that need a higher one.

The one home of which feature needs which plan, as AWS's developer guide states it (checked
2026-12): managed login (version 2) is not in Lite, whose only domain UI is the classic hosted
UI ("User pool managed login"); pre token generation events V2_0 and V3_0 customize access
tokens, which Lite cannot ("Turning off features to change feature plans", "Essentials plan
features"); threat protection and the export of user-activity logs are Plus features ("Plus
plan features", "Exporting logs"). A pool created without ``user_pool_tier`` gets AWS's default,
Essentials ("User pool feature plans"), and the rules read an unset tier so. On a pool the stack
does not own (``existing_id``) the plan is unknown at synth: ``criipto-cognito doctor`` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from stacks.rules import cognito as rules

# What AWS gives a new pool without a UserPoolTier.
AWS_DEFAULT_TIER = "ESSENTIALS"
TIER_KEY = "user_pool.user_pool_tier"
_RANK = {tier: rank for rank, tier in enumerate(rules.USER_POOL_TIERS)}


@dataclass(frozen=True)
class TieredFeature:
    """A feature that needs at least the ``minimum`` plan."""

    what: str
    minimum: str
    why: str


MANAGED_LOGIN = TieredFeature(
    "managed login (managed_login_version = 2)",
    "ESSENTIALS",
    "the Lite plan serves only the classic hosted UI",
)
ACCESS_TOKEN_CUSTOMIZATION = TieredFeature(
    "a pre token generation event V2_0 or V3_0",
    "ESSENTIALS",
    "the Lite plan customizes ID tokens only, with V1_0 events",
)
THREAT_PROTECTION = TieredFeature(
    "threat protection (advanced_security_mode AUDIT or ENFORCED)",
    "PLUS",
    "threat protection is a Plus feature",
)
USER_ACTIVITY_LOGS = TieredFeature(
    "exporting user-activity logs (event_source userAuthEvents)",
    "PLUS",
    "user-activity logs come from threat protection, a Plus feature",
)


def effective_tier(tier: str | None) -> str:
    """The plan a new pool has: ``tier``, or AWS's default when unset."""
    return tier or AWS_DEFAULT_TIER


def tier_problem(feature: TieredFeature, tier: str | None) -> str | None:
    """Why a new pool on plan ``tier`` (None: unset) cannot have ``feature``, or None."""
    if _RANK[effective_tier(tier)] >= _RANK[feature.minimum]:
        return None
    has = f"is {tier}" if tier else f"is unset, which AWS makes {AWS_DEFAULT_TIER}"
    return (
        f"{feature.what} needs the {feature.minimum} feature plan or higher, and "
        f"{TIER_KEY} {has} ({feature.why})"
    )
