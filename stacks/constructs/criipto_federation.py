"""Criipto federation for a user pool: identity providers, app client, application, outputs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from criipto import module_writer, urls
from criipto.terraform_text import literal
from stacks.constructs import props
from stacks.constructs.app_client import AppClientOptions, FederatedAppClient
from stacks.constructs.criipto_application import CriiptoApplication
from stacks.constructs.criipto_identity_provider import CriiptoIdentityProvider
from stacks.constructs.managed_login_branding import ManagedLoginBranding
from stacks.constructs.resource_server import ResourceServer
from stacks.constructs.stored_client_secret import SECRET_NAME, StoredClientSecret
from stacks.platform import (
    Construct,
    Fn,
    Precondition,
    TerraformOutput,
    TerraformStack,
    TerraformVariable,
)
from stacks.rules import addresses, javascript
from stacks.rules.app_clients import (
    client_key_problem,
    client_set_problems,
    clients_problems,
)
from stacks.rules.common import hostname_problem, key_path
from stacks.rules.federation import default_realm, user_pool_id_problem
from stacks.rules.federation_plan import FederationOptions, FederationPlan
from stacks.rules.problems import PropError, raise_all
from stacks.rules.resource_servers import (
    ResourceServerOptions,
    address_problems,
    identifier_problem,
)
from stacks.rules.secret_source import ClientSecretSource

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
    variable's ``string_value``), never a literal; or a ``ClientSecretSource``, the Secrets
    Manager secret or SSM parameter the federation reads it from at plan
    (``StoredClientSecret``: ``data.aws_secretsmanager_secret_version.criipto_client_secret``
    or ``data.aws_ssm_parameter.criipto_client_secret``, after the federation's prefix).
    Checked by the identity providers that use them, the first of which is the first part
    built.
    """

    client_id: str
    client_secret: str | ClientSecretSource


