"""discover against a real HTTPS server on loopback: healthy, broken, and unreachable domains."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.tls_server import DOMAIN, JWKS_PATH, CriiptoServer

from criipto_cognito import http
from criipto_cognito.application_probes import token_destination
from criipto_cognito.deadline import Deadline
from criipto_cognito.discovery import DOMAIN_TARGET, DiscoveryTarget, check_document, discover
from criipto_cognito.findings import CannotCheck, Finding

SHORT_TIMEOUT = 0.5
# Enough for every request of one healthy run on a busy machine.
TEST_TIMEOUT = 10.0


@pytest.fixture
def client(server: CriiptoServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    server.reset()
    monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with http.make_client(Deadline(TEST_TIMEOUT)) as made:
        yield made


def run(client: httpx.Client, server: CriiptoServer, **kwargs: Any) -> list[Finding]:
    return discover(client, DOMAIN, base_url=server.base_url, **kwargs)


def by_check(findings: list[Finding]) -> dict[str, Finding]:
    return {f.check: f for f in findings}


def test_healthy_domain_passes_every_check(client: httpx.Client, server: CriiptoServer) -> None:
    findings = run(client, server)
    assert [f.check for f in findings if f.status != "pass"] == []
    assert set(by_check(findings)) == {
        "issuer",
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "response_types_supported",
        "token_endpoint_auth_methods_supported",
        "scopes_supported",
        "id_token_signing_alg_values_supported",
        "jwks keys",
    }
    # The JWKS came from the same origin as discovery (--base-url rewrites both).
    assert server.paths() == ["/.well-known/openid-configuration", JWKS_PATH]


def test_requests_name_the_product_and_carry_no_authorization(
    client: httpx.Client, server: CriiptoServer
) -> None:
    run(client, server)
    for _, headers in server.state.requests:
        assert headers["User-Agent"].startswith("criipto-cognito/")
        assert "Authorization" not in headers


def test_wrong_issuer_fails_with_the_domain_to_set(
    client: httpx.Client, server: CriiptoServer
) -> None:
    server.state.discovery["issuer"] = "https://acme.idura.broker"
    issuer = by_check(run(client, server))["issuer"]
    assert issuer.failed
    assert issuer.expected == f"https://{DOMAIN}"
    assert issuer.found == "https://acme.idura.broker"
    assert "criipto.domain = 'acme.idura.broker'" in issuer.fix


@pytest.mark.parametrize(
    ("field", "value", "failing_check"),
    [
        ("issuer", f"https://{DOMAIN}/", "issuer"),  # exact match: a trailing slash differs
        ("token_endpoint", f"http://{DOMAIN}/oauth2/token", "token_endpoint"),
        # Another port on the domain's host is another origin (issue 29: discover passed it
        # while the secret check refused to send there).
        ("token_endpoint", f"https://{DOMAIN}:8443/oauth2/token", "token_endpoint"),
        ("userinfo_endpoint", f"https://{DOMAIN}:444/oauth2/userinfo", "userinfo_endpoint"),
        ("userinfo_endpoint", "https://evil.example/oauth2/userinfo", "userinfo_endpoint"),
        ("authorization_endpoint", None, "authorization_endpoint"),
        ("response_types_supported", ["id_token"], "response_types_supported"),
        (
            "token_endpoint_auth_methods_supported",
            ["client_secret_basic"],
            "token_endpoint_auth_methods_supported",
        ),
        ("scopes_supported", ["email"], "scopes_supported"),
        (
            "id_token_signing_alg_values_supported",
            ["HS256"],
            "id_token_signing_alg_values_supported",
        ),
        ("id_token_signing_alg_values_supported", "RS256", "id_token_signing_alg_values_supported"),
    ],
)
def test_each_broken_field_fails_its_own_check(
    client: httpx.Client, server: CriiptoServer, field: str, value: Any, failing_check: str
) -> None:
    if value is None:
        del server.state.discovery[field]
    else:
        server.state.discovery[field] = value
    findings = run(client, server)
    assert [f.check for f in findings if f.failed] == [failing_check]
    assert all(f.fix for f in findings if f.failed)


def test_jwks_on_another_host_is_not_fetched(client: httpx.Client, server: CriiptoServer) -> None:
    server.state.discovery["jwks_uri"] = "https://evil.example/keys"
    failing = [f.check for f in run(client, server) if f.failed]
    assert failing == ["jwks_uri", "jwks keys"]
    assert JWKS_PATH not in server.paths()


@pytest.mark.parametrize(
    "jwks",
    [{"keys": []}, {"keys": [{"kty": "RSA", "n": "x", "e": "AQAB"}]}, {"keys": "none"}],
)
def test_keys_without_kid_fail(client: httpx.Client, server: CriiptoServer, jwks: Any) -> None:
    server.state.jwks = jwks
    findings = run(client, server)
    assert [f.check for f in findings if f.failed] == ["jwks keys"]


def test_acr_targets_fetch_the_acr_scoped_documents(
    client: httpx.Client, server: CriiptoServer
) -> None:
    mitid = "urn:grn:authn:dk:mitid:substantial"
    targets = [DOMAIN_TARGET, DiscoveryTarget("mitid", mitid)]
    findings = run(client, server, targets=targets)
    encoded = base64.b64encode(mitid.encode()).decode()
    assert f"/{encoded}/.well-known/openid-configuration" in server.paths()
    assert {f.subject for f in findings} == {"domain", "mitid"}
    assert not any(f.failed for f in findings)
    pinned = {f.check: f.found for f in findings if f.check.startswith("stack's ")}
    assert pinned["stack's authorize_url"] == f"https://{DOMAIN}/{encoded}/oauth2/authorize"
    assert set(pinned) == {
        "stack's authorize_url",
        "stack's token_url",
        "stack's attributes_url",
        "stack's jwks_uri",
    }


def test_endpoints_the_stack_pins_must_be_the_published_ones(
    client: httpx.Client, server: CriiptoServer
) -> None:
    server.state.discovery["userinfo_endpoint"] = f"https://{DOMAIN}/oidc/userinfo"
    targets = [DOMAIN_TARGET, DiscoveryTarget("mitid", "urn:grn:authn:dk:mitid:substantial")]
    findings = run(client, server, targets=targets)
    [failure] = [f for f in findings if f.failed]
    assert (failure.subject, failure.check) == ("mitid", "stack's attributes_url")
    assert failure.expected == f"https://{DOMAIN}/oauth2/userinfo"
    assert failure.found == f"https://{DOMAIN}/oidc/userinfo"


def test_500_is_retried_a_bounded_number_of_times(
    client: httpx.Client, server: CriiptoServer
) -> None:
    server.state.mode = "500"
    with pytest.raises(CannotCheck, match=r"answered HTTP 500 Internal Server Error$"):
        run(client, server)
    assert len(server.state.requests) == http.ATTEMPTS


def test_a_transient_500_is_retried_and_recovers(
    client: httpx.Client, server: CriiptoServer
) -> None:
    server.state.fail_first = http.ATTEMPTS - 1
    findings = run(client, server)
    assert not any(f.failed for f in findings)


def test_slow_answer_ends_at_the_deadline(
    server: CriiptoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.reset()
    monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
    server.state.mode = "slow"
    started = time.monotonic()
    with (
        http.make_client(Deadline(SHORT_TIMEOUT)) as client,
        pytest.raises(
            CannotCheck, match=rf"no answer from {server.base_url} within the 0.5 s timeout"
        ),
    ):
        run(client, server)
    # A read timeout is not retried: one wait, not three.
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    ("mode", "discovery", "message"),
    [
        ("html", None, r"answered text/html, not JSON$"),
        ("redirect", None, r"answered HTTP 302 Found \(a redirect to https://elsewhere.example/"),
        ("ok", ["not", "an", "object"], r"answered a JSON array, not an object$"),
        ("ok", "just a string", r"answered a JSON string, not an object$"),
    ],
)
def test_unusable_answers_cannot_be_checked(
    client: httpx.Client, server: CriiptoServer, mode: str, discovery: Any, message: str
) -> None:
    server.state.mode = mode
    if discovery is not None:
        server.state.discovery = discovery
    with pytest.raises(CannotCheck, match=message):
        run(client, server)


def test_refused_connection_is_one_line(client: httpx.Client) -> None:
    import socket

    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CannotCheck, match=rf"connection refused by https://127.0.0.1:{port}"):
        discover(client, DOMAIN, base_url=f"https://127.0.0.1:{port}")


def test_tls_is_verified_against_ssl_cert_file(
    server: CriiptoServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server.reset()
    other_ca = tmp_path / "other.pem"
    import trustme

    trustme.CA().cert_pem.write_to_path(str(other_ca))
    monkeypatch.setenv("SSL_CERT_FILE", str(other_ca))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with (
        http.make_client(Deadline(TEST_TIMEOUT)) as client,
        pytest.raises(CannotCheck, match=r"TLS certificate of 127.0.0.1 is not trusted"),
    ):
        discover(client, DOMAIN, base_url=server.base_url)


# A published endpoint as discover and the secret check see it: (URL, passes).
ENDPOINTS = [
    (f"https://{DOMAIN}/oauth2/token", True),
    (f"https://{DOMAIN}:443/oauth2/token", True),
    (f"https://{DOMAIN}:8443/oauth2/token", False),
    (f"https://{DOMAIN}:80/oauth2/token", False),
    (f"https://{DOMAIN}:444/oauth2/token", False),
    (f"http://{DOMAIN}/oauth2/token", False),
    (f"https://{DOMAIN.upper()}/oauth2/token", True),  # a host name is not case-sensitive
    (f"https://sub.{DOMAIN}/oauth2/token", False),
    (f"https://{DOMAIN}.evil.example/oauth2/token", False),
    (f"https://user@{DOMAIN}/oauth2/token", False),
    ("https://127.0.0.1/oauth2/token", False),
    (f"https://{DOMAIN}:0/oauth2/token", False),
    (f"https://{DOMAIN}:99999/oauth2/token", False),
]


@pytest.mark.parametrize(("url", "passes"), ENDPOINTS, ids=[url for url, _ in ENDPOINTS])
def test_discover_and_the_secret_check_give_one_verdict_per_url(url: str, passes: bool) -> None:
    """The secret goes only where discover passes the token endpoint, and discover passes no
    endpoint the secret would be refused at: one rule (discovery.endpoint_problem)."""
    document: dict[str, object] = {"issuer": f"https://{DOMAIN}", "token_endpoint": url}
    [finding] = [
        f for f in check_document(DOMAIN, document, "domain") if f.check == "token_endpoint"
    ]
    destination, why = token_destination(document, DOMAIN, None)
    assert (finding.status == "pass", destination is not None) == (passes, passes), why
    if not passes:
        problem = why.removeprefix("the discovery document's token_endpoint ")
        assert problem != why
        assert finding.fix.startswith(f"token_endpoint {problem}")


@pytest.mark.parametrize("status", ["401", "403"])
def test_a_refusal_without_a_token_does_not_blame_a_token(
    client: httpx.Client, server: CriiptoServer, status: str
) -> None:
    """Issue 29: a 401 or 403 from the domain (external mode, discover) said "the management API
    token was refused (check CRIIPTO_API_TOKEN…)", though no token exists or is sent."""
    server.state.mode = status
    with pytest.raises(CannotCheck) as caught:
        run(client, server)
    message = str(caught.value)
    assert f"answered HTTP {status}" in message
    assert "token" not in message and "CRIIPTO_API_TOKEN" not in message
    assert "none are sent" in message


@pytest.mark.parametrize("issuer", ["https://10.0.0.10", "https://[2001:db8::1]", "https://127.1"])
def test_the_issuer_fix_never_proposes_an_ip_address(
    client: httpx.Client, server: CriiptoServer, issuer: str
) -> None:
    """The fix proposes only a criipto.domain the config accepts, and it refuses IP addresses."""
    server.state.discovery["issuer"] = issuer
    finding = by_check(run(client, server))["issuer"]
    assert finding.failed
    assert "set criipto.domain" not in finding.fix
