"""The rules that tie one table of an environment to another, in one pure function.

Each rule has its home elsewhere in ``stacks/rules/`` (the clients', the plan's, the log
delivery's); this is where they meet, so that the config calls them in one place.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from stacks.rules import addresses, tiers
from stacks.rules.app_clients import ClientScopes, clients_problems
from stacks.rules.log_delivery import LogConfiguration, log_configurations_problems
from stacks.rules.pool_features import UserPoolFeatures
from stacks.rules.problems import PropError

_ONE_CLIENT_TABLE = (
    "required key is missing: give [app_client] (one client) or [app_clients.<key>] tables "
    "(several), not both"
)


def environment_problems(
    *,
    app_client: ClientScopes | None,
    app_clients: Mapping[str, ClientScopes],
    servers: Mapping[str, Collection[str]],
    mapped: Collection[str],
    owned_pool: bool,
    features: UserPoolFeatures,
    managed_login_version: int | None,
    log_configurations: Sequence[LogConfiguration] | None,
) -> list[PropError]:
    """Every cross-table problem of one environment, each keyed below the environment."""
    if (app_client is None) == (not app_clients):
        text = (
            _ONE_CLIENT_TABLE
            if app_client is None
            else "set either app_client or app_clients, not both"
        )
        return [PropError("app_client", text)]
    clients = {addresses.APP_CLIENT: app_client} if app_client is not None else dict(app_clients)
    problems = clients_problems(
        clients,
        single=app_client is not None,
        servers=servers,
        mapped=mapped,
        # An existing pool may hold servers of its own: doctor checks those scopes.
        check_custom_scopes=owned_pool,
    )
    if owned_pool and managed_login_version == 2:
        problem = tiers.tier_problem(tiers.MANAGED_LOGIN, features.user_pool_tier)
        if problem:
            problems.append(PropError("domain.managed_login_version", problem))
    if log_configurations is not None:
        if not owned_pool:
            problems.append(
                PropError(
                    "log_delivery_configuration",
                    "applies only to a pool this stack creates (name): an existing pool's "
                    "log delivery is its owner's",
                )
            )
        else:
            problems += [
                PropError(f"log_delivery_configuration.{problem.prop}", problem.problem)
                for problem in log_configurations_problems(log_configurations, features=features)
            ]
    return problems
