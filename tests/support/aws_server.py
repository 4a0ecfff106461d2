"""Cognito on loopback: moto's server, and deployments (healthy or broken) built through boto3."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
import httpx

from tools.emulated_deploy import FAKE_CREDENTIALS, aws_env, running_moto

__all__ = ["FAKE_CREDENTIALS", "REGION", "UNSET", "aws_env", "deploy", "moto_client", "moto_cognito",
           "reset", "running_moto", "use_moto"]  # fmt: skip

REGION = "eu-north-1"
# Settings on this machine that must not reach boto3 in tests.
UNSET = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")


def reset(endpoint: str) -> None:
    httpx.post(f"{endpoint}/moto-api/reset").raise_for_status()


def moto_client(endpoint: str, service: str, region: str = REGION) -> Any:
    """A client of ``service`` on moto's server, with its dummy credentials."""
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def moto_cognito(endpoint: str) -> Any:
    """A cognito-idp client on moto's server, with its dummy credentials."""
    return moto_client(endpoint, "cognito-idp")


def use_moto(endpoint: str, monkeypatch: Any) -> str:
    """This process's AWS settings pointed at moto's server at ``endpoint``, emptied first."""
    reset(endpoint)
    for name in UNSET:
        monkeypatch.delenv(name, raising=False)
    for name, value in aws_env(endpoint).items():
        monkeypatch.setenv(name, value)
    return endpoint


@dataclass(frozen=True)
class Deployment:
    pool_id: str
    client_id: str | None


def deploy(
    endpoint: str,
    *,
    email_required: bool = False,
    issuer: str = "https://acme-test.criipto.id",
    client_providers: tuple[str, ...] = ("Criipto",),
    with_domain: bool = True,
    with_provider: bool = True,
    with_client: bool = True,
    pool_name: str = "acme-test",
    provider_name: str = "Criipto",
    extra_details: dict[str, str] | None = None,
    attribute_mapping: dict[str, str] | None = None,
    custom_attributes: list[dict[str, Any]] | None = None,
    write_attributes: list[str] | None = None,
) -> Deployment:
    """What `cdktf deploy` makes for the base environment (support.configs), with one thing broken."""
    cognito = moto_cognito(endpoint)
    schema = [{"Name": "email", "AttributeDataType": "String", "Required": True}]
    schema = [*(schema if email_required else []), *(custom_attributes or [])]
    pool_id = cognito.create_user_pool(
        PoolName=pool_name, **({"Schema": schema} if schema else {})
    )["UserPool"]["Id"]
    if with_domain:
        cognito.create_user_pool_domain(Domain="acme-test-login", UserPoolId=pool_id)
    if with_provider:
        cognito.create_identity_provider(
            UserPoolId=pool_id,
            ProviderName=provider_name,
            ProviderType="OIDC",
            ProviderDetails={
                "client_id": "urn:acme:cognito:test",
                "client_secret": "not-a-real-secret",
                "authorize_scopes": "openid",
                "oidc_issuer": issuer,
                "attributes_request_method": "GET",
                **(extra_details or {}),
            },
            AttributeMapping={"username": "sub", **(attribute_mapping or {})},
        )
    client_id = None
    if with_client:
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="web",
            SupportedIdentityProviders=list(client_providers),
            AllowedOAuthFlows=["code"],
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthScopes=["openid"],
            CallbackURLs=["https://app.acme.com/callback"],
            LogoutURLs=["https://app.acme.com/"],
            **({"WriteAttributes": write_attributes} if write_attributes is not None else {}),
        )["UserPoolClient"]["ClientId"]
    return Deployment(pool_id, client_id)
