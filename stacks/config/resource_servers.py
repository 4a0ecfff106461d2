"""``[resource_servers.<identifier>]``: the APIs whose custom scopes the app clients ask for,
each the library's ``ResourceServerOptions`` read from TOML (one declaration:
stacks/rules/resource_servers.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from stacks.config.base import rule, table_of
from stacks.rules.resource_servers import ResourceServerOptions, identifier_problem

if TYPE_CHECKING:  # to the type checker, the option; to pydantic, its table
    ResourceServerConfig: TypeAlias = ResourceServerOptions
else:
    ResourceServerConfig = table_of(ResourceServerOptions)


def resource_server_identifier(identifier: str) -> str:
    """A ``[resource_servers.<identifier>]`` table's key, checked."""
    return rule(identifier_problem)(identifier)
