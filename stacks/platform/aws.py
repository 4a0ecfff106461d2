"""The one module that loads the prebuilt AWS provider bindings, those of the chosen platform.

Why not a plain import of the bindings package (``chosen_platform().bindings``): CDK for
Terraform's ``__init__`` imports all 2,213 resource submodules, which costs 15-30 s and over a
gigabyte on a small machine. Each submodule only needs the package's ``_jsii`` assembly, so we
register the package without running its ``__init__``, load ``_jsii`` and the few submodules
the stacks use. (CDK Terrain's ``__init__`` loads its 2,435 submodules on first use, so there
this saves little; one path serves both.) The synthesized JSON is byte-identical
(``tests/stacks/platform/test_aws.py`` proves it against the plain import, on each platform).

If the package layout ever changes (no ``_jsii``, a submodule moved), we fall back to the plain
import: slow but correct. ``CRIIPTO_COGNITO_PLAIN_AWS_IMPORT=1`` forces that path.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from typing import Any

from stacks.platform.choice import chosen_platform

PACKAGE = chosen_platform().bindings
PLAIN_IMPORT_ENV_VAR = "CRIIPTO_COGNITO_PLAIN_AWS_IMPORT"
SUBMODULES = (
    "provider",
    "cognito_user_pool",
    "cognito_user_pool_domain",
    "cognito_identity_provider",
    "cognito_user_pool_client",
    "cognito_resource_server",
    "cognito_managed_login_branding",
    "cognito_log_delivery_configuration",
    "lambda_permission",
    "data_aws_secretsmanager_secret_version",
    "data_aws_ssm_parameter",
)


def _load_selectively() -> dict[str, types.ModuleType]:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{PACKAGE} is not installed as a package")
    if PACKAGE not in sys.modules:
        # An empty package object: submodules resolve against its __path__, and its
        # __init__ (the import of everything) never runs.
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package
        try:
            importlib.import_module(f"{PACKAGE}._jsii")
        except BaseException:
            del sys.modules[PACKAGE]
            raise
    return {name: importlib.import_module(f"{PACKAGE}.{name}") for name in SUBMODULES}


def _load_plainly() -> dict[str, types.ModuleType]:
    package: Any = importlib.import_module(PACKAGE)
    return {name: getattr(package, name) for name in SUBMODULES}


def _load() -> dict[str, types.ModuleType]:
    if os.environ.get(PLAIN_IMPORT_ENV_VAR) == "1":
        return _load_plainly()
    try:
        return _load_selectively()
    except ImportError:
        return _load_plainly()


_modules = _load()

AwsProvider: Any = _modules["provider"].AwsProvider
AwsProviderDefaultTags: Any = _modules["provider"].AwsProviderDefaultTags
CognitoUserPool: Any = _modules["cognito_user_pool"].CognitoUserPool
CognitoUserPoolAdminCreateUserConfig: Any = _modules[
    "cognito_user_pool"
].CognitoUserPoolAdminCreateUserConfig
CognitoUserPoolSchema: Any = _modules["cognito_user_pool"].CognitoUserPoolSchema
CognitoUserPoolSchemaStringAttributeConstraints: Any = _modules[
    "cognito_user_pool"
].CognitoUserPoolSchemaStringAttributeConstraints
CognitoUserPoolDomain: Any = _modules["cognito_user_pool_domain"].CognitoUserPoolDomain
CognitoIdentityProvider: Any = _modules["cognito_identity_provider"].CognitoIdentityProvider
CognitoUserPoolClient: Any = _modules["cognito_user_pool_client"].CognitoUserPoolClient
CognitoUserPoolClientTokenValidityUnits: Any = _modules[
    "cognito_user_pool_client"
].CognitoUserPoolClientTokenValidityUnits
CognitoUserPoolClientRefreshTokenRotation: Any = _modules[
    "cognito_user_pool_client"
].CognitoUserPoolClientRefreshTokenRotation
CognitoUserPoolUserPoolAddOns: Any = _modules["cognito_user_pool"].CognitoUserPoolUserPoolAddOns
CognitoUserPoolLambdaConfig: Any = _modules["cognito_user_pool"].CognitoUserPoolLambdaConfig
CognitoUserPoolLambdaConfigPreTokenGenerationConfig: Any = _modules[
    "cognito_user_pool"
].CognitoUserPoolLambdaConfigPreTokenGenerationConfig
CognitoResourceServer: Any = _modules["cognito_resource_server"].CognitoResourceServer
CognitoResourceServerScope: Any = _modules["cognito_resource_server"].CognitoResourceServerScope
CognitoManagedLoginBranding: Any = _modules[
    "cognito_managed_login_branding"
].CognitoManagedLoginBranding
_log_delivery = _modules["cognito_log_delivery_configuration"]
CognitoLogDeliveryConfiguration: Any = _log_delivery.CognitoLogDeliveryConfiguration
CognitoLogDeliveryConfigurationLogConfigurations: Any = (
    _log_delivery.CognitoLogDeliveryConfigurationLogConfigurations
)
CognitoLogDeliveryConfigurationLogConfigurationsCloudWatchLogsConfiguration: Any = (
    _log_delivery.CognitoLogDeliveryConfigurationLogConfigurationsCloudWatchLogsConfiguration
)
CognitoLogDeliveryConfigurationLogConfigurationsS3Configuration: Any = (
    _log_delivery.CognitoLogDeliveryConfigurationLogConfigurationsS3Configuration
)
CognitoLogDeliveryConfigurationLogConfigurationsFirehoseConfiguration: Any = (
    _log_delivery.CognitoLogDeliveryConfigurationLogConfigurationsFirehoseConfiguration
)
LambdaPermission: Any = _modules["lambda_permission"].LambdaPermission
DataAwsSecretsmanagerSecretVersion: Any = _modules[
    "data_aws_secretsmanager_secret_version"
].DataAwsSecretsmanagerSecretVersion
DataAwsSsmParameter: Any = _modules["data_aws_ssm_parameter"].DataAwsSsmParameter
