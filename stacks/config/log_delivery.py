"""``[log_delivery_configuration]``: which of a new pool's logs go where. What the pool's plan
must have for them is the environment's check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, TypeAlias

from pydantic import Field

from stacks.config.base import Model, options_of, table_of
from stacks.config.checks import Problems, check
from stacks.rules import limits
from stacks.rules.log_delivery import LogConfiguration, log_configurations_problems

# Each entry is the library's LogConfiguration read from TOML, its destinations too (one
# declaration: stacks/rules/log_delivery.py).
if TYPE_CHECKING:  # to the type checker, the option; to pydantic, its table
    LogConfigurationTable: TypeAlias = LogConfiguration
else:
    LogConfigurationTable = table_of(LogConfiguration)


class LogDeliveryConfig(Model):
    """``[log_delivery_configuration]``: where a new pool's logs go."""

    log_configurations: Annotated[
        list[LogConfigurationTable],
        Field(min_length=1, max_length=limits.LOG_CONFIGURATIONS.maximum),
    ]

    @check("log_configurations")
    def _event_sources(self) -> Problems:
        yield from log_configurations_problems(self.event_sources)

    @property
    def event_sources(self) -> list[str]:
        return [entry.event_source for entry in self.log_configurations]

    def options(self) -> list[LogConfiguration]:
        return [options_of(entry) for entry in self.log_configurations]
