"""The managed-login style of one app client, which managed login (version 2) needs."""

from __future__ import annotations

from stacks.constructs import props
from stacks.platform import Construct, aws
from stacks.rules import javascript
from stacks.rules.federation import user_pool_id_problem


class ManagedLoginBranding(Construct):
    """One ``aws_cognito_managed_login_branding`` (named by the construct's id) with Cognito's
    provided values, for one app client.

    A domain on managed login (``managed_login_version = 2``) shows "Login pages unavailable"
    for a client without a style; this gives each client Cognito's default one. Restyle it in
    the console's branding editor, or give the resource your own ``settings`` and assets.

    Props (keyword only): ``user_pool_id`` (literal or token), ``client_id`` (a token, such as
    a ``FederatedAppClient``'s ``client_id``). Attribute: ``resource``.
    """

    def __init__(self, scope: Construct, id: str, *, user_pool_id: str, client_id: str) -> None:
        props.check("user_pool_id", user_pool_id, user_pool_id_problem)
        # A Terraform name such as constructor stays; only the node's id avoids JavaScript's.
        super().__init__(scope, javascript.construct_id(id))
        self.resource = aws.CognitoManagedLoginBranding(
            self,
            "branding",
            user_pool_id=user_pool_id,
            client_id=client_id,
            use_cognito_provided_values=True,
        )
        props.fix_name(self.resource, id)
