"""Criipto federation for a user pool: identity providers, app client, application, outputs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from criipto import module_writer, urls
from criipto.terraform_text import literal
from stacks.constructs import props
from stacks.constructs.app_client import AppClientOptions, FederatedAppClient
from stacks.constructs.criipto_application import CriiptoApplication
from stacks.constructs.criipto_identity_provider import CriiptoIdentityProvider
from stacks.platform import (
    Construct,
    Fn,
    Precondition,
    TerraformOutput,
    TerraformVariable,
)
from stacks.rules import addresses
from stacks.rules.common import hostname_problem
from stacks.rules.federation import default_realm, user_pool_id_problem
from stacks.rules.federation_plan import FederationOptions

# Criipto's eID picker: one provider named "Criipto", the username from "sub".
PICKER = FederationOptions()


@dataclass(frozen=True)
class ManagedApplication:
    """The federation creates and tracks the Criipto application (a ``CriiptoApplication``).

    name: its name in the Criipto dashboard. api_url: the management API's base URL (https).
    api_token: the API's bearer token, a reference (a sensitive variable's ``string_value``).
    realm: its Client ID/Realm. Default: None, ``urn:aws-cognito:<hosted_domain>``.
    tags: labels on the application. Default: none.
    restapi_version: the restapi provider constraint. Default: ``module_writer.RESTAPI_VERSION``.
    adopted_client_secret: an optional sensitive string variable defaulting to ``""``, for an
    imported application, whose create answer (and so client secret) is not in state. Default:
    None, the secret always comes from the create answer.

    Its values are checked by the ``CriiptoApplication`` they become, the first part built.
    """

    name: str
    api_url: str
    api_token: str
    realm: str | None = None
    tags: Sequence[str] = ()
    restapi_version: str = module_writer.RESTAPI_VERSION
    adopted_client_secret: TerraformVariable | None = None


@dataclass(frozen=True)
class ExternalApplication:
    """A Criipto application made by hand in the dashboard.

    client_id: its Client ID/Realm. client_secret: its secret, a reference (e.g. a sensitive
    variable's ``string_value``), never a literal. Checked by the identity providers that use
    them, the first of which is the first part built.
    """

    client_id: str
    client_secret: str


class CriiptoFederation:
    """Criipto login for a Cognito user pool: one OIDC provider for Criipto's eID picker, or
    one per eID, the app client that uses them, and (``ManagedApplication``) the Criipto
    application whose return URL is the pool's ``https://<hosted_domain>/oauth2/idpresponse``.

    Not a construct node of its own: it adds its resources to ``scope`` (normally the stack),
    under the fixed Terraform names users type for ``terraform import`` and ``state mv``:
    ``aws_cognito_identity_provider.<provider name, lowercased>``,
    ``aws_cognito_user_pool_client.app_client`` and ``module.criipto_application``. So one
    federation per stack.

    Props (keyword only):
        user_pool_id: the pool (literal id or a ``CognitoUserPool``'s ``id``).
        hosted_domain: the host of its hosted UI: a custom domain, or
            ``prefix_domain_host(prefix, region)`` (literal or token; managed mode needs a
            literal, baked into the application's return URL).
        criipto_domain: the Criipto domain, e.g. ``acme.criipto.id``.
        application: ``ManagedApplication`` or ``ExternalApplication``.
        app_client: ``AppClientOptions``, the app client that offers the providers.
        options: ``FederationOptions``, which providers and what each maps. Default: ``PICKER``
            (``FederationOptions()``: Criipto's eID picker).
        outputs: add the Terraform outputs below. Default: True.

    Literal props are checked with the config's rules and messages (a PropError names the
    prop), before anything is added to ``scope``; tokens are checked by Terraform at plan.

    Attributes: ``plan``, ``providers``, ``provider_names`` (references), ``app_client``,
    ``client_id``, ``callback_url``, ``login_urls`` (provider name -> URL), ``application`` and
    ``application_id`` (None in external mode).

    Outputs: ``user_pool_id``, ``app_client_id``, ``hosted_domain``, ``criipto_callback_url``,
    ``login_url``, ``login_urls`` and, managed, ``criipto_application_id``.
    """

    def __init__(
        self,
        scope: Construct,
        *,
        user_pool_id: str,
        hosted_domain: str,
        criipto_domain: str,
        application: ManagedApplication | ExternalApplication,
        app_client: AppClientOptions,
        options: FederationOptions = PICKER,
        outputs: bool = True,
    ) -> None:
        # Its own props here; each part checks its own when made. The options were checked when
        # they were made, and the first part built (the application, else the first provider)
        # checks the rest of what it is given before it adds anything: a refused prop leaves
        # the scope as it was.
        props.check("user_pool_id", user_pool_id, user_pool_id_problem)
        props.check("hosted_domain", hosted_domain, _host_problem)
        props.check("criipto_domain", criipto_domain, hostname_problem)
        if isinstance(application, ManagedApplication):
            props.require_literal(
                "hosted_domain",
                hosted_domain,
                "the Criipto application's return URL is written into its module at synth "
                "time (or use ExternalApplication)",
            )
        self.plan = options.plan
        self.callback_url = urls.idp_response_url(hosted_domain)
        self.application: CriiptoApplication | None = None
        self.application_id: str | None = None
        client_id, client_secret, preconditions = self._credentials(
            scope, application, hosted_domain, criipto_domain
        )
        self.providers = [
            CriiptoIdentityProvider(
                scope,
                addresses.identity_provider_name(provider.provider_name),
                user_pool_id=user_pool_id,
                criipto_domain=criipto_domain,
                client_id=client_id,
                client_secret=client_secret,
                provider_name=provider.provider_name,
                eid=provider.acr,
                attribute_mapping=provider.attribute_mapping,
                authorize_scopes=provider.authorize_scopes,
                preconditions=preconditions,
            )
            for provider in self.plan.providers
        ]
        self.provider_names = [provider.provider_name for provider in self.providers]
        self.app_client = FederatedAppClient(
            scope,
            addresses.APP_CLIENT,
            user_pool_id=user_pool_id,
            identity_providers=self.provider_names,
            options=app_client,
        )
        self.client_id = self.app_client.client_id
        self.login_urls = urls.login_urls(
            hosted_domain,
            client_id=self.client_id,  # a reference: goes in as it is
            provider_names=[provider.provider_name for provider in self.plan.providers],
            redirect_uri=app_client.callback_urls[0],
            scopes=app_client.oauth_scopes,
        )
        if outputs:
            self._outputs(scope, user_pool_id, hosted_domain)

    def _credentials(
        self,
        scope: Construct,
        application: ManagedApplication | ExternalApplication,
        hosted_domain: str,
        criipto_domain: str,
    ) -> tuple[str, str, list[Precondition]]:
        """The client id and secret Cognito presents to Criipto, and the providers' checks.

        An adopted (imported) application has no create answer in state: its secret must then
        come from the adopted_client_secret variable, which a precondition checks.
        """
        if isinstance(application, ExternalApplication):
            return application.client_id, application.client_secret, []
        self.application = CriiptoApplication(
            scope,
            module_writer.MODULE_ADDRESS_NAME,
            name=application.name,
            domain=criipto_domain,
            realm=application.realm or default_realm(hosted_domain),
            return_urls=(self.callback_url,),
            tags=application.tags,
            api_url=application.api_url,
            api_token=application.api_token,
            restapi_version=application.restapi_version,
        )
        self.application_id = self.application.application_id
        adopted = application.adopted_client_secret
        if adopted is None:
            return self.application.client_id, self.application.client_secret, []
        secret = Fn.coalesce([adopted.string_value, self.application.client_secret])
        has_secret = Precondition(
            # Written out: cdktf's Op renders the literals "" and 0 as "undefined".
            condition=(
                f'${{var.{adopted.friendly_unique_id} != "" || '
                f"{self.application.client_secret_reference} != null}}"
            ),
            error_message=(
                "The Criipto application's client secret is not in state (the application "
                f"was imported): set TF_VAR_{adopted.friendly_unique_id} to its secret."
            ),
        )
        return self.application.client_id, secret, [has_secret]

    def _outputs(self, scope: Construct, user_pool_id: str, hosted_domain: str) -> None:
        login_urls = {
            literal(name): _literal_around(url, [self.client_id, hosted_domain])
            for name, url in self.login_urls.items()
        }
        outputs: dict[str, tuple[object, str]] = {
            "user_pool_id": (user_pool_id, "The Cognito user pool."),
            "app_client_id": (self.client_id, "The Cognito app client your application uses."),
            "hosted_domain": (hosted_domain, "The host of the Cognito hosted UI."),
            "criipto_callback_url": (
                self.callback_url,
                "The return URL registered on the Criipto application.",
            ),
            "login_url": (
                next(iter(login_urls.values())),
                "Starts a login through Criipto (the first eID), skipping the hosted UI's list.",
            ),
            "login_urls": (login_urls, "A login URL per identity provider (per eID)."),
        }
        if self.application_id is not None:
            outputs["criipto_application_id"] = (
                self.application_id,
                "The Criipto application's id (for terraform import and the API).",
            )
        for output_id, (value, description) in outputs.items():
            TerraformOutput(scope, output_id, value=value, description=description)


def _host_problem(host: str) -> str | None:
    return hostname_problem(host, example="login.acme.com")


def _literal_around(text: str, parts: Sequence[str]) -> str:
    """``text`` escaped as a literal, but for the tokens among ``parts`` (kept as they are)."""
    tokens = [part for part in parts if props.is_token(part)]
    if not tokens:
        return literal(text)
    token, *rest = tokens
    return token.join(_literal_around(piece, rest) for piece in text.split(token))
