"""The federation config: one typed model, every rule checked before anything is built.

The rules themselves live in ``stacks/rules/``; the eID rules, in ``FederationOptions``, run
once here, and the checked plan is what the stack builds. No cdktf: a rejected config answers
without loading the platform, in a fraction of a synth's time.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Annotated, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from criipto import contract
from stacks.config.backend import DEFAULT_BACKEND, BackendConfig
from stacks.config.base import Model, rule
from stacks.config.terraform import DEFAULT_TERRAFORM, TerraformConfig
from stacks.rules import addresses, limits
from stacks.rules import cognito as rules
from stacks.rules.app_clients import (
    client_key_problem,
    client_path,
    client_set_problems,
    mapped_attributes,
)
from stacks.rules.common import (
    hostname_problem,
    key_path,
    region_problem,
    shown,
)
from stacks.rules.environment import environment_problems
from stacks.rules.federation import (
    DEFAULT_OAUTH_SCOPES,
    authorize_scopes_problem,
    client_id_problem,
    default_realm,
    management_api_url_problem,
    oauth_scopes_problem,
    prefix_domain_host,
    redirect_urls_problem,
    user_pool_id_problem,
)
from stacks.rules.federation_plan import (
    CUSTOM_PREFIX,
    FederationOptions,
    FederationPlan,
    read_attributes_problem,
)
from stacks.rules.log_delivery import (
    CloudWatchLogsConfiguration,
    Destination,
    FirehoseConfiguration,
    LogConfiguration,
    S3Configuration,
)
from stacks.rules.pool_features import UserPoolAddOns, UserPoolFeatures
from stacks.rules.problems import PropError
from stacks.rules.resource_servers import (
    ResourceServerOptions,
    address_problems,
    identifier_problem,
)
from stacks.rules.tokens import (
    ACCESS_TOKEN,
    DEFAULT_UNITS,
    ID_TOKEN,
    REFRESH_TOKEN,
    RefreshTokenRotation,
    TimeUnit,
    TokenValidityUnits,
    auth_session_validity_problem,
    token_lifetime_problems,
)
from stacks.rules.triggers import LambdaConfig, PreTokenGenerationConfig, function_arn_problem

_ENVIRONMENT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,62}")
# Properties every JavaScript object has: jsii keeps a scope's children by name in such an
# object, so an environment (stack) named like one collides with it and synth fails.
_JS_OBJECT_PROPERTIES = frozenset(
    {
        "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable",
        "toLocaleString", "toString", "valueOf",
    }
)  # fmt: skip
managed_login_version_problem = rules.managed_login_version_problem
_ACM_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:acm:(?P<region>[a-z0-9-]+):[0-9]{12}:certificate/[0-9a-f-]{36}"
)


class UserPoolAddOnsTable(Model):
    """``user_pool_add_ons``: threat protection."""

    advanced_security_mode: Literal["OFF", "AUDIT", "ENFORCED"]


class PreTokenGenerationConfigTable(Model):
    """``lambda_config.pre_token_generation_config``: the function and its event version."""

    lambda_arn: str
    lambda_version: Literal["V1_0", "V2_0", "V3_0"]

    _lambda_arn = field_validator("lambda_arn")(rule(function_arn_problem))


class LambdaConfigTable(Model):
    """``lambda_config``: the triggers of a new pool, each a Lambda function ARN."""

    pre_sign_up: str | None = None
    post_confirmation: str | None = None
    pre_authentication: str | None = None
    post_authentication: str | None = None
    pre_token_generation_config: PreTokenGenerationConfigTable | None = None

    _arns = field_validator(
        "pre_sign_up", "post_confirmation", "pre_authentication", "post_authentication"
    )(rule(function_arn_problem))

    def options(self) -> LambdaConfig:
        pre_token = self.pre_token_generation_config
        return LambdaConfig(
            **self.model_dump(exclude={"pre_token_generation_config"}),
            pre_token_generation_config=(
                PreTokenGenerationConfig(**pre_token.model_dump()) if pre_token else None
            ),
        )


# Keys of a pool the stack creates, never of an existing one (its settings are its owner's).
_NEW_POOL_ONLY = ("deletion_protection", "user_pool_tier", "user_pool_add_ons", "lambda_config")


class UserPoolConfig(Model):
    """A new pool (``name``) or an existing one (``existing_id``), never both."""

    name: str | None = None
    existing_id: str | None = None
    deletion_protection: bool = True
    # An existing pool's custom attributes (without "custom:"): this stack cannot add any.
    existing_custom_attributes: list[str] = Field(
        default_factory=list, max_length=limits.EXISTING_CUSTOM_ATTRIBUTES.maximum
    )
    # Unset: AWS's default for a new pool (ESSENTIALS), and no change to an existing plan.
    user_pool_tier: Literal["LITE", "ESSENTIALS", "PLUS"] | None = None
    user_pool_add_ons: UserPoolAddOnsTable | None = None
    lambda_config: LambdaConfigTable | None = None

    _name = field_validator("name")(rule(rules.name_problem))

    _existing_id = field_validator("existing_id")(rule(user_pool_id_problem))

    @field_validator("existing_custom_attributes")
    @classmethod
    def _existing_custom_attributes(cls, value: list[str]) -> list[str]:
        for name in value:
            problem = rules.custom_attribute_name_problem(name)
            if problem:
                raise ValueError(f"{shown(name)}: {problem} (give the name without custom:)")
        return value

    @model_validator(mode="after")
    def _one_pool(self) -> Self:
        if (self.name is None) == (self.existing_id is None):
            raise ValueError("set exactly one of name (a new pool) or existing_id (attach)")
        if self.existing_id is not None:
            for key in _NEW_POOL_ONLY:
                if key in self.model_fields_set:
                    raise PropError(key, "applies only to a pool this stack creates (name)")
        if self.existing_id is None and self.existing_custom_attributes:
            raise PropError("existing_custom_attributes", "applies only with existing_id")
        _ = self.features  # the plan has every feature asked for
        return self

    @cached_property
    def features(self) -> UserPoolFeatures:
        """The plan and what depends on it, checked (once: the stack builds from it)."""
        add_ons, triggers = self.user_pool_add_ons, self.lambda_config
        return UserPoolFeatures(
            user_pool_tier=self.user_pool_tier,
            user_pool_add_ons=UserPoolAddOns(**add_ons.model_dump()) if add_ons else None,
            lambda_config=triggers.options() if triggers else None,
        )

    @property
    def region_of_existing(self) -> str | None:
        return self.existing_id.split("_", 1)[0] if self.existing_id else None


class DomainConfig(Model):
    """The hosted-UI domain: a Cognito prefix, or a custom domain with its certificate."""

    prefix: str | None = None
    custom: str | None = None
    certificate_arn: str | None = None
    # Unset: what AWS gives the domain (the classic hosted UI for one made through the API).
    managed_login_version: int | None = None

    _prefix = field_validator("prefix")(rule(rules.domain_prefix_problem))
    _managed_login = field_validator("managed_login_version")(rule(managed_login_version_problem))
    _custom = field_validator("custom")(rule(hostname_problem))

    @field_validator("certificate_arn")
    @classmethod
    def _certificate(cls, value: str) -> str:
        match = _ACM_ARN.fullmatch(value)
        if not match:
            raise ValueError(f"{shown(value)} is not an ACM certificate ARN")
        if match["region"] != "us-east-1":
            raise ValueError(
                f"the certificate is in {match['region']}; Cognito custom domains need one "
                "in us-east-1 (CloudFront serves the hosted UI)"
            )
        return value

    @model_validator(mode="after")
    def _one_domain(self) -> Self:
        if (self.prefix is None) == (self.custom is None):
            raise ValueError("set exactly one of prefix (Cognito domain) or custom (own domain)")
        if self.custom is not None and self.certificate_arn is None:
            raise PropError("certificate_arn", "required with custom (an ACM ARN in us-east-1)")
        if self.prefix is not None and self.certificate_arn is not None:
            raise PropError("certificate_arn", "applies only to a custom domain")
        return self

    def hosted_domain(self, region: str) -> str:
        """The host name the hosted UI answers on."""
        if self.custom is not None:
            return self.custom
        return prefix_domain_host(self.prefix or "", region)


def _attribute_or_false(value: object) -> object:
    if not isinstance(value, str | bool):
        raise ValueError('must be a Cognito attribute (a string, e.g. "name") or false')
    return value


class CriiptoConfig(Model):
    """The Criipto (Idura) side: which domain, and who owns the application."""

    domain: str
    # Picker mode only; unset, the FederationOptions defaults ("Criipto", ["openid"]).
    provider_name: str | None = None
    client_id: str | None = None
    # External (the default) works with every Idura tenant: the application is made in the
    # dashboard. Managed needs a management API that Idura does not publish (an adapter).
    mode: Literal["managed", "external"] = "external"
    management_api_url: str | None = None
    application_name: str | None = None
    tags: list[str] = Field(default_factory=list, max_length=limits.APPLICATION_TAGS.maximum)
    authorize_scopes: (
        Annotated[list[str], Field(max_length=limits.AUTHORIZE_SCOPES.maximum)] | None
    ) = None
    # Optional: one provider per eID (short names or acr URNs) instead of Criipto's picker.
    eids: list[str] = Field(default_factory=list, max_length=limits.EIDS.maximum)
    provider_names: dict[str, str] = Field(
        default_factory=dict, max_length=limits.PROVIDER_NAMES.maximum
    )
    # claim -> Cognito attribute ("name", "custom:x"), or false to drop a preset mapping.
    attribute_mapping: dict[str, Annotated[str | bool, BeforeValidator(_attribute_or_false)]] = (
        Field(default_factory=dict, max_length=limits.ATTRIBUTE_MAPPING.maximum)
    )
    store_national_identifiers: bool = False
    # With eids: eID -> scopes beyond what the mapped claims need (those are added anyway).
    eid_scopes: dict[str, Annotated[list[str], Field(max_length=limits.EID_SCOPE_LIST.maximum)]] = (
        Field(default_factory=dict, max_length=limits.EID_SCOPES.maximum)
    )
    # Idura dashboard switches that are on (criipto.eids.DASHBOARD_SETTINGS), which some claims
    # need and which nothing here can set or see.
    dashboard_settings: list[str] = Field(
        default_factory=list, max_length=limits.DASHBOARD_SETTINGS.maximum
    )

    _domain = field_validator("domain")(rule(hostname_problem))
    _provider_name = field_validator("provider_name")(rule(rules.provider_name_problem))
    _application_name = field_validator("application_name")(rule(contract.application_name_problem))
    _tags = field_validator("tags")(rule(contract.tags_problem))

    _client_id = field_validator("client_id")(rule(client_id_problem))

    @field_validator("management_api_url")
    @classmethod
    def _management_api_url(cls, value: str) -> str:
        return rule(management_api_url_problem)(value).rstrip("/")

    _authorize_scopes = field_validator("authorize_scopes")(rule(authorize_scopes_problem))

    @model_validator(mode="after")
    def _mode_keys(self) -> Self:
        managed_only = ("management_api_url", "application_name", "tags")
        if self.mode == "external":
            for key in managed_only:
                if key in self.model_fields_set and "mode" not in self.model_fields_set:
                    # Managed was the default once: name the key and the one-line fix.
                    raise PropError(
                        key,
                        'applies only to mode = "managed", and the default mode is "external" '
                        'now: add mode = "managed" to this table to keep managed mode',
                    )
            if self.client_id is None:
                raise PropError(
                    "client_id", "required in external mode (the application's Client ID/Realm)"
                )
            for key in managed_only:
                if key in self.model_fields_set:
                    raise PropError(key, 'applies only to mode = "managed"')
        elif self.management_api_url is None:
            raise PropError(
                "management_api_url",
                'required in managed mode (or set mode = "external" to manage the '
                "application by hand)",
            )
        _ = self.federation  # every eID, name, address and mapping problem, before any build
        return self

    @cached_property
    def federation(self) -> FederationOptions:
        """The federation this table asks for, checked and planned (once: the stack builds it)."""
        return FederationOptions(
            provider_name=self.provider_name,
            authorize_scopes=self.authorize_scopes,
            eids=self.eids,
            provider_names=self.provider_names,
            attribute_mapping=self.attribute_mapping,
            store_national_identifiers=self.store_national_identifiers,
            eid_scopes=self.eid_scopes,
            dashboard_settings=self.dashboard_settings,
        )

    @property
    def plan(self) -> FederationPlan:
        """The identity providers and custom attributes this config asks for."""
        return self.federation.plan


class TokenValidityUnitsTable(Model):
    """``token_validity_units``: the unit of each lifetime (AWS's defaults)."""

    access_token: TimeUnit = DEFAULT_UNITS.access_token
    id_token: TimeUnit = DEFAULT_UNITS.id_token
    refresh_token: TimeUnit = DEFAULT_UNITS.refresh_token

    def options(self) -> TokenValidityUnits:
        return TokenValidityUnits(**self.model_dump())


class RefreshTokenRotationTable(Model):
    """``refresh_token_rotation``: a new refresh token at every refresh."""

    feature: Literal["ENABLED", "DISABLED"]
    retry_grace_period_seconds: int = 0

    @model_validator(mode="after")
    def _grace_period(self) -> Self:
        _ = self.options()
        return self

    def options(self) -> RefreshTokenRotation:
        return RefreshTokenRotation(**self.model_dump())


class AppClientSettings(Model):
    """What every app client table holds but its name (``[app_client]``, ``[app_clients.*]``)."""

    callback_urls: Annotated[
        list[str], Field(min_length=1, max_length=limits.CALLBACK_URLS.maximum)
    ]
    logout_urls: list[str] = Field(default_factory=list, max_length=limits.LOGOUT_URLS.maximum)
    oauth_scopes: list[str] = Field(
        default_factory=lambda: list(DEFAULT_OAUTH_SCOPES), max_length=limits.OAUTH_SCOPES.maximum
    )
    generate_secret: bool = False
    # Default (unset): the client may read every attribute. Narrow it to keep personal data out
    # of this client's tokens.
    read_attributes: (
        Annotated[list[str], Field(max_length=limits.READ_ATTRIBUTES.maximum)] | None
    ) = None
    # Default (unset): AWS's, the standard attributes. Given, it must hold every mapped one.
    write_attributes: (
        Annotated[list[str], Field(max_length=limits.WRITE_ATTRIBUTES.maximum)] | None
    ) = None
    # Unset: AWS's defaults (1 hour, 1 hour, 30 days, in token_validity_units).
    access_token_validity: int | None = None
    id_token_validity: int | None = None
    refresh_token_validity: int | None = None
    token_validity_units: TokenValidityUnitsTable | None = None
    auth_session_validity: int | None = None
    refresh_token_rotation: RefreshTokenRotationTable | None = None
    enable_token_revocation: bool = True
    prevent_user_existence_errors: Literal["ENABLED", "LEGACY"] = "ENABLED"

    _urls = field_validator("callback_urls", "logout_urls")(rule(redirect_urls_problem))

    _scopes = field_validator("oauth_scopes")(rule(oauth_scopes_problem))

    _attributes = field_validator("read_attributes", "write_attributes")(
        rule(read_attributes_problem)
    )
    _auth_session = field_validator("auth_session_validity")(rule(auth_session_validity_problem))

    @model_validator(mode="after")
    def _lifetimes(self) -> Self:
        units = self.token_validity_units
        lifetimes = {
            ACCESS_TOKEN: self.access_token_validity,
            ID_TOKEN: self.id_token_validity,
            REFRESH_TOKEN: self.refresh_token_validity,
        }
        for problem in token_lifetime_problems(lifetimes, units.options() if units else None):
            raise problem
        return self


class AppClientConfig(AppClientSettings):
    """``[app_client]``: the one app client of an environment, at ``…client.app_client``."""

    name: str

    _name = field_validator("name")(rule(rules.name_problem))


class NamedAppClientConfig(AppClientSettings):
    """``[app_clients.<key>]``: one of several clients; its name is the key unless given."""

    name: str | None = None

    _name = field_validator("name")(rule(rules.name_problem))


def _client_key(key: str) -> str:
    return rule(client_key_problem)(key)


class ResourceServerConfig(Model):
    """``[resource_servers.<identifier>]``: an API and the custom scopes clients may ask for."""

    name: str
    scopes: dict[
        Annotated[str, AfterValidator(rule(rules.resource_server_scope_name_problem))],
        Annotated[str, AfterValidator(rule(rules.resource_server_scope_description_problem))],
    ] = Field(default_factory=dict, max_length=limits.RESOURCE_SERVER_SCOPES.maximum)

    _name = field_validator("name")(rule(rules.resource_server_name_problem))

    def options(self) -> ResourceServerOptions:
        return ResourceServerOptions(name=self.name, scopes=self.scopes)


def _resource_server_identifier(identifier: str) -> str:
    return rule(identifier_problem)(identifier)


class _DestinationTable(Model):
    """A log destination's table: its one ARN, checked by the destination it becomes."""

    _destination: ClassVar[type[Destination]]

    @model_validator(mode="after")
    def _arn(self) -> Self:
        _ = self._destination(**self.model_dump())
        return self


class CloudWatchLogsConfigurationTable(_DestinationTable):
    log_group_arn: str

    _destination = CloudWatchLogsConfiguration


class S3ConfigurationTable(_DestinationTable):
    bucket_arn: str

    _destination = S3Configuration


class FirehoseConfigurationTable(_DestinationTable):
    stream_arn: str

    _destination = FirehoseConfiguration


class LogConfigurationTable(Model):
    """One entry of ``log_configurations``: an event source, its level, one destination."""

    event_source: Literal["userNotification", "userAuthEvents"]
    log_level: Literal["ERROR", "INFO"]
    cloud_watch_logs_configuration: CloudWatchLogsConfigurationTable | None = None
    s3_configuration: S3ConfigurationTable | None = None
    firehose_configuration: FirehoseConfigurationTable | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        _ = self.options()
        return self

    def options(self) -> LogConfiguration:
        logs, bucket, stream = (
            self.cloud_watch_logs_configuration,
            self.s3_configuration,
            self.firehose_configuration,
        )
        return LogConfiguration(
            event_source=self.event_source,
            log_level=self.log_level,
            cloud_watch_logs_configuration=(
                CloudWatchLogsConfiguration(**logs.model_dump()) if logs else None
            ),
            s3_configuration=S3Configuration(**bucket.model_dump()) if bucket else None,
            firehose_configuration=FirehoseConfiguration(**stream.model_dump()) if stream else None,
        )


class LogDeliveryConfig(Model):
    """``[log_delivery_configuration]``: where a new pool's logs go."""

    log_configurations: Annotated[
        list[LogConfigurationTable],
        Field(min_length=1, max_length=limits.LOG_CONFIGURATIONS.maximum),
    ]

    def options(self) -> list[LogConfiguration]:
        return [entry.options() for entry in self.log_configurations]


class EnvironmentConfig(Model):
    """One deployment target: becomes one Terraform stack."""

    # Declared in this order so that the check of user_pool sees the region and the criipto
    # table: a field's validator runs even when another table has problems, so each problem is
    # reported in the same run (a model validator would wait until every table is right).
    aws_region: str
    criipto: CriiptoConfig
    user_pool: UserPoolConfig
    domain: DomainConfig
    resource_servers: Annotated[
        dict[Annotated[str, AfterValidator(_resource_server_identifier)], ResourceServerConfig],
        Field(default_factory=dict, max_length=limits.RESOURCE_SERVERS.maximum),
    ]
    # Exactly one of the two: the single client (address app_client) or several by key.
    app_client: AppClientConfig | None = None
    app_clients: Annotated[
        dict[Annotated[str, AfterValidator(_client_key)], NamedAppClientConfig],
        Field(default_factory=dict, max_length=limits.APP_CLIENTS.maximum),
    ]
    log_delivery_configuration: LogDeliveryConfig | None = None
    tags: dict[str, str] = Field(default_factory=dict, max_length=limits.TAGS.maximum)
    backend: BackendConfig = DEFAULT_BACKEND

    _region = field_validator("aws_region")(rule(region_problem))

    @field_validator("resource_servers")
    @classmethod
    def _server_addresses(
        cls, value: dict[str, ResourceServerConfig]
    ) -> dict[str, ResourceServerConfig]:
        for problem in address_problems(list(value)):
            raise PropError(key_path([problem.prop]), problem.problem)
        return value

    @field_validator("app_clients")
    @classmethod
    def _client_names(
        cls, value: dict[str, NamedAppClientConfig]
    ) -> dict[str, NamedAppClientConfig]:
        for problem in client_set_problems(
            {key: client.name or key for key, client in value.items()}
        ):
            raise problem
        return value

    @model_validator(mode="after")
    def _across_tables(self) -> Self:
        """The rules that tie one table to another, once every table is right by itself."""
        logs = self.log_delivery_configuration
        for problem in environment_problems(
            app_client=self.app_client,
            app_clients=self.app_clients,
            servers={key: list(server.scopes) for key, server in self.resource_servers.items()},
            mapped=mapped_attributes([p.attribute_mapping for p in self.criipto.plan.providers]),
            owned_pool=self.user_pool.existing_id is None,
            features=self.user_pool.features,
            managed_login_version=self.domain.managed_login_version,
            log_configurations=logs.options() if logs is not None else None,
        ):
            raise problem
        return self

    @property
    def clients(self) -> dict[str, AppClientSettings]:
        """Every app client by key: ``app_client`` for the single table, else the table keys."""
        if self.app_client is not None:
            return {addresses.APP_CLIENT: self.app_client}
        return dict(self.app_clients)

    def client_name(self, key: str) -> str:
        """The Cognito name of the client ``key``."""
        client = self.clients[key]
        return getattr(client, "name", None) or key

    def client_key_path(self, key: str) -> str:
        """Where the client ``key`` stands in the environment's table."""
        return client_path(key, single=self.app_client is not None)

    @property
    def first_client_key(self) -> str:
        return next(iter(self.clients))

    @field_validator("user_pool")
    @classmethod
    def _existing_pool_fits(cls, pool: UserPoolConfig, info: ValidationInfo) -> UserPoolConfig:
        aws_region = info.data.get("aws_region")
        region = pool.region_of_existing
        if region is not None and aws_region is not None and region != aws_region:
            raise PropError(
                "existing_id", f"the pool is in {region} but aws_region is {aws_region}"
            )
        criipto: CriiptoConfig | None = info.data.get("criipto")
        if pool.existing_id is not None and criipto is not None:
            lacking = sorted(
                set(criipto.plan.custom_attributes) - set(pool.existing_custom_attributes)
            )
            if lacking:
                names = ", ".join(CUSTOM_PREFIX + name for name in lacking)
                raise PropError(
                    "existing_custom_attributes",
                    f"the attribute mapping needs {names}, which this stack cannot add to a "
                    "pool it does not own: add them to the pool, then list them here",
                )
        return pool

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        for key, tag in value.items():
            problem = rules.tag_key_problem(key)
            if problem:
                raise ValueError(f"tag key {shown(key)} {problem}")
            problem = rules.tag_value_problem(tag)
            if problem:
                raise ValueError(f"tag {shown(key)}: value {problem}")
        return value

    @property
    def hosted_domain(self) -> str:
        return self.domain.hosted_domain(self.aws_region)

    @property
    def criipto_realm(self) -> str:
        """The Criipto Client ID/Realm: configured, or (managed mode) one unique to this pool."""
        return self.criipto.client_id or default_realm(self.hosted_domain)

    def criipto_application_name(self, environment: str) -> str:
        """The Criipto application's name: configured, or readable from the environment."""
        return self.criipto.application_name or f"AWS Cognito ({environment})"


def _environment_name(name: str) -> str:
    if not _ENVIRONMENT_NAME.fullmatch(name):
        raise ValueError(
            "environment name must be 1 to 63 letters, digits, - and _, starting with a letter "
            "(it names a Terraform stack)"
        )
    if name in _JS_OBJECT_PROPERTIES:
        raise ValueError(
            f"environment name {name!r} is taken by every JavaScript object, which cdktf's "
            "construct tree is built of: choose another name"
        )
    return name


class FederationConfig(Model):
    """The whole file: environments by name."""

    environments: Annotated[
        dict[Annotated[str, AfterValidator(_environment_name)], EnvironmentConfig],
        Field(max_length=limits.ENVIRONMENTS.maximum),
    ]
    terraform: TerraformConfig = DEFAULT_TERRAFORM

    @field_validator("environments")
    @classmethod
    def _environments(cls, value: dict[str, EnvironmentConfig]) -> dict[str, EnvironmentConfig]:
        if not value:
            raise ValueError("no environments: add a table [environments.<name>]")
        return value
