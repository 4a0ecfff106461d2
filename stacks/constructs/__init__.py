"""The public construct library: Criipto federation for any CDKTF stack, as AWS CDK's index.ts.

Everything a CDKTF app needs is importable from here (``from stacks.constructs import
CriiptoFederation``); ``docs/library.md`` describes each construct and its props. The
constructs know nothing of the TOML config (``stacks/app/`` is the app that reads it): they take
literal values or tokens of your own resources, check each literal prop when made and raise
``PropError`` naming the prop. Every exception the project raises stands under
``CriiptoCognitoError`` (``criipto/errors.py``).
"""

from criipto.errors import CriiptoCognitoError
from stacks.constructs.app_client import AppClientOptions, FederatedAppClient
from stacks.constructs.criipto_application import CriiptoApplication
from stacks.constructs.criipto_federation import (
    PICKER,
    CriiptoFederation,
    ExternalApplication,
    ManagedApplication,
)
from stacks.constructs.criipto_identity_provider import CriiptoIdentityProvider
from stacks.constructs.hosted_domain import HostedDomain
from stacks.constructs.log_delivery import LogDelivery
from stacks.constructs.managed_login_branding import ManagedLoginBranding
from stacks.constructs.resource_server import ResourceServer
from stacks.constructs.stored_client_secret import StoredClientSecret
from stacks.constructs.trigger_permissions import TriggerPermissions
from stacks.constructs.user_pool import FederationUserPool
from stacks.constructs.user_pool_features import user_pool_arguments
from stacks.rules.federation import default_realm, prefix_domain_host
from stacks.rules.federation_plan import FederationOptions, FederationPlan, ProviderPlan
from stacks.rules.log_delivery import (
    CloudWatchLogsConfiguration,
    FirehoseConfiguration,
    LogConfiguration,
    S3Configuration,
)
from stacks.rules.pool_features import UserPoolAddOns, UserPoolFeatures
from stacks.rules.problems import PropError
from stacks.rules.resource_servers import ResourceServerOptions
from stacks.rules.secret_source import ClientSecretSource
from stacks.rules.tokens import RefreshTokenRotation, TokenValidityUnits
from stacks.rules.triggers import LambdaConfig, PreTokenGenerationConfig

__all__ = [
    "PICKER",
    "AppClientOptions",
    "ClientSecretSource",
    "CloudWatchLogsConfiguration",
    "CriiptoApplication",
    "CriiptoCognitoError",
    "CriiptoFederation",
    "CriiptoIdentityProvider",
    "ExternalApplication",
    "FederatedAppClient",
    "FederationOptions",
    "FederationPlan",
    "FederationUserPool",
    "FirehoseConfiguration",
    "HostedDomain",
    "LambdaConfig",
    "LogConfiguration",
    "LogDelivery",
    "ManagedApplication",
    "ManagedLoginBranding",
    "PreTokenGenerationConfig",
    "PropError",
    "ProviderPlan",
    "RefreshTokenRotation",
    "ResourceServer",
    "ResourceServerOptions",
    "S3Configuration",
    "StoredClientSecret",
    "TokenValidityUnits",
    "TriggerPermissions",
    "UserPoolAddOns",
    "UserPoolFeatures",
    "default_realm",
    "prefix_domain_host",
    "user_pool_arguments",
]
