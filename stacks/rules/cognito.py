"""Cognito's own value rules, as its API model states them, with the model's regex semantics.

Every constant here is copied from botocore's ``cognito-idp`` service model (the shape named in
the comment); ``tests/stacks/rules/test_cognito.py`` loads that model and fails when AWS changes
one. They are copied rather than read at run time so that rejecting a config never loads botocore.

AWS evaluates these patterns as Java regexes over the whole value (``String.matches``): ``\\w``
and ``\\s`` are ASCII-only, and ``\\p{L}`` and friends are Unicode categories, which Python's
``re`` lacks. ``model_match`` gives the first two; the category classes are checked by hand.
Beyond the model, every name and URL here refuses control and format characters (NUL, a
newline, U+200B): AWS would store some of them, no one means them, and they make values that
look alike but are not.

Lengths are counted as the strictest of the two that check them counts (docs/config-limits.md,
"How lengths are counted"): AWS's services in UTF-16 code units, as Java's ``String.length()``
does (:func:`aws_length`; a character beyond U+FFFF, such as an emoji, is two), and
hashicorp/aws in UTF-8 bytes wherever its validator is Go's ``len()`` (:func:`utf8_length`:
``validUserPoolSchemaName`` for a custom attribute's name and ``validation.StringLenBetween``
for a scope description, internal/service/cognitoidp/validate.go and resource_server.go). A
count that differs from the characters shown says how it was counted.
"""

from __future__ import annotations

import re
import unicodedata

from stacks.rules.common import invisible_characters

# DomainType
# Cognito's standard user pool attributes (OIDC standard claims).
STANDARD_ATTRIBUTES = frozenset(
    {
        "address", "birthdate", "email", "email_verified", "family_name", "gender",
        "given_name", "locale", "middle_name", "name", "nickname", "phone_number",
        "phone_number_verified", "picture", "preferred_username", "profile", "updated_at",
        "website", "zoneinfo",
    }
)  # fmt: skip
DOMAIN_PREFIX_PATTERN = r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$"
DOMAIN_PREFIX_MAX = 63
# Cognito refuses prefixes that contain these words (not in the model; documented by AWS).
DOMAIN_PREFIX_RESERVED_WORDS = ("aws", "amazon", "cognito")

# ProviderNameTypeV2: [^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+, 1-32 characters.
PROVIDER_NAME_MAX = 32
# ClientNameType / UserPoolNameType
NAME_PATTERN = r"[\w\s+=,.@-]+"
NAME_MAX = 128
# ScopeType, ScopeListType
SCOPE_PATTERN = r"[\x21\x23-\x5B\x5D-\x7E]+"
SCOPE_MAX = 256
SCOPES_MAX = 50
# RedirectUrlType ([\p{L}\p{M}\p{S}\p{N}\p{P}]+), CallbackURLsListType, LogoutURLsListType
REDIRECT_URL_MAX = 1024
REDIRECT_URLS_MAX = 100
# ClientIdType (an app client's id, which Cognito makes)
APP_CLIENT_ID_PATTERN = r"[\w+]+"
APP_CLIENT_ID_MAX = 128
# UserPoolIdType
USER_POOL_ID_PATTERN = r"[\w-]+_[0-9a-zA-Z]+"
USER_POOL_ID_MAX = 55
# AttributeMappingKeyType
ATTRIBUTE_MAPPING_KEY_MAX = 32
# CustomAttributeNameType ([\p{L}\p{M}\p{S}\p{N}\p{P}]+, the name after "custom:")
CUSTOM_ATTRIBUTE_NAME_MAX = 20
# SchemaAttributesListType
SCHEMA_ATTRIBUTES_MAX = 50
# AttributeValueType: the longest value any user attribute holds, a mapped claim's included.
ATTRIBUTE_VALUE_MAX = 2048
# TagKeysType, TagValueType (UserPoolTagsType); the characters are AWS's tagging rule
# (^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$), which the model leaves out.
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
TAG_SYMBOLS = "_.:/=+-@"
TAG_RESERVED_PREFIX = "aws:"

