"""The public construct library: Criipto federation for any CDKTF stack, as AWS CDK's index.ts.

Everything a CDKTF app needs is importable from here (``from stacks.constructs import
CriiptoFederation``); ``docs/library.md`` describes each construct and its props. The
constructs know nothing of the TOML config (``stacks/app/`` is the app that reads it): they take
literal values or tokens of your own resources, check each literal prop when made and raise
``PropError`` naming the prop.
"""

from stacks.constructs.app_client import AppClientOptions, FederatedAppClient
from stacks.constructs.criipto_application import CriiptoApplication
from stacks.constructs.criipto_federation import (
    PICKER,
    CriiptoFederation,
    ExternalApplication,
    ManagedApplication,
)
from stacks.constructs.criipto_identity_provider import CriiptoIdentityProvider
from stacks.rules.federation import default_realm, prefix_domain_host
from stacks.rules.federation_plan import FederationOptions, FederationPlan, ProviderPlan
from stacks.rules.problems import PropError

__all__ = [
    "PICKER",
    "AppClientOptions",
    "CriiptoApplication",
    "CriiptoFederation",
    "CriiptoIdentityProvider",
    "ExternalApplication",
    "FederatedAppClient",
    "FederationOptions",
    "FederationPlan",
    "ManagedApplication",
    "PropError",
    "ProviderPlan",
    "default_realm",
    "prefix_domain_host",
]
