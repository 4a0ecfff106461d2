"""The rules that tie one table of an environment to another.

Each rule's substance has its home elsewhere in ``stacks/rules/`` (the clients', the plan's, the
log delivery's); here they meet the environment's tables, keyed below the environment, so that
the config's checks (stacks/config/model.py) call each in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

from stacks.rules import tiers
from stacks.rules.log_delivery import log_plan_problems
from stacks.rules.problems import PropError

_NO_CLIENT_TABLE = (
    "required key is missing: give [app_client] (one client) or [app_clients.<key>] tables "
    "(several), not both"
)
LOG_DELIVERY = "log_delivery_configuration"


def client_tables_problem(*, single: bool, several: bool) -> PropError | None:
    """Unless exactly one of ``[app_client]`` (``single``) and ``[app_clients.*]`` is given."""
    if single == several:
        return PropError(
            "app_client",
            "set either app_client or app_clients, not both" if single else _NO_CLIENT_TABLE,
        )
    return None


def managed_login_problem(
    managed_login_version: int | None, *, owned_pool: bool, tier: str | None
) -> PropError | None:
    """Managed login on a new pool (``owned_pool``; another's plan ``criipto-cognito doctor``
    reads) whose plan ``tier`` lacks it."""
    if not owned_pool or managed_login_version != 2:
        return None
    problem = tiers.tier_problem(tiers.MANAGED_LOGIN, tier)
    return PropError("domain.managed_login_version", problem) if problem else None


def log_delivery_problems(
    event_sources: Sequence[str],
    *,
    owned_pool: bool,
    tier: str | None,
    advanced_security_mode: str | None,
) -> list[PropError]:
    """Log delivery (each entry's event source) on a pool the stack does not own, or on a new
    pool whose plan ``tier`` or threat protection cannot serve it."""
    if not owned_pool:
        return [
            PropError(
                LOG_DELIVERY,
                "applies only to a pool this stack creates (name): an existing pool's "
                "log delivery is its owner's",
            )
        ]
    return [
        PropError(f"{LOG_DELIVERY}.{problem.prop}", problem.problem)
        for problem in log_plan_problems(
            event_sources, tier=tier, advanced_security_mode=advanced_security_mode
        )
    ]
