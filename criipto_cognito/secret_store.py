"""The client secret where the config keeps it: a Secrets Manager secret or an SSM parameter
(``[criipto.client_secret_from]``), read as the stack reads it at plan.

The same store and the same rules as the stack's data source: a name in the environment's
region, a Secrets Manager ARN in the region it names, the current version (AWSCURRENT), with
``json_key`` that key of the JSON secret, an SSM parameter decrypted. Nothing of the value ever
reaches a message: a secret that is not what the config says is described, never quoted.
"""

from __future__ import annotations

import json

from criipto_cognito.cognito_lookup import aws_client, aws_errors
from criipto_cognito.deadline import Deadline
from criipto_cognito.findings import CannotCheck
from stacks.rules.secret_source import ClientSecretSource, secret_region


def read_stored_secret(source: ClientSecretSource, region: str, deadline: Deadline) -> str:
    """The secret ``source`` holds; CannotCheck with one line when it cannot be read."""
    where = source.label
    if source.ssm is not None:
        ssm = aws_client("ssm", region, deadline)
        with aws_errors(f"read the {where}"):
            answer = ssm.get_parameter(Name=source.ssm, WithDecryption=True)
        value = answer.get("Parameter", {}).get("Value")
    else:
        secret_id = source.secretsmanager or ""
        manager = aws_client("secretsmanager", secret_region(secret_id) or region, deadline)
        with aws_errors(f"read the {where}"):
            answer = manager.get_secret_value(SecretId=secret_id)
        value = answer.get("SecretString")
        if not isinstance(value, str):
            raise CannotCheck(f"the {where} holds no text (SecretString): a binary one is not read")
        if source.json_key is not None:
            value = _json_value(value, source.json_key, where)
    if not isinstance(value, str) or not value.strip():
        raise CannotCheck(f"the {where} is empty")
    return value


def _json_value(text: str, key: str, where: str) -> str:
    try:
        document = json.loads(text)
    except ValueError:
        raise CannotCheck(f"the {where} is not JSON, but json_key is set") from None
    if not isinstance(document, dict) or key not in document:
        raise CannotCheck(f"the {where}: its JSON has no key json_key names")
    found = document[key]
    if not isinstance(found, str):
        raise CannotCheck(f"the {where}: the value of json_key is not a string")
    return found
