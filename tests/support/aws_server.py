"""Cognito on loopback: moto's server, and deployments (healthy or broken) built through boto3."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import httpx
from moto.server import ThreadedMotoServer

REGION = "eu-north-1"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
# Settings on this machine that must not reach boto3 in tests.
UNSET = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")


@contextmanager
def running_moto() -> Iterator[str]:
    """Start moto on 127.0.0.1 (a free port); yield its endpoint URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def aws_env(endpoint: str) -> dict[str, str]:
    return {**FAKE_CREDENTIALS, "AWS_ENDPOINT_URL": endpoint, "AWS_CONFIG_FILE": "/nonexistent"}


def reset(endpoint: str) -> None:
    httpx.post(f"{endpoint}/moto-api/reset").raise_for_status()


def moto_cognito(endpoint: str) -> Any:
    """A cognito-idp client on moto's server, with its dummy credentials."""
    return boto3.client(
        "cognito-idp",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


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
) -> Deployment:
    """What `cdktf deploy` makes for the base environment (support.configs), with one thing broken."""
    cognito = moto_cognito(endpoint)
    schema = [{"Name": "email", "AttributeDataType": "String", "Required": True}]
    pool_id = cognito.create_user_pool(
        PoolName=pool_name, **({"Schema": schema} if email_required else {})
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
            AttributeMapping={"username": "sub"},
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
        )["UserPoolClient"]["ClientId"]
    return Deployment(pool_id, client_id)
