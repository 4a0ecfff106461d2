"""Find the deployed pool and app client in AWS, and turn AWS failures into one line.

boto3 reads the standard settings itself: ``AWS_ENDPOINT_URL`` (or
``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER``), ``AWS_PROFILE``, credentials. The region
comes from the config, where the stack deployed the pool.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import boto3
import botocore.config
import botocore.exceptions

from criipto.findings import CannotCheck
from stacks.config import EnvironmentConfig

# The Cognito client is untyped (no boto3 stubs): keep Any in this one alias.
CognitoClient = Any
MAX_ATTEMPTS = 3


def cognito_client(region: str, timeout: float) -> CognitoClient:
    """A cognito-idp client with the same timeout budget as the HTTP side."""
    config = botocore.config.Config(
        connect_timeout=timeout,
        read_timeout=timeout,
        retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
    )
    with aws_errors("set up the AWS client"):
        return boto3.session.Session().client("cognito-idp", region_name=region, config=config)


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
        raise CannotCheck(f"cannot {doing}: AWS did not answer ({exc})") from None
    except botocore.exceptions.ClientError as exc:
        error = exc.response.get("Error", {})
        raise CannotCheck(
            f"cannot {doing}: AWS answered {error.get('Code', '?')}: {error.get('Message', '')}"
        ) from None
    except botocore.exceptions.BotoCoreError as exc:
        raise CannotCheck(f"cannot {doing}: {exc}") from None


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
