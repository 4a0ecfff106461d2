"""``[log_delivery_configuration]``: which of a new pool's logs go where. What the pool's plan
must have for them is the environment's check."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from stacks.config.base import Model, rule
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


class CloudWatchLogsConfigurationTable(Model):
    log_group_arn: str

    _arn = field_validator("log_group_arn")(rule(CloudWatchLogsConfiguration.arn_problem))


class S3ConfigurationTable(Model):
    bucket_arn: str

    _arn = field_validator("bucket_arn")(rule(S3Configuration.arn_problem))


class FirehoseConfigurationTable(Model):
    stream_arn: str

    _arn = field_validator("stream_arn")(rule(FirehoseConfiguration.arn_problem))


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
        logs, bucket, stream = (
            self.cloud_watch_logs_configuration,
            self.s3_configuration,
            self.firehose_configuration,
        )
        return LogConfiguration(
            event_source=self.event_source,
            log_level=self.log_level,
            cloud_watch_logs_configuration=(
                CloudWatchLogsConfiguration(**logs.field_values()) if logs else None
            ),
            s3_configuration=S3Configuration(**bucket.field_values()) if bucket else None,
            firehose_configuration=FirehoseConfiguration(**stream.field_values())
            if stream
            else None,
        )


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
