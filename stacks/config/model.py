"""The federation config: one typed model, every rule checked before anything is built.

Here the file, its environments and their pool, domain and Criipto tables, with the checks that
tie one table of an environment to another; the app client, resource server, pool feature and
log tables have a module each. The rules themselves live in ``stacks/rules/``; the eID rules, in
``FederationOptions``, run once here, and the checked plan is what the stack builds. No cdktf: a
rejected config answers without loading the platform, in a fraction of a synth's time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from pydantic import AfterValidator, Field, field_validator

from criipto import contract
from stacks.config.app_clients import (
    AppClientConfig,
    NamedAppClientConfig,
    client_key,
)
from stacks.config.backend import DEFAULT_BACKEND, BackendConfig, shared_states
from stacks.config.base import Model, OptionTable, options_of, rule, table_of
from stacks.config.checks import Problems, check, is_validated, validated
from stacks.config.log_delivery import LogDeliveryConfig
from stacks.config.pool_features import LambdaConfigTable, UserPoolAddOnsTable
from stacks.config.resource_servers import ResourceServerConfig, resource_server_identifier
from stacks.config.terraform import DEFAULT_TERRAFORM, TerraformConfig
from stacks.rules import addresses, javascript, limits
from stacks.rules import cognito as rules
from stacks.rules.app_clients import (
    AppClientOptions,
    client_path,
    client_set_problems,
    custom_scope_problems,
    written_attribute_problems,
)
from stacks.rules.common import (
    hostname_problem,
    key_path,
    region_problem,
    shown,
)
from stacks.rules.environment import (
    client_tables_problem,
    log_delivery_problems,
    managed_login_problem,
)
from stacks.rules.federation import (
    DOMAIN_CHOICE,
    certificate_arn_problem,
    client_id_problem,
    default_realm,
    domain_choice_problem,
    hosted_domain,
    management_api_url_problem,
    user_pool_id_problem,
)
from stacks.rules.federation_plan import (
    CUSTOM_PREFIX,
    FederationOptions,
    FederationPlan,
)
from stacks.rules.pool_features import (
    UserPoolFeatures,
    threat_protection_problem,
    token_customization_problem,
)
from stacks.rules.problems import PropError
from stacks.rules.resource_servers import (
    address_problems,
)
from stacks.rules.secret_source import ClientSecretSource

_ENVIRONMENT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,62}")
# The keys only managed mode reads (external mode refuses them).
_MANAGED_ONLY = ("management_api_url", "application_name", "tags")


# Keys of a pool the stack creates, never of an existing one (its settings are its owner's).
_NEW_POOL_ONLY = ("deletion_protection", "user_pool_tier", "user_pool_add_ons", "lambda_config")

# The library's ClientSecretSource read from TOML (one declaration: stacks/rules/secret_source.py).
if TYPE_CHECKING:  # to the type checker, the option; to pydantic, its table
    ClientSecretSourceTable: TypeAlias = ClientSecretSource
else:
    ClientSecretSourceTable = table_of(ClientSecretSource)


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

    @check("name", "existing_id")
    def _one_pool(self) -> Problems:
        if (self.name is None) == (self.existing_id is None):
            yield "set exactly one of name (a new pool) or existing_id (attach)"
            return
        if self.existing_id is not None:
            for key in _NEW_POOL_ONLY:
                if key in self.model_fields_set:
                    yield PropError(key, "applies only to a pool this stack creates (name)")

    @check("existing_id", "existing_custom_attributes")
    def _custom_attributes_of_existing(self) -> Problems:
        if self.existing_id is None and self.existing_custom_attributes:
            yield PropError("existing_custom_attributes", "applies only with existing_id")

    @check("user_pool_tier", "user_pool_add_ons")
    def _plan_has_threat_protection(self) -> Problems:
        if "existing_id" not in self.model_fields_set:  # else the keys are refused above
            problem = threat_protection_problem(self.user_pool_tier, self.advanced_security_mode)
            if problem:
                yield problem

    @check("user_pool_tier", "lambda_config")
    def _plan_customizes_access_tokens(self) -> Problems:
        pre_token = self.lambda_config and self.lambda_config.pre_token_generation_config
        if "existing_id" not in self.model_fields_set and pre_token:
            problem = token_customization_problem(self.user_pool_tier, pre_token.lambda_version)
            if problem:
                yield problem

    @property
    def advanced_security_mode(self) -> str | None:
        add_ons = self.user_pool_add_ons
        return add_ons.advanced_security_mode if add_ons else None

    @cached_property
    def features(self) -> UserPoolFeatures:
        """The plan and what depends on it, for the stack to build (the checks above hold
        the rules it checks too)."""
        add_ons, triggers = self.user_pool_add_ons, self.lambda_config
        return UserPoolFeatures(
            user_pool_tier=self.user_pool_tier,
            user_pool_add_ons=options_of(add_ons) if add_ons else None,
            lambda_config=options_of(triggers) if triggers else None,
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
    _managed_login = field_validator("managed_login_version")(
        rule(rules.managed_login_version_problem)
    )
    _custom = field_validator("custom")(rule(hostname_problem))

    _certificate = field_validator("certificate_arn")(rule(certificate_arn_problem))

    @check("prefix", "custom")
    def _one_domain(self) -> Problems:
        given = self.model_fields_set
        if (self.prefix is None) == (self.custom is None):
            yield DOMAIN_CHOICE
            return
        problem = domain_choice_problem(
            prefix=self.prefix is not None,
            custom=self.custom is not None,
            certificate="certificate_arn" in given,
        )
        if problem:
            yield problem

    def hosted_domain(self, region: str) -> str:
        """The host name the hosted UI answers on."""
        return hosted_domain(self.prefix, self.custom, region)


class CriiptoTable(OptionTable):
    """The Criipto (Idura) side: which domain, and who owns the application. Its federation
    keys (``provider_name``, ``eids``, ``attribute_mapping``, ...) are the library's
    ``FederationOptions`` read from TOML (``CriiptoConfig``: one declaration)."""

    domain: str
    client_id: str | None = None
    # External (the default) works with every Idura tenant: the application is made in the
    # dashboard. Managed needs a management API that Idura does not publish (an adapter).
    mode: Literal["managed", "external"] = "external"
    management_api_url: str | None = None
    application_name: str | None = None
    tags: list[str] = Field(default_factory=list, max_length=limits.APPLICATION_TAGS.maximum)
    # External mode: the client secret is read at plan from this store instead of the
    # criipto_client_secret variable.
    client_secret_from: ClientSecretSourceTable | None = None

    _domain = field_validator("domain")(rule(hostname_problem))
    _application_name = field_validator("application_name")(rule(contract.application_name_problem))
    _tags = field_validator("tags")(rule(contract.tags_problem))

    _client_id = field_validator("client_id")(rule(client_id_problem))

    @field_validator("management_api_url")
    @classmethod
    def _management_api_url(cls, value: str) -> str:
        return rule(management_api_url_problem)(value).rstrip("/")

    @check("mode")
    def _mode_keys(self) -> Problems:
        given = self.model_fields_set
        if self.mode == "managed":
            if "client_secret_from" in given:
                yield PropError(
                    "client_secret_from",
                    'applies only to mode = "external" (in managed mode the secret comes '
                    "from the application Terraform creates)",
                )
            if "management_api_url" not in given:
                yield PropError(
                    "management_api_url",
                    'required in managed mode (or set mode = "external" to manage the '
                    "application by hand)",
                )
            return
        managed_only = [key for key in _MANAGED_ONLY if key in given]
        if managed_only and "mode" not in given:
            # Managed was the default once: name each key and the one-line fix (client_id,
            # which managed mode does not need, waits for the choice).
            for key in managed_only:
                yield PropError(
                    key,
                    'applies only to mode = "managed", and the default mode is "external" '
                    'now: add mode = "managed" to this table to keep managed mode',
                )
            return
        if "client_id" not in given:
            yield PropError(
                "client_id", "required in external mode (the application's Client ID/Realm)"
            )
        for key in managed_only:
            yield PropError(key, 'applies only to mode = "managed"')

    @property
    def secret_source(self) -> ClientSecretSource | None:
        """Where the client secret is read at plan; None: the criipto_client_secret variable."""
        table = self.client_secret_from
        return options_of(table) if table is not None else None

    @property
    def federation(self) -> FederationOptions:
        """The federation this table asks for, checked and planned (once: the stack builds it)."""
        federation: FederationOptions = self.option
        return federation

    @property
    def plan(self) -> FederationPlan:
        """The identity providers and custom attributes this config asks for."""
        return self.federation.plan


if TYPE_CHECKING:  # to the type checker, the table; to pydantic, with FederationOptions' keys
    CriiptoConfig: TypeAlias = CriiptoTable
else:
    CriiptoConfig = table_of(FederationOptions, base=CriiptoTable)


class EnvironmentConfig(Model):
    """One deployment target: becomes one Terraform stack."""

    aws_region: str
    criipto: CriiptoConfig
    user_pool: UserPoolConfig
    domain: DomainConfig
    resource_servers: Annotated[
        dict[Annotated[str, AfterValidator(resource_server_identifier)], ResourceServerConfig],
        Field(default_factory=dict, max_length=limits.RESOURCE_SERVERS.maximum),
    ]
    # Exactly one of the two: the single client (address app_client) or several by key.
    app_client: AppClientConfig | None = None
    app_clients: Annotated[
        dict[Annotated[str, AfterValidator(client_key)], NamedAppClientConfig],
        Field(default_factory=dict, max_length=limits.APP_CLIENTS.maximum),
    ]
    log_delivery_configuration: LogDeliveryConfig | None = None
    tags: dict[str, str] = Field(default_factory=dict, max_length=limits.TAGS.maximum)
    backend: BackendConfig = DEFAULT_BACKEND

    _region = field_validator("aws_region")(rule(region_problem))

    @check("resource_servers")
    def _server_addresses(self) -> Problems:
        for problem in address_problems(list(self.resource_servers)):
            yield PropError(key_path(["resource_servers", problem.prop]), problem.problem)

    @check("app_clients")
    def _client_names(self) -> Problems:
        names = {}
        for key, client in self.app_clients.items():
            if is_validated(client, "name"):  # a bad name has its own line
                names[key] = client.name or key
        for problem in client_set_problems(names):
            yield PropError(f"app_clients.{problem.prop}", problem.problem)

    @check("app_client", "app_clients")
    def _one_client_table(self) -> Problems:
        problem = client_tables_problem(
            single=self.app_client is not None, several=bool(self.app_clients)
        )
        if problem:
            yield problem

    @check("app_client", "app_clients", "resource_servers", "user_pool")
    def _custom_scopes_have_servers(self) -> Problems:
        if self.user_pool.existing_id is not None:
            return  # its servers may be the pool's own: doctor checks the scopes
        servers = {key: list(server.scopes) for key, server in self.resource_servers.items()}
        yield from self._each_client(
            lambda where, client: custom_scope_problems(where, client, servers)
        )

    @check("app_client", "app_clients", "criipto")
    def _clients_write_the_mapped_attributes(self) -> Problems:
        mapped = self.criipto.plan.mapped_attributes
        yield from self._each_client(
            lambda where, client: written_attribute_problems(where, client, mapped)
        )

    def _each_client(
        self, problems_of: Callable[[str, AppClientOptions], list[PropError]]
    ) -> Problems:
        """``problems_of`` each client, but those with a key that did not validate."""
        for key, client in self.clients.items():
            where = self.client_key_path(key)
            # None: a key it reads did not validate, and that key's own line comes first.
            yield from validated(lambda: problems_of(where, client)) or []  # noqa: B023

    @check("domain", "user_pool")
    def _plan_has_managed_login(self) -> Problems:
        pool = self.user_pool
        owned = pool.existing_id is None  # an existing pool's plan is doctor's to read
        problem = managed_login_problem(
            self.domain.managed_login_version,
            owned_pool=owned,
            tier=pool.user_pool_tier if owned else None,
        )
        if problem:
            yield problem

    @check("log_delivery_configuration", "user_pool")
    def _plan_serves_the_logs(self) -> Problems:
        logs, pool = self.log_delivery_configuration, self.user_pool
        owned = pool.existing_id is None
        if logs is not None:
            yield from log_delivery_problems(
                logs.event_sources,
                owned_pool=owned,
                tier=pool.user_pool_tier if owned else None,
                advanced_security_mode=pool.advanced_security_mode if owned else None,
            )

    @property
    def clients(self) -> dict[str, AppClientOptions]:
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

    @check("aws_region", "user_pool")
    def _existing_pool_in_region(self) -> Problems:
        region = self.user_pool.region_of_existing
        if region is not None and region != self.aws_region:
            yield PropError(
                "user_pool.existing_id",
                f"the pool is in {region} but aws_region is {self.aws_region}",
            )

    @check("user_pool", "criipto")
    def _existing_pool_has_the_mapped_attributes(self) -> Problems:
        pool = self.user_pool
        if pool.existing_id is None:
            return
        lacking = sorted(
            set(self.criipto.plan.custom_attributes) - set(pool.existing_custom_attributes)
        )
        if lacking:
            names = ", ".join(CUSTOM_PREFIX + name for name in lacking)
            yield PropError(
                "user_pool.existing_custom_attributes",
                f"the attribute mapping needs {names}, which this stack cannot add to a "
                "pool it does not own: add them to the pool, then list them here",
            )

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        for key, tag in value.items():
            problem = rules.tag_key_problem(key) or javascript.map_key_problem(key)
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
    if name in javascript.OBJECT_PROPERTIES:
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

    @check("environments")
    def _one_state_each(self) -> Problems:
        backends = {}
        for name, environment in self.environments.items():
            if is_validated(environment, "backend"):  # a backend with a problem of its own
                backends[name] = environment.backend
        for name, key, message in shared_states(backends):
            yield PropError(f"environments.{name}.backend.{key}", message)
