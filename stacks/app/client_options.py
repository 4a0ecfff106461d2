"""An app client table of the config as the library's ``AppClientOptions``."""

from __future__ import annotations

from stacks.config.base import options_of
from stacks.constructs import AppClientOptions


def app_client_options(name: str, config: AppClientOptions) -> AppClientOptions:
    """The options of the client ``name`` (a table's key, unless it names itself)."""
    return options_of(config, name=name)
