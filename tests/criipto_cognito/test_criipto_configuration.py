"""The Client ID check against every answer /.well-known/criipto-configuration can give, from
the loopback HTTPS server (tls_server.py): 200 with the client, 200 without it, 404, not JSON,
oversized, slow. `discover` in external mode, as users run it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.aws_server import reset
from support.cli_runner import Cli
from support.configs import base_environment, config_with, external, write_config
from support.tls_server import CriiptoServer

from criipto_cognito.http import MAX_BODY_BYTES

# make check leaves these out (each test runs the command as a process); make test runs them.
pytestmark = pytest.mark.slow

CLIENT_ID = "urn:acme:cognito:test"
LISTED = {"clients": [{"client_id": CLIENT_ID, "qr_enabled": False}], "x": 1}


@pytest.fixture
def cli(moto_endpoint: str, server: CriiptoServer, tmp_path: Path) -> Iterator[Cli]:
    reset(moto_endpoint)
    server.reset()
    config = write_config(tmp_path, config_with(external(base_environment())))
    yield Cli(moto_endpoint, server, config)


def rows(cli: Cli, *extra: str) -> tuple[int, dict[str, dict[str, Any]], dict[str, Any]]:
    done = cli.discover("--json", *extra)
    document = json.loads(done.stdout)
    return done.returncode, {f["check"]: f for f in document["findings"]}, document


def test_listed_client_id_passes(cli: Cli) -> None:
    cli.server.state.criipto_configuration = LISTED
    code, found, _ = rows(cli)
    registered = found["Client ID registered"]
    assert registered["status"] == "pass"
    assert registered["found"] == "listed by /.well-known/criipto-configuration"
    # It asked for this Client ID, on the domain's path (rebased to --base-url).
    asked = [p for p in cli.server.paths() if "criipto-configuration" in p]
    assert asked == ["/.well-known/criipto-configuration?client_id=urn%3Aacme%3Acognito%3Atest"]
    # The loopback server is no OAuth server: its 404s for the token and authorize endpoints
    # settle nothing, so those rows are unknown, and unknown fails nothing.
    assert found["redirect URL registered"]["status"] == "unknown"
    assert code == 0


def test_404_fails_with_what_idura_says(cli: Cli) -> None:
    cli.server.state.criipto_configuration = None
    code, found, _ = rows(cli)
    registered = found["Client ID registered"]
    assert registered["status"] == "fail"
    assert "Client ID does not exist, or is not configured for this domain" in registered["found"]
    assert "criipto.client_id" in registered["fix"]
    # Nothing else about the application is asked for an unknown client.
    assert found["redirect URL registered"]["status"] == "skip"
    assert not any("oauth2" in path for path in cli.server.paths())
    assert code == 1


@pytest.mark.parametrize(
    ("answer", "seen"),
    [
        ({"clients": [{"client_id": "urn:someone:else"}]}, "does not list this Client ID"),
        ({"clients": []}, "does not list this Client ID"),
        ({"error": "nope"}, "does not list this Client ID"),
        (b"<html>Sign in</html>", "not a JSON object"),
        (b'{"clients": [{"client_id": "a", "client_id": "b"}]}', "not a JSON object"),
        (b"[1, 2]", "not a JSON object"),
        (b" " * (MAX_BODY_BYTES + 1), "more than 1 MiB"),
    ],
    ids=["other client", "empty list", "no list", "html", "duplicate key", "array", "oversized"],
)
def test_any_other_answer_is_unknown_and_fails_nothing(cli: Cli, answer: Any, seen: str) -> None:
    cli.server.state.criipto_configuration = answer
    code, found, _ = rows(cli)
    registered = found["Client ID registered"]
    assert registered["status"] == "unknown"
    assert registered["found"].startswith("HTTP 200")
    assert seen in registered["found"]
    assert code == 0


def test_a_slow_answer_ends_at_the_timeout_with_what_was_found(cli: Cli) -> None:
    cli.server.state.criipto_configuration = LISTED
    cli.server.state.criipto_configuration_slow = 30.0
    done = cli.discover("--timeout", "2")
    assert done.returncode == 2
    assert cli.elapsed < 2 + 1 + 5  # the budget, the hard stop's grace, start-up on a busy box
    # The domain's own checks are shown; the line says which request got no answer.
    assert "ok    domain  issuer" in done.stdout
    assert done.stderr.strip() == (
        "criipto-cognito: criipto-configuration: no answer from https://127.0.0.1:"
        f"{cli.server.port} within the 2 s timeout"
    )


def test_the_table_explains_what_cannot_be_seen(cli: Cli) -> None:
    cli.server.state.criipto_configuration = LISTED
    done = cli.discover()
    lines = done.stdout.splitlines()
    strategy = next(i for i, line in enumerate(lines) if "user info response strategy" in line)
    assert lines[strategy].split()[0] == "--"
    assert "cannot be seen from outside" in lines[strategy]
    assert "invalid token_type in idp oauth response" in lines[strategy + 2]
    assert "not visible from outside" in lines[-1]


@pytest.mark.parametrize(
    "answer",
    [
        {"error": "SECRET"},
        {"error": "invalid_client", "error_description": "bad secret SECRET"},
        {"error": "x", "SECRET": "SECRET"},
    ],
    ids=["as the error code", "in the description", "as a key"],
)
def test_a_server_echoing_the_secret_never_gets_it_shown(cli: Cli, answer: Any) -> None:
    """A mirror that writes the secret back: the form went to the token endpoint only, and
    the secret is in no line of the table, the JSON or stderr."""
    secret = "canary-echoed-secret-5d2a"
    cli.server.state.criipto_configuration = LISTED
    cli.server.state.token_answer = (400, json.loads(json.dumps(answer).replace("SECRET", secret)))
    env = {"TF_VAR_criipto_client_secret": secret}
    outputs = [cli.discover(env=env), cli.discover("--json", env=env)]
    for done in outputs:
        assert secret not in done.stdout + done.stderr
    if answer["error"] == "SECRET":  # the one place a server's text is shown: masked
        assert "OAuth error ********" in outputs[0].stdout
    # Sent once per run, in the body of the POST to the token endpoint, and nowhere else.
    assert len(cli.server.state.token_forms) == 2
    assert all(f"client_secret={secret}" in form for form in cli.server.state.token_forms)
    assert not any(secret in path for path in cli.server.paths())
    assert not any(secret in str(headers) for _, headers in cli.server.state.requests)


def test_the_picker_redirect_probe_uses_the_published_authorize_endpoint(cli: Cli) -> None:
    """Cognito sends a picker login to the authorization_endpoint discovery publishes, not a
    fixed path: the redirect URL is probed there (rebased to --base-url, as every request)."""
    cli.server.state.criipto_configuration = LISTED
    discovery = cli.server.state.discovery
    discovery["authorization_endpoint"] = f"{discovery['issuer']}/login/authorize"
    rows(cli)
    probed = [p.split("?")[0] for p in cli.server.paths() if "authorize" in p]
    assert probed == ["/login/authorize"] * 2  # Cognito's callback, then the control URL


@pytest.mark.parametrize(
    ("endpoint", "why"),
    [
        ("https://elsewhere.example/oauth2/authorize", "is not on acme-test.criipto.id"),
        ("https://acme-test.criipto.id:8443/oauth2/authorize", "(port 8443 is another origin)"),
    ],
)
def test_an_authorize_endpoint_off_the_domain_is_not_probed(
    cli: Cli, endpoint: str, why: str
) -> None:
    cli.server.state.criipto_configuration = LISTED
    cli.server.state.discovery["authorization_endpoint"] = endpoint
    _, found, _ = rows(cli)
    row = found["redirect URL registered"]
    assert row["status"] == "unknown"
    assert row["found"].startswith("not probed: the discovery document's authorization_endpoint")
    assert why in row["found"]
    assert not [p for p in cli.server.paths() if "authorize" in p]
