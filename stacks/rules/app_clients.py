"""Several app clients in one pool: their keys, names and addresses, and what they may write.

``[app_clients.<key>]`` holds one client per key; the key names its Terraform resource
(``aws_cognito_user_pool_client.<key, lowercased>``, as ``addresses.app_client_name`` makes it)
and is the client's name unless ``name`` says otherwise. ``criipto-cognito`` finds a deployed
client by its name, so two clients of one pool never share one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

from stacks.rules import addresses
from stacks.rules.common import key_path, shown
from stacks.rules.problems import PropError
from stacks.rules.resource_servers import custom_scope_problem
from stacks.rules.sign_in import unwritable, unwritable_problem

_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,62}")


def client_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be the key of an ``[app_clients.<key>]`` table, or None."""
    if not _KEY.fullmatch(key):
        return (
            "an app client's key must be 1 to 63 letters, digits, - and _, starting with a "
            "letter (it names the Terraform resource, and the client unless name is set)"
        )
    return None


def client_set_problems(names: Mapping[str, str]) -> list[PropError]:
    """Clients (key -> client name) that would share a name or a Terraform resource."""
    problems = [
        PropError(
            second,
            f"{shown(first)} and {shown(second)} would both be the Terraform resource "
            f"{addresses.APP_CLIENT_TYPE}.{name}: keys must differ in more than case and - or _",
        )
        for first, second, name in addresses.colliding_names(names, addresses.app_client_name)
    ]
    owner: dict[str, str] = {}
    for key, name in names.items():
        if name in owner:
            problems.append(
                PropError(
                    f"{key}.name",
                    f"{shown(name)} is also the name of the client {shown(owner[name])}: "
                    "criipto-cognito finds a deployed client by its name, so each needs its own",
                )
            )
        owner.setdefault(name, key)
    return problems


class ClientScopes(Protocol):
    """What the rules below read of a client: a config table or the library's options."""

    @property
    def oauth_scopes(self) -> Sequence[str]: ...

    @property
    def write_attributes(self) -> Sequence[str] | None: ...


def client_path(key: str, single: bool) -> str:
    """Where the client ``key`` stands: ``app_client``, or ``app_clients.<key>``."""
    return addresses.APP_CLIENT if single else key_path(["app_clients", key])


def custom_scope_problems(
    where: str, client: ClientScopes, servers: Mapping[str, Collection[str]]
) -> list[PropError]:
    """Each custom scope of the client at ``where`` that names no scope of the ``servers``
    (identifier -> scope names), when those are all the pool has."""
    return [
        PropError(f"{where}.oauth_scopes", problem)
        for scope in client.oauth_scopes
        if (problem := custom_scope_problem(scope, servers))
    ]


def written_attribute_problems(
    where: str, client: ClientScopes, mapped: Collection[str]
) -> list[PropError]:
    """The client's ``write_attributes``, when given, against the attributes the providers
    map (unset, the stack writes them: ``sign_in.write_attributes_for``)."""
    if client.write_attributes is None:
        return []
    problem = unwritable_problem(unwritable(client.write_attributes, mapped))
    return [PropError(f"{where}.write_attributes", problem)] if problem else []


def clients_problems(
    clients: Mapping[str, ClientScopes],
    *,
    single: bool,
    servers: Mapping[str, Collection[str]],
    mapped: Collection[str],
    check_custom_scopes: bool,
) -> list[PropError]:
    """Both rules above for each client (its custom scopes only if ``check_custom_scopes``)."""
    problems = []
    for key, client in clients.items():
        where = client_path(key, single)
        if check_custom_scopes:
            problems += custom_scope_problems(where, client, servers)
        problems += written_attribute_problems(where, client, mapped)
    return problems