class CriiptoFederation(Construct):
    """Criipto login for a Cognito user pool: one OIDC provider for Criipto's eID picker, or
    one per eID, the app client or clients that use them, the resource servers their custom
    scopes name, and (``ManagedApplication``) the Criipto application whose return URL is the
    pool's ``https://<hosted_domain>/oauth2/idpresponse``.

    A construct of its own (``id``), whose parts have the fixed Terraform names users type for
    ``terraform import`` and ``state mv``, each after ``prefix``:
    ``aws_cognito_identity_provider.<provider name, lowercased>``,
    ``aws_cognito_user_pool_client.app_client`` (or ``.<key>`` for each of ``app_clients``),
    ``aws_cognito_resource_server.<identifier>``,
    ``aws_cognito_managed_login_branding.<client>`` and ``module.criipto_application``. Two
    federations in one stack need two prefixes.

    Props (keyword only):
        user_pool_id: the pool (literal id or a ``CognitoUserPool``'s ``id``).
        hosted_domain: the host of its hosted UI: a custom domain, or
            ``prefix_domain_host(prefix, region)`` (literal or token; managed mode needs a
            literal, baked into the application's return URL).
        criipto_domain: the Criipto domain, e.g. ``acme.criipto.id``.
        application: ``ManagedApplication`` or ``ExternalApplication``.
        app_client: ``AppClientOptions``, the one app client that offers the providers.
        app_clients: key -> ``AppClientOptions``, several clients instead of ``app_client``
            (exactly one of the two). Default: none.
        options: ``FederationOptions``, which providers and what each maps. Default: ``PICKER``
            (``FederationOptions()``: Criipto's eID picker).
        resource_servers: identifier -> ``ResourceServerOptions``, the APIs behind the clients'
            custom scopes. Default: none.
        check_custom_scopes: refuse a client scope ``<server>/<scope>`` that no
            ``resource_servers`` entry defines (AWS refuses it on apply); False for a pool whose
            servers are made elsewhere. Default: True.
        managed_login_branding: give each client Cognito's default managed-login style, which a
            domain with ``managed_login_version = 2`` needs. Default: False.
        outputs: add the Terraform outputs below to the stack. Default: True.
        prefix: what every Terraform name above and every output starts with, joined by
            ``_`` (``partners`` -> ``aws_cognito_user_pool_client.partners_app_client``,
            output ``partners_login_url``): lowercase letters, digits and ``_``, starting with
            a letter. Default: "", the names as above (one federation per stack).

    Literal props are checked with the config's rules and messages (a PropError names the
    prop), before anything is added to ``scope``; tokens are checked by Terraform at plan.
    A second federation with the same ``prefix`` in a stack raises PropError (``prefix``).

    Attributes: ``plan``, ``providers``, ``provider_names`` (references), ``app_client`` (None
    with ``app_clients``), ``app_clients`` (key -> ``FederatedAppClient``; the one client under
    ``app_client``), ``client_id`` and ``login_urls`` (provider name -> URL) of the first
    client, ``clients_login_urls`` (key -> its login URLs), ``resource_servers``,
    ``callback_url``, ``application`` and ``application_id`` (None in external mode).

    Outputs (the stack's, after ``prefix``): ``user_pool_id``, ``hosted_domain``,
    ``criipto_callback_url``; with ``app_client``: ``app_client_id``, ``login_url``,
    ``login_urls``; with ``app_clients``: ``app_client_ids`` and ``app_client_login_urls``
    (key -> provider name -> URL); managed: ``criipto_application_id``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        user_pool_id: str,
        hosted_domain: str,
        criipto_domain: str,
        application: ManagedApplication | ExternalApplication,
        app_client: AppClientOptions | None = None,
        app_clients: Mapping[str, AppClientOptions] = MappingProxyType({}),
        options: FederationOptions = PICKER,
        resource_servers: Mapping[str, ResourceServerOptions] = MappingProxyType({}),
        check_custom_scopes: bool = True,
        managed_login_branding: bool = False,
        outputs: bool = True,
        prefix: str = "",
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
        problem = addresses.prefix_problem(prefix)
        if problem:
            raise PropError("prefix", problem)
        _check_prefix_free(scope, prefix)
        self.plan = options.plan
        clients = _clients(app_client, app_clients)
        _check_clients(clients, resource_servers, self.plan, check_custom_scopes)
        super().__init__(scope, javascript.construct_id(id))
        self.prefix = prefix
        self.callback_url = urls.idp_response_url(hosted_domain)
        self.application: CriiptoApplication | None = None
        self.application_id: str | None = None
        try:
            client_id, client_secret, preconditions = self._credentials(
                application, hosted_domain, criipto_domain
            )
            self.providers = [
                CriiptoIdentityProvider(
                    self,
                    self._named(addresses.identity_provider_name(provider.provider_name)),
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
        except PropError:
            # The first part built refused what it was given: the scope stays as it was.
            scope.node.try_remove_child(self.node.id)
            raise
        self.provider_names = [provider.provider_name for provider in self.providers]
        self.resource_servers = self._resource_servers(user_pool_id, resource_servers)
        single = app_client is not None
        parent = self if single else Construct(self, addresses.APP_CLIENTS_SCOPE)
        self.app_clients = {
            key: FederatedAppClient(
                parent,
                self._named(addresses.APP_CLIENT if single else addresses.app_client_name(key)),
                user_pool_id=user_pool_id,
                identity_providers=self.provider_names,
                options=client,
                resource_servers=_servers_named(client.oauth_scopes, self.resource_servers),
                mapped_attributes=self.plan.mapped_attributes,
            )
            for key, client in clients.items()
        }
        self.app_client = self.app_clients[addresses.APP_CLIENT] if single else None
        if managed_login_branding:
            styles = Construct(self, addresses.BRANDING_SCOPE)
            for key, made in self.app_clients.items():
                ManagedLoginBranding(
                    styles,
                    self._named(addresses.app_client_name(key)),
                    user_pool_id=user_pool_id,
                    client_id=made.client_id,
                )
        provider_names = [provider.provider_name for provider in self.plan.providers]
        self.clients_login_urls = {
            key: urls.login_urls(
                hosted_domain,
                client_id=made.client_id,  # a reference: goes in as it is
                provider_names=provider_names,
                redirect_uri=clients[key].callback_urls[0],
                scopes=clients[key].oauth_scopes,
            )
            for key, made in self.app_clients.items()
        }
        first = next(iter(self.app_clients))
        self.client_id = self.app_clients[first].client_id
        self.login_urls = self.clients_login_urls[first]
        if outputs:
            self._outputs(user_pool_id, hosted_domain, single=single)

    def _named(self, name: str) -> str:
        """The Terraform name ``name`` after this federation's prefix."""
        return addresses.prefixed(self.prefix, name)

    def _credentials(
        self,
        application: ManagedApplication | ExternalApplication,
        hosted_domain: str,
        criipto_domain: str,
    ) -> tuple[str, str, list[Precondition]]:
        """The client id and secret Cognito presents to Criipto, and the providers' checks.

        An adopted (imported) application has no create answer in state: its secret must then
        come from the adopted_client_secret variable, which a precondition checks.
        """
        if isinstance(application, ExternalApplication):
            secret = application.client_secret
            if isinstance(secret, ClientSecretSource):
                stored = StoredClientSecret(self, self._named(SECRET_NAME), source=secret)
                return application.client_id, stored.value, stored.preconditions
            return application.client_id, secret, []
        self.application = CriiptoApplication(
            self,
            self._named(module_writer.MODULE_ADDRESS_NAME),
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

    def _resource_servers(
        self, user_pool_id: str, servers: Mapping[str, ResourceServerOptions]
    ) -> dict[str, ResourceServer]:
        if not servers:
            return {}
        parent = Construct(self, addresses.RESOURCE_SERVERS_SCOPE)
        return {
            identifier: ResourceServer(
                parent,
                self._named(addresses.resource_server_name(identifier)),
                user_pool_id=user_pool_id,
                identifier=identifier,
                options=options,
            )
            for identifier, options in servers.items()
        }

    def _outputs(self, user_pool_id: str, hosted_domain: str, *, single: bool) -> None:
        outputs: dict[str, tuple[object, str]] = {
            "user_pool_id": (user_pool_id, "The Cognito user pool."),
            "hosted_domain": (hosted_domain, "The host of the Cognito hosted UI."),
            "criipto_callback_url": (
                self.callback_url,
                "The return URL registered on the Criipto application.",
            ),
        }
        if single:
            login_urls = self._literal_urls(self.login_urls, hosted_domain)
            outputs["app_client_id"] = (
                self.client_id,
                "The Cognito app client your application uses.",
            )
            outputs["login_url"] = (
                next(iter(login_urls.values())),
                "Starts a login through Criipto (the first eID), skipping the hosted UI's list.",
            )
            outputs["login_urls"] = (login_urls, "A login URL per identity provider (per eID).")
        else:
            outputs["app_client_ids"] = (
                {literal(key): made.client_id for key, made in self.app_clients.items()},
                "Each app client's id, by its key in app_clients.",
            )
            outputs["app_client_login_urls"] = (
                {
                    literal(key): self._literal_urls(by_provider, hosted_domain)
                    for key, by_provider in self.clients_login_urls.items()
                },
                "Per app client, a login URL per identity provider (per eID).",
            )
        if self.application_id is not None:
            outputs["criipto_application_id"] = (
                self.application_id,
                "The Criipto application's id (for terraform import and the API).",
            )
        # Terraform's outputs are the root module's: the stack holds them.
        stack = TerraformStack.of(self)
        for output_id, (value, description) in outputs.items():
            TerraformOutput(stack, self._named(output_id), value=value, description=description)

    def _literal_urls(self, by_provider: Mapping[str, str], hosted_domain: str) -> dict[str, str]:
        """Login URLs as Terraform text: literal but for the client id and host references."""
        references = [*(made.client_id for made in self.app_clients.values()), hosted_domain]
        tokens = [part for part in references if props.is_token(part)]
        return {literal(name): _literal_around(url, tokens) for name, url in by_provider.items()}


def _clients(
    app_client: AppClientOptions | None, app_clients: Mapping[str, AppClientOptions]
) -> dict[str, AppClientOptions]:
    """Every client by key (the one client under ``app_client``), or PropError."""
    if (app_client is None) == (not app_clients):
        raise PropError("app_client", "give app_client (one client) or app_clients, not both")
    if app_client is not None:
        return {addresses.APP_CLIENT: app_client}
    for key in app_clients:
        key_problem = client_key_problem(key)
        if key_problem:
            raise PropError(key_path(["app_clients", key]), key_problem)
    for problem in client_set_problems({key: c.name for key, c in app_clients.items()}):
        raise PropError(f"app_clients.{problem.prop}", problem.problem)
    return dict(app_clients)


def _check_clients(
    clients: Mapping[str, AppClientOptions],
    servers: Mapping[str, ResourceServerOptions],
    plan: FederationPlan,
    check_custom_scopes: bool,
) -> None:
    """The rules that tie a client to the servers and to the providers' mappings."""
    for identifier in servers:
        identifier_text = identifier_problem(identifier)
        if identifier_text:
            raise PropError(key_path(["resource_servers", identifier]), identifier_text)
    for address_problem in address_problems(list(servers)):
        raise PropError(
            f"resource_servers.{key_path([address_problem.prop])}", address_problem.problem
        )
    literal_clients = {key: _Literals(client) for key, client in clients.items()}
    raise_all(
        clients_problems(
            literal_clients,
            single=list(clients) == [addresses.APP_CLIENT],
            servers={identifier: list(server.scopes) for identifier, server in servers.items()},
            mapped=plan.mapped_attributes,
            check_custom_scopes=check_custom_scopes,
        )
    )


@dataclass(frozen=True)
class _Literals:
    """A client's scopes and write attributes as far as they are known at synth: tokens are
    Terraform's to check."""

    client: AppClientOptions

    @property
    def oauth_scopes(self) -> Sequence[str]:
        return [scope for scope in self.client.oauth_scopes if not props.is_token(scope)]

    @property
    def write_attributes(self) -> Sequence[str] | None:
        written = self.client.write_attributes
        return None if written is None or any(map(props.is_token, written)) else written


def _servers_named(
    scopes: Sequence[str], servers: Mapping[str, ResourceServer]
) -> list[ResourceServer]:
    """The servers whose scopes are among ``scopes``: the client is made after them."""
    return [server for server in servers.values() if set(server.scopes) & set(scopes)]


def _check_prefix_free(scope: Construct, prefix: str) -> None:
    """Refuse a second federation with ``prefix`` in the stack: their names would meet."""
    stack = TerraformStack.of(scope)
    if any(
        isinstance(found, CriiptoFederation) and found.prefix == prefix
        for found in stack.node.find_all()
    ):
        raise PropError(
            "prefix",
            f"another CriiptoFederation in this stack has the prefix {prefix!r}: give each "
            "federation its own, or their Terraform names would meet",
        )


def _host_problem(host: str) -> str | None:
    return hostname_problem(host, example="login.acme.com")


def _literal_around(text: str, tokens: Sequence[str]) -> str:
    """``text`` escaped as a literal, but for the ``tokens`` in it (kept as they are).

    Plain string work: whether a part is a token asks jsii, once per part (``_literal_urls``),
    not once per URL and piece (10 clients' URLs made 49,000 calls, most of a large synth)."""
    present = [token for token in tokens if token in text]
    if not present:
        return literal(text)
    token, *rest = present
    return token.join(_literal_around(piece, rest) for piece in text.split(token))
