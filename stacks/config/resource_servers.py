"""``[resource_servers.<identifier>]``: the APIs whose custom scopes the app clients ask for."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from stacks.config.base import Model, rule
from stacks.rules import cognito as rules
from stacks.rules import limits
from stacks.rules.resource_servers import ResourceServerOptions, identifier_problem


class ResourceServerConfig(Model):
    """``[resource_servers.<identifier>]``: an API and the custom scopes clients may ask for."""

    name: str
    scopes: dict[
        Annotated[str, AfterValidator(rule(rules.resource_server_scope_name_problem))],
        Annotated[str, AfterValidator(rule(rules.resource_server_scope_description_problem))],
    ] = Field(default_factory=dict, max_length=limits.RESOURCE_SERVER_SCOPES.maximum)

    _name = field_validator("name")(rule(rules.resource_server_name_problem))

    def options(self) -> ResourceServerOptions:
        return ResourceServerOptions(name=self.name, scopes=self.scopes)


def resource_server_identifier(identifier: str) -> str:
    """A ``[resource_servers.<identifier>]`` table's key, checked."""
    return rule(identifier_problem)(identifier)
