"""After deploy, the Cognito side: pool, domain, Criipto identity provider, app client."""

from __future__ import annotations

from typing import Any

from criipto import urls
from criipto_cognito.cognito_lookup import (
    CognitoClient,
    aws_errors,
    describe_identity_provider,
    find_app_client_id,
    find_user_pool_id,
    found_or_none,
)
from criipto_cognito.findings import Finding, checked, failed, passed
from stacks.config import EnvironmentConfig
from stacks.rules.federation_plan import ProviderPlan

POOL = "user pool"
DOMAIN = "domain"
PROVIDER = "identity provider"
CLIENT = "app client"
DEPLOY_FIX = "run `cdktf deploy` for this environment (or check aws_region and the names)"
# Cognito fills "sub" itself; every other required attribute must come from the IdP.
_SELF_FILLED = frozenset({"sub"})


def check_cognito(cognito: CognitoClient, config: EnvironmentConfig) -> list[Finding]:
    """Every Cognito finding for one environment; CannotCheck when AWS cannot be asked."""
    pool_id = find_user_pool_id(cognito, config)
    pool = _describe_pool(cognito, pool_id) if pool_id else None
    wanted = config.user_pool.existing_id or f"a pool named {config.user_pool.name!r}"
    if pool_id is None or pool is None:
        return [failed(POOL, "exists", wanted, f"none in {config.aws_region}", DEPLOY_FIX)]
    findings = [passed(POOL, "exists", wanted, pool_id)]
    # One provider without eIDs (Criipto's picker), else one per eID, each pinned by acr.
    plans = config.criipto.plan.providers
    providers = {
        p.provider_name: describe_identity_provider(cognito, pool_id, p.provider_name)
        for p in plans
    }
    findings += _check_pool(pool, list(providers.values()))
    findings.append(_check_domain(cognito, pool_id, config))
    for plan in plans:
        findings += _check_provider(providers[plan.provider_name], plan, config)
    findings += _check_client(cognito, pool_id, config)
    return findings


def _describe_pool(cognito: CognitoClient, pool_id: str) -> dict[str, Any] | None:
    return found_or_none(
        "describe the user pool", lambda: cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    )


def _check_pool(pool: dict[str, Any], providers: list[dict[str, Any] | None]) -> list[Finding]:
    required = sorted(
        attribute["Name"]
        for attribute in pool.get("SchemaAttributes", [])
        if attribute.get("Required") and attribute["Name"] not in _SELF_FILLED
    )
    email_required = "email" in required
    findings = [
        checked(
            POOL,
            "email not required",
            not email_required,
            expected="email is not a required attribute",
            found="email is required" if email_required else "email is not a required attribute",
            fix="eIDs return no email, so every federated sign-in fails; required attributes "
            "cannot be changed on a pool: create a new pool without a required email "
            "(this stack's pools never require it)",
        )
    ]
    # Each sign-in goes through one provider, so every provider must map every required one.
    mappings = [p.get("AttributeMapping", {}) for p in providers if p is not None]
    unmapped = [
        name for name in required if name != "email" and not all(name in m for m in mappings)
    ]
    if unmapped:
        findings.append(
            failed(
                POOL,
                "required attributes mapped",
                "every required attribute mapped from Criipto",
                f"not mapped: {', '.join(unmapped)}",
                "a required attribute the IdP does not send fails every federated sign-in: "
                "map it in the identity provider or use a pool that does not require it",
            )
        )
    return findings


def _check_domain(cognito: CognitoClient, pool_id: str, config: EnvironmentConfig) -> Finding:
    name = config.domain.prefix or config.domain.custom
    expected = f"{config.hosted_domain}, ACTIVE, on pool {pool_id}"
    with aws_errors("describe the user pool domain"):
        found = cognito.describe_user_pool_domain(Domain=name).get("DomainDescription", {})
    if not found:
        return failed(DOMAIN, "active", expected, "no such domain", DEPLOY_FIX)
    if found.get("UserPoolId") != pool_id:
        return failed(
            DOMAIN,
            "active",
            expected,
            f"belongs to pool {found.get('UserPoolId')}",
            "the domain name is taken by another pool: choose another domain.prefix",
        )
    status = found.get("Status")
    if status != "ACTIVE":
        return failed(
            DOMAIN,
            "active",
            expected,
            f"status {status}",
            "a new domain takes a few minutes (a custom domain up to an hour): check again "
            "later; FAILED means delete and recreate it",
        )
    return passed(DOMAIN, "active", expected, f"{status} on pool {pool_id}")


