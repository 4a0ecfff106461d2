"""Resource servers (the APIs behind custom scopes) and the one rule that ties clients to them.

A client's scope that is not one of Cognito's own is ``<resource server identifier>/<scope>``,
and AWS refuses the client ("Invalid scope requested") unless that server exists in the pool
with that scope. On a pool this stack creates, every such server is in the config, so the check
runs here; on an existing pool (``existing_id``) a server may already be there, so it is left to
``criipto-cognito doctor``, which reads the pool's servers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, ClassVar

from stacks.rules import addresses, limits
from stacks.rules import cognito as rules
from stacks.rules.common import shown
from stacks.rules.problems import PropError
from stacks.rules.schema import TABLE, Rule, check_fields


@dataclass(frozen=True)
class ResourceServerOptions:
    """One resource server: its ``name`` and its custom ``scopes`` (scope -> description).
    The one declaration of a ``[resource_servers.<identifier>]`` table too (``stacks/config``).

    Checked when made with Cognito's own rules (a PropError names the option, ``scopes.<scope>``
    for one scope).
    """

    __pydantic_config__: ClassVar[dict[str, object]] = TABLE
    name: Annotated[str, Rule(rules.resource_server_name_problem)]
    scopes: Annotated[
        Mapping[
            Annotated[str, Rule(rules.resource_server_scope_name_problem)],
            Annotated[str, Rule(rules.resource_server_scope_description_problem)],
        ],
        limits.RESOURCE_SERVER_SCOPES,
    ] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.scopes) > rules.RESOURCE_SERVER_SCOPES_MAX:
            raise PropError(
                "scopes",
                f"at most {rules.RESOURCE_SERVER_SCOPES_MAX} scopes (got {len(self.scopes)})",
            )
        check_fields(self)


def identifier_problem(identifier: str) -> str | None:
    """Why ``identifier`` cannot name a resource server, or None."""
    return rules.resource_server_identifier_problem(identifier)


def address_problems(identifiers: Sequence[str]) -> list[PropError]:
    """Two identifiers that would be one Terraform resource, named by the second."""
    return [
        PropError(
            second,
            f"{shown(first)} and {shown(second)} would both be the Terraform resource "
            f"{addresses.RESOURCE_SERVER_TYPE}.{name}: identifiers must differ in more than "
            "case and punctuation",
        )
        for first, second, name in addresses.colliding_names(
            identifiers, addresses.resource_server_name
        )
    ]


def custom_scope_problem(scope: str, servers: Mapping[str, Collection[str]]) -> str | None:
    """Why the client scope ``scope`` names no scope of ``servers`` (identifier -> scope names),
    or None; Cognito's own scopes need no server."""
    if scope in rules.COGNITO_SCOPES:
        return None
    # A scope name has no "/", an identifier may (a URL): the server is all before the last one.
    identifier, _, name = scope.rpartition("/")
    if identifier not in servers:
        known = ", ".join(shown(i) for i in servers) or "none"
        return (
            f"{shown(scope)} names the resource server {shown(identifier)}, which the config "
            f"does not define (resource_servers: {known}); on a new pool the first apply would "
            "fail: add it as a [resource_servers] table"
        )
    if name not in servers[identifier]:
        known = ", ".join(shown(s) for s in servers[identifier]) or "none"
        return (
            f"{shown(scope)}: the resource server {shown(identifier)} has no scope "
            f"{shown(name)} (its scopes: {known})"
        )
    return None
