"""The Terraform addresses of what a stack makes: readable, stable, with no hash suffixes.

Users type these for ``terraform import`` and ``terraform state mv`` and read them in plans,
so they are fixed names rather than cdktf's path hashes. Names that come from the config (a
provider name, an app client's table key, a resource server's identifier) are turned into
Terraform identifiers by one rule, :func:`resource_name`, and the config check refuses two that
would meet (:func:`colliding_names`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

USER_POOL = "user_pool"  # aws_cognito_user_pool.user_pool
DOMAIN = "domain"  # aws_cognito_user_pool_domain.domain
APP_CLIENT = "app_client"  # aws_cognito_user_pool_client.app_client (the single-client table)
LOG_DELIVERY = "log_delivery"  # aws_cognito_log_delivery_configuration.log_delivery
FEDERATION = "federation"  # the CriiptoFederation construct (no Terraform name of its own)
# Parents in the construct tree of what there can be several of (one construct id each), so that
# a client or server named like another construct of the stack cannot clash with it.
APP_CLIENTS_SCOPE = "app_clients"
RESOURCE_SERVERS_SCOPE = "resource_servers"
BRANDING_SCOPE = "managed_login_branding"
TRIGGER_PERMISSIONS_SCOPE = "lambda_permissions"
# Every other name a stack gives at its top level (the provider, the variables, the module, the
# outputs): an identity provider's name, which is a top-level name too, must be none of these.
# tests/stacks/app/test_production_config.py synthesizes a stack with every feature and checks
# that this list holds every top-level name but the providers'.
STACK_NAMES = frozenset(
    {
        USER_POOL, DOMAIN, APP_CLIENT, LOG_DELIVERY, FEDERATION, APP_CLIENTS_SCOPE,
        RESOURCE_SERVERS_SCOPE, BRANDING_SCOPE, TRIGGER_PERMISSIONS_SCOPE, "aws", "backend",
        "criipto_client_secret",
        "criipto_api_token", "criipto_application", "user_pool_id", "app_client_id",
        "hosted_domain", "criipto_callback_url", "login_url", "login_urls",
        "criipto_application_id", "custom_domain_alias_target", "app_client_ids",
        "app_client_login_urls",
    }
)  # fmt: skip
# The Criipto module is module.criipto_application (criipto.module_writer.MODULE_ADDRESS_NAME).

IDENTITY_PROVIDER_TYPE = "aws_cognito_identity_provider"
APP_CLIENT_TYPE = "aws_cognito_user_pool_client"
RESOURCE_SERVER_TYPE = "aws_cognito_resource_server"
# A name that would not start with a letter gets one of these prefixes.
_IDENTITY_PROVIDER_PREFIX = "idp"
_APP_CLIENT_PREFIX = "client"
_RESOURCE_SERVER_PREFIX = "api"


def resource_name(text: str, prefix: str) -> str:
    """``text`` as a Terraform identifier: lowercase ASCII letters, digits and underscores.

    ``Criipto`` -> ``criipto``, ``SE-BankID`` -> ``se_bankid``, ``https://api.acme.com`` ->
    ``https_api_acme_com``. Accents are dropped (``Å`` -> ``a``), every run of other characters
    becomes one ``_``, and a name that would not start with a letter gets ``<prefix>_``.
    Different texts can meet (``Bank-ID`` and ``Bank.ID``): the config check refuses that.
    """
    ascii_only = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "_", ascii_only.lower()).strip("_")
    if not name or not name[0].isalpha():
        name = f"{prefix}_{name}".rstrip("_")
    return name


def identity_provider_name(provider_name: str) -> str:
    """The resource name of the identity provider called ``provider_name``."""
    return resource_name(provider_name, _IDENTITY_PROVIDER_PREFIX)


def identity_provider_address(provider_name: str) -> str:
    """The full address, e.g. ``aws_cognito_identity_provider.se_bankid``."""
    return f"{IDENTITY_PROVIDER_TYPE}.{identity_provider_name(provider_name)}"


def app_client_name(key: str) -> str:
    """The resource name of the client ``[app_clients.<key>]``: ``Web-App`` -> ``web_app``."""
    return resource_name(key, _APP_CLIENT_PREFIX)


def resource_server_name(identifier: str) -> str:
    """The resource name of the resource server ``identifier``."""
    return resource_name(identifier, _RESOURCE_SERVER_PREFIX)


def colliding_names(
    texts: Iterable[str], name_of: Callable[[str], str]
) -> list[tuple[str, str, str]]:
    """(first text, second text, shared name) for each text whose name an earlier one has."""
    seen: dict[str, str] = {}
    found = []
    for text in texts:
        name = name_of(text)
        if name in seen:
            found.append((seen[name], text, name))
        else:
            seen[name] = text
    return found


_PREFIX = re.compile(r"[a-z][a-z0-9_]{0,31}")


def prefix_problem(prefix: str) -> str | None:
    """Why ``prefix`` cannot start the Terraform names of a federation, or None ("" is none)."""
    if prefix and not _PREFIX.fullmatch(prefix):
        return (
            f"{prefix!r} must be 1 to 32 lowercase letters, digits and _, starting with a "
            "letter (it starts Terraform names)"
        )
    return None


def prefixed(prefix: str, name: str) -> str:
    """``name`` after ``prefix`` (``partners_app_client``); without a prefix, ``name``."""
    return f"{prefix}_{name}" if prefix else name
