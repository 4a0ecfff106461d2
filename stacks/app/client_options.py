"""An app client table of the config as the library's ``AppClientOptions``."""

from __future__ import annotations

from stacks.config.app_clients import AppClientSettings
from stacks.config.base import options_of
from stacks.constructs import AppClientOptions

# The nested tables, which become the library's own option objects.
_NESTED = {"name", "token_validity_units", "refresh_token_rotation"}


def app_client_options(name: str, config: AppClientSettings) -> AppClientOptions:
    """The options of the client ``name``: every key as it is, the nested tables as options."""
    units, rotation = config.token_validity_units, config.refresh_token_rotation
    return AppClientOptions(
        name=name,
        **config.model_dump(exclude=_NESTED),
        token_validity_units=options_of(units) if units else None,
        refresh_token_rotation=options_of(rotation) if rotation else None,
    )