# ClientPermissionType (a read or write attribute); the list shape has no maximum.
CLIENT_PERMISSION_MAX = 2048
# AccessTokenValidityType, IdTokenValidityType, RefreshTokenValidityType: the model's maxima are
# in seconds (1 day, 10 years); TokenValidityUnitsType's members state the durations allowed
# (access and ID tokens "from five minutes to one day", refresh tokens "from 60 minutes to 10
# years"), TimeUnitsType the units. A refresh token validity of 0 is replaced by AWS's default.
ACCESS_TOKEN_VALIDITY_MAX = 86400
ID_TOKEN_VALIDITY_MAX = 86400
REFRESH_TOKEN_VALIDITY_MAX = 315360000
TIME_UNITS = ("seconds", "minutes", "hours", "days")
# AuthSessionValidityType: minutes.
AUTH_SESSION_VALIDITY_MIN = 3
AUTH_SESSION_VALIDITY_MAX = 15
# RefreshTokenRotationType: FeatureType, RetryGracePeriodSecondsType.
FEATURE_STATES = ("ENABLED", "DISABLED")
RETRY_GRACE_PERIOD_MAX = 60
# PreventUserExistenceErrorTypes
USER_EXISTENCE_ERRORS = ("LEGACY", "ENABLED")
# UserPoolTierType, AdvancedSecurityModeType, PreTokenGenerationLambdaVersionType
USER_POOL_TIERS = ("LITE", "ESSENTIALS", "PLUS")
ADVANCED_SECURITY_MODES = ("OFF", "AUDIT", "ENFORCED")
PRE_TOKEN_GENERATION_VERSIONS = ("V1_0", "V2_0", "V3_0")
# ResourceServerIdentifierType, ResourceServerNameType, ResourceServerScopeNameType,
# ResourceServerScopeDescriptionType, ResourceServerScopeListType
RESOURCE_SERVER_IDENTIFIER_PATTERN = r"[\x21\x23-\x5B\x5D-\x7E]+"
RESOURCE_SERVER_IDENTIFIER_MAX = 256
RESOURCE_SERVER_NAME_MAX = 256
RESOURCE_SERVER_SCOPE_NAME_PATTERN = r"[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+"
RESOURCE_SERVER_SCOPE_NAME_MAX = 256
RESOURCE_SERVER_SCOPE_DESCRIPTION_MAX = 256
RESOURCE_SERVER_SCOPES_MAX = 100
# ArnType (a Lambda function, a log group, a Firehose stream), S3ArnType (a bucket)
ARN_PATTERN = (
    r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+"
    r"(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?"
)
ARN_MIN = 20
ARN_MAX = 2048
S3_ARN_PATTERN = r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:::[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?"
S3_ARN_MIN = 3
S3_ARN_MAX = 1024
# LogConfigurationListType, LogLevel, EventSourceName
LOG_CONFIGURATIONS_MAX = 2
LOG_LEVELS = ("ERROR", "INFO")
LOG_EVENT_SOURCES = ("userNotification", "userAuthEvents")

# Scopes Cognito itself issues; any other scope must be "<resource server>/<scope>".
COGNITO_SCOPES = ("openid", "email", "phone", "profile", "aws.cognito.signin.user.admin")

_SEPARATOR = "Z"  # Unicode category major class \p{Z}
_VISIBLE = ("L", "M", "S", "N", "P")  # \p{L}\p{M}\p{S}\p{N}\p{P}


def aws_length(value: str) -> int:
    """``value``'s length as AWS's services count it: UTF-16 code units (a character beyond
    U+FFFF is two). Never less than the code points, so the stricter reading of the model."""
    if value.isascii():
        return len(value)
    return len(value) + sum(1 for c in value if ord(c) > 0xFFFF)


def utf8_length(value: str) -> int:
    """``value``'s length as hashicorp/aws counts it where its validator is Go's ``len()``:
    UTF-8 bytes. Never less than :func:`aws_length`."""
    return len(value.encode("utf-8", "surrogatepass"))


def length_problem(value: str, minimum: int, maximum: int, *, in_bytes: bool = False) -> str | None:
    """Why ``value``'s length is outside ``minimum``-``maximum``, or None: counted in UTF-16 code
    units (AWS), or in UTF-8 bytes (``in_bytes``: where the provider counts bytes)."""
    count = utf8_length(value) if in_bytes else aws_length(value)
    if minimum <= count <= maximum:
        return None
    bounds = f"at most {maximum}" if minimum == 0 else f"{minimum} to {maximum}"
    if count == len(value):
        return f"must be {bounds} characters long (got {count})"
    if in_bytes:
        return (
            f"must be {bounds} bytes long in UTF-8, as the AWS provider counts "
            f"(got {count} bytes for {len(value)} characters)"
        )
    return (
        f"must be {bounds} characters long, counted in UTF-16 units as AWS counts "
        f"(got {count} for {len(value)} characters)"
    )


def _major(char: str) -> str:
    return unicodedata.category(char)[0]


def model_match(pattern: str, value: str) -> bool:
    """Whether ``value`` matches a model ``pattern`` as AWS's Java regexes do: whole, ASCII
    ``\\w``/``\\s``/``\\d``. Only for patterns without ``\\p{..}`` classes."""
    return re.fullmatch(pattern, value, re.ASCII) is not None


def visible_only(value: str) -> bool:
    """Whether every character is a letter, mark, symbol, digit or punctuation
    (``[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+``): no spaces, no control characters."""
    return bool(value) and all(_major(c) in _VISIBLE for c in value)


def provider_name_problem(name: str) -> str | None:
    """Why Cognito would refuse ``name`` as an identity provider name, or None."""
    problem = length_problem(name, 3, PROVIDER_NAME_MAX)
    if problem:
        return problem
    if invisible_characters(name):
        return "must not contain control or invisible characters"
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
    # The model's \s also admits tabs and newlines: a name is one line here.
    if len(name) > NAME_MAX or not model_match(NAME_PATTERN, name) or invisible_characters(name):
        return "must be 1 to 128 ASCII letters, digits, spaces or the characters _ + = , . @ -"
    return None


def custom_attribute_name_problem(name: str) -> str | None:
    """Why Cognito would refuse ``name`` (without ``custom:``) as a custom attribute name."""
    # hashicorp/aws validUserPoolSchemaName: len() of the name, in bytes.
    problem = length_problem(name, 1, CUSTOM_ATTRIBUTE_NAME_MAX, in_bytes=True)
    if problem:
        return problem
    if not visible_only(name):
        return "must hold only letters, digits, symbols and punctuation (no spaces)"
    return None


def domain_prefix_problem(prefix: str) -> str | None:
    """Why Cognito would refuse ``prefix`` as a hosted-UI domain prefix, or None."""
    if not model_match(DOMAIN_PREFIX_PATTERN, prefix):
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
    if not oauth_scope_ok(scope):
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


def oauth_scope_ok(scope: str) -> bool:
    """Whether ``scope`` is a ScopeType: 1-256 printable ASCII, no space, quote or backslash."""
    return len(scope) <= SCOPE_MAX and model_match(SCOPE_PATTERN, scope)


def app_client_id_problem(client_id: str) -> str | None:
    """Why ``client_id`` is not a Cognito app client id, or None; the caller shows the value.

    Not the Criipto application's Client ID/Realm (``federation.client_id_problem``), which
    Cognito presents to Criipto."""
    if len(client_id) > APP_CLIENT_ID_MAX or not model_match(APP_CLIENT_ID_PATTERN, client_id):
        return (
            "is not a Cognito app client id "
            "(1-128 ASCII letters, digits, underscores and plus signs)"
        )
    return None


def user_pool_id_ok(value: str) -> bool:
    return len(value) <= USER_POOL_ID_MAX and model_match(USER_POOL_ID_PATTERN, value)


def redirect_url_characters_ok(url: str) -> bool:
    """Whether ``url`` is a RedirectUrlType: 1-1024 letters, marks, symbols, digits and
    punctuation (no spaces, no control or format characters)."""
    return aws_length(url) <= REDIRECT_URL_MAX and visible_only(url)


def _tag_text_ok(text: str) -> bool:
    # \p{Z} but line and paragraph separators: a tag is one line.
    return all(
        c in TAG_SYMBOLS or _major(c) in ("L", "N") or unicodedata.category(c) == "Zs" for c in text
    )


def tag_key_problem(key: str) -> str | None:
    """Why AWS would refuse ``key`` as a resource tag key, or None."""
    problem = length_problem(key, 1, TAG_KEY_MAX)
    if problem:
        return problem
    if not _tag_text_ok(key):
        return f"must hold only letters, digits, spaces and {TAG_SYMBOLS}"
    if key.lower().startswith(TAG_RESERVED_PREFIX):
        return f'must not start with "{TAG_RESERVED_PREFIX}" (reserved by AWS)'
    return None


def tag_value_problem(value: str) -> str | None:
    """Why AWS would refuse ``value`` as a resource tag value, or None."""
    if aws_length(value) > TAG_VALUE_MAX:
        return length_problem(value, 0, TAG_VALUE_MAX)
    if not _tag_text_ok(value):
        return f"must hold only letters, digits, spaces and {TAG_SYMBOLS}"
    return None


def resource_server_identifier_problem(identifier: str) -> str | None:
    """Why Cognito would refuse ``identifier`` as a resource server identifier, or None."""
    return _pattern_problem(
        identifier,
        RESOURCE_SERVER_IDENTIFIER_PATTERN,
        RESOURCE_SERVER_IDENTIFIER_MAX,
        'spaces, quotes or backslashes (e.g. "https://api.acme.com" or "orders")',
    )


def resource_server_name_problem(name: str) -> str | None:
    """Why Cognito would refuse ``name`` as a resource server's name, or None."""
    if (
        len(name) > RESOURCE_SERVER_NAME_MAX
        or not model_match(NAME_PATTERN, name)
        or invisible_characters(name)
    ):
        return (
            f"must be 1 to {RESOURCE_SERVER_NAME_MAX} ASCII letters, digits, spaces or the "
            "characters _ + = , . @ -"
        )
    return None


def resource_server_scope_name_problem(name: str) -> str | None:
    """Why Cognito would refuse ``name`` as a custom scope of a resource server, or None."""
    return _pattern_problem(
        name,
        RESOURCE_SERVER_SCOPE_NAME_PATTERN,
        RESOURCE_SERVER_SCOPE_NAME_MAX,
        "spaces, quotes, slashes or backslashes",
    )


def _pattern_problem(value: str, pattern: str, maximum: int, without: str) -> str | None:
    """A printable-ASCII pattern of the model: why ``value`` breaks it, or None."""
    if len(value) > maximum or not model_match(pattern, value):
        return f"must be 1 to {maximum} printable ASCII characters without {without}"
    return None


def resource_server_scope_description_problem(description: str) -> str | None:
    """Why Cognito would refuse ``description`` for a custom scope, or None."""
    # hashicorp/aws (resource_server.go): validation.StringLenBetween(1, 256), in bytes.
    problem = length_problem(description, 1, RESOURCE_SERVER_SCOPE_DESCRIPTION_MAX, in_bytes=True)
    if problem:
        return problem
    if invisible_characters(description):
        return "must not contain control or invisible characters"
    return None


def arn_ok(value: str) -> bool:
    """Whether ``value`` is an ArnType (a function, log group or stream ARN)."""
    return ARN_MIN <= len(value) <= ARN_MAX and model_match(ARN_PATTERN, value)


def s3_arn_ok(value: str) -> bool:
    """Whether ``value`` is an S3ArnType (a bucket ARN, which has no region or account)."""
    return S3_ARN_MIN <= len(value) <= S3_ARN_MAX and model_match(S3_ARN_PATTERN, value)


# The domain's ManagedLoginVersion (WrappedIntegerType in the model): 1 is the classic hosted
# UI, 2 managed login ("User pool managed login" in AWS's developer guide).
MANAGED_LOGIN_VERSIONS = (1, 2)


def managed_login_version_problem(version: int) -> str | None:
    """Why ``version`` is not a managed login version, or None."""
    if version not in MANAGED_LOGIN_VERSIONS:
        return f"must be 1 (the classic hosted UI) or 2 (managed login) (got {version})"
    return None
