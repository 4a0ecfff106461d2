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
from typing import ClassVar, Literal

from stacks.rules import cognito as rules
from stacks.rules import tiers
from stacks.rules.common import one_of_problem, shown
from stacks.rules.pool_features import ACTIVE_THREAT_PROTECTION
from stacks.rules.problems import PropError, raise_all
from stacks.rules.schema import TABLE

USER_NOTIFICATION = "userNotification"
USER_AUTH_EVENTS = "userAuthEvents"
# The level each event source logs at.
LEVELS = {USER_NOTIFICATION: "ERROR", USER_AUTH_EVENTS: "INFO"}
_PARTITION = r"arn:aws(?:-[a-z]+)*"


@dataclass(frozen=True)
class ArnKind:
    """The ARNs of one kind of destination: their shape, and how a problem names them."""

    shape: re.Pattern[str]
    what: str
    example: str


_LOG_GROUP = ArnKind(
    re.compile(_PARTITION + r":logs:[a-z0-9-]+:[0-9]{12}:log-group:[\w+=/,.@-]+"),
    "a CloudWatch Logs group",
    "arn:aws:logs:eu-north-1:123456789012:log-group:cognito",
)
_BUCKET = ArnKind(
    re.compile(_PARTITION + r":s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
    "an S3 bucket",
    "arn:aws:s3:::acme-cognito-logs",
)
_STREAM = ArnKind(
    re.compile(_PARTITION + r":firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/[\w.-]+"),
    "a Firehose stream",
    "arn:aws:firehose:eu-north-1:123456789012:deliverystream/cognito",
)
_CLOUD_WATCH = "cloud_watch_logs_configuration"
# The keys of a log configuration's destinations, of which it sets exactly one.
DESTINATIONS = (_CLOUD_WATCH, "s3_configuration", "firehose_configuration")


@dataclass(frozen=True)
class Destination:
    """Where logs go: one ARN (the dataclass's one field), of the kind ``_arn`` says."""

    __pydantic_config__: ClassVar[dict[str, object]] = TABLE
    _arn: ClassVar[ArnKind]

    def __post_init__(self) -> None:
        [name] = [f.name for f in fields(self)]
        problem = self.arn_problem(getattr(self, name))
        if problem:
            raise PropError(name, problem)

    @classmethod
    def arn_problem(cls, arn: str) -> str | None:
        """Why ``arn`` is not an ARN of this destination's kind, or None."""
        kind = cls._arn
        in_model = rules.s3_arn_ok(arn) if kind is _BUCKET else rules.arn_ok(arn)
        if not (in_model and kind.shape.fullmatch(arn)):
            return f"{shown(arn)} is not {kind.what} ARN such as {kind.example}"
        return None


@dataclass(frozen=True)
class CloudWatchLogsConfiguration(Destination):
    log_group_arn: str
    _arn = _LOG_GROUP


@dataclass(frozen=True)
class S3Configuration(Destination):
    bucket_arn: str
    _arn = _BUCKET


@dataclass(frozen=True)
class FirehoseConfiguration(Destination):
    stream_arn: str
    _arn = _STREAM


@dataclass(frozen=True)
class LogConfiguration:
    """One log stream: ``event_source``, ``log_level`` and exactly one destination."""

    __pydantic_config__: ClassVar[dict[str, object]] = TABLE
    event_source: Literal["userNotification", "userAuthEvents"]
    log_level: Literal["ERROR", "INFO"]
    cloud_watch_logs_configuration: CloudWatchLogsConfiguration | None = None
    s3_configuration: S3Configuration | None = None
    firehose_configuration: FirehoseConfiguration | None = None

    def __post_init__(self) -> None:
        given = [name for name in DESTINATIONS if getattr(self, name) is not None]
        unknown = one_of_problem(self.event_source, rules.LOG_EVENT_SOURCES)
        problems = (
            [PropError("event_source", unknown)]
            if unknown
            else event_source_problems(self.event_source, self.log_level, given)
        )
        raise_all([*problems, *destinations_problems(given)])


def destinations_problems(given: Sequence[str]) -> list[PropError]:
    """Unless ``given`` (the destination keys a log configuration sets) is exactly one."""
    if len(given) == 1:
        return []
    return [
        PropError(
            _CLOUD_WATCH,
            "give exactly one destination: cloud_watch_logs_configuration, s3_configuration "
            f"or firehose_configuration (got {len(given)})",
        )
    ]


def event_source_problems(
    event_source: str, log_level: str, given: Sequence[str]
) -> list[PropError]:
    """What the (known) ``event_source`` refuses: another level, or (userNotification) a
    destination other than a log group among those ``given``."""
    level = LEVELS[event_source]
    problems = []
    if log_level != level:
        problems.append(
            PropError("log_level", f"must be {level!r} for {event_source} (got {shown(log_level)})")
        )
    if event_source == USER_NOTIFICATION:
        problems += [
            PropError(
                destination,
                "userNotification logs go to a CloudWatch Logs group only "
                "(cloud_watch_logs_configuration)",
            )
            for destination in given
            if destination != _CLOUD_WATCH
        ]
    return problems


def log_configurations_problems(event_sources: Sequence[str]) -> list[PropError]:
    """The problems of the list ``log_configurations`` itself, given each entry's event source
    (too many entries, a source twice), keyed ``log_configurations...``."""
    problems: list[PropError] = []
    if len(event_sources) > rules.LOG_CONFIGURATIONS_MAX:
        problems.append(
            PropError(
                "log_configurations",
                f"at most {rules.LOG_CONFIGURATIONS_MAX} configurations (got {len(event_sources)})",
            )
        )
    seen: set[str] = set()
    for index, event_source in enumerate(event_sources):
        if event_source in seen:
            problems.append(
                PropError(_event_source_key(index), f"{event_source} is configured twice")
            )
        seen.add(event_source)
    return problems


def log_plan_problems(
    event_sources: Sequence[str], *, tier: str | None, advanced_security_mode: str | None
) -> list[PropError]:
    """What the entries of ``log_configurations`` (each entry's event source) need of a new
    pool's plan ``tier`` and threat protection, keyed as ``log_configurations_problems``
    keys them."""
    problems: list[PropError] = []
    for index, event_source in enumerate(event_sources):
        if event_source != USER_AUTH_EVENTS:
            continue
        problem = tiers.tier_problem(tiers.USER_ACTIVITY_LOGS, tier)
        if problem:
            problems.append(PropError(_event_source_key(index), problem))
        elif advanced_security_mode not in ACTIVE_THREAT_PROTECTION:
            problems.append(
                PropError(
                    _event_source_key(index),
                    "Cognito writes userAuthEvents logs only while threat protection is active: "
                    "set user_pool.user_pool_add_ons.advanced_security_mode to AUDIT or ENFORCED",
                )
            )
    return problems


def _event_source_key(index: int) -> str:
    return f"log_configurations.{index}.event_source"
