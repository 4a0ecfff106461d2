"""The app client tables: ``[app_client]`` (one client) or ``[app_clients.<key>]`` (several),
with their token lifetimes and refresh-token rotation. The rules that tie a client to another
table (its custom scopes, its write_attributes) are the environment's checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from pydantic import Field, field_validator

from stacks.config.base import Model, options_of, rule, table_of
from stacks.config.checks import Problems, check
from stacks.rules import cognito as rules
from stacks.rules import limits
from stacks.rules.app_clients import client_key_problem
from stacks.rules.federation import (
    DEFAULT_OAUTH_SCOPES,
    oauth_scopes_problem,
    redirect_urls_problem,
)
from stacks.rules.federation_plan import read_attributes_problem
from stacks.rules.tokens import (
    ACCESS_TOKEN,
    ID_TOKEN,
    REFRESH_TOKEN,
    RefreshTokenRotation,
    TokenValidityUnits,
    auth_session_validity_problem,
    token_lifetime_problems,
)

# The library's own option objects, read from TOML (one declaration: stacks/rules/tokens.py).
if TYPE_CHECKING:  # to the type checker, the option; to pydantic, its table
    TokenValidityUnitsTable: TypeAlias = TokenValidityUnits
    RefreshTokenRotationTable: TypeAlias = RefreshTokenRotation
else:
    TokenValidityUnitsTable = table_of(TokenValidityUnits)
    RefreshTokenRotationTable = table_of(RefreshTokenRotation)


class AppClientSettings(Model):
    """What every app client table holds but its name (``[app_client]``, ``[app_clients.*]``)."""

    callback_urls: Annotated[
        list[str], Field(min_length=1, max_length=limits.CALLBACK_URLS.maximum)
    ]
    logout_urls: list[str] = Field(default_factory=list, max_length=limits.LOGOUT_URLS.maximum)
    oauth_scopes: list[str] = Field(
        default_factory=lambda: list(DEFAULT_OAUTH_SCOPES), max_length=limits.OAUTH_SCOPES.maximum
    )
    generate_secret: bool = False
    # Default (unset): the client may read every attribute. Narrow it to keep personal data out
    # of this client's tokens.
    read_attributes: (
        Annotated[list[str], Field(max_length=limits.READ_ATTRIBUTES.maximum)] | None
    ) = None
    # Default (unset): AWS's, the standard attributes. Given, it must hold every mapped one.
    write_attributes: (
        Annotated[list[str], Field(max_length=limits.WRITE_ATTRIBUTES.maximum)] | None
    ) = None
    # Unset: AWS's defaults (1 hour, 1 hour, 30 days, in token_validity_units).
    access_token_validity: int | None = None
    id_token_validity: int | None = None
    refresh_token_validity: int | None = None
    token_validity_units: TokenValidityUnitsTable | None = None
    auth_session_validity: int | None = None
    refresh_token_rotation: RefreshTokenRotationTable | None = None
    enable_token_revocation: bool = True
    prevent_user_existence_errors: Literal["ENABLED", "LEGACY"] = "ENABLED"

    _urls = field_validator("callback_urls", "logout_urls")(rule(redirect_urls_problem))

    _scopes = field_validator("oauth_scopes")(rule(oauth_scopes_problem))

    _attributes = field_validator("read_attributes", "write_attributes")(
        rule(read_attributes_problem)
    )
    _auth_session = field_validator("auth_session_validity")(rule(auth_session_validity_problem))

    @check(
        "access_token_validity", "id_token_validity", "refresh_token_validity",
        "token_validity_units",
    )  # fmt: skip
    def _lifetimes(self) -> Problems:
        units = self.token_validity_units
        lifetimes = {
            ACCESS_TOKEN: self.access_token_validity,
            ID_TOKEN: self.id_token_validity,
            REFRESH_TOKEN: self.refresh_token_validity,
        }
        yield from token_lifetime_problems(lifetimes, options_of(units) if units else None)


class AppClientConfig(AppClientSettings):
    """``[app_client]``: the one app client of an environment, at ``…client.app_client``."""

    name: str

    _name = field_validator("name")(rule(rules.name_problem))


class NamedAppClientConfig(AppClientSettings):
    """``[app_clients.<key>]``: one of several clients; its name is the key unless given."""

    name: str | None = None

    _name = field_validator("name")(rule(rules.name_problem))


def client_key(key: str) -> str:
    """An ``[app_clients.<key>]`` table's key, checked."""
    return rule(client_key_problem)(key)
