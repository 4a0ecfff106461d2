"""The OpenID Connect identity provider that sends Cognito users to Criipto."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cdktf import Precondition, TerraformResourceLifecycle
from constructs import Construct

from stacks import aws

# Keys AWS writes into provider_details after OIDC discovery. Without ignoring them every plan
# shows a diff. client_secret is deliberately absent: a rotated secret must reach Cognito.
DISCOVERED_KEYS = (
    "authorize_url",
    "token_url",
    "attributes_url",
    "jwks_uri",
    "attributes_url_add_attributes",
)
# The minimum mapping: Cognito needs a username, and the eID's stable subject is it.
DEFAULT_ATTRIBUTE_MAPPING: Mapping[str, str] = {"username": "sub"}


class CriiptoIdentityProvider(Construct):
    """An OIDC provider with issuer ``https://<criipto domain>``.

    ``explicit_endpoints`` are provider_details keys set by us rather than discovered (as for
    acr-scoped endpoints); those are then managed, so they leave ``ignore_changes``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        user_pool_id: str,
        provider_name: str,
        issuer: str,
        client_id: str,
        client_secret: str,
        authorize_scopes: Sequence[str],
        attribute_mapping: Mapping[str, str] = DEFAULT_ATTRIBUTE_MAPPING,
        explicit_endpoints: Mapping[str, str] | None = None,
        preconditions: Sequence[Precondition] = (),
    ) -> None:
        super().__init__(scope, id)
        endpoints = dict(explicit_endpoints or {})
        details = {
            "client_id": client_id,
            "client_secret": client_secret,
            "authorize_scopes": " ".join(authorize_scopes),
            "oidc_issuer": issuer,
            "attributes_request_method": "GET",
            **endpoints,
        }
        ignored = [f'provider_details["{key}"]' for key in DISCOVERED_KEYS if key not in endpoints]
        self.resource = aws.CognitoIdentityProvider(
            self,
            "provider",
            user_pool_id=user_pool_id,
            provider_name=provider_name,
            provider_type="OIDC",
            provider_details=details,
            attribute_mapping=dict(attribute_mapping),
            lifecycle=TerraformResourceLifecycle(
                ignore_changes=ignored, precondition=list(preconditions) or None
            ),
        )
        # The construct's id is the resource's Terraform name (no hash suffix): users type it
        # for terraform import and state mv. Set before any attribute is read, which fixes it.
        self.resource.override_logical_id(id)
        # Reference the attribute, not the literal, so Terraform orders client after provider.
        self.provider_name: str = self.resource.provider_name
