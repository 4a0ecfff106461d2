"""The app client your application signs in with, federated to the given providers only."""

from __future__ import annotations

from collections.abc import Sequence

from stacks.constructs import props
from stacks.platform import Construct, aws
from stacks.rules import cognito as rules
from stacks.rules.federation import (
    DEFAULT_OAUTH_SCOPES,
    oauth_scopes_problem,
    redirect_urls_problem,
    user_pool_id_problem,
)
from stacks.rules.federation_plan import attribute_problem


class FederatedAppClient(Construct):
    """An app client for the authorization-code flow through the hosted UI, no passwords.

    Creates one ``aws_cognito_user_pool_client`` whose Terraform name is the construct's id.
    Sign-in happens at the identity providers; the client has no password flows, only refresh.

    Props (keyword only):
        user_pool_id: the pool (literal id or token).
        name: the client's name (literal or token).
        identity_providers: the providers it may use (e.g. each ``CriiptoIdentityProvider``'s
            ``provider_name``, a reference that orders the client after the provider).
        callback_urls: where Cognito may send the authorization code (at least one).
        logout_urls: where Cognito may send users after sign-out. Default: none.
        oauth_scopes: the scopes the client may ask for. Default: ``("openid",)``.
        generate_secret: give the client a secret (a server-side app). Default: False.
        read_attributes: the attributes its tokens may carry. Default: None, every attribute.

    Literal props are checked with the config's rules (a ValueError names the prop).
    Attributes: ``client_id`` (token), ``resource``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        user_pool_id: str,
        name: str,
        identity_providers: Sequence[str],
        callback_urls: Sequence[str],
        logout_urls: Sequence[str] = (),
        oauth_scopes: Sequence[str] = DEFAULT_OAUTH_SCOPES,
        generate_secret: bool = False,
        read_attributes: Sequence[str] | None = None,
    ) -> None:
        self.check(
            user_pool_id=user_pool_id,
            name=name,
            callback_urls=callback_urls,
            logout_urls=logout_urls,
            oauth_scopes=oauth_scopes,
            read_attributes=read_attributes,
        )
        super().__init__(scope, id)
        self.resource = aws.CognitoUserPoolClient(
            self,
            "client",
            user_pool_id=user_pool_id,
            # Every literal is escaped: Terraform must not read one as a template.
            name=props.text(name),
            supported_identity_providers=list(identity_providers),
            allowed_oauth_flows=["code"],
            allowed_oauth_flows_user_pool_client=True,
            allowed_oauth_scopes=[props.text(scope) for scope in oauth_scopes],
            callback_urls=[props.text(url) for url in callback_urls],
            logout_urls=[props.text(url) for url in logout_urls] or None,
            generate_secret=generate_secret,
            read_attributes=(
                None
                if read_attributes is None
                else [props.text(attribute) for attribute in read_attributes]
            ),
            explicit_auth_flows=["ALLOW_REFRESH_TOKEN_AUTH"],
            prevent_user_existence_errors="ENABLED",
            enable_token_revocation=True,
        )
        # The construct's id is the resource's Terraform name (no hash suffix): users type it
        # for terraform import and state mv. Set before any attribute is read, which fixes it.
        self.resource.override_logical_id(id)
        self.client_id: str = self.resource.id

    @staticmethod
    def check(
        *,
        user_pool_id: str,
        name: str,
        callback_urls: Sequence[str],
        logout_urls: Sequence[str],
        oauth_scopes: Sequence[str],
        read_attributes: Sequence[str] | None,
    ) -> None:
        """Raise ValueError naming the prop for a literal prop that breaks its rule; build
        nothing (callers check every part before building any). Every prop is passed: the
        defaults live on the constructor alone."""
        props.check("user_pool_id", user_pool_id, user_pool_id_problem)
        props.check("name", name, rules.name_problem)
        if not callback_urls:
            raise ValueError("callback_urls: must name at least one URL")
        props.check_list("callback_urls", callback_urls, redirect_urls_problem)
        props.check_list("logout_urls", logout_urls, redirect_urls_problem)
        props.check_list("oauth_scopes", oauth_scopes, oauth_scopes_problem)
        if read_attributes is not None:
            props.check_all("read_attributes", read_attributes, attribute_problem)
