"""Find the deployed pool and app client in AWS, and turn AWS failures into one line.

boto3 reads the standard settings itself: ``AWS_ENDPOINT_URL`` (or
``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER``), ``AWS_PROFILE``, credentials. The region
comes from the config, where the stack deployed the pool.

The command's deadline bounds AWS too: botocore's connect and read timeouts are what is left of
it when the client is made, its retries stop at ``MAX_ATTEMPTS``, and no request (first try or
retry) starts once the deadline has passed. What botocore cannot be interrupted in (a DNS
lookup, a trickled answer) ends at the hard stop (criipto_cognito/deadline.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import boto3
import botocore.config
import botocore.exceptions

from criipto_cognito.deadline import Deadline
from criipto_cognito.findings import CannotCheck
from criipto_cognito.text import truncated
from stacks.config import EnvironmentConfig

# The Cognito client is untyped (no boto3 stubs): keep Any in this one alias.
CognitoClient = Any
MAX_ATTEMPTS = 3
ENDPOINT_ENV_VARS = ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")


def cognito_client(region: str, deadline: Deadline) -> CognitoClient:
    """A cognito-idp client that keeps to the command's deadline."""
    return aws_client("cognito-idp", region, deadline)


def aws_client(service: str, region: str, deadline: Deadline) -> Any:
    """A boto3 client of ``service`` in ``region`` that keeps to the command's deadline."""
    remaining = deadline.remaining()
    if remaining <= 0:
        raise deadline.exceeded("AWS")
    config = botocore.config.Config(
        connect_timeout=remaining,
        read_timeout=remaining,
        retries={"total_max_attempts": MAX_ATTEMPTS, "mode": "standard"},
    )
    with aws_errors("set up the AWS client"):
        client = boto3.session.Session().client(service, region_name=region, config=config)

    def stop_at_the_deadline(**_: Any) -> None:
        # Raised here, botocore hands the error back without retrying it.
        if deadline.expired:
            raise deadline.exceeded("AWS")

    client.meta.events.register("before-send", stop_at_the_deadline)
    return client


@contextmanager
def aws_errors(doing: str) -> Iterator[None]:
    """Re-raise any AWS failure inside the block as CannotCheck with one line."""
    try:
        yield
    except botocore.exceptions.NoCredentialsError:
        raise CannotCheck(
            f"cannot {doing}: no AWS credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
            "AWS_SECRET_ACCESS_KEY)"
        ) from None
    except botocore.exceptions.ProfileNotFound as exc:
        raise CannotCheck(f"cannot {doing}: {exc}") from None
    except (
        botocore.exceptions.EndpointConnectionError,
        botocore.exceptions.ConnectTimeoutError,
        botocore.exceptions.ReadTimeoutError,
    ) as exc:
        raise CannotCheck(f"cannot {doing}: AWS did not answer ({truncated(str(exc))})") from None
    except botocore.exceptions.ClientError as exc:
        error = exc.response.get("Error", {})
        code = truncated(str(error.get("Code", "?")), 60)
        raise CannotCheck(
            f"cannot {doing}: AWS answered {code}: {truncated(str(error.get('Message', '')))}"
        ) from None
    except botocore.exceptions.BotoCoreError as exc:
        raise CannotCheck(f"cannot {doing}: {truncated(str(exc))}{_endpoint_hint()}") from None
    except ValueError as exc:  # botocore's answer to an endpoint URL it cannot use
        raise CannotCheck(f"cannot {doing}: {truncated(str(exc))}{_endpoint_hint()}") from None


def _endpoint_hint() -> str:
    named = [name for name in ENDPOINT_ENV_VARS if os.environ.get(name)]
    return f" (check {' and '.join(named)})" if named else ""


def find_user_pool_id(cognito: CognitoClient, config: EnvironmentConfig) -> str | None:
    """The pool's id: ``existing_id`` as configured, else the one pool with the configured name."""
    if config.user_pool.existing_id is not None:
        return config.user_pool.existing_id
    name = config.user_pool.name
    with aws_errors("list the user pools"):
        pages = cognito.get_paginator("list_user_pools").paginate(MaxResults=60)
        ids = [pool["Id"] for page in pages for pool in page["UserPools"] if pool["Name"] == name]
    if len(ids) > 1:
        raise CannotCheck(
            f"{len(ids)} user pools are named {name!r} in {config.aws_region}: "
            "set user_pool.existing_id to the one this environment uses"
        )
    return cast(str, ids[0]) if ids else None


def find_app_client_id(cognito: CognitoClient, pool_id: str, name: str) -> str | None:
    """The id of the one app client named ``name`` in the pool, or None."""
    with aws_errors("list the app clients"):
        pages = cognito.get_paginator("list_user_pool_clients").paginate(
            UserPoolId=pool_id, MaxResults=60
        )
        ids = [
            c["ClientId"]
            for page in pages
            for c in page["UserPoolClients"]
            if c["ClientName"] == name
        ]
    if len(ids) > 1:
        raise CannotCheck(
            f"{len(ids)} app clients in pool {pool_id} are named {name!r}: pass --client-id"
        )
    return cast(str, ids[0]) if ids else None


# Each Describe* call by the key its answer is under: the client's method, and the words for
# it in a line about an AWS error.
_DESCRIBED = {
    "UserPool": ("describe_user_pool", "the user pool"),
    "IdentityProvider": ("describe_identity_provider", "the identity provider"),
    "ResourceServer": ("describe_resource_server", "the resource server"),
}


def described(cognito: CognitoClient, kind: str, **parameters: str) -> dict[str, Any] | None:
    """Cognito's ``Describe<kind>`` answer for ``parameters`` (its API's own names), None when
    AWS says the resource does not exist."""
    method, what = _DESCRIBED[kind]
    operation = getattr(cognito, method)
    with aws_errors(f"describe {what}"):
        try:
            return dict(operation(**parameters)[kind])
        except botocore.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None
            raise


def describe_identity_provider(
    cognito: CognitoClient, pool_id: str, name: str
) -> dict[str, Any] | None:
    """The identity provider ``name`` of the pool as AWS describes it, None when there is none."""
    return described(cognito, "IdentityProvider", UserPoolId=pool_id, ProviderName=name)


def identity_provider_secrets(
    cognito: CognitoClient, config: EnvironmentConfig
) -> dict[str, str | None]:
    """Per identity provider of the config, the client secret Cognito holds (None: no provider,
    or no pool). The secrets go to the caller and nowhere else."""
    pool_id = find_user_pool_id(cognito, config)
    held: dict[str, str | None] = {}
    for plan in config.criipto.plan.providers:
        provider = (
            describe_identity_provider(cognito, pool_id, plan.provider_name) if pool_id else None
        )
        details = provider.get("ProviderDetails", {}) if provider is not None else {}
        secret = details.get("client_secret")
        held[plan.provider_name] = secret if isinstance(secret, str) and secret else None
    return held