def _check_provider(
    provider: dict[str, Any] | None, plan: ProviderPlan, config: EnvironmentConfig
) -> list[Finding]:
    subject = f"{PROVIDER} {plan.provider_name}"
    wanted = f"an OIDC provider named {plan.provider_name!r}"
    if provider is None:
        return [failed(subject, "exists", wanted, "none", DEPLOY_FIX)]
    details: dict[str, str] = provider.get("ProviderDetails", {})
    findings = [passed(subject, "exists", wanted)]
    domain = config.criipto.domain
    deploy_sets = "run `cdktf deploy` to set it from the config"
    findings.append(
        _detail(subject, "issuer", urls.issuer(domain), details.get("oidc_issuer"),
                f"Cognito checks the ID token's issuer against this: {deploy_sets}")
    )  # fmt: skip
    findings.append(
        _detail(subject, "client id", config.criipto_realm, details.get("client_id"),
                f"Criipto knows the application by its Client ID/Realm: {deploy_sets}")
    )  # fmt: skip
    if plan.acr is not None:
        findings.append(
            _detail(subject, "authorize_url", urls.authorize_url(domain, plan.acr),
                    details.get("authorize_url"),
                    f"the acr-scoped URL pins this provider to its eID: {deploy_sets}")
        )  # fmt: skip
    # The plan's scopes: openid, what the mapped claims need, and criipto.eid_scopes. A scope
    # missing here means its claims never arrive (Idura releases only what is asked for).
    scopes = details.get("authorize_scopes", "").split()
    missing = [scope for scope in plan.authorize_scopes if scope not in scopes]
    findings.append(
        checked(
            subject,
            "authorize scopes",
            not missing,
            expected=" ".join(plan.authorize_scopes),
            found=" ".join(scopes),
            fix=f"the provider does not ask for {', '.join(missing)}: {deploy_sets} "
            "(the scopes follow the attribute mapping and criipto.eid_scopes)",
        )
    )
    return findings


def _detail(subject: str, check: str, expected: str, found: str | None, fix: str) -> Finding:
    """A provider detail that must equal ``expected`` (an issuer's trailing slash aside)."""
    same = found is not None and found.rstrip("/") == expected.rstrip("/")
    return checked(subject, check, same, expected=expected, found=found or "(missing)", fix=fix)


def _check_client(cognito: CognitoClient, pool_id: str, config: EnvironmentConfig) -> list[Finding]:
    wanted = config.app_client
    client_id = find_app_client_id(cognito, pool_id, wanted.name)
    if client_id is None:
        return [
            failed(CLIENT, "exists", f"an app client named {wanted.name!r}", "none", DEPLOY_FIX)
        ]
    with aws_errors("describe the app client"):
        client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    found: dict[str, Any] = client["UserPoolClient"]
    findings = [passed(CLIENT, "exists", f"an app client named {wanted.name!r}", client_id)]
    enabled = found.get("SupportedIdentityProviders", [])
    for plan in config.criipto.plan.providers:
        name = plan.provider_name
        fix = f"tick {name!r} under the client's identity providers, or run `cdktf deploy`"
        findings.append(_member_check(f"provider {name} enabled", name, enabled, fix))
    flows_on = found.get("AllowedOAuthFlowsUserPoolClient") is True
    flows = found.get("AllowedOAuthFlows", [])
    findings.append(
        checked(
            CLIENT,
            "code flow",
            flows_on and "code" in flows,
            expected="OAuth code flow enabled",
            found=", ".join(flows) if flows_on else "OAuth flows disabled",
            fix="enable the authorization code grant on the app client (`cdktf deploy`)",
        )
    )
    callbacks = sorted(found.get("CallbackURLs", []))
    findings.append(
        checked(
            CLIENT,
            "callback URLs",
            callbacks == sorted(wanted.callback_urls),
            expected=", ".join(sorted(wanted.callback_urls)),
            found=", ".join(callbacks),
            fix="Cognito redirects only to listed URLs: run `cdktf deploy` to set "
            "app_client.callback_urls",
        )
    )
    scopes = found.get("AllowedOAuthScopes", [])
    findings.append(
        checked(
            CLIENT,
            "OAuth scopes",
            all(scope in scopes for scope in wanted.oauth_scopes),
            expected=", ".join(wanted.oauth_scopes),
            found=", ".join(scopes),
            fix="run `cdktf deploy` to set app_client.oauth_scopes",
        )
    )
    return findings


def _member_check(check: str, member: str, values: list[str], fix: str) -> Finding:
    return checked(
        CLIENT,
        check,
        member in values,
        expected=f"{member} among {CLIENT} providers",
        found=", ".join(values),
        fix=fix,
    )
