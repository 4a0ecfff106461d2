"""How many items each list and table of the config may hold: the one table of maxima.

AWS's own limit where it has one (botocore's ``cognito-idp`` model, or a documented quota);
where the list names things this project knows (eIDs, dashboard settings, claims), their number;
else a bound far above any real config. Every bound keeps the largest accepted config a synth of
seconds (``make bench`` measures it: tools/largest_config.py builds that config). The loader
refuses a longer list before it looks at a single item, so a file of half a million tags
answers at once. docs/config-limits.md lists the table; a test keeps the two the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from criipto import contract
from criipto import eids as known
from stacks.rules import cognito as rules

_USABLE_EIDS = sum(1 for eid in known.KNOWN_EIDS if eid.unsupported_reason is None)
_RETURNED_CLAIMS = len(
    {
        claim.name
        for eid in known.KNOWN_EIDS
        if eid.unsupported_reason is None
        for claim in eid.claims
        if eid.returns(claim.name)
    }
)


@dataclass(frozen=True)
class Limit:
    """At most ``maximum`` items under ``key`` (below ``[environments.<name>]`` unless the key
    is top-level), counted as ``noun``; ``source`` says where the number comes from."""

    key: str
    maximum: int
    noun: str
    source: str


ENVIRONMENTS = Limit(
    "environments",
    20,
    "environments",
    "one Terraform stack each, synthesized in one run; far above dev, test, staging, prod",
)
TAGS = Limit(
    "tags",
    48,
    "tags",
    "AWS allows 50 tags per resource, and every stack adds 2 (ManagedBy, Environment)",
)
EXISTING_CUSTOM_ATTRIBUTES = Limit(
    "user_pool.existing_custom_attributes",
    rules.SCHEMA_ATTRIBUTES_MAX,
    "attributes",
    "a user pool holds at most 50 custom attributes (AWS quota)",
)
APPLICATION_TAGS = Limit(
    "criipto.tags",
    50,
    "tags",
    f"the management contract sets none; far above real use (each at most {contract.TAG_MAX} "
    "characters)",
)
AUTHORIZE_SCOPES = Limit(
    "criipto.authorize_scopes",
    rules.SCOPES_MAX,
    "scopes",
    "Cognito's limit for a scope list (ScopeListType)",
)
EIDS = Limit(
    "criipto.eids",
    _USABLE_EIDS,
    "eIDs",
    "the eIDs this project can federate (criipto/eids.py), each at most once",
)
PROVIDER_NAMES = Limit(
    "criipto.provider_names", _USABLE_EIDS, "entries", "one per eID in criipto.eids"
)
ATTRIBUTE_MAPPING = Limit(
    "criipto.attribute_mapping",
    _RETURNED_CLAIMS,
    "claims",
    "the claims the known eIDs can return through Cognito (criipto/eids.py), each once",
)
EID_SCOPES = Limit("criipto.eid_scopes", _USABLE_EIDS, "entries", "one per eID in criipto.eids")
EID_SCOPE_LIST = Limit(
    "criipto.eid_scopes.<eID>",
    rules.SCOPES_MAX,
    "scopes",
    "Cognito's limit for a scope list (ScopeListType)",
)
DASHBOARD_SETTINGS = Limit(
    "criipto.dashboard_settings",
    len(known.DASHBOARD_SETTINGS),
    "settings",
    "the dashboard settings this project knows (criipto/eids.py), each at most once",
)
CALLBACK_URLS = Limit(
    "app_client.callback_urls",
    rules.REDIRECT_URLS_MAX,
    "URLs",
    "Cognito's limit (CallbackURLsListType)",
)
LOGOUT_URLS = Limit(
    "app_client.logout_urls",
    rules.REDIRECT_URLS_MAX,
    "URLs",
    "Cognito's limit (LogoutURLsListType)",
)
OAUTH_SCOPES = Limit(
    "app_client.oauth_scopes",
    rules.SCOPES_MAX,
    "scopes",
    "Cognito's limit for a scope list (ScopeListType)",
)
READ_ATTRIBUTES = Limit(
    "app_client.read_attributes",
    len(rules.STANDARD_ATTRIBUTES) + rules.SCHEMA_ATTRIBUTES_MAX,
    "attributes",
    f"every attribute a pool can hold: {len(rules.STANDARD_ATTRIBUTES)} standard and at most "
    f"{rules.SCHEMA_ATTRIBUTES_MAX} custom, each once",
)
WRITE_ATTRIBUTES = Limit(
    "app_client.write_attributes",
    len(rules.STANDARD_ATTRIBUTES) + rules.SCHEMA_ATTRIBUTES_MAX,
    "attributes",
    "as for read_attributes",
)
APP_CLIENTS = Limit(
    "app_clients",
    10,
    "clients",
    "far above real use (a web app, a backend, a mobile app, …); each client's lists have "
    "the maxima of app_client's",
)
RESOURCE_SERVERS = Limit(
    "resource_servers",
    10,
    "resource servers",
    "far above real use; each scope a client asks for names one",
)
RESOURCE_SERVER_SCOPES = Limit(
    "resource_servers.<identifier>.scopes",
    rules.RESOURCE_SERVER_SCOPES_MAX,
    "scopes",
    "Cognito's limit (ResourceServerScopeListType)",
)
LOG_CONFIGURATIONS = Limit(
    "log_delivery_configuration.log_configurations",
    rules.LOG_CONFIGURATIONS_MAX,
    "configurations",
    "Cognito's limit (LogConfigurationListType): one per event source",
)
BACKEND_TAGS = Limit(
    "backend.tags",
    20,
    "tags",
    "Terraform Cloud workspace tags to select by; far above real use",
)

LIMITS = (
    ENVIRONMENTS,
    TAGS,
    EXISTING_CUSTOM_ATTRIBUTES,
    APPLICATION_TAGS,
    AUTHORIZE_SCOPES,
    EIDS,
    PROVIDER_NAMES,
    ATTRIBUTE_MAPPING,
    EID_SCOPES,
    EID_SCOPE_LIST,
    DASHBOARD_SETTINGS,
    CALLBACK_URLS,
    LOGOUT_URLS,
    OAUTH_SCOPES,
    READ_ATTRIBUTES,
    WRITE_ATTRIBUTES,
    APP_CLIENTS,
    RESOURCE_SERVERS,
    RESOURCE_SERVER_SCOPES,
    LOG_CONFIGURATIONS,
    BACKEND_TAGS,
)
# The lists of each [app_clients.<key>] table have the maxima of [app_client]'s.
_EACH_CLIENT = ("app_clients", "app_client")


def too_many(keys: Sequence[str | int], maximum: int, found: int | None) -> str:
    """The problem line's message for the list or table at ``keys`` (below the environment,
    or top-level), over its maximum."""
    if len(keys) > 2 and keys[0] == _EACH_CLIENT[0]:
        keys = (_EACH_CLIENT[1], *keys[2:])
    limit = next((limit for limit in LIMITS if _matches(limit.key, keys)), None)
    noun = limit.noun if limit is not None else "items"
    return f"at most {maximum} {noun}" + (f" (got {found})" if found is not None else "")


def _matches(key: str, keys: Sequence[str | int]) -> bool:
    parts = key.split(".")
    return len(parts) == len(keys) and all(
        part == str(given) or part.startswith("<") for part, given in zip(parts, keys, strict=True)
    )


def markdown_table() -> str:
    """The table as docs/config-limits.md shows it (a test keeps the two identical)."""
    rows = ["| key | at most | why this number |", "| --- | --- | --- |"]
    rows += [f"| `{limit.key}` | {limit.maximum} | {limit.source} |" for limit in LIMITS]
    return "\n".join(rows)
