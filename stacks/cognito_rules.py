"""Cognito's own value rules, as its API model states them.

Every constant here is copied from botocore's ``cognito-idp`` service model (the shape named in
the comment); ``tests/test_cognito_rules.py`` loads that model and fails when AWS changes one.
They are copied rather than read at run time so that rejecting a config never loads botocore.
"""

from __future__ import annotations

import re
import unicodedata

# DomainType
DOMAIN_PREFIX_PATTERN = r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$"
DOMAIN_PREFIX_MAX = 63
# Cognito refuses prefixes that contain these words (not in the model; documented by AWS).
DOMAIN_PREFIX_RESERVED_WORDS = ("aws", "amazon", "cognito")

# ProviderNameTypeV2: [^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+, 1-32 characters.
PROVIDER_NAME_MAX = 32
# ClientNameType / UserPoolNameType
NAME_PATTERN = r"^[\w\s+=,.@-]+$"
NAME_MAX = 128
# ScopeType, ScopeListType
SCOPE_PATTERN = r"^[\x21\x23-\x5B\x5D-\x7E]+$"
SCOPE_MAX = 256
SCOPES_MAX = 50
# RedirectUrlType, CallbackURLsListType, LogoutURLsListType
REDIRECT_URL_MAX = 1024
REDIRECT_URLS_MAX = 100
# UserPoolIdType
USER_POOL_ID_PATTERN = r"^[\w-]+_[0-9a-zA-Z]+$"
USER_POOL_ID_MAX = 55
# AttributeMappingKeyType
ATTRIBUTE_MAPPING_KEY_MAX = 32
# CustomAttributeNameType (the name after "custom:")
CUSTOM_ATTRIBUTE_NAME_MAX = 20
# SchemaAttributesListType
SCHEMA_ATTRIBUTES_MAX = 50

# Scopes Cognito itself issues; any other scope must be "<resource server>/<scope>".
COGNITO_SCOPES = ("openid", "email", "phone", "profile", "aws.cognito.signin.user.admin")

_SEPARATOR = "Z"  # Unicode category major class \p{Z}
_VISIBLE = ("L", "M", "S", "N", "P")  # \p{L}\p{M}\p{S}\p{N}\p{P}


def _major(char: str) -> str:
    return unicodedata.category(char)[0]


def provider_name_problem(name: str) -> str | None:
    """Why Cognito would refuse ``name`` as an identity provider name, or None.

    Python's ``re`` has no ``\\p{..}`` classes, so ProviderNameTypeV2 is checked by category.
    """
    if not 3 <= len(name) <= PROVIDER_NAME_MAX:
        return f"must be 3 to {PROVIDER_NAME_MAX} characters long (got {len(name)})"
    first, second, rest = name[0], name[1], name[2:]
    if (
        first == "_"
        or _major(first) == _SEPARATOR
        or any(c == "_" or _major(c) == _SEPARATOR for c in rest)
    ):
        return "must not start with an underscore or space, nor have one after the second character"
    if _major(second) not in _VISIBLE:
        return "second character must be a letter, digit, symbol or punctuation"
    return None


def name_problem(name: str) -> str | None:
    """Why Cognito would refuse ``name`` as a user pool or app client name, or None."""
    if len(name) > NAME_MAX or not re.fullmatch(NAME_PATTERN, name):
        return "must be 1 to 128 letters, digits, spaces or the characters + = , . @ -"
    return None


def custom_attribute_name_problem(name: str) -> str | None:
    """Why Cognito would refuse ``name`` (without ``custom:``) as a custom attribute name."""
    if not 1 <= len(name) <= CUSTOM_ATTRIBUTE_NAME_MAX:
        return f"must be 1 to {CUSTOM_ATTRIBUTE_NAME_MAX} characters long (got {len(name)})"
    if any(_major(c) not in _VISIBLE for c in name):
        return "must hold only letters, digits, symbols and punctuation (no spaces)"
    return None


def domain_prefix_problem(prefix: str) -> str | None:
    """Why Cognito would refuse ``prefix`` as a hosted-UI domain prefix, or None."""
    if not re.fullmatch(DOMAIN_PREFIX_PATTERN, prefix):
        return (
            "must be 1 to 63 lowercase letters, digits and hyphens, "
            "starting and ending with a letter or digit"
        )
    for word in DOMAIN_PREFIX_RESERVED_WORDS:
        if word in prefix:
            return f'must not contain the reserved word "{word}"'
    return None


def scope_problem(scope: str) -> str | None:
    """Why ``scope`` cannot be an app client's OAuth scope, or None."""
    if len(scope) > SCOPE_MAX or not re.fullmatch(SCOPE_PATTERN, scope):
        return "is not a valid OAuth scope (printable ASCII, no spaces, quotes or backslashes)"
    if scope in COGNITO_SCOPES:
        return None
    server, _, name = scope.rpartition("/")
    if not server or not name:
        return (
            f"must be one of Cognito's scopes ({', '.join(COGNITO_SCOPES)}) "
            "or a resource server scope <resource server>/<scope>"
        )
    return None
