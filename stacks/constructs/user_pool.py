"""A Cognito user pool that federated users land in."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from stacks.constructs import props
from stacks.constructs.user_pool_features import user_pool_arguments
from stacks.platform import Construct, aws
from stacks.rules import cognito as rules
from stacks.rules import javascript
from stacks.rules.pool_features import UserPoolFeatures
from stacks.rules.problems import PropError

_NO_FEATURES = UserPoolFeatures()


class FederationUserPool(Construct):
    """A user pool fit for eID federation: one ``aws_cognito_user_pool`` whose Terraform name is
    the construct's id.

    eIDs return no email, so email is neither required nor the username: a required attribute
    the IdP does not send makes every federated sign-in fail. Users arrive only through
    federation, so self sign-up is off.

    Props (keyword only):
        name: the pool's name (literal or token).
        deletion_protection: refuse to delete the pool. Default: True.
        custom_attributes: name (without ``custom:``) -> maximum length, the custom attributes
            the identity providers map (``FederationPlan.custom_attributes``). Default: none.
        features: ``UserPoolFeatures``: the plan, threat protection, the triggers (whose invoke
            permissions are ``TriggerPermissions``). Default: AWS's.

    Attributes: ``user_pool_id`` and ``arn`` (tokens), ``resource``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        deletion_protection: bool = True,
        custom_attributes: Mapping[str, int] = MappingProxyType({}),
        features: UserPoolFeatures = _NO_FEATURES,
    ) -> None:
        props.check("name", name, rules.name_problem)
        for attribute in custom_attributes:
            problem = rules.custom_attribute_name_problem(attribute)
            if problem:
                raise PropError(f"custom_attributes.{attribute}", problem)
        super().__init__(scope, javascript.construct_id(id))
        self.resource = aws.CognitoUserPool(
            self,
            "pool",
            name=props.text(name),
            deletion_protection="ACTIVE" if deletion_protection else "INACTIVE",
            admin_create_user_config=aws.CognitoUserPoolAdminCreateUserConfig(
                allow_admin_create_user_only=True
            ),
            # Never username_attributes/alias_attributes = ["email"], never a required email.
            auto_verified_attributes=[],
            schema=[
                _custom_string(props.text(attribute), max_length)
                for attribute, max_length in custom_attributes.items()
            ]
            or None,
            # The plan, threat protection and triggers, when given.
            **user_pool_arguments(features),
        )
        props.fix_name(self.resource, id)
        self.user_pool_id: str = self.resource.id
        self.arn: str = self.resource.arn


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
