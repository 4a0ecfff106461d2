"""External mode: the Criipto application, checked through the domain's public endpoints.

No management API exists for an application made in the Idura dashboard, but the domain answers
anyone enough to find the clicks that break logins (criipto/public_endpoints.py has the facts):

1. the Client ID is registered on the domain (``/.well-known/criipto-configuration``);
2. each secret authenticates: a token request, ``client_secret_post`` as Cognito sends it, for
   a code that cannot exist (``invalid_grant``: accepted; ``invalid_client``: a wrong secret, or
   the code flow off);
3. Cognito's callback is a registered redirect URL, for each identity provider on its own
   (acr-scoped) authorize endpoint: compared with the answer for a URL that cannot be
   registered, which an OAuth server must refuse without redirecting (an error page, 400). The
   same refusal for Cognito's URL is a fail once the Client ID is known (listed, or its
   secret accepted), since only a bad client or redirect URL is refused that way;
4. the user info response strategy, which no request from outside shows: said so, never passed.

A row passes or fails only on an unambiguous answer; anything else is "unknown" with what came
back (status, OAuth error code, never a description a server wrote). The secret goes to one
place only: the https token endpoint that the domain's own discovery document publishes on the
issuer's host (with ``--base-url``, the same path at that origin, which the user named to stand
in for the domain, exactly as for every other request); never into a row, an error or an
exception. Every request draws from the command's deadline (the client's transport).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from criipto import contract, dashboard, public_endpoints, urls
from criipto_cognito.discovery import endpoint_problem, rebased
from criipto_cognito.doctor_criipto import APPLICATION, COGNITO_LOGIN_ERROR
from criipto_cognito.findings import CannotCheck, Finding, failed, passed, skipped, unknown, unseen
from criipto_cognito.http import Answer, get_json_object, send
from criipto_cognito.text import shown
from stacks.config import EnvironmentConfig

REGISTERED = "Client ID registered"
REDIRECT_URL = "redirect URL registered"
STRATEGY = "user info response strategy"
_CREDENTIALS_EXPECTED = "accepted by the token endpoint (client_secret_post, as Cognito sends it)"


@dataclass(frozen=True)
class SecretHolder:
    """One place a client secret is kept (an identity provider, an environment variable).

    ``secret`` None: there is none to check, and ``missing`` says why; ``fix`` is what to do
    when the token endpoint refuses it.
    """

    label: str
    secret: str | None
    missing: str = ""
    fix: str = ""


def probe_application(
    client: httpx.Client,
    config: EnvironmentConfig,
    holders: Sequence[SecretHolder],
    *,
    base_url: str | None = None,
) -> list[Finding]:
    """Every row on the application; CannotCheck (with the rows so far) when a request gets no
    answer at all."""
    findings: list[Finding] = []
    try:
        _probe(client, config, holders, base_url, findings)
    except CannotCheck as exc:
        raise CannotCheck(str(exc), found=[*findings, *exc.found]) from None
    return findings


def _probe(
    client: httpx.Client,
    config: EnvironmentConfig,
    holders: Sequence[SecretHolder],
    base_url: str | None,
    findings: list[Finding],
) -> None:
    domain = config.criipto.domain
    registered = _client_registered(client, config, base_url)
    findings.append(registered)
    providers = config.criipto.plan.providers
    if registered.failed:
        why = "not checked: the Client ID is not registered on the domain (above)"
        findings += [skipped(APPLICATION, holder.label, why) for holder in holders]
        findings += [skipped(APPLICATION, _redirect_check(config, p.provider_name), why)
                     for p in providers]  # fmt: skip
    else:
        document = get_json_object(
            client, rebased(urls.discovery_url(domain), base_url), what="discovery (domain)"
        )
        assert document is not None  # missing_ok is off: 404 raises
        secret_rows = _secret_rows(client, config, document, holders, base_url)
        findings += secret_rows
        # The client is known once the domain lists it or accepted its credentials.
        client_known = registered.status == "pass" or any(r.status == "pass" for r in secret_rows)
        for plan in providers:
            authorize = authorize_endpoint(document, config.criipto.domain, plan.acr, base_url)
            findings.append(_redirect_url(client, config, plan.provider_name, authorize,
                                          client_known))  # fmt: skip
    strategy = contract.COGNITO_USER_INFO_RESPONSE_STRATEGY
    findings.append(
        unseen(
            APPLICATION,
            STRATEGY,
            strategy,
            "cannot be seen from outside: only a login shows it (`criipto-cognito rehearse`)",
            f"in the Idura dashboard, the application's {dashboard.OPENID_CONNECT_SECTION} "
            f"section: '{dashboard.USER_INFO_RESPONSE_STRATEGY}' = {strategy}; anything else "
            f"fails every login with `{COGNITO_LOGIN_ERROR}`; `criipto-cognito rehearse ENV` "
            "signs in with a test identity and shows it",
        )
    )


# ---- 1. the Client ID -------------------------------------------------------------------------


def _client_registered(
    client: httpx.Client, config: EnvironmentConfig, base_url: str | None
) -> Finding:
    domain, client_id = config.criipto.domain, config.criipto_realm
    url = rebased(public_endpoints.criipto_configuration_url(domain, client_id), base_url)
    answer = send(client, "GET", url, what="criipto-configuration")
    expected = f"{client_id} on {domain}"
    if answer.status == 404:
        return failed(
            APPLICATION,
            REGISTERED,
            expected,
            f"HTTP 404: {public_endpoints.UNKNOWN_CLIENT}",
            f"check criipto.client_id against the application's '{dashboard.CLIENT_ID}' in the "
            f"Idura dashboard, and that the application is on the domain {domain}",
        )
    document = answer.json_object() if answer.status == 200 else None
    listed = document.get("clients") if document is not None else None
    if isinstance(listed, list) and any(
        isinstance(entry, dict) and entry.get("client_id") == client_id for entry in listed
    ):
        return passed(APPLICATION, REGISTERED, expected, f"listed by {url_path(url)}")
    seen = answer.described()
    if document is not None:
        seen += ", but the answer does not list this Client ID"
    return unknown(
        APPLICATION,
        REGISTERED,
        expected,
        seen,
        "Idura documents no other answer than 200 with the client and 404: check the "
        f"application's '{dashboard.CLIENT_ID}' in the Idura dashboard",
    )


# ---- 2. the secrets ---------------------------------------------------------------------------


def _secret_rows(
    client: httpx.Client,
    config: EnvironmentConfig,
    document: dict[str, object],
    holders: Sequence[SecretHolder],
    base_url: str | None,
) -> list[Finding]:
    destination, problem = token_destination(document, config.criipto.domain, base_url)
    answers: dict[str, Answer] = {}  # one request per distinct secret
    rows = []
    for holder in holders:
        if holder.secret is None:
            rows.append(skipped(APPLICATION, holder.label, holder.missing))
            continue
        if destination is None:
            rows.append(skipped(APPLICATION, holder.label, f"not sent: {problem}"))
            continue
        if holder.secret not in answers:
            answers[holder.secret] = _token_request(client, config, destination, holder.secret)
        rows.append(_secret_row(holder, answers[holder.secret]))
    return rows


def token_destination(
    document: dict[str, object], domain: str, base_url: str | None
) -> tuple[str | None, str]:
    """Where a secret may go: the token endpoint the domain's own discovery document names, if
    it is an https URL on the issuer's origin (the issuer itself must be the domain's); with
    ``base_url``, that path at the base URL. Else (None, why not)."""
    return published_endpoint(document, "token_endpoint", domain, base_url)


def published_endpoint(
    document: dict[str, object], field: str, domain: str, base_url: str | None
) -> tuple[str | None, str]:
    """The endpoint ``field`` of the domain's own discovery document, if it is an https URL on
    the issuer's origin (the issuer itself must be the domain's); with ``base_url``, that path
    at the base URL. Else (None, why not)."""
    issuer = urls.issuer(domain)
    if document.get("issuer") != issuer:
        return None, f"the discovery document's issuer is not {issuer}"
    endpoint = document.get(field)
    problem = endpoint_problem(endpoint, domain)
    # The one rule discover judges the published endpoint by: one verdict per URL.
    if problem is not None or not isinstance(endpoint, str):
        return None, f"the discovery document's {field} {problem or 'is not a string'}"
    return rebased(endpoint, base_url), ""


def authorize_endpoint(
    document: dict[str, object], domain: str, acr: str | None, base_url: str | None
) -> tuple[str | None, str]:
    """The authorize endpoint Cognito sends a browser to for a provider: for an eID, the
    acr-scoped URL the stack pins in provider_details; for the picker, the one the domain's
    discovery publishes, which Cognito reads (on the issuer's origin only)."""
    if acr is not None:
        return rebased(urls.authorize_url(domain, acr), base_url), ""
    return published_endpoint(document, "authorization_endpoint", domain, base_url)


def _token_request(
    client: httpx.Client, config: EnvironmentConfig, url: str, secret: str
) -> Answer:
    form = {
        "grant_type": "authorization_code",
        # A code no one was issued: the server must look at the client first.
        "code": f"criipto-cognito-check-{secrets.token_urlsafe(24)}",
        "redirect_uri": urls.idp_response_url(config.hosted_domain),
        "client_id": config.criipto_realm,
        "client_secret": secret,
    }
    return send(client, "POST", url, what="token endpoint", form=form)


def _secret_row(holder: SecretHolder, answer: Answer) -> Finding:
    document = answer.json_object()
    error = document.get("error") if document is not None else None
    code = error if isinstance(error, str) else None
    if code == public_endpoints.CREDENTIALS_ACCEPTED and answer.status == 400:
        return passed(
            APPLICATION,
            holder.label,
            _CREDENTIALS_EXPECTED,
            f"accepted ({code} for a code that cannot exist)",
        )
    if code == public_endpoints.CREDENTIALS_REFUSED and answer.status in (400, 401):
        return failed(
            APPLICATION,
            holder.label,
            _CREDENTIALS_EXPECTED,
            f"HTTP {answer.status} {code}",
            holder.fix,
        )
    seen = answer.described() + (f", OAuth error {shown(code, 60)}" if code is not None else "")
    return unknown(
        APPLICATION,
        holder.label,
        _CREDENTIALS_EXPECTED,
        seen,
        f"neither {public_endpoints.CREDENTIALS_ACCEPTED} nor "
        f"{public_endpoints.CREDENTIALS_REFUSED}: check '{dashboard.CODE_FLOW}' on the "
        "application in the Idura dashboard, and try a login",
    )


# ---- 3. the redirect URL ----------------------------------------------------------------------


def _redirect_check(config: EnvironmentConfig, provider_name: str) -> str:
    return f"{REDIRECT_URL} ({provider_name})" if config.criipto.federation.eids else REDIRECT_URL


def _redirect_url(
    client: httpx.Client,
    config: EnvironmentConfig,
    provider_name: str,
    endpoint: tuple[str | None, str],
    client_known: bool,
) -> Finding:
    check = _redirect_check(config, provider_name)
    callback = urls.idp_response_url(config.hosted_domain)
    authorize, why_not = endpoint
    if authorize is None:
        seen = f"not probed: {why_not}"
        fix = "run `criipto-cognito discover` to see what the domain publishes"
        return unknown(APPLICATION, check, callback, seen, fix)
    nonce = secrets.token_urlsafe(12)
    ours = _authorize(client, config, authorize, callback, nonce)
    control = _authorize(
        client, config, authorize, public_endpoints.unregistrable_redirect_url(nonce), nonce
    )
    seen = (
        f"{ours.described(json_expected=False)}; for a URL that cannot be registered: "
        f"{control.described(json_expected=False)}"
    )
    where = f"the application's '{dashboard.REDIRECT_URLS}' in the Idura dashboard"
    look = f"check that {where} lists {callback}, and try a login"
    if not _refused(control):
        why = "the domain did not refuse a URL that cannot be registered: this says nothing"
        return unknown(APPLICATION, check, callback, f"{seen} ({why})", look)
    if ours.status < 300 or ours.redirect:
        return passed(APPLICATION, check, callback, seen)
    if _refused(ours):
        if client_known:
            fix = f"add {callback} to {where}: Criipto sends users back to Cognito only there"
            return failed(APPLICATION, check, callback, f"refused like it: {seen}", fix)
        why = "the Client ID is not confirmed either, which would be refused the same way"
        return unknown(APPLICATION, check, callback, f"{seen} ({why})", look)
    return unknown(APPLICATION, check, callback, seen, look)


def _authorize(
    client: httpx.Client, config: EnvironmentConfig, url: str, redirect_uri: str, nonce: str
) -> Answer:
    params = {
        "client_id": config.criipto_realm,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": "openid",
        "state": nonce,
    }
    return send(client, "GET", url, what="authorize endpoint", params=params)


def _refused(answer: Answer) -> bool:
    """An OAuth error page: 400, no redirect. (A 404 or 403 says the path or a firewall
    refused, not the authorization server.)"""
    return answer.status == 400 and not answer.redirect


def url_path(url: str) -> str:
    return urlsplit(url).path
