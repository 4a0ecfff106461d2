"""The Cognito user pool that federated users land in, or an existing one to attach to."""

from __future__ import annotations

from constructs import Construct

from stacks import aws
from stacks.config import UserPoolConfig


class FederationUserPool(Construct):
    """A user pool fit for eID federation, or a handle on an existing pool.

    eIDs return no email, so email is neither required nor the username: a required
    attribute the IdP does not send makes every federated sign-in fail. Users arrive only
    through federation, so self sign-up is off.
    """

    def __init__(self, scope: Construct, id: str, *, config: UserPoolConfig) -> None:
        super().__init__(scope, id)
        self.resource: object | None = None
        if config.existing_id is not None:
            # Attach: nothing is created, everything else references this id.
            self.user_pool_id: str = config.existing_id
            return
        pool = aws.CognitoUserPool(
            self,
            "pool",
            name=config.name,
            deletion_protection="ACTIVE" if config.deletion_protection else "INACTIVE",
            admin_create_user_config=aws.CognitoUserPoolAdminCreateUserConfig(
                allow_admin_create_user_only=True
            ),
            # Never username_attributes/alias_attributes = ["email"], never a required email.
            auto_verified_attributes=[],
        )
        self.resource = pool
        self.user_pool_id = pool.id
