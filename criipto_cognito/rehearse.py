"""``rehearse``: a sign-in made the way Cognito makes it, with the deployed settings, stopping
before Cognito itself creates the user.

Only a login shows what the user info response strategy is, and what an eID really sends (which
claims, how long): the two things that fail sign-ins which every other check passes. The steps:

1. Read what Cognito will use (AWS API, as ``doctor``): the identity provider's client id,
   scopes, attribute mapping, the secret it holds and its endpoints (or, where it has none, the
   ones the domain's discovery document publishes); the pool's schema; every app client of the
   pool that offers the provider.
2. An authorize URL with Cognito's own ``redirect_uri`` (``https://<pool domain>/oauth2/
   idpresponse``, the one URL the dashboard registers) and a state and nonce of our own, and
   ``response_mode=fragment`` (OAuth 2.0 Multiple Response Type Encoding Practices §2.1): the
   browser keeps the code in the address's fragment and never sends it to Cognito, so Cognito
   cannot redeem it, whatever it does with a state it did not issue (AWS documents state
   checks for SP-initiated SAML only; see docs/operations.md). The person pastes the address
   the browser ended on.
3. The code redeemed as Cognito redeems it: ``client_secret_post`` to the token endpoint the
   domain publishes (the guard of application_probes.token_destination: nothing else gets the
   secret); the ID token verified (criipto_cognito/id_token.py); the userinfo endpoint called
   with the access token, as Cognito does to fill the attributes.
4. The rules Cognito applies when it writes the user (stacks/rules/sign_in.py): each mapped
   claim fits its attribute, each client offering the provider can write every mapped
   attribute, no required attribute stays empty.

Claim values are personal data: shown only with ``--show-values``, never written to a file.
The secret, the code and the tokens are masked in every output.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from criipto import dashboard, urls
from criipto_cognito import http
from criipto_cognito.application_probes import published_endpoint, token_destination
from criipto_cognito.cognito_lookup import (
    CognitoClient,
    aws_errors,
    describe_identity_provider,
    described,
    find_user_pool_id,
)
from criipto_cognito.deadline import Deadline
from criipto_cognito.discovery import endpoint_problem, rebased
from criipto_cognito.doctor_criipto import COGNITO_LOGIN_ERROR
from criipto_cognito.findings import (
    CannotCheck,
    Finding,
    checked,
    failed,
    passed,
    skipped,
)
from criipto_cognito.http import Answer, get_json_object, send
from criipto_cognito.id_token import TokenProblem, id_token_problem, jwt_kind, verify
from criipto_cognito.text import shown
from stacks.config import EnvironmentConfig
from stacks.rules.cognito import ATTRIBUTE_VALUE_MAX, aws_length
from stacks.rules.sign_in import (
    SELF_FILLED,
    USERNAME,
    PoolAttribute,
    attribute_order,
    mapped_attribute_problem,
    required_unmapped,
    schema_by_name,
    unwritable,
    value_length_problem,
)

POOL = "user pool"
SIGN_IN = "sign-in"
MAPPING = "attribute mapping"
CLIENT = "app client"
STRATEGY_FIX = (
    f"in the Idura dashboard, the application's {dashboard.OPENID_CONNECT_SECTION} section: "
    f"'{dashboard.USER_INFO_RESPONSE_STRATEGY}' = plainJson"
)
HIDDEN = "value hidden: --show-values shows it"
# Cognito's own limit for a sign-in (developer guide, "OIDC user pool IdP authentication flow":
# "Amazon Cognito cancels authentication requests that do not complete within 5 minutes").
DEFAULT_WAIT_SECONDS = 300.0
# ProviderDetails key -> the discovery field Cognito reads when the key is unset.
ENDPOINTS = {detail: field for field, detail in urls.ENDPOINT_DETAIL_KEYS.items()}


@dataclass(frozen=True)
class OfferingClient:
    """An app client of the pool that offers the provider; ``write_attributes`` None: AWS's
    default (the client's answer has no WriteAttributes)."""

    name: str
    write_attributes: tuple[str, ...] | None


@dataclass
class Rehearsal:
    """What the sign-in needs, as Cognito holds it; made by :func:`prepare`."""

    provider_name: str
    client_id: str  # the Criipto application's Client ID, as the provider holds it
    secret: str
    scopes: str
    mapping: dict[str, str]  # Cognito attribute -> claim
    userinfo_method: str
    endpoints: dict[str, str]  # ProviderDetails key -> URL requested (rebased)
    jwks: dict[str, object]
    schema: dict[str, PoolAttribute]
    clients: list[OfferingClient]
    redirect_uri: str
    issuer: str  # as Cognito holds it: the ID token's iss must be this
    state: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def authorize_url(self) -> str:
        params = {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "scope": self.scopes,
            "state": self.state,
            "nonce": self.nonce,
            # The code stays in the browser's address (see the module's docstring).
            "response_mode": "fragment",
        }
        return f"{self.endpoints['authorize_url']}?{urlencode(params)}"


def provider_name(config: EnvironmentConfig, wanted: str | None) -> str:
    """``wanted`` if the config has that provider, else the first; CannotCheck otherwise."""
    names = [plan.provider_name for plan in config.criipto.plan.providers]
    if wanted is None:
        return names[0]
    if wanted not in names:
        raise CannotCheck(
            f"--provider: no identity provider {wanted!r} (this config has: {', '.join(names)})"
        )
    return wanted


# ---- 1. what Cognito holds ---------------------------------------------------------------------


def prepare(
    cognito: CognitoClient,
    client: httpx.Client,
    config: EnvironmentConfig,
    name: str,
    base_url: str | None,
) -> tuple[Rehearsal | None, list[Finding]]:
    """The rehearsal, or None and the failed row that stops it; the rows found on the way."""
    subject = f"identity provider {name}"
    fix = "run `make deploy` for this environment (or check aws_region and the names)"
    pool_id = find_user_pool_id(cognito, config)
    pool = described(cognito, "UserPool", UserPoolId=pool_id) if pool_id else None
    wanted = config.user_pool.existing_id or f"a pool named {config.user_pool.name!r}"
    if pool_id is None or pool is None:
        return None, [failed(POOL, "exists", wanted, f"none in {config.aws_region}", fix)]
    findings = [passed(POOL, "exists", wanted, pool_id)]
    provider = describe_identity_provider(cognito, pool_id, name)
    if provider is None:
        return None, [
            *findings,
            failed(subject, "exists", f"an OIDC provider {name!r}", "none", fix),
        ]
    details: dict[str, str] = provider.get("ProviderDetails", {})
    secret = details.get("client_secret") or ""
    if not secret:
        why = "Cognito holds no client secret for it: no token request of Cognito's can succeed"
        return None, [*findings, failed(subject, "client secret", "a secret", why, fix)]
    domain = config.criipto.domain
    document = get_json_object(
        client, rebased(urls.discovery_url(domain), base_url), what="discovery (domain)"
    )
    assert document is not None  # missing_ok is off: 404 raises
    endpoints, problems = _endpoints(subject, details, document, domain, base_url)
    if problems:
        return None, [*findings, *problems]
    published = rebased(endpoints["token_url"], urls.issuer(domain))
    findings.append(
        passed(subject, "endpoints", f"on https://{domain}, the token endpoint as published",
               f"the secret goes to {published} alone; authorize, userinfo and jwks on {domain}")
    )  # fmt: skip
    jwks = get_json_object(client, endpoints["jwks_uri"], what=f"JWKS ({name})")
    assert jwks is not None
    clients = _offering_clients(cognito, pool_id, name)
    findings.append(
        checked(
            subject,
            "app clients offering it",
            bool(clients),
            expected="at least one app client with the provider ticked",
            found=", ".join(c.name for c in clients) or "none",
            fix=f"tick {name!r} under an app client's identity providers (`make deploy`): "
            "no sign-in can use the provider otherwise",
        )
    )
    rehearsal = Rehearsal(
        provider_name=name,
        client_id=details.get("client_id", ""),
        secret=secret,
        scopes=details.get("authorize_scopes", "openid"),
        mapping=dict(provider.get("AttributeMapping") or {}),
        userinfo_method=details.get("attributes_request_method", "GET").upper(),
        endpoints=endpoints,
        jwks=jwks,
        schema=schema_by_name(pool.get("SchemaAttributes") or []),
        clients=clients,
        redirect_uri=urls.idp_response_url(config.hosted_domain),
        issuer=details.get("oidc_issuer") or urls.issuer(domain),
    )
    return rehearsal, findings


def _endpoints(
    subject: str,
    details: Mapping[str, str],
    document: dict[str, object],
    domain: str,
    base_url: str | None,
) -> tuple[dict[str, str], list[Finding]]:
    """Each URL Cognito calls: the provider's own, else the published one; every one on the
    domain; the token endpoint the one the domain publishes (the secret goes there alone)."""
    subject_problems: list[Finding] = []
    found: dict[str, str] = {}
    for key, field_name in ENDPOINTS.items():
        if key == "token_url":
            continue  # the secret's destination: below
        held = details.get(key)
        if held:  # the provider's own (an eID's acr-scoped authorize_url, discovery's copy)
            why = endpoint_problem(held, domain)
            url, problem = (
                (None, f"Cognito's {key} {why}") if why else (rebased(held, base_url), "")
            )
        else:  # what Cognito's discovery reads: the published one, on the issuer's origin
            url, problem = published_endpoint(document, field_name, domain, base_url)
        if url is None:
            subject_problems.append(
                failed(
                    subject,
                    key,
                    f"https://{domain}/...",
                    shown(held) if held else "not published on the domain",
                    f"{problem}: nothing is sent there; run `make deploy` (the stack sets or "
                    "discovers every endpoint on the domain)",
                )
            )
            continue
        found[key] = url
    destination, why = token_destination(document, domain, base_url)
    held = details.get("token_url")
    if destination is None:
        subject_problems.append(
            failed(subject, "token endpoint", "the token endpoint the domain publishes",
                   f"the secret is not sent: {why}", "check criipto.domain and --base-url")
        )  # fmt: skip
    elif held and held.rstrip("/") != str(document.get("token_endpoint")).rstrip("/"):
        subject_problems.append(
            failed(
                subject,
                "token endpoint",
                shown(document.get("token_endpoint")),
                f"Cognito holds {shown(held)}: the secret is not sent there",
                "run `make deploy`: Cognito sends its secret to the provider's token_url",
            )
        )
    else:
        found["token_url"] = destination
    return found, subject_problems


def _offering_clients(cognito: CognitoClient, pool_id: str, name: str) -> list[OfferingClient]:
    offering = []
    with aws_errors("list the app clients"):
        pages = cognito.get_paginator("list_user_pool_clients").paginate(
            UserPoolId=pool_id, MaxResults=60
        )
        ids = [c["ClientId"] for page in pages for c in page["UserPoolClients"]]
    for client_id in ids:
        with aws_errors("describe the app client"):
            found: dict[str, Any] = cognito.describe_user_pool_client(
                UserPoolId=pool_id, ClientId=client_id
            )["UserPoolClient"]
        if name in (found.get("SupportedIdentityProviders") or []):
            write = found.get("WriteAttributes")
            offering.append(
                OfferingClient(
                    str(found.get("ClientName", client_id)),
                    tuple(write) if isinstance(write, list) else None,
                )
            )
    return sorted(offering, key=lambda c: c.name)


# ---- 2. the address the person ended on --------------------------------------------------------


@dataclass(frozen=True)
class Arrival:
    """What the authorization response carried: a code, or the OP's error code."""

    code: str | None
    error: str | None
    in_fragment: bool


def read_address(address: str, rehearsal: Rehearsal) -> Arrival:
    """The authorization response in the pasted ``address`` (its fragment, else its query);
    CannotCheck when it is not the answer to this rehearsal's request."""
    text = address.strip()
    if not text:
        raise CannotCheck("no address was pasted: run rehearse again and paste the whole address")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise CannotCheck("the pasted text is not an address: paste the whole address") from None
    in_fragment = bool(parts.fragment)
    params = parse_qs(parts.fragment if in_fragment else parts.query, keep_blank_values=True)
    state = params.get("state", [None])[0]
    if state != rehearsal.state:
        raise CannotCheck(
            "the pasted address does not carry this rehearsal's state: paste the address this "
            "sign-in ended on (a sign-in started elsewhere, or an old one, cannot be rehearsed)"
        )
    code = params.get("code", [None])[0]
    error = params.get("error", [None])[0]
    if not code and not error:
        raise CannotCheck("the pasted address carries no code: paste the whole address")
    return Arrival(code or None, error, in_fragment)


# ---- 3. the code redeemed, the tokens and the userinfo answer -------------------------------


@dataclass
class Outcome:
    findings: list[Finding]
    claims: dict[str, object] | None  # what the userinfo answer (else the ID token) carried
    source: str = "userinfo"


def redeem(
    client: httpx.Client,
    rehearsal: Rehearsal,
    arrival: Arrival,
    deadline: Deadline,
    add_secret: Callable[[str], None],
) -> Outcome:
    """Every row from the authorization response to the userinfo answer."""
    how = (
        "in the fragment (Cognito's page never saw it)"
        if arrival.in_fragment
        else ("in the query: Cognito's page received it too")
    )
    if arrival.code is None:
        return Outcome(
            [
                failed(
                    SIGN_IN,
                    "authorization",
                    "a code",
                    f"the OP answered the error {shown(arrival.error, 60)}",
                    "the sign-in did not complete at the OP (cancelled, or the application "
                    f"refused it): check '{dashboard.CODE_FLOW}' and the redirect URL in the "
                    "Idura dashboard, and sign in again",
                )
            ],
            None,
        )
    add_secret(arrival.code)
    findings = [passed(SIGN_IN, "authorization", "a code", f"a code {how}")]
    form = {
        "grant_type": "authorization_code",
        "code": arrival.code,
        "redirect_uri": rehearsal.redirect_uri,
        "client_id": rehearsal.client_id,
        "client_secret": rehearsal.secret,
    }
    answer = send(
        client, "POST", rehearsal.endpoints["token_url"], what="token endpoint", form=form
    )
    document = answer.json_object() or {}
    for name in ("access_token", "id_token", "refresh_token"):
        value = document.get(name)
        if isinstance(value, str):
            add_secret(value)
    access_token = document.get("access_token")
    if answer.status != 200 or not isinstance(access_token, str):
        findings.append(_token_refused(answer, document, arrival))
        return Outcome(findings, None)
    findings.append(
        passed(SIGN_IN, "token request", "HTTP 200 with an access token (client_secret_post)",
               "HTTP 200: " + ", ".join(n for n in ("access_token", "id_token") if n in document))
    )  # fmt: skip
    token_type = document.get("token_type")
    findings.append(
        checked(
            SIGN_IN,
            "token type",
            isinstance(token_type, str) and token_type.lower() == "bearer",
            expected="Bearer",
            found=shown(token_type),
            fix="Cognito calls the userinfo endpoint with a Bearer access token (RFC 6750): "
            "ask Idura why the token endpoint answers another token type",
        )
    )
    id_claims, row = _id_token(document.get("id_token"), rehearsal)
    findings.append(row)
    userinfo_row, claims, source = _userinfo(access_token, rehearsal, deadline)
    findings.append(userinfo_row)
    if claims is None and id_claims is not None and userinfo_row.status == "pass":
        claims, source = id_claims, "ID token"
    return Outcome(findings, claims, source)


def _token_refused(answer: Answer, document: dict[str, object], arrival: Arrival) -> Finding:
    error = document.get("error")
    code = error if isinstance(error, str) else None
    seen = answer.described() + (f", OAuth error {shown(code, 60)}" if code else "")
    if code == "invalid_client":
        fix = (
            "the application refuses the secret Cognito holds (regenerated in the dashboard, or "
            f"'{dashboard.CODE_FLOW}' off): set TF_VAR_criipto_client_secret to the "
            "application's secret and run `make deploy`"
        )
    elif code == "invalid_grant":
        fix = "a code is used once and lives briefly: sign in again and paste the address at once"
        if not arrival.in_fragment:
            fix += " (it came in the query, so Cognito may have redeemed it first)"
    else:
        fix = "check the application in the Idura dashboard, and sign in again"
    return failed(SIGN_IN, "token request", "HTTP 200 with an access token", seen, fix)


def _id_token(value: object, rehearsal: Rehearsal) -> tuple[dict[str, object] | None, Finding]:
    expected = "signed with a published key; issuer, audience and nonce as sent"
    fix = "Cognito refuses this ID token and the sign-in: ask Idura (report what this row says)"
    if not isinstance(value, str):
        return None, failed(SIGN_IN, "ID token", expected, "none in the token answer", fix)
    try:
        verified = verify(value, rehearsal.jwks)
    except TokenProblem as exc:
        return None, failed(SIGN_IN, "ID token", expected, f"the ID token {exc}", fix)
    problem = id_token_problem(
        verified.claims,
        issuer=rehearsal.issuer,
        client_id=rehearsal.client_id,
        nonce=rehearsal.nonce,
    )
    if problem is not None:
        return None, failed(SIGN_IN, "ID token", expected, problem, fix)
    found = f"{verified.algorithm} by key {verified.key_id}; issuer, audience and nonce as sent"
    return verified.claims, passed(SIGN_IN, "ID token", expected, found)


def _userinfo(
    access_token: str, rehearsal: Rehearsal, deadline: Deadline
) -> tuple[Finding, dict[str, object] | None, str]:
    expected = "plain JSON ('User info response strategy' = plainJson)"
    check = "userinfo form"
    problem = http.bearer_token_problem(access_token)
    if problem is not None:
        return failed(SIGN_IN, check, expected, f"not asked: the access token {problem}",
                      "ask Idura why its access token cannot be sent"), None, ""  # fmt: skip
    # The access token in this client's Authorization header, and nowhere else.
    with http.make_client(deadline, token=access_token) as bearer:
        answer = send(
            bearer, rehearsal.userinfo_method, rehearsal.endpoints["attributes_url"],
            what="userinfo endpoint",
        )  # fmt: skip
    document = answer.json_object()
    if answer.status == 200 and document is not None:
        return (
            passed(SIGN_IN, check, expected, f"plain JSON ({answer.media_type})"),
            document,
            ("userinfo"),
        )
    body = (answer.body or b"").decode("utf-8", "replace")
    kind = jwt_kind(body) if answer.status == 200 else None
    if kind is not None:
        row = failed(
            SIGN_IN,
            check,
            expected,
            f"{kind} ({answer.media_type or 'no content type'})",
            f"Cognito fails every sign-in with `{COGNITO_LOGIN_ERROR}`: {STRATEGY_FIX}",
        )
        if kind == "a signed JWT":  # its claims are still worth measuring
            try:
                return row, verify(body, rehearsal.jwks).claims, "userinfo JWT"
            except TokenProblem:
                pass
        return row, None, ""
    fix = f"Cognito fills the user's attributes from this answer: {STRATEGY_FIX}, and check the "
    fix += "application in the Idura dashboard"
    return failed(SIGN_IN, check, expected, answer.described(), fix), None, ""


# ---- 4. the rules Cognito applies when it writes the user -------------------------------------


def attribute_rows(
    rehearsal: Rehearsal, claims: Mapping[str, object] | None, source: str, show_values: bool
) -> list[Finding]:
    """Each mapped claim against its attribute, each offering client's write access, and the
    pool's required attributes; with no claims (the userinfo answer unreadable), the client and
    required-attribute rows alone."""
    findings: list[Finding] = []
    mapped = [a for a in sorted(rehearsal.mapping, key=attribute_order) if a != USERNAME]
    empty: list[str] = []
    if claims is None:
        findings.append(
            skipped(MAPPING, "claims", "not measured: the sign-in brought no readable claims")
        )
    else:
        if USERNAME in rehearsal.mapping:
            findings.append(_username_row(rehearsal.mapping[USERNAME], claims, source))
        for attribute in mapped:
            row = _claim_row(rehearsal, attribute, claims, source, show_values)
            findings.append(row)
            if row.status == "skip":
                empty.append(attribute)
    for client in rehearsal.clients:
        missing = unwritable(client.write_attributes, mapped)
        findings.append(
            checked(
                f"{CLIENT} {client.name}",
                "writes the mapped attributes",
                not missing,
                expected=", ".join(mapped) or "(none mapped)",
                found=f"cannot write: {', '.join(missing)}" if missing else "can write them all",
                fix="Cognito writes every mapped attribute at each sign-in through this client, "
                "and fails it when the client may not (AWS, CreateUserPoolClient "
                f"WriteAttributes): add {', '.join(missing)} to the client's write_attributes, "
                "or leave write_attributes unset (the stack then writes the mapped ones), and "
                "run `make deploy`",
            )
        )
    required = [
        a.name for a in rehearsal.schema.values() if a.required and a.name not in SELF_FILLED
    ]
    unmapped = required_unmapped(required, rehearsal.mapping)
    left_empty = sorted({*unmapped, *(a for a in empty if a in required)}, key=attribute_order)
    findings.append(
        checked(
            POOL,
            "required attributes filled",
            not left_empty,
            expected=", ".join(sorted(required, key=attribute_order)) or "(none required)",
            found=f"left empty: {', '.join(left_empty)}" if left_empty else "all filled",
            fix="Cognito fails a sign-in that leaves a required attribute empty: map it from a "
            "claim this eID sends, or use a pool that does not require it",
        )
    )
    return findings


def _username_row(claim: str, claims: Mapping[str, object], source: str) -> Finding:
    value = claims.get(claim)
    return checked(
        MAPPING,
        f"{claim} → {USERNAME}",
        isinstance(value, str) and bool(value),
        expected=f"the claim {claim!r}, from which Cognito derives the user name",
        found=f"present ({source})" if value else f"not sent ({source})",
        fix="without it Cognito cannot name the user: map username to a claim every sign-in "
        "brings (sub)",
    )


def _claim_row(
    rehearsal: Rehearsal, attribute: str, claims: Mapping[str, object], source: str, show: bool
) -> Finding:
    """The claim mapped to ``attribute`` against what the pool's attribute can hold."""
    claim = rehearsal.mapping[attribute]
    check = f"{claim} → {attribute}"
    value = claims.get(claim)
    if value is None or value == "":
        return skipped(MAPPING, check, f"not sent ({source}): {attribute} stays empty")
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    length = aws_length(text)
    found_attribute = rehearsal.schema.get(attribute)
    capacity = found_attribute.capacity if found_attribute else ATTRIBUTE_VALUE_MAX
    problem = mapped_attribute_problem(attribute, 0, found_attribute) or value_length_problem(
        length, capacity
    )
    measured = f"{length} characters, at most {capacity}" if problem is None else problem
    seen = f"{measured} ({source})"
    seen += f": {shown(text, 80)}" if show else f"; {HIDDEN}"
    return checked(
        MAPPING,
        check,
        problem is None,
        expected=f"a value {attribute} can hold (at most {capacity} characters)",
        found=seen,
        fix=f"Cognito fails this sign-in when it writes the claim {claim!r} into {attribute}: "
        "map the claim to an attribute that holds it (a custom attribute's max_length), or "
        "drop the mapping, and run `make deploy`",
    )


def summary_line(rehearsal: Rehearsal, seconds: float) -> str:
    """What the person is asked to do, before the URL."""
    return (
        f"Open the address below in a browser and sign in with a test identity (Idura's test "
        f"eIDs). The browser ends on Cognito's page {rehearsal.redirect_uri} (its error there is "
        "expected: the code stays in the address, after '#', and Cognito never sees it). Paste "
        f"that whole address here and press Enter, within {seconds:g} s:"
    )
