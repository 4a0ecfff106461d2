"""The resource policies that let Cognito invoke a pool's Lambda triggers."""

from __future__ import annotations

from stacks.constructs import props
from stacks.platform import Construct, aws
from stacks.rules import javascript
from stacks.rules.triggers import COGNITO_PRINCIPAL, INVOKE_ACTION, LambdaConfig


class TriggerPermissions(Construct):
    """One ``aws_lambda_permission`` per trigger of ``lambda_config``, at
    ``aws_lambda_permission.<trigger>`` (``pre_sign_up``, ``pre_token_generation_config``, …):
    principal ``cognito-idp.amazonaws.com``, source the pool's ARN, so only this pool may
    invoke the function. Without it Cognito cannot call the trigger and the sign-in fails.

    Props (keyword only): ``user_pool_arn`` (a token: the pool's ``arn``), ``lambda_config``
    (``LambdaConfig``, checked when made). Attribute: ``permissions`` (trigger -> resource).
    """

    def __init__(
        self, scope: Construct, id: str, *, user_pool_arn: str, lambda_config: LambdaConfig
    ) -> None:
        props.require_token(
            "user_pool_arn", user_pool_arn, "the pool's arn attribute names exactly this pool"
        )
        # A Terraform name such as constructor stays; only the node's id avoids JavaScript's.
        super().__init__(scope, javascript.construct_id(id))
        self.permissions = {}
        for trigger, function_arn in lambda_config.functions().items():
            permission = aws.LambdaPermission(
                self,
                trigger,
                action=INVOKE_ACTION,
                function_name=function_arn,
                principal=COGNITO_PRINCIPAL,
                source_arn=user_pool_arn,
            )
            props.fix_name(permission, trigger)
            self.permissions[trigger] = permission
