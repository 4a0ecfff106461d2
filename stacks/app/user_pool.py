"""The Cognito user pool that federated users land in, or an existing one to attach to."""

from __future__ import annotations

from collections.abc import Mapping

from criipto.terraform_text import literal
from stacks.config.model import UserPoolConfig
from stacks.constructs import TriggerPermissions, props, user_pool_arguments
from stacks.platform import Construct, aws
from stacks.rules import addresses


class FederationUserPool(Construct):
    """A user pool fit for eID federation, or a handle on an existing pool.

    eIDs return no email, so email is neither required nor the username: a required
    attribute the IdP does not send makes every federated sign-in fail. Users arrive only
    through federation, so self sign-up is off.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: UserPoolConfig,
        custom_attributes: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__(scope, id)
        self.resource: object | None = None
        if config.existing_id is not None:
            # Attach: nothing is created, everything else references this id.
            self.user_pool_id: str = config.existing_id
            return
        pool = aws.CognitoUserPool(
            self,
            "pool",
            name=literal(config.name or ""),
            deletion_protection="ACTIVE" if config.deletion_protection else "INACTIVE",
            admin_create_user_config=aws.CognitoUserPoolAdminCreateUserConfig(
                allow_admin_create_user_only=True
            ),
            # Never username_attributes/alias_attributes = ["email"], never a required email.
            auto_verified_attributes=[],
            schema=[
                _custom_string(name, max_length)
                for name, max_length in (custom_attributes or {}).items()
            ]
            or None,
            # The plan, threat protection and triggers, when the config sets them.
            **user_pool_arguments(config.features),
        )
        props.fix_name(pool, id)
        self.resource = pool
        self.user_pool_id = pool.id
        triggers = config.features.lambda_config
        if triggers is not None:
            TriggerPermissions(
                scope,
                addresses.TRIGGER_PERMISSIONS_SCOPE,
                user_pool_arn=pool.arn,
                lambda_config=triggers,
            )


def _custom_string(name: str, max_length: int) -> object:
    """A custom attribute for a claim: a mutable string (federation rewrites it at each sign-in).

    Cognito can add schema attributes but never change or remove them, so choose with care.
    """
    return aws.CognitoUserPoolSchema(
        name=name,
        attribute_data_type="String",
        mutable=True,
        required=False,
        developer_only_attribute=False,
        string_attribute_constraints=aws.CognitoUserPoolSchemaStringAttributeConstraints(
            min_length="0", max_length=str(max_length)
        ),
    )
