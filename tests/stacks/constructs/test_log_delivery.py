"""LogDelivery: checks the feature plan it is given."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.synth import library_stack

from stacks.constructs import (
    LogConfiguration,
    LogDelivery,
    PropError,
    S3Configuration,
    UserPoolFeatures,
)


def test_log_delivery_checks_the_plan_it_is_given(tmp_path: Path) -> None:
    _, stack, _ = library_stack(tmp_path)
    activity = LogConfiguration(
        "userAuthEvents", "INFO", s3_configuration=S3Configuration("arn:aws:s3:::acme-logs")
    )
    with pytest.raises(PropError) as caught:
        LogDelivery(
            stack,
            "logs",
            user_pool_id="eu-north-1_AbC123",
            log_configurations=[activity],
            features=UserPoolFeatures(user_pool_tier="ESSENTIALS"),
        )
    assert caught.value.prop == "log_configurations.0.event_source"
    assert stack.node.try_find_child("logs") is None
    # A pool made elsewhere (no features given): its plan is not checked here.
    LogDelivery(stack, "logs", user_pool_id="eu-north-1_AbC123", log_configurations=[activity])
