"""Several app clients in one pool: their keys, names and addresses, and what they may write.

``[app_clients.<key>]`` holds one client per key; the key names its Terraform resource
(``aws_cognito_user_pool_client.<key, lowercased>``, as ``addresses.app_client_name`` makes it)
and is the client's name unless ``name`` says otherwise. ``criipto-cognito`` finds a deployed
client by its name, so two clients of one pool never share one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal, Protocol

from stacks.rules import addresses, limits
from stacks.rules import cognito as rules
from stacks.rules.common import key_path, one_of_problem, shown
from stacks.rules.federation import (
    DEFAULT_OAUTH_SCOPES,
    oauth_scopes_problem,
    redirect_urls_problem,
)
from stacks.rules.federation_plan import read_attributes_problem
from stacks.rules.problems import PropError, raise_all
from stacks.rules.resource_servers import custom_scope_problem
from stacks.rules.schema import TABLE, AtLeast, Rule, check_fields
from stacks.rules.sign_in import unwritable, unwritable_problem
from stacks.rules.tokens import (
    ACCESS_TOKEN,
    ID_TOKEN,
    REFRESH_TOKEN,
    RefreshTokenRotation,
    TokenValidityUnits,
    auth_session_validity_problem,
    token_lifetime_problems,
)

_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,62}")
_ATTRIBUTES = Rule(read_attributes_problem)


@dataclass(frozen=True)
class AppClientOptions:
    """What an app client offers: its name, where Cognito may send the code, which scopes, and
    its tokens. The one declaration of an app client's options: the library's props, and the
    ``[app_client]``/``[app_clients.<key>]`` tables read from TOML (``stacks/config``).

    name: the client's name (literal or token).
    callback_urls: where Cognito may send the authorization code (at least one).
    logout_urls: where Cognito may send users after sign-out. Default: none.
    oauth_scopes: the scopes the client may ask for. Default: ``("openid",)``.
    generate_secret: give the client a secret (a server-side app). Default: False.
    read_attributes: the attributes its tokens may carry. Default: None, every attribute.
    write_attributes: the attributes it may write; must hold every attribute its identity
        providers map, which Cognito writes at each sign-in. Default: None, AWS's standard
        attributes and every mapped one, written out (``FederatedAppClient``).
    access_token_validity, id_token_validity, refresh_token_validity: lifetimes in
        ``token_validity_units``. Default: None, AWS's (1 hour, 1 hour, 30 days).
    token_validity_units: ``TokenValidityUnits``. Default: None, AWS's (hours, hours, days).
    auth_session_validity: minutes (3-15) of a sign-in session token. Default: None, AWS's.
    refresh_token_rotation: ``RefreshTokenRotation``. Default: None, no rotation.
    enable_token_revocation: refresh tokens can be revoked. Default: True.
    prevent_user_existence_errors: "ENABLED" or "LEGACY". Default: "ENABLED".

    Checked when made: a literal that breaks a rule raises PropError naming the option (each
    rule is declared on its field); tokens are left to Terraform.
    """

    __pydantic_config__: ClassVar[dict[str, object]] = TABLE
    name: Annotated[str, Rule(rules.name_problem)]
    callback_urls: Annotated[
        Sequence[str], AtLeast(1), limits.CALLBACK_URLS, Rule(redirect_urls_problem)
    ]
    logout_urls: Annotated[Sequence[str], limits.LOGOUT_URLS, Rule(redirect_urls_problem)] = ()
    oauth_scopes: Annotated[Sequence[str], limits.OAUTH_SCOPES, Rule(oauth_scopes_problem)] = (
        DEFAULT_OAUTH_SCOPES
    )
    generate_secret: bool = False
    read_attributes: Annotated[Sequence[str], limits.READ_ATTRIBUTES, _ATTRIBUTES] | None = None
    write_attributes: Annotated[Sequence[str], limits.WRITE_ATTRIBUTES, _ATTRIBUTES] | None = None
    access_token_validity: int | None = None
    id_token_validity: int | None = None
    refresh_token_validity: int | None = None
    token_validity_units: TokenValidityUnits | None = None
    auth_session_validity: Annotated[int, Rule(auth_session_validity_problem)] | None = None
    refresh_token_rotation: RefreshTokenRotation | None = None
    enable_token_revocation: bool = True
    prevent_user_existence_errors: Literal["ENABLED", "LEGACY"] = "ENABLED"

    def __post_init__(self) -> None:
        if not self.callback_urls:
            raise PropError("callback_urls", "must name at least one URL")
        check_fields(self)
        lifetimes = {
            ACCESS_TOKEN: self.access_token_validity,
            ID_TOKEN: self.id_token_validity,
            REFRESH_TOKEN: self.refresh_token_validity,
        }
        raise_all(token_lifetime_problems(lifetimes, self.token_validity_units))
        problem = one_of_problem(self.prevent_user_existence_errors, rules.USER_EXISTENCE_ERRORS)
        if problem:
            raise PropError("prevent_user_existence_errors", problem)


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
