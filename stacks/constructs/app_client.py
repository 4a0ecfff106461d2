"""The app client your application signs in with, federated to the given providers only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stacks.constructs import props
from stacks.platform import Construct, aws
from stacks.rules import cognito as rules
from stacks.rules.federation import (
    DEFAULT_OAUTH_SCOPES,
    oauth_scopes_problem,
    redirect_urls_problem,
    user_pool_id_problem,
)
from stacks.rules.federation_plan import read_attributes_problem
from stacks.rules.problems import PropError


@dataclass(frozen=True)
class AppClientOptions:
    """What an app client offers: its name, where Cognito may send the code, which scopes.

    name: the client's name (literal or token).
    callback_urls: where Cognito may send the authorization code (at least one).
    logout_urls: where Cognito may send users after sign-out. Default: none.
    oauth_scopes: the scopes the client may ask for. Default: ``("openid",)``.
    generate_secret: give the client a secret (a server-side app). Default: False.
    read_attributes: the attributes its tokens may carry. Default: None, every attribute.

    Checked when made, with the config's rules: a literal that breaks one raises PropError
    naming the option; tokens are left to Terraform.
    """

    name: str
    callback_urls: Sequence[str]
    logout_urls: Sequence[str] = ()
    oauth_scopes: Sequence[str] = DEFAULT_OAUTH_SCOPES
    generate_secret: bool = False
    read_attributes: Sequence[str] | None = None

    def __post_init__(self) -> None:
        props.check("name", self.name, rules.name_problem)
        if not self.callback_urls:
            raise PropError("callback_urls", "must name at least one URL")
        props.check_list("callback_urls", self.callback_urls, redirect_urls_problem)
        props.check_list("logout_urls", self.logout_urls, redirect_urls_problem)
        props.check_list("oauth_scopes", self.oauth_scopes, oauth_scopes_problem)
        if self.read_attributes is not None:
            props.check_list("read_attributes", self.read_attributes, read_attributes_problem)


class FederatedAppClient(Construct):
    """An app client for the authorization-code flow through the hosted UI, no passwords.

    Creates one ``aws_cognito_user_pool_client`` whose Terraform name is the construct's id.
    Sign-in happens at the identity providers; the client has no password flows, only refresh.

    Props (keyword only):
        user_pool_id: the pool (literal id or token).
        identity_providers: the providers it may use (e.g. each ``CriiptoIdentityProvider``'s
            ``provider_name``, a reference that orders the client after the provider).
        options: ``AppClientOptions``: name, URLs, scopes, secret, readable attributes.

    A literal ``user_pool_id`` that is no pool id raises PropError.
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
    ) -> None:
        props.check("user_pool_id", user_pool_id, user_pool_id_problem)
        super().__init__(scope, id)
        read_attributes = options.read_attributes
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
            read_attributes=(
                None
                if read_attributes is None
                else [props.text(attribute) for attribute in read_attributes]
            ),
            explicit_auth_flows=["ALLOW_REFRESH_TOKEN_AUTH"],
            prevent_user_existence_errors="ENABLED",
            enable_token_revocation=True,
        )
        props.fix_name(self.resource, id)
        self.client_id: str = self.resource.id
