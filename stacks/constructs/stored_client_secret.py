"""The client secret read at plan from AWS Secrets Manager or SSM Parameter Store."""

from __future__ import annotations

import base64
import re

from criipto.terraform_text import literal
from stacks.constructs import props
from stacks.platform import Construct, Fn, Precondition, Token, aws
from stacks.rules import javascript
from stacks.rules.problems import PropError
from stacks.rules.secret_source import ClientSecretSource, secret_region

# The Terraform name of the data source (and, for an ARN, of its provider, after ``_region``).
SECRET_NAME = "criipto_client_secret"  # noqa: S105 (a Terraform name, not a secret)
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # written as .key


class StoredClientSecret(Construct):
    """A data source that reads a client secret where ``source`` says, at plan.

    ``data.aws_secretsmanager_secret_version.<id>`` (the secret's current version; with
    ``json_key``, that key of its JSON) or ``data.aws_ssm_parameter.<id>`` (with decryption,
    for a SecureString). A name is looked up in the region of the stack's AWS provider; a
    Secrets Manager ARN is read in the region it names, through an AWS provider of its own
    (``provider.aws.<id>_region``, the default credentials), so a secret in another region
    than the stack's works. ``value`` is the secret, a reference Terraform marks sensitive
    (the provider's schema does): it is in state, never in cdktf.out.
    """

    def __init__(self, scope: Construct, id: str, *, source: ClientSecretSource) -> None:
        if not isinstance(source, ClientSecretSource):
            raise PropError("client_secret", "must be a reference or a ClientSecretSource")
        super().__init__(scope, javascript.construct_id(id))
        self.source = source
        if source.ssm is not None:
            parameter = aws.DataAwsSsmParameter(
                self, "parameter", name=props.text(source.ssm), with_decryption=True
            )
            props.fix_name(parameter, id)
            self.value: str = parameter.value
            read = f"data.aws_ssm_parameter.{parameter.friendly_unique_id}.value"
        else:
            secret_id = source.secretsmanager or ""
            region = secret_region(secret_id)
            provider = None
            if region is not None:
                provider = aws.AwsProvider(self, "region", alias=f"{id}_region", region=region)
            version = aws.DataAwsSecretsmanagerSecretVersion(
                self, "version", secret_id=props.text(secret_id), provider=provider
            )
            props.fix_name(version, id)
            self.value = version.secret_string
            read = f"data.aws_secretsmanager_secret_version.{version.friendly_unique_id}"
            read += ".secret_string"
            if source.json_key is not None:
                key = _key_expression(source.json_key)
                self.value = Token.as_string(Fn.lookup_nested(Fn.jsondecode(self.value), [key]))
                read = f"jsondecode({read}){_key_text(source.json_key)}"
        what = (
            "not JSON holding the client secret as a string under the key json_key names, "
            "or it is empty"
            if source.json_key is not None
            else "empty"
        )
        # What each identity provider checks before it reads ``value``: the variable refuses a
        # blank secret, and so does this. Written out, in one condition: cdktf's Op renders the
        # literal 0 as "undefined", and a secret that is no JSON would fail in jsondecode,
        # whose error quotes the first character it could not read (try() keeps it quiet).
        self.preconditions = [
            Precondition(
                condition=f"${{try(length(trimspace(tostring({read}))), 0) > 0}}",
                error_message=literal(
                    f"The {source.store} holds no client secret ({what}): put the "
                    "application's secret there (docs/operations.md, 'Rotating the client "
                    "secret')."
                ),
            )
        ]


def _key_expression(key: str) -> object:
    """``key`` as Terraform yields it exactly. cdktf escapes ``${`` in a string argument but
    not ``%{``, a quote or a backslash, and the key is config text, which must stay data: any
    key but a plain one goes in base64 (``base64decode("…")``), which has none of them."""
    if _PLAIN_KEY.fullmatch(key):
        return key
    return Fn.base64decode(_base64(key))


def _key_text(key: str) -> str:
    """What :func:`_key_expression` renders to, for a condition written out."""
    if _PLAIN_KEY.fullmatch(key):
        return f".{key}"
    return f'[base64decode("{_base64(key)}")]'


def _base64(key: str) -> str:
    return base64.b64encode(key.encode()).decode()
