"""The Terraform addresses of what a stack makes: readable, stable, with no hash suffixes.

Users type these for ``terraform import`` and ``terraform state mv`` and read them in plans,
so they are fixed names rather than cdktf's path hashes. The federation plan uses
``identity_provider_name`` to refuse two providers that would share an address.
"""

from __future__ import annotations

import re
import unicodedata

USER_POOL = "user_pool"  # aws_cognito_user_pool.user_pool
DOMAIN = "domain"  # aws_cognito_user_pool_domain.domain
APP_CLIENT = "app_client"  # aws_cognito_user_pool_client.app_client
# The Criipto module is module.criipto_application (criipto.module_writer.MODULE_ADDRESS_NAME).
IDENTITY_PROVIDER_TYPE = "aws_cognito_identity_provider"


def identity_provider_name(provider_name: str) -> str:
    """The resource name of the identity provider called ``provider_name``.

    Lowercase ASCII letters, digits and underscores, so a Terraform identifier:
    ``Criipto`` -> ``criipto``, ``SE-BankID`` -> ``se_bankid``. Accents are dropped
    (``Å`` -> ``a``), every run of other characters becomes one ``_``, and a name that would
    not start with a letter gets the prefix ``idp_``. Different provider names can meet
    (``Bank-ID`` and ``Bank.ID``, ``MitID`` and ``mitid``): the config check refuses that.
    """
    ascii_only = unicodedata.normalize("NFKD", provider_name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "_", ascii_only.lower()).strip("_")
    if not name or not name[0].isalpha():
        name = f"idp_{name}".rstrip("_")
    return name


def identity_provider_address(provider_name: str) -> str:
    """The full address, e.g. ``aws_cognito_identity_provider.se_bankid``."""
    return f"{IDENTITY_PROVIDER_TYPE}.{identity_provider_name(provider_name)}"
