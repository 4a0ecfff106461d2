"""The app client your application signs in with, federated to Criipto only."""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct

from criipto.terraform_text import literal
from stacks import aws
from stacks.config import AppClientConfig


class FederatedAppClient(Construct):
    """Authorization-code flow through the hosted UI, with the given providers only."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: AppClientConfig,
        user_pool_id: str,
        identity_providers: Sequence[str],
    ) -> None:
        super().__init__(scope, id)
        self.resource = aws.CognitoUserPoolClient(
            self,
            "client",
            user_pool_id=user_pool_id,
            # Every config value is escaped: Terraform must not read one as a template.
            name=literal(config.name),
            supported_identity_providers=list(identity_providers),
            allowed_oauth_flows=["code"],
            allowed_oauth_flows_user_pool_client=True,
            allowed_oauth_scopes=[literal(scope) for scope in config.oauth_scopes],
            callback_urls=[literal(url) for url in config.callback_urls],
            logout_urls=[literal(url) for url in config.logout_urls] or None,
            generate_secret=config.generate_secret,
            read_attributes=(
                None
                if config.read_attributes is None
                else [literal(attribute) for attribute in config.read_attributes]
            ),
            # Sign-in happens at Criipto; no password flows, only refresh.
            explicit_auth_flows=["ALLOW_REFRESH_TOKEN_AUTH"],
            prevent_user_existence_errors="ENABLED",
            enable_token_revocation=True,
        )
        # The construct's id is the resource's Terraform name (no hash suffix): users type it
        # for terraform import and state mv. Set before any attribute is read, which fixes it.
        self.resource.override_logical_id(id)
        self.client_id: str = self.resource.id
