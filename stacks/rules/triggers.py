"""The user pool's Lambda triggers (``lambda_config``): which ones, and what a function ARN is.

Offered are the triggers a federated sign-in runs through (pre sign-up at a user's first
sign-in, post confirmation, pre and post authentication, pre token generation), named after
hashicorp/aws's ``lambda_config`` arguments. Not offered: the custom-authentication challenge
triggers, user migration, custom messages and the custom email and SMS senders, which serve
password sign-in and messages that a federation-only pool (no self sign-up, no passwords)
never uses; the config answers such a key as unknown.

Each function needs a resource policy that lets Cognito invoke it: the stack adds one
``aws_lambda_permission`` per trigger (principal ``cognito-idp.amazonaws.com``, source the
pool's ARN). A pool the stack does not own keeps its own triggers: ``lambda_config`` is refused
with ``existing_id``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Annotated, ClassVar, Literal

from stacks.rules import cognito as rules
from stacks.rules.common import one_of_problem, shown
from stacks.rules.problems import PropError
from stacks.rules.schema import TABLE, Rule, check_fields

COGNITO_PRINCIPAL = "cognito-idp.amazonaws.com"
INVOKE_ACTION = "lambda:InvokeFunction"
PRE_TOKEN_GENERATION = "pre_token_generation_config"  # noqa: S105 (a key, not a secret)
_FUNCTION_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}"
    r"(?::[A-Za-z0-9_-]{1,128})?"
)
_EXAMPLE = "arn:aws:lambda:eu-north-1:123456789012:function:pre-sign-up"


def function_arn_problem(arn: str) -> str | None:
    """Why ``arn`` is not a Lambda function ARN Cognito accepts (ArnType), or None."""
    if not rules.arn_ok(arn) or not _FUNCTION_ARN.fullmatch(arn):
        return f"{shown(arn)} is not a Lambda function ARN such as {_EXAMPLE}"
    return None


FunctionArn = Annotated[str, Rule(function_arn_problem)]


@dataclass(frozen=True)
class PreTokenGenerationConfig:
    """The pre token generation trigger: ``lambda_arn`` and its event ``lambda_version``
    (V1_0: ID tokens; V2_0: access tokens too; V3_0: also machine-to-machine tokens)."""

    __pydantic_config__: ClassVar[dict[str, object]] = TABLE
    lambda_arn: Annotated[str, Rule(function_arn_problem)]
    lambda_version: Literal["V1_0", "V2_0", "V3_0"]

    def __post_init__(self) -> None:
        check_fields(self)
        problem = one_of_problem(self.lambda_version, rules.PRE_TOKEN_GENERATION_VERSIONS)
        if problem:
            raise PropError("lambda_version", problem)


@dataclass(frozen=True)
class LambdaConfig:
    """The pool's triggers, each a Lambda function ARN. Default: none of them."""

    __pydantic_config__: ClassVar[dict[str, object]] = TABLE
    pre_sign_up: FunctionArn | None = None
    post_confirmation: FunctionArn | None = None
    pre_authentication: FunctionArn | None = None
    post_authentication: FunctionArn | None = None
    pre_token_generation_config: PreTokenGenerationConfig | None = None

    def __post_init__(self) -> None:
        check_fields(self)

    def plain_triggers(self) -> dict[str, str]:
        """Trigger name -> function ARN, for the triggers given as a bare ARN."""
        return {
            f.name: value
            for f in fields(self)
            if f.name != PRE_TOKEN_GENERATION and isinstance(value := getattr(self, f.name), str)
        }

    def functions(self) -> Mapping[str, str]:
        """Every trigger given -> its function ARN (what needs an invoke permission)."""
        found = self.plain_triggers()
        if self.pre_token_generation_config is not None:
            found[PRE_TOKEN_GENERATION] = self.pre_token_generation_config.lambda_arn
        return found


# The triggers given as a bare function ARN, in the order of LambdaConfig's fields.
PLAIN_TRIGGERS = tuple(f.name for f in fields(LambdaConfig) if f.name != PRE_TOKEN_GENERATION)
