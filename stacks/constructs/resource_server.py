"""A resource server: the API whose custom scopes (``<identifier>/<scope>``) clients ask for."""

from __future__ import annotations

from stacks.constructs import props
from stacks.platform import Construct, aws
from stacks.rules import javascript
from stacks.rules.federation import user_pool_id_problem
from stacks.rules.resource_servers import ResourceServerOptions, identifier_problem


class ResourceServer(Construct):
    """One ``aws_cognito_resource_server`` whose Terraform name is the construct's id.

    Props (keyword only):
        user_pool_id: the pool (literal id or token).
        identifier: the server's identifier, e.g. ``https://api.acme.com`` (literal): a
            client's custom scope is ``<identifier>/<scope>``.
        options: ``ResourceServerOptions``: its name and scopes (scope -> description).

    A literal that breaks Cognito's rules raises PropError naming the prop.
    Attributes: ``identifier``, ``scopes`` (the full scope names), ``resource``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        user_pool_id: str,
        identifier: str,
        options: ResourceServerOptions,
    ) -> None:
        props.check("user_pool_id", user_pool_id, user_pool_id_problem)
        props.require_literal("identifier", identifier, "clients name it in their scopes")
        props.check("identifier", identifier, identifier_problem)
        # A Terraform name such as constructor stays; only the node's id avoids JavaScript's.
        super().__init__(scope, javascript.construct_id(id))
        self.identifier = identifier
        self.scopes = [f"{identifier}/{name}" for name in options.scopes]
        self.resource = aws.CognitoResourceServer(
            self,
            "server",
            user_pool_id=user_pool_id,
            identifier=props.text(identifier),
            name=props.text(options.name),
            scope=[
                aws.CognitoResourceServerScope(
                    scope_name=props.text(name), scope_description=props.text(description)
                )
                for name, description in options.scopes.items()
            ]
            or None,
        )
        props.fix_name(self.resource, id)
