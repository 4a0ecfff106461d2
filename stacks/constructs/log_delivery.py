"""Where a pool's logs go: message-delivery errors and user activity, to logs, S3 or Firehose."""

from __future__ import annotations

from collections.abc import Sequence

from stacks.constructs import props
from stacks.platform import Construct, aws
from stacks.rules import javascript
from stacks.rules.federation import user_pool_id_problem
from stacks.rules.log_delivery import (
    LogConfiguration,
    log_configurations_problems,
    log_plan_problems,
)
from stacks.rules.pool_features import UserPoolFeatures
from stacks.rules.problems import raise_all


class LogDelivery(Construct):
    """One ``aws_cognito_log_delivery_configuration`` (named by the construct's id).

    Props (keyword only):
        user_pool_id: the pool (literal id or token).
        log_configurations: ``LogConfiguration`` entries (at most two, one per event source).
        features: the pool's ``UserPoolFeatures``, whose plan and threat protection
            userAuthEvents logs need. Default: None, not checked (a pool made elsewhere).

    The configuration replaces whatever the pool had, and destroying it turns log delivery off.
    Attribute: ``resource``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        user_pool_id: str,
        log_configurations: Sequence[LogConfiguration],
        features: UserPoolFeatures | None = None,
    ) -> None:
        props.check("user_pool_id", user_pool_id, user_pool_id_problem)
        event_sources = [entry.event_source for entry in log_configurations]
        problems = log_configurations_problems(event_sources)
        if features is not None:
            problems += log_plan_problems(
                event_sources,
                tier=features.user_pool_tier,
                advanced_security_mode=features.advanced_security_mode,
            )
        raise_all(problems)
        # A Terraform name such as constructor stays; only the node's id avoids JavaScript's.
        super().__init__(scope, javascript.construct_id(id))
        self.resource = aws.CognitoLogDeliveryConfiguration(
            self,
            "configuration",
            user_pool_id=user_pool_id,
            log_configurations=[_entry(entry) for entry in log_configurations],
        )
        props.fix_name(self.resource, id)


def _entry(entry: LogConfiguration) -> object:
    logs, bucket, stream = (
        entry.cloud_watch_logs_configuration,
        entry.s3_configuration,
        entry.firehose_configuration,
    )
    return aws.CognitoLogDeliveryConfigurationLogConfigurations(
        event_source=entry.event_source,
        log_level=entry.log_level,
        cloud_watch_logs_configuration=(
            [
                aws.CognitoLogDeliveryConfigurationLogConfigurationsCloudWatchLogsConfiguration(
                    log_group_arn=logs.log_group_arn
                )
            ]
            if logs
            else None
        ),
        s3_configuration=(
            [
                aws.CognitoLogDeliveryConfigurationLogConfigurationsS3Configuration(
                    bucket_arn=bucket.bucket_arn
                )
            ]
            if bucket
            else None
        ),
        firehose_configuration=(
            [
                aws.CognitoLogDeliveryConfigurationLogConfigurationsFirehoseConfiguration(
                    stream_arn=stream.stream_arn
                )
            ]
            if stream
            else None
        ),
    )
