"""After deploy, the Cognito side: pool, domain, Criipto identity provider, app client."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from criipto import urls
from criipto_cognito.cognito_lookup import (
    CognitoClient,
    aws_errors,
    describe_identity_provider,
    described,
    find_app_client_id,
    find_user_pool_id,
)
from criipto_cognito.findings import Finding, checked, failed, passed
from stacks.config import EnvironmentConfig
from stacks.rules import cognito as rules
from stacks.rules import tiers
from stacks.rules.app_clients import AppClientOptions
from stacks.rules.federation_plan import ProviderPlan, needed_length
from stacks.rules.sign_in import (
    PoolAttribute,
    mapped_attribute_problem,
    required_unmapped,
    schema_by_name,
    unwritable,
)
from stacks.rules.tokens import DEFAULT_UNITS, LIFETIMES, SECONDS_PER_UNIT, Lifetime

POOL = "user pool"
DOMAIN = "domain"
PROVIDER = "identity provider"
CLIENT = "app client"
RESOURCE_SERVER = "resource server"
# How DescribeUserPoolClient names each lifetime and its unit.
_AWS_LIFETIME = {
    "access_token_validity": ("AccessTokenValidity", "AccessToken"),
    "id_token_validity": ("IdTokenValidity", "IdToken"),
    "refresh_token_validity": ("RefreshTokenValidity", "RefreshToken"),
}
DEPLOY_FIX = "run `cdktf deploy` for this environment (or check aws_region and the names)"


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
    findings += _check_pool(pool)
    mappings = _deployed_mappings(plans, providers)
    findings += _check_required(pool, mappings)
    findings += _check_mapped_attributes(pool, plans, mappings)
    findings += _check_plan(pool, config)
    findings.append(_check_domain(cognito, pool_id, config))
    for plan in plans:
        findings += _check_provider(providers[plan.provider_name], plan, config)
    findings += _check_resource_servers(cognito, pool_id, config)
    for key in config.clients:
        findings += _check_client(cognito, pool_id, config, key, mappings)
    return findings


def _describe_pool(cognito: CognitoClient, pool_id: str) -> dict[str, Any] | None:
    return described(cognito, "UserPool", UserPoolId=pool_id)


def _check_pool(pool: dict[str, Any]) -> list[Finding]:
    email = schema_by_name(pool.get("SchemaAttributes", [])).get("email")
    email_required = email is not None and email.required
    return [
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


def _deployed_mappings(
    plans: Sequence[ProviderPlan], providers: Mapping[str, dict[str, Any] | None]
) -> dict[str, Mapping[str, str]]:
    """Each deployed provider's attribute mapping (attribute -> claim), by provider name: what
    Cognito applies at a sign-in, whatever the config says."""
    return {
        plan.provider_name: dict(provider.get("AttributeMapping", {}))
        for plan in plans
        if (provider := providers.get(plan.provider_name)) is not None
    }


def _check_required(
    pool: dict[str, Any], mappings: Mapping[str, Mapping[str, str]]
) -> list[Finding]:
    """AWS's mapping guide: "A mapping must be present for each user pool attribute that your
    user pool requires"; each sign-in goes through one provider, so every provider maps each."""
    required = [a.name for a in schema_by_name(pool.get("SchemaAttributes", [])).values()
                if a.required and a.name != "email"]  # fmt: skip
    unmapped = {
        name: missing
        for name, mapping in mappings.items()
        if (missing := required_unmapped(required, mapping))
    }
    if not unmapped:
        return []
    found = "; ".join(f"{name} maps none of {', '.join(missing)}"
                      for name, missing in unmapped.items())  # fmt: skip
    return [
        failed(
            POOL,
            "required attributes mapped",
            "every required attribute mapped by every identity provider",
            found,
            "a required attribute the IdP does not send fails every federated sign-in through "
            "that provider: map it in the identity provider or use a pool that does not "
            "require it",
        )
    ]


def _check_mapped_attributes(
    pool: dict[str, Any],
    plans: Sequence[ProviderPlan],
    mappings: Mapping[str, Mapping[str, str]],
) -> list[Finding]:
    """Each attribute a deployed provider maps, against the pool's schema: declared (custom),
    mutable, not developer-only, and as long as the longest value the claim brings."""
    schema = schema_by_name(pool.get("SchemaAttributes", []))
    needs: dict[str, int] = {}
    for plan in plans:
        for attribute, claim in mappings.get(plan.provider_name, {}).items():
            if attribute != "username":
                need = needed_length(plan.eid, claim)
                needs[attribute] = max(needs.get(attribute, 0), need)
    return [
        _mapped_attribute_row(attribute, need, schema.get(attribute))
        for attribute, need in needs.items()
    ]


