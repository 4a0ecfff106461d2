"""``rehearse`` against the certified OpenID Provider standing in for Idura (tools/oidc_stand_in.py)
and Cognito in moto: the test is the person, signing in through the OP's pages by their HTTP
steps (tools.oidc_stand_in.sign_in) and pasting the address the browser would end on.

The cases: a healthy sign-in passes every row; userinfo as a signed JWT (the strategy not
plainJson) fails naming plainJson; a claim longer than its attribute fails naming both; a client
that cannot write a mapped attribute fails naming it; a token endpoint Cognito holds that the
domain does not publish gets no secret. No secret, code, token or (without --show-values) claim
value appears in any output of any case.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from support.aws_server import moto_cognito, reset
from support.cli_runner import Cli
from support.configs import base_environment, changed, config_with, external, write_config
from support.oidc_server import Application, RunningOp, running_op
from support.processes import run_captured, started

from criipto import urls
from tools.oidc_stand_in import sign_in

DOMAIN = "acme-test.criipto.id"
CLIENT_ID = "urn:acme:cognito:test"
CALLBACK = "https://acme-test-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
SECRET = "canary-rehearse-secret-5c0e1a"
UUID = "5a2d0f4e-8c1b-4e7a-9d3f-0b6c2e1a7f9d"  # 36 characters, the custom attribute's maximum
NAME = "Jens Rehearsal Hansen"
CLAIMS = {"name": NAME, "uuid": UUID}
MAPPING = {"username": "sub", "name": "name", "custom:uuid": "uuid"}
LOGIN = "rehearsal-user"


@pytest.fixture
def aws(moto_endpoint: str) -> Iterator[str]:
    reset(moto_endpoint)
    yield moto_endpoint


def deploy(
    endpoint: str,
    *,
    write_attributes: list[str] | None = None,
    token_url: str | None = None,
    provider: str = "Criipto",
    authorize_url: str | None = None,
    required: tuple[str, ...] = (),
    extra_details: dict[str, str] | None = None,
) -> None:
    """A pool with a custom attribute of 36 characters, the provider mapping name and uuid, and
    the app client ``web`` offering it (and a client ``other`` that does not)."""
    cognito = moto_cognito(endpoint)
    schema = [
        {
            "Name": "uuid",
            "AttributeDataType": "String",
            "Mutable": True,
            "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "36"},
        }
    ]
    schema += [{"Name": name, "AttributeDataType": "String", "Required": True} for name in required]
    pool_id = cognito.create_user_pool(PoolName="acme-test", Schema=schema)["UserPool"]["Id"]
    cognito.create_user_pool_domain(Domain="acme-test-login", UserPoolId=pool_id)
    details = {
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "authorize_scopes": "openid",
        "oidc_issuer": f"https://{DOMAIN}",
        "attributes_request_method": "GET",
    }
    if token_url is not None:
        details["token_url"] = token_url
    if authorize_url is not None:
        details["authorize_url"] = authorize_url
    details.update(extra_details or {})
    cognito.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName=provider,
        ProviderType="OIDC",
        ProviderDetails=details,
        AttributeMapping=MAPPING,
    )
    client: dict[str, Any] = {
        "UserPoolId": pool_id,
        "ClientName": "web",
        "SupportedIdentityProviders": [provider],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthScopes": ["openid"],
        "CallbackURLs": ["https://app.acme.com/callback"],
    }
    if write_attributes is not None:
        client["WriteAttributes"] = write_attributes
    cognito.create_user_pool_client(**client)
    cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="other", WriteAttributes=["name"]
    )


def app(**changes: Any) -> Application:
    return Application(**{"client_id": CLIENT_ID, "secret": SECRET, "redirect_urls": [CALLBACK],
                          **changes})  # fmt: skip


@dataclass
class Rehearsed:
    returncode: int
    stdout: str
    stderr: str
    url: str
    address: str
    document: dict[str, Any] | None

    @property
    def rows(self) -> dict[str, dict[str, str]]:
        assert self.document is not None
        return {f["check"]: f for f in self.document["findings"]}


def signed_in(op: RunningOp, url: str) -> str | None:
    return sign_in(op, url, login=LOGIN)


def rehearse(
    endpoint: str,
    op: RunningOp,
    config: Path,
    *extra: str,
    as_json: bool = True,
    respond: Callable[[RunningOp, str], str | None] = signed_in,
) -> Rehearsed:
    """One run of the command, signing in when it asks (the prompt: on stderr, as stdout is a
    pipe here) and pasting the address the sign-in ended on; ``respond`` is the person: the URL
    in, what they paste out (None: they never answer)."""
    env = Cli(endpoint, op, config).env  # type: ignore[arg-type]  # base_url, ca_file
    args = ["rehearse", "test", "--config", str(config), "--base-url", op.base_url, *extra]
    args += ["--json"] if as_json else []
    with started(
        [sys.executable, "-m", "criipto_cognito.cli", *args],
        env=env,
        cwd=config.parent,
        stdin=subprocess.PIPE,
    ) as running:
        prompt = running.stderr
        assert prompt is not None and running.stdin is not None
        seen = []
        for line in prompt:
            seen.append(line)
            if line.startswith("https://"):
                break
        else:
            out, err = running.communicate(timeout=60)
            raise AssertionError(f"no URL: {''.join(seen)}{out}{err}")
        url = seen[-1].strip()
        address = respond(op, url)
        if address is None:
            running.wait(timeout=60)  # standard input stays open: no answer at all
        out, err = running.communicate(None if address is None else f"{address}\n", timeout=60)
    stdout, stderr = out, "".join(seen) + err
    assert "Traceback" not in stderr
    document = json.loads(out) if as_json else None
    done = Rehearsed(running.returncode, stdout, stderr, url, address or "", document)
    assert_nothing_leaks(done, show_values="--show-values" in extra)
    return done


def assert_nothing_leaks(done: Rehearsed, *, show_values: bool) -> None:
    """No secret, no code and (without --show-values) no claim value in any output."""
    output = done.stdout + done.stderr
    assert SECRET not in output
    if "code=" in done.address:
        assert done.address.split("code=", 1)[1].split("&", 1)[0] not in output
    if not show_values:
        assert NAME not in output
        assert UUID not in output


def start(tmp_path: Path, *apps: Application, claims: dict[str, object] | None = None) -> Any:
    return running_op(tmp_path / "op", DOMAIN, apps, claims=CLAIMS if claims is None else claims)


def config_file(tmp_path: Path) -> Path:
    return write_config(tmp_path, config_with(external(base_environment())))


def statuses(done: Rehearsed) -> dict[str, str]:
    return {check: row["status"] for check, row in done.rows.items()}


@pytest.mark.oidc_harness
def test_a_healthy_sign_in_passes_every_row(aws: str, tmp_path: Path) -> None:
    deploy(aws, write_attributes=["name", "custom:uuid"])
    config = config_file(tmp_path)
    with start(tmp_path, app()) as op:
        done = rehearse(aws, op, config)
        table = rehearse(aws, op, config, as_json=False)
        requests = op.requests()
    assert done.returncode == 0, done.stdout + done.stderr
    assert statuses(done) == {
        "exists": "pass",
        "endpoints": "pass",
        "app clients offering it": "pass",
        "authorization": "pass",
        "token request": "pass",
        "token type": "pass",
        "ID token": "pass",
        "userinfo form": "pass",
        "sub → username": "pass",
        "name → name": "pass",
        "uuid → custom:uuid": "pass",
        "writes the mapped attributes": "pass",
        "required attributes filled": "pass",
    }
    # The URL Cognito would send the browser to: its own redirect URL, our state and nonce,
    # and the code kept in the fragment, out of Cognito's reach.
    assert done.url.startswith(f"{op.base_url}/oauth2/authorize?client_id=urn%3Aacme")
    assert (
        "redirect_uri=https%3A%2F%2Facme-test-login.auth.eu-north-1.amazoncognito.com" in done.url
    )
    assert "response_mode=fragment" in done.url
    assert done.address.startswith(f"{CALLBACK}#code=")
    assert (
        done.rows["authorization"]["found"]
        == "a code in the fragment (Cognito's page never saw it)"
    )
    assert done.rows["ID token"]["found"].startswith("RS256 by key harness-key")
    assert done.rows["uuid → custom:uuid"]["found"] == (
        "36 characters, at most 36 (userinfo); value hidden: --show-values shows it"
    )
    assert done.rows["writes the mapped attributes"]["subject"] == "app client web"
    # The table: every row ok; the URL on a line of its own, on stderr (stdout is a pipe here,
    # so it holds the results alone).
    assert table.returncode == 0
    assert table.stdout.startswith("rehearse test (Criipto)\n")
    assert "13 checks: 13 passed, 0 failed" in table.stdout
    assert any(line == table.url for line in table.stderr.splitlines())
    # Each run: discovery and keys, then one token request (the command's only POST; the
    # others are the person's, on the login pages), then userinfo.
    ours = [r for r in requests if not r.startswith(("GET /interaction/", "POST /interaction/"))]
    ours = [r for r in ours if not r.startswith("GET /oauth2/authorize")]  # the browser's
    assert (
        ours
        == [
            "GET /.well-known/openid-configuration",
            "GET /.well-known/jwks",
            "POST /oauth2/token",
            "GET /oauth2/userinfo",
        ]
        * 2
    )


@pytest.mark.oidc_harness
def test_show_values_shows_the_claims(aws: str, tmp_path: Path) -> None:
    deploy(aws, write_attributes=["name", "custom:uuid"])
    config = config_file(tmp_path)
    with start(tmp_path, app()) as op:
        done = rehearse(aws, op, config, "--show-values")
    assert done.rows["name → name"]["found"].endswith(f": {NAME}")


@pytest.mark.oidc_harness
def test_userinfo_as_a_signed_jwt_fails_naming_plainjson(aws: str, tmp_path: Path) -> None:
    deploy(aws, write_attributes=["name", "custom:uuid"])
    config = config_file(tmp_path)
    with start(tmp_path, app(userinfo_signed=True)) as op:
        done = rehearse(aws, op, config)
    row = done.rows["userinfo form"]
    assert row["status"] == "fail"
    assert row["found"] == "a signed JWT (application/jwt)"
    assert "invalid token_type in idp oauth response" in row["fix"]
    assert "'User info response strategy' = plainJson" in row["fix"]
    assert [check for check, status in statuses(done).items() if status == "fail"] == [
        "userinfo form"
    ]
    # Its claims are still measured, from the verified JWT.
    assert done.rows["name → name"]["found"] == (
        "21 characters, at most 2048 (userinfo JWT); value hidden: --show-values shows it"
    )
    assert done.returncode == 1


@pytest.mark.oidc_harness
def test_a_claim_longer_than_its_attribute_fails_naming_both(aws: str, tmp_path: Path) -> None:
    deploy(aws, write_attributes=["name", "custom:uuid"])
    config = config_file(tmp_path)
    longer = UUID + "-0000"
    with start(tmp_path, app(), claims={**CLAIMS, "uuid": longer}) as op:
        done = rehearse(aws, op, config)
    row = done.rows["uuid → custom:uuid"]
    assert row["status"] == "fail"
    assert row["found"] == (
        "41 characters, over the attribute's 36: the sign-in fails (userinfo); value hidden: "
        "--show-values shows it"
    )
    assert "the claim 'uuid' into custom:uuid" in row["fix"]
    assert longer not in done.stdout + done.stderr
    assert done.returncode == 1


@pytest.mark.oidc_harness
def test_a_client_that_cannot_write_a_mapped_attribute_fails_naming_it(
    aws: str, tmp_path: Path
) -> None:
    deploy(aws, write_attributes=["name"])
    config = config_file(tmp_path)
    with start(tmp_path, app()) as op:
        done = rehearse(aws, op, config)
    row = done.rows["writes the mapped attributes"]
    assert (row["status"], row["subject"]) == ("fail", "app client web")
    assert row["found"] == "cannot write: custom:uuid"
    assert "add custom:uuid to the client's write_attributes" in row["fix"]
    assert done.returncode == 1


def stopped_before_the_sign_in(
    endpoint: str, op: RunningOp, config: Path
) -> tuple[subprocess.CompletedProcess[str], dict[str, dict[str, str]]]:
    """A run that must stop before it prints a URL to sign in with: exit 1, its rows by check."""
    env = Cli(endpoint, op, config).env  # type: ignore[arg-type]  # base_url, ca_file
    done = run_captured([sys.executable, "-m", "criipto_cognito.cli", "rehearse", "test", "--config",
         str(config), "--base-url", op.base_url, "--json"], env=env, input="", timeout=60)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "https://" not in done.stderr  # no URL to sign in with
    assert SECRET not in done.stdout + done.stderr
    return done, {f["check"]: f for f in json.loads(done.stdout)["findings"]}


@pytest.mark.oidc_harness
def test_the_secret_goes_to_the_published_token_endpoint_alone(aws: str, tmp_path: Path) -> None:
    """Cognito holds a token_url the domain does not publish: no request carries the secret,
    and the rehearsal stops before it asks the person to sign in."""
    deploy(aws, write_attributes=["name", "custom:uuid"], token_url=f"https://{DOMAIN}/other/token")
    config = config_file(tmp_path)
    with start(tmp_path, app()) as op:
        _, rows = stopped_before_the_sign_in(aws, op, config)
        requests = op.requests()
    assert rows["token endpoint"]["status"] == "fail"
    assert rows["token endpoint"]["found"].startswith(f"Cognito holds https://{DOMAIN}/other/token")
    assert [r for r in requests if r.startswith("POST")] == []


# ---- what the person pastes, or does not ------------------------------------------------------


# A code no output can hold by chance: the leak check looks for it in the whole output, which
# carries hex digests (a code like "abc" once matched one of them).
FOREIGN_CODE = "pasted-code-not-from-this-sign-in"


def _state(url: str) -> str:
    return parse_qs(urlsplit(url).query)["state"][0]


@pytest.mark.parametrize(
    ("respond", "line"),
    [
        (
            lambda op, url: "",
            "no address was pasted: run rehearse again and paste the whole address",
        ),
        (
            lambda op, url: f"{CALLBACK}#code={FOREIGN_CODE}&state=not-ours",
            "the pasted address does not carry this rehearsal's state: paste the address this "
            "sign-in ended on (a sign-in started elsewhere, or an old one, cannot be rehearsed)",
        ),
        (
            lambda op, url: f"{CALLBACK}#state={_state(url)}",
            "the pasted address carries no code: paste the whole address",
        ),
        (
            lambda op, url: None,
            "no address within 1 s (Cognito cancels a sign-in after 5 minutes too): run "
            "rehearse again",
        ),
    ],
    ids=["nothing", "another state", "no code", "no answer"],
)
@pytest.mark.oidc_harness
def test_an_address_that_is_not_this_sign_ins_is_one_line_and_exit_2(
    aws: str, tmp_path: Path, respond: Callable[[RunningOp, str], str | None], line: str
) -> None:
    deploy(aws, write_attributes=["name", "custom:uuid"])
    config = config_file(tmp_path)
    with start(tmp_path, app()) as op:
        done = rehearse(aws, op, config, "--wait", "1", respond=respond)
        requests = op.requests()
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == f"criipto-cognito: {line}"
    assert done.document is not None and done.document["cannot_check"] == [line]
    # What was read before the sign-in is still shown; nothing was redeemed.
    assert [f["check"] for f in done.document["findings"]] == [
        "exists", "endpoints", "app clients offering it",
    ]  # fmt: skip
    assert "POST /oauth2/token" not in requests


@pytest.mark.oidc_harness
def test_a_sign_in_the_op_refused_fails_with_its_error_code(aws: str, tmp_path: Path) -> None:
    deploy(aws, write_attributes=["name", "custom:uuid"])
    config = config_file(tmp_path)

    def refused(op: RunningOp, url: str) -> str:
        return f"{CALLBACK}#error=access_denied&error_description=gone%0Aaway&state={_state(url)}"

    with start(tmp_path, app()) as op:
        done = rehearse(aws, op, config, respond=refused)
    row = done.rows["authorization"]
    assert (row["status"], row["found"]) == ("fail", "the OP answered the error access_denied")
    assert "gone" not in done.stdout  # a server's description is never shown
    assert done.returncode == 1


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--provider", "BankID"], "--provider: no identity provider 'BankID' (this config has: "
                                   "Criipto)"),
        (["--wait", "0"], "--wait must be more than 0 and at most 300 seconds (got 0)"),
        (["--wait", "301"], "--wait must be more than 0 and at most 300 seconds (got 301)"),
    ],
)  # fmt: skip
@pytest.mark.slow
def test_bad_options_are_one_line_and_exit_2(
    aws: str, tmp_path: Path, args: list[str], line: str
) -> None:
    config = config_file(tmp_path)
    no_server = SimpleNamespace(ca_file="")  # nothing is asked of the Criipto side
    cli = Cli(aws, no_server, config)  # type: ignore[arg-type]
    done = cli("rehearse", "test", "--config", str(config), *args)
    assert done.returncode == 2
    assert done.stderr == f"criipto-cognito: {line}\n"
    assert done.stdout == ""


@pytest.mark.oidc_harness
def test_an_eid_provider_signs_in_at_its_acr_scoped_authorize_endpoint(
    aws: str, tmp_path: Path
) -> None:
    acr = "urn:grn:authn:dk:mitid:substantial"
    deploy(aws, write_attributes=["name", "custom:uuid"], provider="MitID",
           authorize_url=urls.authorize_url(DOMAIN, acr))  # fmt: skip
    env = changed("criipto.eids", ["dk-mitid-substantial"], external())
    env["criipto"].pop("provider_name")
    config = write_config(tmp_path, config_with(env))
    with start(tmp_path, app()) as op:
        done = rehearse(aws, op, config, "--provider", "MitID")
    assert urlsplit(done.url).path == f"/{urls.encode_acr(acr)}/oauth2/authorize"
    assert done.returncode == 0, done.stdout
    assert done.document is not None and done.document["healthy"] is True


@pytest.mark.oidc_harness
def test_a_secret_the_application_refuses_fails_the_token_request(aws: str, tmp_path: Path) -> None:
    """The secret was regenerated in the dashboard and Cognito still holds the old one."""
    deploy(aws, write_attributes=["name", "custom:uuid"])
    config = config_file(tmp_path)
    with start(tmp_path, app(secret="canary-regenerated-secret-0d2e")) as op:
        done = rehearse(aws, op, config)
    row = done.rows["token request"]
    assert (row["status"], row["found"]) == ("fail", "HTTP 401, OAuth error invalid_client")
    assert "set TF_VAR_criipto_client_secret to the application's secret" in row["fix"]
    assert "userinfo form" not in done.rows  # nothing after a refused code
    assert done.rows["claims"]["status"] == "skip"
    assert "canary-regenerated-secret-0d2e" not in done.stdout + done.stderr
    assert done.returncode == 1


@pytest.mark.oidc_harness
def test_a_required_attribute_this_sign_in_leaves_empty_fails(aws: str, tmp_path: Path) -> None:
    """The pool requires name and birthdate: the mapping fills name, but this identity sends
    none, and nothing maps birthdate."""
    deploy(aws, write_attributes=["name", "custom:uuid"], required=("name", "birthdate"))
    config = config_file(tmp_path)
    with start(tmp_path, app(), claims={"uuid": UUID}) as op:
        done = rehearse(aws, op, config)
    assert done.rows["name → name"]["status"] == "skip"
    assert done.rows["name → name"]["found"] == "not sent (userinfo): name stays empty"
    row = done.rows["required attributes filled"]
    assert (row["status"], row["found"]) == ("fail", "left empty: birthdate, name")
    assert done.returncode == 1


@pytest.mark.oidc_harness
def test_an_endpoint_off_the_domain_gets_nothing(aws: str, tmp_path: Path) -> None:
    """Cognito holds a userinfo URL on another host: the access token would go there, so the
    rehearsal stops before the sign-in, naming it."""
    deploy(aws, extra_details={"attributes_url": "https://elsewhere.example/userinfo"})
    config = config_file(tmp_path)
    with start(tmp_path, app()) as op:
        _, rows = stopped_before_the_sign_in(aws, op, config)
    row = rows["attributes_url"]
    assert (row["status"], row["found"]) == ("fail", "https://elsewhere.example/userinfo")
    assert row["fix"].startswith("Cognito's attributes_url is not on acme-test.criipto.id: ")
