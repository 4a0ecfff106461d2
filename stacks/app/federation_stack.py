"""One environment of the TOML app: a client of the public constructs, like any CDKTF app."""

from __future__ import annotations

from criipto import client_secret, contract
from criipto.terraform_text import literal
from stacks.app.backend import configure_backend
from stacks.app.client_options import app_client_options
from stacks.config.base import options_of
from stacks.config.model import EnvironmentConfig
from stacks.config.terraform import (
    DEFAULT_TERRAFORM,
    REQUIRED_TERRAFORM_VERSION,
    TerraformConfig,
)
from stacks.constructs import (
    CriiptoFederation,
    ExternalApplication,
    FederationUserPool,
    HostedDomain,
    LogDelivery,
    ManagedApplication,
    TriggerPermissions,
)
from stacks.platform import (
    Construct,
    TerraformOutput,
    TerraformStack,
    TerraformVariable,
    TerraformVariableValidationConfig,
    aws,
    chosen_platform,
)
from stacks.rules import addresses

CLIENT_SECRET_VARIABLE = client_secret.VARIABLE
MANAGED_BY_TAG = "criipto-cognito"


class FederationStack(TerraformStack):
    """One environment: its backend, the AWS provider, the user pool (or an existing one's id),
    the hosted-UI domain, and the Criipto federation (``CriiptoFederation``: the identity
    providers, the app client, in managed mode the Criipto application, and the outputs).
    """

    def __init__(
        self,
        scope: Construct,
        name: str,
        *,
        config: EnvironmentConfig,
        terraform: TerraformConfig = DEFAULT_TERRAFORM,
    ) -> None:
        super().__init__(scope, name)
        configure_backend(self, name, config.backend)
        # The bindings would pin the exact release they were generated from; the config's
        # constraint (by default the platform's) admits later fixes and lets a mirror's build
        # through. The source stays as the platform's bindings write it.
        self.add_override(
            "terraform.required_providers.aws.version",
            terraform.aws_provider or chosen_platform().default_aws_provider,
        )
        self.add_override("terraform.required_version", REQUIRED_TERRAFORM_VERSION)
        aws.AwsProvider(
            self,
            "aws",
            region=config.aws_region,
            default_tags=[
                aws.AwsProviderDefaultTags(
                    tags={
                        "ManagedBy": MANAGED_BY_TAG,
                        "Environment": name,
                        **{literal(key): literal(value) for key, value in config.tags.items()},
                    }
                )
            ],
        )
        criipto = config.criipto
        user_pool_id = self._user_pool(config)
        domain = HostedDomain(
            self,
            addresses.DOMAIN,
            user_pool_id=user_pool_id,
            region=config.aws_region,
            prefix=config.domain.prefix,
            custom=config.domain.custom,
            certificate_arn=config.domain.certificate_arn,
            managed_login_version=config.domain.managed_login_version,
        )
        clients = {
            key: app_client_options(config.client_name(key), client)
            for key, client in config.clients.items()
        }
        single = config.app_client is not None
        owned = config.user_pool.existing_id is None
        CriiptoFederation(
            self,
            addresses.FEDERATION,
            user_pool_id=user_pool_id,
            hosted_domain=domain.host_name,
            criipto_domain=criipto.domain,
            application=self._application(name, config, terraform),
            app_client=clients[addresses.APP_CLIENT] if single else None,
            app_clients={} if single else clients,
            options=criipto.federation,  # checked and planned when the config was
            resource_servers={
                identifier: options_of(server)
                for identifier, server in config.resource_servers.items()
            },
            # An existing pool may hold servers of its own: doctor checks those scopes.
            check_custom_scopes=owned,
            managed_login_branding=config.domain.managed_login_version == 2,
        )
        if config.log_delivery_configuration is not None:
            LogDelivery(
                self,
                addresses.LOG_DELIVERY,
                user_pool_id=user_pool_id,
                log_configurations=config.log_delivery_configuration.options(),
                features=config.user_pool.features,
            )
        if config.domain.custom is not None:
            TerraformOutput(
                self,
                "custom_domain_alias_target",
                value=domain.resource.cloudfront_distribution,
                description=(
                    "Point an ALIAS/CNAME record for the custom domain at this CloudFront host."
                ),
            )

    def _user_pool(self, config: EnvironmentConfig) -> str:
        """The pool's id: an existing pool's (nothing is created), or a new pool's."""
        pool = config.user_pool
        if pool.existing_id is not None:
            return pool.existing_id
        features = pool.features
        made = FederationUserPool(
            self,
            addresses.USER_POOL,
            name=pool.name or "",
            deletion_protection=pool.deletion_protection,
            custom_attributes=config.criipto.plan.custom_attributes,
            features=features,
        )
        if features.lambda_config is not None:
            TriggerPermissions(
                self,
                addresses.TRIGGER_PERMISSIONS_SCOPE,
                user_pool_arn=made.arn,
                lambda_config=features.lambda_config,
            )
        return made.user_pool_id

    def _application(
        self, name: str, config: EnvironmentConfig, terraform: TerraformConfig
    ) -> ManagedApplication | ExternalApplication:
        """The Criipto application by mode, with the variables its secrets come from."""
        criipto = config.criipto
        if criipto.mode == "external":
            source = criipto.secret_source
            if source is not None:  # read at plan from the store: no variable to give
                return ExternalApplication(client_id=config.criipto_realm, client_secret=source)
            secret = self._secret_variable(
                CLIENT_SECRET_VARIABLE,
                "Client secret of the Criipto application (made in the dashboard).",
                in_ci=client_secret.GITHUB_SECRET,
            )
            return ExternalApplication(
                client_id=config.criipto_realm, client_secret=secret.string_value
            )
        token = self._secret_variable(
            contract.API_TOKEN_VARIABLE,
            "Bearer token for the Criipto management API.",
            in_ci=contract.API_TOKEN_ENV_VAR,
        )
        adopted_secret = self._secret_variable(
            CLIENT_SECRET_VARIABLE,
            "Leave empty. Only for an imported (adopted) application, whose create answer, "
            "and so client secret, is not in state.",
            # Empty means "use the secret from the create answer": coalesce() skips "".
            optional=True,
        )
        return ManagedApplication(
            name=config.criipto_application_name(name),
            api_url=criipto.management_api_url or "",
            api_token=token.string_value,
            realm=config.criipto_realm,
            tags=tuple(criipto.tags),
            restapi_version=terraform.restapi_provider,
            adopted_client_secret=adopted_secret,
        )

    def _secret_variable(
        self, name: str, description: str, *, in_ci: str = "", optional: bool = False
    ) -> TerraformVariable:
        """A sensitive string variable; unless ``optional``, "" and blanks are refused at plan.

        ``nullable = false`` refuses null but lets "" through, and "" is what an unset CI
        secret becomes: without the check the plan succeeds and the secret is emptied.
        An optional one defaults to "" (its caller gives "" a meaning). ``in_ci`` names the
        GitHub secret the workflows fill it from, for the error message.
        """
        where = f" (in the GitHub workflows: the {in_ci} secret)" if in_ci else ""
        must_have_a_value = TerraformVariableValidationConfig(
            # Written out: cdktf's Op renders the literal "" as "undefined".
            condition=f'${{trimspace(var.{name}) != ""}}',
            error_message=(
                f"The variable {name} is empty. Set it where Terraform runs: "
                f"export TF_VAR_{name}=…{where}."
            ),
        )
        return TerraformVariable(
            self,
            name,
            type="string",
            sensitive=True,
            nullable=False,
            description=description,
            default="" if optional else None,
            validation=None if optional else [must_have_a_value],
        )