def _mapped_attribute_row(attribute: str, need: int, found: PoolAttribute | None) -> Finding:
    problem = mapped_attribute_problem(attribute, need, found)
    expected = f"declared, mutable, room for {need} characters"
    if found is None:
        seen = "not declared" if problem else "a standard attribute"
    else:
        seen = ", ".join(
            [
                "mutable" if found.mutable else "immutable",
                *(["developer-only"] if found.developer_only else []),
                f"at most {found.capacity} characters",
            ]
        )
    fix = (
        f"{problem}; a pool's schema attributes can be added but never changed: "
        + (
            f"add {attribute} (a mutable String of at least {need} characters) to the pool"
            if found is None
            else f"map the claim to a new mutable custom attribute of at least {need} "
            "characters (criipto.attribute_mapping), or use another pool"
        )
        if problem
        else ""
    )
    return checked(
        POOL,
        f"{attribute} writable at sign-in",
        problem is None,
        expected=expected,
        found=seen,
        fix=fix,
    )


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


def _check_plan(pool: dict[str, Any], config: EnvironmentConfig) -> list[Finding]:
    """The feature plan: as configured, and high enough for managed login on an existing pool
    (whose plan the config check cannot see)."""
    found_tier = str(pool.get("UserPoolTier") or "")
    wanted = config.user_pool.user_pool_tier
    findings = []
    if wanted is not None:
        findings.append(
            checked(
                POOL,
                "feature plan",
                found_tier == wanted,
                expected=wanted,
                found=found_tier or "(not reported)",
                fix="run `cdktf deploy` to set user_pool.user_pool_tier",
            )
        )
    if config.domain.managed_login_version == 2 and found_tier:
        problem = tiers.tier_problem(tiers.MANAGED_LOGIN, found_tier)
        findings.append(
            checked(
                POOL,
                "plan has managed login",
                problem is None,
                expected=f"{tiers.MANAGED_LOGIN.minimum} or higher",
                found=found_tier,
                fix="the hosted pages of a Lite pool are the classic hosted UI only: change the "
                "pool's plan, or set domain.managed_login_version = 1",
            )
        )
    return findings


def _check_resource_servers(
    cognito: CognitoClient, pool_id: str, config: EnvironmentConfig
) -> list[Finding]:
    """Every server the config defines or a client's custom scope names, with those scopes.

    On an existing pool the config check leaves a scope whose server is not in the config to
    this check: the server may be the pool's own."""
    needed: dict[str, set[str]] = {
        identifier: set(server.scopes) for identifier, server in config.resource_servers.items()
    }
    for client in config.clients.values():
        for scope in client.oauth_scopes:
            if scope not in rules.COGNITO_SCOPES:
                identifier, _, name = scope.rpartition("/")
                needed.setdefault(identifier, set()).add(name)
    findings = []
    for identifier, scopes in needed.items():
        subject = f"{RESOURCE_SERVER} {identifier}"
        server = described(cognito, "ResourceServer", UserPoolId=pool_id, Identifier=identifier)
        if server is None:
            findings.append(
                failed(subject, "exists", f"a resource server {identifier!r}", "none", DEPLOY_FIX)
            )
            continue
        findings.append(passed(subject, "exists", f"a resource server {identifier!r}"))
        configured = config.resource_servers.get(identifier)
        if configured is not None:
            findings.append(
                checked(
                    subject,
                    "name",
                    server.get("Name") == configured.name,
                    expected=configured.name,
                    found=str(server.get("Name", "")),
                    fix="run `cdktf deploy` to set the resource server's name",
                )
            )
        has = sorted(scope.get("ScopeName", "") for scope in server.get("Scopes", []))
        missing = sorted(scopes - set(has))
        findings.append(
            checked(
                subject,
                "scopes",
                not missing,
                expected=", ".join(sorted(scopes)),
                found=", ".join(has),
                fix=f"a client asks for {', '.join(missing)}, which the server lacks: AWS "
                "refuses such a client; add the scopes to the server (`cdktf deploy`)",
            )
        )
    return findings


def _check_client(
    cognito: CognitoClient,
    pool_id: str,
    config: EnvironmentConfig,
    key: str,
    mappings: Mapping[str, Mapping[str, str]],
) -> list[Finding]:
    wanted = config.clients[key]
    name = config.client_name(key)
    subject = CLIENT if config.app_client is not None else f"{CLIENT} {key}"
    where = config.client_key_path(key)
    client_id = find_app_client_id(cognito, pool_id, name)
    if client_id is None:
        return [failed(subject, "exists", f"an app client named {name!r}", "none", DEPLOY_FIX)]
    with aws_errors("describe the app client"):
        client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    found: dict[str, Any] = client["UserPoolClient"]
    findings = [passed(subject, "exists", f"an app client named {name!r}", client_id)]
    enabled = found.get("SupportedIdentityProviders", [])
    for plan in config.criipto.plan.providers:
        provider = plan.provider_name
        fix = f"tick {provider!r} under the client's identity providers, or run `cdktf deploy`"
        findings.append(
            _member_check(subject, f"provider {provider} enabled", provider, enabled, fix)
        )
    flows_on = found.get("AllowedOAuthFlowsUserPoolClient") is True
    flows = found.get("AllowedOAuthFlows", [])
    findings.append(
        checked(
            subject,
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
            subject,
            "callback URLs",
            callbacks == sorted(wanted.callback_urls),
            expected=", ".join(sorted(wanted.callback_urls)),
            found=", ".join(callbacks),
            fix="Cognito redirects only to listed URLs: run `cdktf deploy` to set "
            f"{where}.callback_urls",
        )
    )
    scopes = found.get("AllowedOAuthScopes", [])
    findings.append(
        checked(
            subject,
            "OAuth scopes",
            all(scope in scopes for scope in wanted.oauth_scopes),
            expected=", ".join(wanted.oauth_scopes),
            found=", ".join(scopes),
            fix=f"run `cdktf deploy` to set {where}.oauth_scopes",
        )
    )
    findings.append(_check_write_attributes(subject, where, found, mappings))
    findings.append(_check_lifetimes(subject, where, wanted, found))
    if wanted.refresh_token_rotation is not None:
        findings.append(_check_rotation(subject, where, wanted, found))
    return findings


