"""One environment of the federation: the Cognito side and, in managed mode, the Criipto side."""

from __future__ import annotations

from cdktf import (
    Fn,
    Precondition,
    TerraformOutput,
    TerraformStack,
    TerraformVariable,
    TerraformVariableValidationConfig,
)
from constructs import Construct

from criipto import contract, urls
from criipto.application import CriiptoApplication
from criipto.terraform_text import literal
from stacks import addresses, aws
from stacks.app_client import FederatedAppClient
from stacks.backend import configure_backend
from stacks.config import EnvironmentConfig
from stacks.criipto_identity_provider import CriiptoIdentityProvider
from stacks.hosted_domain import HostedDomain
from stacks.terraform_config import (
    DEFAULT_TERRAFORM,
    REQUIRED_TERRAFORM_VERSION,
    TerraformConfig,
)
from stacks.user_pool import FederationUserPool

API_TOKEN_VARIABLE = "criipto_api_token"  # noqa: S105 (a variable name)
CLIENT_SECRET_VARIABLE = "criipto_client_secret"  # noqa: S105 (a variable name)
MANAGED_BY_TAG = "criipto-cognito"


class FederationStack(TerraformStack):
    """Cognito user pool, domain, Criipto OIDC provider and app client for one environment."""

    def __init__(
        self,
        scope: Construct,
        name: str,
        *,
        config: EnvironmentConfig,
        terraform: TerraformConfig = DEFAULT_TERRAFORM,
    ) -> None:
        super().__init__(scope, name)
        self._terraform = terraform
        configure_backend(self, name, config.backend)
        # The bindings would pin the exact release they were generated from; the config's
        # constraint admits later fixes (and lets a mirror's build through).
        self.add_override(
            "terraform.required_providers.aws",
            {"source": "hashicorp/aws", "version": terraform.aws_provider},
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
        plan = config.criipto.plan
        pool = FederationUserPool(
            self,
            addresses.USER_POOL,
            config=config.user_pool,
            custom_attributes={
                literal(attribute): length for attribute, length in plan.custom_attributes.items()
            },
        )
        domain = HostedDomain(
            self,
            addresses.DOMAIN,
            config=config.domain,
            user_pool_id=pool.user_pool_id,
            region=config.aws_region,
        )
        callback_url = urls.idp_response_url(domain.host_name)
        client_id, client_secret, preconditions = self._criipto_credentials(
            name, config, callback_url
        )
        criipto = config.criipto
        providers = [
            CriiptoIdentityProvider(
                self,
                addresses.identity_provider_name(provider_plan.provider_name),
                user_pool_id=pool.user_pool_id,
                # Config text is escaped here, where it is known to be literal; client_id and
                # client_secret may be references (tokens), which must stay as they are.
                provider_name=literal(provider_plan.provider_name),
                issuer=literal(urls.issuer(criipto.domain)),
                client_id=client_id,
                client_secret=client_secret,
                authorize_scopes=[literal(scope) for scope in provider_plan.authorize_scopes],
                attribute_mapping={
                    literal(attribute): literal(claim)
                    for attribute, claim in provider_plan.attribute_mapping.items()
                },
                explicit_endpoints=(
                    {
                        key: literal(url)
                        for key, url in urls.acr_scoped_endpoints(
                            criipto.domain, provider_plan.acr
                        ).items()
                    }
                    if provider_plan.acr
                    else None
                ),
                preconditions=preconditions,
            )
            for provider_plan in plan.providers
        ]
        client = FederatedAppClient(
            self,
            addresses.APP_CLIENT,
            config=config.app_client,
            user_pool_id=pool.user_pool_id,
            identity_providers=[provider.provider_name for provider in providers],
        )
        self._outputs(config, pool.user_pool_id, client.client_id, domain, callback_url)

    def _criipto_credentials(
        self, name: str, config: EnvironmentConfig, callback_url: str
    ) -> tuple[str, str, list[Precondition]]:
        """The client id and secret Cognito presents to Criipto, by mode.

        Also the preconditions the identity provider must check: an adopted application has
        no create answer in state, and then the secret must come from the variable.
        """
        criipto = config.criipto
        if criipto.mode == "external":
            secret = self._secret_variable(
                CLIENT_SECRET_VARIABLE,
                "Client secret of the Criipto application (made in the dashboard).",
                in_ci="CRIIPTO_CLIENT_SECRET",
            )
            return literal(config.criipto_realm), secret.string_value, []
        token = self._secret_variable(
            API_TOKEN_VARIABLE,
            "Bearer token for the Criipto management API.",
            in_ci="CRIIPTO_API_TOKEN",
        )
        adopted_secret = self._secret_variable(
            CLIENT_SECRET_VARIABLE,
            "Leave empty. Only for an imported (adopted) application, whose create answer, "
            "and so client secret, is not in state.",
            # Empty means "use the secret from the create answer": coalesce() skips "".
            optional=True,
        )
        application = CriiptoApplication(
            self,
            "criipto_application",
            # The spec stays raw: the module writer escapes the payload it is rendered into.
            spec=contract.ApplicationSpec(
                name=config.criipto_application_name(name),
                domain=criipto.domain,
                realm=config.criipto_realm,
                return_urls=(callback_url,),
                tags=tuple(criipto.tags),
            ),
            api_url=literal(criipto.management_api_url or ""),
            api_token=token.string_value,
            restapi_version=self._terraform.restapi_provider,
        )
        TerraformOutput(
            self,
            "criipto_application_id",
            value=application.application_id,
            description="The Criipto application's id (for terraform import and the API).",
        )
        secret = Fn.coalesce([adopted_secret.string_value, application.client_secret])
        has_secret = Precondition(
            # Written out: cdktf's Op renders the literals "" and 0 as "undefined".
            condition=(
                f'${{var.{adopted_secret.friendly_unique_id} != "" || '
                f"{application.client_secret_reference} != null}}"
            ),
            error_message=(
                "The Criipto application's client secret is not in state (the application "
                f"was imported): set TF_VAR_{CLIENT_SECRET_VARIABLE} to its secret."
            ),
        )
        return application.client_id, secret, [has_secret]

    def _secret_variable(
        self, name: str, description: str, *, in_ci: str = "", optional: bool = False
    ) -> TerraformVariable:
        """A sensitive string variable; unless ``optional``, "" and blanks are refused at plan.

        ``nullable = false`` refuses null but lets "" through, and "" is what an unset CI
        secret becomes: without the check the plan succeeds and the secret is emptied.
        An optional one defaults to "" (its caller gives "" a meaning). ``in_ci`` names the
        GitHub secret the workflows fill it from, for the error message.
        """
        if optional:
            return TerraformVariable(
                self,
                name,
                type="string",
                sensitive=True,
                nullable=False,
                default="",
                description=description,
            )
        where = f" (in the GitHub workflows: the {in_ci} secret)" if in_ci else ""
        return TerraformVariable(
            self,
            name,
            type="string",
            sensitive=True,
            nullable=False,
            description=description,
            validation=[
                TerraformVariableValidationConfig(
                    # Written out: cdktf's Op renders the literal "" as "undefined".
                    condition=f'${{trimspace(var.{name}) != ""}}',
                    error_message=(
                        f"The variable {name} is empty. Set it where Terraform runs: "
                        f"export TF_VAR_{name}=…{where}."
                    ),
                )
            ],
        )

    def _outputs(
        self,
        config: EnvironmentConfig,
        user_pool_id: str,
        client_id: str,
        domain: HostedDomain,
        callback_url: str,
    ) -> None:
        app_client = config.app_client
        login_urls = {
            literal(provider.provider_name): _literal_around(
                urls.hosted_ui_login_url(
                    domain.host_name,
                    client_id=client_id,
                    provider_name=provider.provider_name,
                    redirect_uri=app_client.callback_urls[0],
                    scopes=app_client.oauth_scopes,
                ),
                client_id,
            )
            for provider in config.criipto.plan.providers
        }
        first_login_url = next(iter(login_urls.values()))
        outputs: dict[str, tuple[object, str]] = {
            "user_pool_id": (user_pool_id, "The Cognito user pool."),
            "app_client_id": (client_id, "The Cognito app client your application uses."),
            "hosted_domain": (domain.host_name, "The host of the Cognito hosted UI."),
            "criipto_callback_url": (
                callback_url,
                "The return URL registered on the Criipto application.",
            ),
            "login_url": (
                first_login_url,
                "Starts a login through Criipto (the first eID), skipping the hosted UI's list.",
            ),
            "login_urls": (login_urls, "A login URL per identity provider (per eID)."),
        }
        if config.domain.custom is not None:
            outputs["custom_domain_alias_target"] = (
                domain.resource.cloudfront_distribution,
                "Point an ALIAS/CNAME record for the custom domain at this CloudFront host.",
            )
        for output_id, (value, description) in outputs.items():
            TerraformOutput(self, output_id, value=value, description=description)


def _literal_around(text: str, token: str) -> str:
    """``text`` escaped as a literal, but for each occurrence of the cdktf ``token`` in it."""
    return token.join(literal(part) for part in text.split(token))
