"""A new pool's feature tables: threat protection (``user_pool_add_ons``) and the Lambda
triggers (``lambda_config``). What the plan must have for them is checked by the pool's table
(``UserPoolConfig``), which holds the plan."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from stacks.config.base import Model, rule
from stacks.rules.triggers import LambdaConfig, PreTokenGenerationConfig, function_arn_problem


class UserPoolAddOnsTable(Model):
    """``user_pool_add_ons``: threat protection."""

    advanced_security_mode: Literal["OFF", "AUDIT", "ENFORCED"]


class PreTokenGenerationConfigTable(Model):
    """``lambda_config.pre_token_generation_config``: the function and its event version."""

    lambda_arn: str
    lambda_version: Literal["V1_0", "V2_0", "V3_0"]

    _lambda_arn = field_validator("lambda_arn")(rule(function_arn_problem))


class LambdaConfigTable(Model):
    """``lambda_config``: the triggers of a new pool, each a Lambda function ARN."""

    pre_sign_up: str | None = None
    post_confirmation: str | None = None
    pre_authentication: str | None = None
    post_authentication: str | None = None
    pre_token_generation_config: PreTokenGenerationConfigTable | None = None

    _arns = field_validator(
        "pre_sign_up", "post_confirmation", "pre_authentication", "post_authentication"
    )(rule(function_arn_problem))

    def options(self) -> LambdaConfig:
        pre_token = self.pre_token_generation_config
        return LambdaConfig(
            **self.field_values(exclude={"pre_token_generation_config"}),
            pre_token_generation_config=(
                PreTokenGenerationConfig(**pre_token.field_values()) if pre_token else None
            ),
        )
