"""Log delivery (``aws_cognito_log_delivery_configuration``): which logs go where, AWS's rules.

As AWS's "Exporting logs from Amazon Cognito user pools" states them: message-delivery errors
(``userNotification``) are ERROR-level logs to a CloudWatch Logs group; user activity
(``userAuthEvents``, among it the federation's sign-ins) is INFO-level, to a log group, an S3
bucket or a Firehose stream, and Cognito writes it only while threat protection is active (a
Plus feature). At most two configurations (LogConfigurationListType), one per event source.
The log group, bucket or stream and the permissions that let Cognito write to it are yours;
the ARNs are checked as ARNs of the right service, not for existence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import ClassVar

from stacks.rules import cognito as rules
from stacks.rules import tiers
from stacks.rules.common import one_of_problem, shown
from stacks.rules.pool_features import UserPoolFeatures
from stacks.rules.problems import PropError

USER_NOTIFICATION = "userNotification"
USER_AUTH_EVENTS = "userAuthEvents"
# The level each event source logs at.
LEVELS = {USER_NOTIFICATION: "ERROR", USER_AUTH_EVENTS: "INFO"}
_PARTITION = r"arn:aws(?:-[a-z]+)*"
_LOG_GROUP_ARN = re.compile(_PARTITION + r":logs:[a-z0-9-]+:[0-9]{12}:log-group:[\w+=/,.@-]+")
_STREAM_ARN = re.compile(_PARTITION + r":firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/[\w.-]+")
_BUCKET_ARN = re.compile(_PARTITION + r":s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
ACTIVE_THREAT_PROTECTION = ("AUDIT", "ENFORCED")
_DESTINATIONS = ("cloud_watch_logs_configuration", "s3_configuration", "firehose_configuration")


@dataclass(frozen=True)
class Destination:
    """Where logs go: one ARN (the dataclass's one field), of the service ``_shape`` names."""

    _shape: ClassVar[re.Pattern[str]]
    _what: ClassVar[str]
    _example: ClassVar[str]

    def __post_init__(self) -> None:
        [name] = [f.name for f in fields(self)]
        arn: str = getattr(self, name)
        in_model = rules.s3_arn_ok(arn) if self._shape is _BUCKET_ARN else rules.arn_ok(arn)
        if not (in_model and self._shape.fullmatch(arn)):
            raise PropError(name, f"{shown(arn)} is not {self._what} ARN such as {self._example}")


@dataclass(frozen=True)
class CloudWatchLogsConfiguration(Destination):
    log_group_arn: str

    _shape = _LOG_GROUP_ARN
    _what = "a CloudWatch Logs group"
    _example = "arn:aws:logs:eu-north-1:123456789012:log-group:cognito"


@dataclass(frozen=True)
class S3Configuration(Destination):
    bucket_arn: str

    _shape = _BUCKET_ARN
    _what = "an S3 bucket"
    _example = "arn:aws:s3:::acme-cognito-logs"


@dataclass(frozen=True)
class FirehoseConfiguration(Destination):
    stream_arn: str

    _shape = _STREAM_ARN
    _what = "a Firehose stream"
    _example = "arn:aws:firehose:eu-north-1:123456789012:deliverystream/cognito"


@dataclass(frozen=True)
class LogConfiguration:
    """One log stream: ``event_source``, ``log_level`` and exactly one destination."""

    event_source: str
    log_level: str
    cloud_watch_logs_configuration: CloudWatchLogsConfiguration | None = None
    s3_configuration: S3Configuration | None = None
    firehose_configuration: FirehoseConfiguration | None = None

    def __post_init__(self) -> None:
        problem = one_of_problem(self.event_source, rules.LOG_EVENT_SOURCES)
        if problem:
            raise PropError("event_source", problem)
        level = LEVELS[self.event_source]
        if self.log_level != level:
            raise PropError(
                "log_level",
                f"must be {level!r} for {self.event_source} (got {shown(self.log_level)})",
            )
        destinations = [name for name in _DESTINATIONS if getattr(self, name) is not None]
        if len(destinations) != 1:
            raise PropError(
                "cloud_watch_logs_configuration",
                "give exactly one destination: cloud_watch_logs_configuration, s3_configuration "
                f"or firehose_configuration (got {len(destinations)})",
            )
        if self.event_source == USER_NOTIFICATION and destinations != [
            "cloud_watch_logs_configuration"
        ]:
            raise PropError(
                destinations[0],
                "userNotification logs go to a CloudWatch Logs group only "
                "(cloud_watch_logs_configuration)",
            )


def log_configurations_problems(
    configurations: Sequence[LogConfiguration], *, features: UserPoolFeatures | None
) -> list[PropError]:
    """Every problem of ``log_configurations`` (keyed ``log_configurations.<i>...``) on a pool
    with ``features``; None: a pool whose plan is not known here, whose plan is not checked."""
    problems: list[PropError] = []
    if len(configurations) > rules.LOG_CONFIGURATIONS_MAX:
        problems.append(
            PropError(
                "log_configurations",
                f"at most {rules.LOG_CONFIGURATIONS_MAX} configurations "
                f"(got {len(configurations)})",
            )
        )
    seen: set[str] = set()
    for index, configuration in enumerate(configurations):
        key = f"log_configurations.{index}.event_source"
        if configuration.event_source in seen:
            problems.append(PropError(key, f"{configuration.event_source} is configured twice"))
        seen.add(configuration.event_source)
        if configuration.event_source != USER_AUTH_EVENTS or features is None:
            continue
        problem = tiers.tier_problem(tiers.USER_ACTIVITY_LOGS, features.user_pool_tier)
        if problem:
            problems.append(PropError(key, problem))
        elif features.advanced_security_mode not in ACTIVE_THREAT_PROTECTION:
            problems.append(
                PropError(
                    key,
                    "Cognito writes userAuthEvents logs only while threat protection is active: "
                    "set user_pool.user_pool_add_ons.advanced_security_mode to AUDIT or ENFORCED",
                )
            )
    return problems