def _check_write_attributes(
    subject: str,
    where: str,
    found: dict[str, Any],
    mappings: Mapping[str, Mapping[str, str]],
) -> Finding:
    """The client may write every attribute the providers it offers map (AWS,
    CreateUserPoolClient WriteAttributes). DescribeUserPoolClient leaves WriteAttributes out
    when AWS's default applies: the standard attributes."""
    offered = [name for name in found.get("SupportedIdentityProviders", []) if name in mappings]
    mapped = {a for name in offered for a in mappings[name] if a != "username"}
    granted = found.get("WriteAttributes")
    write_attributes = [str(a) for a in granted] if isinstance(granted, list) else None
    missing = unwritable(write_attributes, mapped)
    by = {a: [name for name in offered if a in mappings[name]] for a in missing}
    return checked(
        subject,
        "write attributes",
        not missing,
        expected="every attribute its identity providers map",
        found=(
            "cannot write " + "; ".join(f"{a} (mapped by {', '.join(by[a])})" for a in missing)
            if missing
            else "all mapped attributes"
            + ("" if write_attributes is not None else " (AWS's default: standard attributes)")
        ),
        fix="Cognito writes each mapped attribute at every sign-in and fails the sign-in when "
        f"the client may not: run `cdktf deploy` to set {where}.write_attributes (the stack "
        "writes every mapped attribute when it is unset), or tick "
        f"{', '.join(missing)} under the client's attribute write permissions in the console",
    )


def _check_lifetimes(
    subject: str, where: str, wanted: AppClientOptions, found: dict[str, Any]
) -> Finding:
    """Each token's lifetime, compared as a duration (15 minutes is 900 seconds)."""
    units = wanted.token_validity_units
    expected, seen = [], []
    same = True
    for lifetime in LIFETIMES:
        value = getattr(wanted, lifetime.key)
        unit = getattr(units, lifetime.unit_key) if units else None
        want = _seconds(lifetime, value, unit)
        aws_value, aws_unit = _AWS_LIFETIME[lifetime.key]
        have = _seconds(
            lifetime, found.get(aws_value), found.get("TokenValidityUnits", {}).get(aws_unit)
        )
        same = same and want == have
        expected.append(f"{lifetime.token} {_shown_seconds(want)}")
        seen.append(f"{lifetime.token} {_shown_seconds(have)}")
    return checked(
        subject,
        "token lifetimes",
        same,
        expected=", ".join(expected),
        found=", ".join(seen),
        fix=f"run `cdktf deploy` to set {where}'s token lifetimes (a change in the console "
        "is drift)",
    )


def _check_rotation(
    subject: str, where: str, wanted: AppClientOptions, found: dict[str, Any]
) -> Finding:
    rotation = wanted.refresh_token_rotation
    assert rotation is not None
    expected = f"{rotation.feature}, grace {rotation.retry_grace_period_seconds} s"
    have = found.get("RefreshTokenRotation") or {}
    seen = f"{have.get('Feature', 'DISABLED')}, grace {have.get('RetryGracePeriodSeconds', 0)} s"
    return checked(
        subject,
        "refresh token rotation",
        seen == expected,
        expected=expected,
        found=seen,
        fix=f"run `cdktf deploy` to set {where}.refresh_token_rotation",
    )


def _seconds(lifetime: Lifetime, value: object, unit: object) -> int:
    """A lifetime in seconds; unset, AWS's default (its value, or its unit)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return lifetime.default_seconds
    default = SECONDS_PER_UNIT[DEFAULT_UNITS.unit(lifetime)]
    return value * SECONDS_PER_UNIT.get(str(unit), default)


def _shown_seconds(seconds: int) -> str:
    for unit in ("days", "hours", "minutes"):
        size = SECONDS_PER_UNIT[unit]
        if seconds % size == 0:
            count = seconds // size
            return f"{count} {unit if count != 1 else unit.removesuffix('s')}"
    return f"{seconds} seconds"


def _member_check(subject: str, check: str, member: str, values: list[str], fix: str) -> Finding:
    return checked(
        subject,
        check,
        member in values,
        expected=f"{member} among {CLIENT} providers",
        found=", ".join(values),
        fix=fix,
    )
