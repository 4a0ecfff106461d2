"""A new pool's feature tables: threat protection (``user_pool_add_ons``) and the Lambda
triggers (``lambda_config``), the library's own option objects read from TOML (one declaration:
stacks/rules/pool_features.py, stacks/rules/triggers.py). What the plan must have for them is
checked by the pool's table (``UserPoolConfig``), which holds the plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from stacks.config.base import table_of
from stacks.rules.pool_features import UserPoolAddOns
from stacks.rules.triggers import LambdaConfig

if TYPE_CHECKING:  # to the type checker, the option; to pydantic, its table
    UserPoolAddOnsTable: TypeAlias = UserPoolAddOns
    LambdaConfigTable: TypeAlias = LambdaConfig
else:
    UserPoolAddOnsTable = table_of(UserPoolAddOns)
    LambdaConfigTable = table_of(LambdaConfig)
