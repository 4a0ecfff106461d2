"""The app client tables: ``[app_client]`` (one client) or ``[app_clients.<key>]`` (several).

Each is the library's ``AppClientOptions`` read from TOML (one declaration:
stacks/rules/app_clients.py), with its token units and rotation; ``[app_clients.<key>]`` may
leave ``name`` out (the key is the name). The rules that tie a client to another table (its
custom scopes, its write_attributes) are the environment's checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from stacks.config.base import rule, table_of
from stacks.rules.app_clients import AppClientOptions, client_key_problem

if TYPE_CHECKING:  # to the type checker, the option; to pydantic, its table
    AppClientConfig: TypeAlias = AppClientOptions
    NamedAppClientConfig: TypeAlias = AppClientOptions
else:
    AppClientConfig = table_of(AppClientOptions)
    NamedAppClientConfig = table_of(AppClientOptions, frozenset({"name"}))


def client_key(key: str) -> str:
    """An ``[app_clients.<key>]`` table's key, checked."""
    return rule(client_key_problem)(key)
