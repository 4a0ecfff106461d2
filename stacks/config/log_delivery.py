"""``[log_delivery_configuration]``: which of a new pool's logs go where. What the pool's plan
must have for them is the environment's check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import Field

from stacks.config.base import Model, OptionTable, options_of, table_of
from stacks.config.checks import Problems, check
from stacks.rules import limits
from stacks.rules.log_delivery import (
    DESTINATIONS,
    CloudWatchLogsConfiguration,
    FirehoseConfiguration,
    LogConfiguration,
    S3Configuration,
    destinations_problems,
    event_source_problems,
    log_configurations_problems,
)

# The destinations are the library's option objects, read from TOML (stacks/rules/log_delivery.py).


if TYPE_CHECKING:  # to the type checker, the option; to pydantic, its table
    CloudWatchLogsConfigurationTable: TypeAlias = CloudWatchLogsConfiguration
    S3ConfigurationTable: TypeAlias = S3Configuration
    FirehoseConfigurationTable: TypeAlias = FirehoseConfiguration
else:
    CloudWatchLogsConfigurationTable = table_of(CloudWatchLogsConfiguration)
    S3ConfigurationTable = table_of(S3Configuration)
    FirehoseConfigurationTable = table_of(FirehoseConfiguration)


class LogConfigurationTable(Model):
    """One entry of ``log_configurations``: an event source, its level, one destination."""

    event_source: Literal["userNotification", "userAuthEvents"]
    log_level: Literal["ERROR", "INFO"]
    cloud_watch_logs_configuration: CloudWatchLogsConfigurationTable | None = None
    s3_configuration: S3ConfigurationTable | None = None
    firehose_configuration: FirehoseConfigurationTable | None = None

    @check()  # which destinations are given: their presence, not their values
    def _one_destination(self) -> Problems:
        yield from destinations_problems(self._destinations)

    @check("event_source", "log_level")
    def _fits_the_event_source(self) -> Problems:
        yield from event_source_problems(self.event_source, self.log_level, self._destinations)

    @property
    def _destinations(self) -> list[str]:
        return [key for key in DESTINATIONS if key in self.model_fields_set]

    def options(self) -> LogConfiguration:
        return LogConfiguration(
            **{name: _option(value) for name, value in self.field_values().items()}
        )


def _option(value: Any) -> Any:
    return options_of(value) if isinstance(value, OptionTable) else value


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
        return [entry.options() for entry in self.log_configurations]
