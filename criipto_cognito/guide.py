"""``guide ENV``: what to do in the Idura dashboard for one environment, every value filled in.

External mode is Idura's own Cognito guide with this config's values: the application (name,
domain, Client ID/Realm, Cognito's callback), the code flow and its secret, the user info
response strategy, the eID settings and scopes the stack's providers rely on, and where the
secret goes so that Terraform hands it to Cognito. Managed mode keeps only what the management
contract cannot set. Nothing here reads the network: it is the config, explained.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from criipto import client_secret, contract, dashboard, eids, urls
from criipto_cognito.doctor_criipto import COGNITO_LOGIN_ERROR
from stacks.config import EnvironmentConfig
from stacks.config.backend import CloudBackendConfig

Value = str | list[str]


@dataclass(frozen=True)
class Step:
    """One thing to do: ``do`` in a sentence, ``values`` to type or choose (label -> value)."""

    do: str
    values: dict[str, Value] = field(default_factory=dict)
    why: str = ""


# Where the dashboard makes the client secret (rotate repeats it for a new one).
SECRET_STEP = Step(
    f"In the application's {dashboard.OPENID_CONNECT_SECTION} section, turn on "
    f"'{dashboard.CODE_FLOW}' and copy the client secret it shows",
    why="Idura shows the secret this once and keeps only a hash of it; Cognito sends it "
    "with every token request (client_secret_post)",
)


def guide(name: str, config: EnvironmentConfig) -> list[Step]:
    """The steps, in order."""
    if config.criipto.mode == "managed":
        return [_gateway(config), *_eid_steps(config), _hand_over_token(name, config),
                *_deploy_and_check(name, managed=True)]  # fmt: skip
    return [
        _application(name, config),
        SECRET_STEP,
        Step(
            f"Set '{dashboard.USER_INFO_RESPONSE_STRATEGY}' to "
            f"{contract.COGNITO_USER_INFO_RESPONSE_STRATEGY} and save the application",
            {dashboard.USER_INFO_RESPONSE_STRATEGY: contract.COGNITO_USER_INFO_RESPONSE_STRATEGY},
            why="Cognito reads the userinfo answer as plain JSON: anything else fails every "
            f"login with `{COGNITO_LOGIN_ERROR}`, and no check from outside can see it",
        ),
        *_eid_steps(config),
        _hand_over_secret(name, config),
        *_deploy_and_check(name, managed=False, stored=config.criipto.secret_source is not None),
    ]


def _application(name: str, config: EnvironmentConfig) -> Step:
    return Step(
        f"Open {dashboard.DASHBOARD_URL}, go to {dashboard.APPLICATIONS_TAB}, choose "
        f"'{dashboard.ADD_APPLICATION}', fill in these values and save",
        {
            dashboard.NAME: config.criipto_application_name(name),
            dashboard.DOMAIN: config.criipto.domain,
            dashboard.CLIENT_ID: config.criipto_realm,
            dashboard.REDIRECT_URLS: [urls.idp_response_url(config.hosted_domain)],
        },
        why="the Client ID/Realm must be criipto.client_id exactly; the redirect URL is "
        "Cognito's callback on the pool's domain, the only one Cognito uses",
    )


def _eid_steps(config: EnvironmentConfig) -> list[Step]:
    """The dashboard switches the config says are on, and the scopes the providers ask for."""
    steps = [
        Step(
            f"Turn on {eids.DASHBOARD_SETTINGS[key].description}",
            {"criipto.dashboard_settings": key},
            why="a mapped claim needs it, and nothing outside the dashboard can set or see it",
        )
        for key in config.criipto.federation.dashboard_settings
    ]
    providers = config.criipto.plan.providers
    asking = {
        plan.provider_name: " ".join(plan.authorize_scopes)
        for plan in providers
        if len(plan.authorize_scopes) > 1
    }
    if asking:
        steps.append(
            Step(
                f"Turn on '{dashboard.DYNAMIC_SCOPES}' on the application, or (static scopes) "
                "make each eID's provider page in the dashboard release the claims these scopes "
                "stand for",
                dict(asking),
                why="with static scopes (Idura's default) Idura ignores every scope but openid",
            )
        )
    pinned = {plan.provider_name: plan.acr for plan in providers if plan.acr is not None}
    if pinned:
        steps.append(
            Step(
                "Make sure each of these eIDs is enabled for the domain (test or production, "
                "as the domain is)",
                {provider: acr for provider, acr in pinned.items()},
                why="each Cognito identity provider asks Idura for exactly one of them",
            )
        )
    return steps


def _where_terraform_runs(
    name: str, config: EnvironmentConfig, variable: str, github: str
) -> dict[str, Value]:
    """Where a secret goes so that Terraform finds it: the shell, the workflows, a workspace."""
    backend = config.backend
    where: dict[str, Value] = {
        "your shell": f"export {variable}=…",
        "GitHub Actions": _github_actions(name, config, github),
    }
    if isinstance(backend, CloudBackendConfig):
        workspace = backend.workspace or f"the workspace tagged {', '.join(backend.tags or [])}"
        where["Terraform Cloud"] = (
            f"{workspace}: an environment variable {variable}, marked sensitive"
        )
    else:
        where["Terraform Cloud"] = f"the workspace's environment variable {variable}, sensitive"
    return where


# The GitHub environments the workflows run an environment's jobs in: plan.yml's plan job in
# "<env>-plan" (pull requests may enter it), apply.yml's apply job in "<env>" (only main should).
PLAN_ENVIRONMENT = "{}-plan"
APPLY_ENVIRONMENT = "{}"


def _github_actions(name: str, config: EnvironmentConfig, github: str) -> str:
    """Where the workflows read the secret ``github`` for environment ``name``."""
    plan, apply = PLAN_ENVIRONMENT.format(name), APPLY_ENVIRONMENT.format(name)
    if isinstance(config.backend, CloudBackendConfig):
        return (
            f"nothing: plan.yml and apply.yml run Terraform in the workspace, with its "
            f"variables (the secret {github} is then not read)"
        )
    if config.backend.type == "local":
        return (
            f"the secret {github} in the GitHub environment {plan!r} (plan.yml; a local "
            "backend is never applied from CI)"
        )
    return (
        f"the secret {github} in the GitHub environments {plan!r} (plan.yml, pull requests) "
        f"and {apply!r} (apply.yml, main only)"
    )


def _hand_over_secret(name: str, config: EnvironmentConfig) -> Step:
    source = config.criipto.secret_source
    if source is not None:
        return Step(
            f"Put the secret into the {source.label} (never in federation.toml or the repository)",
            {
                "store": source.label,
                "read by": "Terraform at plan, with the credentials it deploys with (no "
                f"{client_secret.ENV_VAR}, no GitHub secret), and doctor, discover and rotate",
            },
            why="the stack reads it with a data source into each Cognito identity provider; "
            "Terraform state holds it, so keep state encrypted",
        )
    return Step(
        "Give Terraform the secret where it runs (never in federation.toml or the repository)",
        _where_terraform_runs(name, config, client_secret.ENV_VAR, client_secret.GITHUB_SECRET),
        why="the stack's sensitive variable criipto_client_secret goes into each Cognito "
        "identity provider; Terraform state holds it, so keep state encrypted",
    )


def _hand_over_token(name: str, config: EnvironmentConfig) -> Step:
    return Step(
        "Give Terraform the management API token where it runs",
        _where_terraform_runs(
            name, config, f"TF_VAR_{contract.API_TOKEN_VARIABLE}", contract.API_TOKEN_ENV_VAR
        ),
        why="the generated module's restapi provider sends it as a bearer token",
    )


def _gateway(config: EnvironmentConfig) -> Step:
    return Step(
        "Managed mode: Terraform creates the application through your management API gateway, "
        "which must answer the adapter contract in docs/criipto-management-api.md (Idura "
        "publishes no such API)",
        {"criipto.management_api_url": config.criipto.management_api_url or ""},
        why='without such a gateway, use mode = "external" and make the application by hand',
    )


def _deploy_and_check(name: str, *, managed: bool, stored: bool = False) -> list[Step]:
    secret = "it reads the secret from the store and checks it" if stored else (
        f"with {client_secret.ENV_VAR} set, it also checks the secret"
    )  # fmt: skip
    before = [] if managed else [
        Step(
            "Before deploying, check the application from outside",
            {"command": f"criipto-cognito discover {name}"},
            why=f"{secret}; it finds a wrong Client ID, secret or redirect URL before a user "
            "does",
        )
    ]  # fmt: skip
    return [
        *before,
        Step("Deploy", {"command": f"make deploy ENV={name}"}),
        Step(
            "Check both sides, rehearse a sign-in with a test identity, then log in once",
            {
                "check": f"criipto-cognito doctor {name}",
                "rehearse": f"criipto-cognito rehearse {name}",
                "log in": f"criipto-cognito login-url {name}",
            },
            why="doctor reads the application through the management API; rehearse signs in "
            "as Cognito would and measures what the eID sends"
            if managed
            else "doctor checks the secret each Cognito identity provider holds; only a sign-in "
            "shows the user info response strategy: rehearse makes one as Cognito would",
        ),
    ]


def as_text(name: str, config: EnvironmentConfig, steps: list[Step]) -> str:
    lines = [f"guide {name}: {config.criipto.mode} mode, Criipto domain {config.criipto.domain}"]
    for number, step in enumerate(steps, start=1):
        lines.append(f"{number}. {step.do}.")
        width = max((len(label) for label in step.values), default=0)
        for label, value in step.values.items():
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                shown = f"{label}:" if index == 0 else ""
                lines.append(f"     {shown:<{width + 1}}  {item}")
        if step.why:
            lines.append(f"   ({step.why})")
    return "\n".join(lines)


def as_document(name: str, config: EnvironmentConfig, steps: list[Step]) -> dict[str, object]:
    return {
        "command": "guide",
        "environment": name,
        "mode": config.criipto.mode,
        "steps": [
            {"step": number, "do": step.do, "values": step.values, "why": step.why}
            for number, step in enumerate(steps, start=1)
        ],
    }
