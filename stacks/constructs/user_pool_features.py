"""A pool's feature plan, threat protection and triggers as ``aws_cognito_user_pool`` arguments."""

from __future__ import annotations

from typing import Any

from stacks.platform import aws
from stacks.rules.pool_features import UserPoolFeatures
from stacks.rules.triggers import LambdaConfig


def user_pool_arguments(features: UserPoolFeatures) -> dict[str, Any]:
    """The arguments of ``aws.CognitoUserPool`` that ``features`` sets (none for the defaults):
    ``CognitoUserPool(self, "pool", name=…, **user_pool_arguments(features))``. The triggers
    also need ``TriggerPermissions``."""
    arguments: dict[str, Any] = {}
    if features.user_pool_tier is not None:
        arguments["user_pool_tier"] = features.user_pool_tier
    if features.user_pool_add_ons is not None:
        arguments["user_pool_add_ons"] = aws.CognitoUserPoolUserPoolAddOns(
            advanced_security_mode=features.user_pool_add_ons.advanced_security_mode
        )
    if features.lambda_config is not None:
        arguments["lambda_config"] = _lambda_config(features.lambda_config)
    return arguments


def _lambda_config(config: LambdaConfig) -> Any:
    pre_token = config.pre_token_generation_config
    return aws.CognitoUserPoolLambdaConfig(
        **config.plain_triggers(),
        pre_token_generation_config=(
            None
            if pre_token is None
            else aws.CognitoUserPoolLambdaConfigPreTokenGenerationConfig(
                lambda_arn=pre_token.lambda_arn, lambda_version=pre_token.lambda_version
            )
        ),
    )
