"""The app client your application signs in with, federated to the given providers only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from stacks.constructs import props
from stacks.constructs.resource_server import ResourceServer
from stacks.platform import Construct, aws
from stacks.rules import javascript
from stacks.rules.app_clients import AppClientOptions
from stacks.rules.federation import user_pool_id_problem
from stacks.rules.problems import PropError
from stacks.rules.sign_in import unwritable, unwritable_problem, write_attributes_for
from stacks.rules.tokens import RefreshTokenRotation, TokenValidityUnits

__all__ = ["REFRESH_FLOW", "AppClientOptions", "FederatedAppClient"]

# Refreshing through the token endpoint; the client has no password flows. With refresh-token
# rotation on, AWS refuses ALLOW_REFRESH_TOKEN_AUTH (rotation refreshes another way), so the
# client then has no explicit flow at all.
REFRESH_FLOW = "ALLOW_REFRESH_TOKEN_AUTH"


class FederatedAppClient(Construct):
    """An app client for the authorization-code flow through the hosted UI, no passwords.

    Creates one ``aws_cognito_user_pool_client`` whose Terraform name is the construct's id.
    Sign-in happens at the identity providers; the client has no password flows, only refresh.

    Props (keyword only):
        user_pool_id: the pool (literal id or token).
        identity_providers: the providers it may use (e.g. each ``CriiptoIdentityProvider``'s
            ``provider_name``, a reference that orders the client after the provider).
        options: ``AppClientOptions``: name, URLs, scopes, secret, attributes, tokens.
        resource_servers: the ``ResourceServer`` constructs whose scopes it asks for: the
            client is made after them (AWS refuses a scope that does not exist yet).
        mapped_attributes: every attribute those providers map (each
            ``CriiptoIdentityProvider``'s ``mapped_attributes``). Cognito writes them at each
            sign-in, through the client, so the client must be allowed to: with
            ``write_attributes`` unset the client's write attributes are AWS's standard
            attributes and these, written out; given, they must hold these. Default: none.

    A literal ``user_pool_id`` that is no pool id, or literal ``write_attributes`` lacking a
    mapped attribute, raises PropError.
    Attributes: ``client_id`` (token), ``resource``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        user_pool_id: str,
        identity_providers: Sequence[str],
        options: AppClientOptions,
        resource_servers: Sequence[ResourceServer] = (),
        mapped_attributes: Sequence[str] = (),
    ) -> None:
        props.check("user_pool_id", user_pool_id, user_pool_id_problem)
        given = options.write_attributes
        if given is not None and not any(map(props.is_token, given)):
            problem = unwritable_problem(unwritable(given, mapped_attributes))
            if problem:
                raise PropError("write_attributes", problem)
        # A Terraform name such as constructor stays; only the node's id avoids JavaScript's.
        super().__init__(scope, javascript.construct_id(id))
        read_attributes = options.read_attributes
        write_attributes = write_attributes_for(given, mapped_attributes)
        rotation, units = options.refresh_token_rotation, options.token_validity_units
        self.resource = aws.CognitoUserPoolClient(
            self,
            "client",
            user_pool_id=user_pool_id,
            # Every literal is escaped: Terraform must not read one as a template.
            name=props.text(options.name),
            supported_identity_providers=list(identity_providers),
            allowed_oauth_flows=["code"],
            allowed_oauth_flows_user_pool_client=True,
            allowed_oauth_scopes=[props.text(scope) for scope in options.oauth_scopes],
            callback_urls=[props.text(url) for url in options.callback_urls],
            logout_urls=[props.text(url) for url in options.logout_urls] or None,
            generate_secret=options.generate_secret,
            read_attributes=props.texts(read_attributes),
            write_attributes=props.texts(write_attributes),
            explicit_auth_flows=[] if rotation is not None and rotation.enabled else [REFRESH_FLOW],
            prevent_user_existence_errors=options.prevent_user_existence_errors,
            enable_token_revocation=options.enable_token_revocation,
            access_token_validity=options.access_token_validity,
            id_token_validity=options.id_token_validity,
            refresh_token_validity=options.refresh_token_validity,
            token_validity_units=_block(aws.CognitoUserPoolClientTokenValidityUnits, units),
            auth_session_validity=options.auth_session_validity,
            # Every field written, retry_grace_period_seconds too: hashicorp/aws#50027 plans a
            # diff when it is left out.
            refresh_token_rotation=_block(aws.CognitoUserPoolClientRefreshTokenRotation, rotation),
            depends_on=[server.resource for server in resource_servers] or None,
        )
        props.fix_name(self.resource, id)
        self.client_id: str = self.resource.id


def _block(
    binding: Any, option: TokenValidityUnits | RefreshTokenRotation | None
) -> list[Any] | None:
    """The option as the resource's one nested block (every field of its dataclass, by the
    same names as the provider's arguments), or None when it is not set."""
    if option is None:
        return None
    return [binding(**{field.name: getattr(option, field.name) for field in fields(option)})]
