"""Where Terraform state may live: the rules of S3 and Terraform Cloud names, as those services
state them (the S3 user guide's bucket naming rules, Terraform Cloud's name and tag rules).

Credentials never belong in the config: S3 reads the usual AWS credential chain, Terraform
Cloud the token of ``terraform login`` or ``TF_TOKEN_<host>``. ``credentials_problem`` is the
answer to every key that would hold one.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

from stacks.rules.common import hostname_problem, invisible_characters, shown

# Every pattern is matched whole (fullmatch): with a "$" anchor a trailing newline would pass.
# General purpose bucket names (AWS S3 user guide, "Bucket naming rules").
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
_DYNAMODB_TABLE = re.compile(r"[A-Za-z0-9_.-]{3,255}")
S3_KEY_MAX = 1024
# Terraform Cloud: organization and workspace names, workspace tags, project names.
_TFC_NAME = re.compile(r"[A-Za-z0-9_-]+")
TFC_WORKSPACE_MAX = 90
_TFC_TAG = re.compile(r"[a-z0-9](?:[a-z0-9:_-]*[a-z0-9])?")
TFC_TAG_MAX = 255
_TFC_PROJECT = re.compile(r"[A-Za-z0-9 _-]{3,40}")

_NO_SECRETS = "never put credentials in the config: {how} (and keep them out of the repository)"


def s3_credentials_problem(value: object) -> str:
    """Why the S3 backend takes no ``access_key`` or ``secret_key``: always a problem."""
    return _NO_SECRETS.format(how="the S3 backend uses the AWS credential chain")


def tfc_token_problem(value: object) -> str:
    """Why the cloud backend takes no ``token``: always a problem."""
    return _NO_SECRETS.format(how="run `terraform login` or set TF_TOKEN_<host>")


def bucket_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid S3 general purpose bucket name, or None."""
    if not 3 <= len(name) <= 63:
        return f"must be 3 to 63 characters long (got {len(name)})"
    if not _BUCKET.fullmatch(name):
        return (
            "must hold only lowercase letters, digits, dots and hyphens, and begin and end "
            "with a letter or digit"
        )
    if ".." in name:
        return "must not contain two adjacent dots"
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        pass
    else:
        return "must not be formatted as an IP address"
    for prefix in _BUCKET_PREFIXES:
        if name.startswith(prefix):
            return f"must not start with {prefix!r} (reserved by S3)"
    for suffix in _BUCKET_SUFFIXES:
        if name.endswith(suffix):
            return f"must not end with {suffix!r} (reserved by S3)"
    return None


def s3_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be the state's object key, or None."""
    if not key:
        return "must not be empty (e.g. criipto-cognito/prod.tfstate)"
    if len(key.encode()) > S3_KEY_MAX:
        return f"must be at most {S3_KEY_MAX} bytes"
    if key.startswith("/") or key.endswith("/"):
        return "must not start or end with /"
    if "//" in key:
        return "must not contain //"
    if invisible_characters(key):
        return "must not contain control or invisible characters"
    return None


def dynamodb_table_problem(name: str) -> str | None:
    """Why ``name`` is not a DynamoDB table name, or None."""
    if not _DYNAMODB_TABLE.fullmatch(name):
        return "must be 3 to 255 letters, digits or the characters _ . -"
    return None


def tfc_organization_problem(name: str) -> str | None:
    if not _TFC_NAME.fullmatch(name):
        return "must be letters, digits, - and _ only"
    return None


def tfc_workspace_problem(name: str) -> str | None:
    if len(name) > TFC_WORKSPACE_MAX or not _TFC_NAME.fullmatch(name):
        return f"must be 1 to {TFC_WORKSPACE_MAX} letters, digits, - and _"
    return None


def tfc_tags_problem(tags: Sequence[str]) -> str | None:
    """Why ``tags`` cannot select Terraform Cloud workspaces, or None."""
    if not tags:
        return 'must name at least one tag, e.g. ["criipto", "prod"]'
    for tag in tags:
        if len(tag) > TFC_TAG_MAX or not _TFC_TAG.fullmatch(tag):
            return (
                f"tag {shown(tag)} must be lowercase letters, digits, : _ and -, beginning "
                "and ending with a letter or digit"
            )
    if len(set(tags)) != len(tags):
        return "lists a tag twice"
    return None


def tfc_project_problem(name: str) -> str | None:
    if not _TFC_PROJECT.fullmatch(name):
        return "must be 3 to 40 letters, digits, spaces, - and _"
    return None


def tfe_hostname_problem(host: str) -> str | None:
    return hostname_problem(host, example="tfe.acme.com")
