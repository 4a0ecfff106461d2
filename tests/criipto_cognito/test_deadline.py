"""Misbehaving servers on loopback against the console script: every run ends within the
documented bound (--timeout + the hard stop's grace, plus start-up), with exit 1 or 2, one line
on stderr for what could not be checked, and nothing a server sends can forge a line.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.aws_server import deploy, reset
from support.cli_runner import Cli, one_line
from support.configs import changed, config_with, managed, write_config
from support.tls_server import DOMAIN, CriiptoServer, running_server, silent_listener

from criipto_cognito import http
from criipto_cognito.deadline import HARD_STOP_GRACE_SECONDS, Deadline, Worker
from criipto_cognito.findings import CannotCheck

# make check leaves these out (each test runs the command as a process, many against a deadline); make test runs them.
pytestmark = pytest.mark.slow

TIMEOUT = 2.0
# Python start-up, imports and the config on a busy machine: generous, not a speed target.
START_UP_SECONDS = 6.0
BOUND = TIMEOUT + HARD_STOP_GRACE_SECONDS + START_UP_SECONDS
# Characters that could break a line or hide what a line says, if printed as they are.
FORGING = ("\n", "\r", "\x1b", "\u2028", "\u2029", "\u202e", "\u0085", "\x00")


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CriiptoServer]:
    """A second server, to misbehave while ``server`` stays healthy."""
    with running_server(tmp_path_factory.mktemp("bad-tls")) as running:
        yield running


@pytest.fixture(scope="module")
def silent_port() -> Iterator[int]:
    with silent_listener() as port:
        yield port


@pytest.fixture
def cli(
    moto_endpoint: str, server: CriiptoServer, bad: CriiptoServer, tmp_path: Path
) -> Iterator[Cli]:
    reset(moto_endpoint)
    server.reset()
    bad.reset()
    yield Cli(moto_endpoint, server, write_config(tmp_path, config_with(managed())))
    server.reset()  # a misbehaving mode must not outlive its test
    bad.reset()


def bounded(cli: Cli, done: Any, code: int) -> str:
    """Asserts the exit code, the bound and one line on stderr; returns that line."""
    assert done.returncode == code, (done.stdout, done.stderr)
    assert cli.elapsed < BOUND, f"{cli.elapsed:.1f} s is over the bound of {BOUND:g} s"
    line = one_line(done.stderr)
    assert not any(char in line for char in FORGING)
    return line


def discover(cli: Cli, *extra: str) -> Any:
    return cli.discover("--timeout", f"{TIMEOUT:g}", *extra)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---- below JSON: the connection itself misbehaves ----------------------------------------------


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("trickle", f"no answer from https://127.0.0.1:{{port}} within the {TIMEOUT:g} s timeout"),
        ("trickle-head", "no answer from https://127.0.0.1:{port} within"),
        ("slow-chunked", "no answer from https://127.0.0.1:{port} within"),
        ("endless-chunked", f"answered more than {http.MAX_BODY_LABEL}"),
        ("huge-content-length", "not valid HTTP (bad Content-Length)"),
        ("huge-headers", "answered something that is not valid HTTP"),
        ("garbage", "answered something that is not valid HTTP"),
        ("close", "answered something that is not valid HTTP"),
    ],
)
def test_a_misbehaving_connection_ends_within_the_bound(cli: Cli, mode: str, message: str) -> None:
    cli.server.state.mode = mode
    cli.server.state.trickle_seconds = 0.5 if mode == "trickle-head" else 1.0
    line = bounded(cli, discover(cli), 2)
    assert line.startswith("criipto-cognito: discovery (domain): ")
    assert message.format(port=cli.server.port) in line


def test_a_server_that_never_speaks_tls_ends_at_the_deadline(cli: Cli, silent_port: int) -> None:
    line = bounded(cli, discover(cli, "--base-url", f"https://127.0.0.1:{silent_port}"), 2)
    assert f"no answer from https://127.0.0.1:{silent_port} within the 2 s timeout" in line
    # The whole budget went to the handshake: no retry started after it.
    assert cli.elapsed >= TIMEOUT


def test_the_deadline_covers_every_request_not_each_one(cli: Cli) -> None:
    # Each answer alone comes in time; together they cannot: the budget is the whole command's.
    cli.server.state.mode = "slow"
    cli.server.state.slow_seconds = 0.9 * TIMEOUT
    line = bounded(cli, discover(cli), 2)
    assert "JWKS (domain): no answer from" in line


def test_retries_stop_when_the_backoff_no_longer_fits(cli: Cli) -> None:
    cli.server.state.mode = "500"
    line = bounded(cli, discover(cli, "--timeout", "0.4"), 2)
    assert line.endswith("answered HTTP 500 Internal Server Error")
    # 0.25 s may fit before the second try, 0.25 + 0.5 s cannot: never the third.
    assert 1 <= len(cli.server.state.requests) < http.ATTEMPTS


def test_an_unresolvable_host_ends_within_the_bound(cli: Cli) -> None:
    line = bounded(cli, discover(cli, "--base-url", "https://criipto-cognito-test.invalid"), 2)
    assert ("cannot resolve host criipto-cognito-test.invalid" in line) or ("no answer" in line)


@pytest.mark.parametrize(
    "base_url",
    ["https://exa\x01mple.com", "https://127.0.0.1:99999", "https://[::1", "https://ex ample.com"],
)
def test_an_unusable_base_url_is_one_line(cli: Cli, base_url: str) -> None:
    line = bounded(cli, discover(cli, "--base-url", base_url), 2)
    assert "--base-url" in line


# ---- JSON that is not plain data ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"issuer": "\xff\xfe"}', "invalid JSON (not UTF-8 at byte 12)"),
        (b"[" * 100_000, "invalid JSON (nested deeper than"),
        (b'{"a":' * 80 + b"1" + b"}" * 80, "invalid JSON (nested deeper than 64 levels)"),
        (b'{"issuer": ' + b"9" * 5000 + b"}", "invalid JSON (a number with more than 100 digits"),
        (b'{"issuer": NaN}', "invalid JSON (NaN is not JSON)"),
        (b'{"issuer": -Infinity}', "invalid JSON (-Infinity is not JSON)"),
        (b'{"issuer": "a", "issuer": "b"}', "invalid JSON (the key 'issuer' appears twice)"),
        (b'{"is\\nsuer": 1, "is\\nsuer": 2}', "invalid JSON (the key 'is\\nsuer' appears twice)"),
        (b"", "invalid JSON (Expecting value"),
        (b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}', "answered more than 1 MiB"),
    ],
)
def test_json_that_is_not_plain_data_is_one_line(cli: Cli, body: bytes, message: str) -> None:
    cli.server.state.mode = "raw"
    cli.server.state.raw_body = body
    line = bounded(cli, discover(cli), 2)
    assert line.startswith("criipto-cognito: discovery (domain): ")
    assert message in line


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        # h11 refuses control characters in a header: not HTTP at all.
        ("https://x.example/\x1b[2K\rcriipto-cognito: ok", "not valid HTTP (illegal header line"),
        # UTF-8 in a header is let through, and escaped when shown.
        (
            "https://x.example/\u2028forged\u202e",
            "a redirect to https://x.example/\\u2028forged\\u202e",
        ),
    ],
)
def test_a_redirect_cannot_forge_a_line(cli: Cli, location: str, shown: str) -> None:
    cli.server.state.mode = "redirect"
    # http.server writes headers as Latin-1: these are the UTF-8 bytes of ``location``.
    cli.server.state.location = location.encode().decode("latin-1")
    line = bounded(cli, discover(cli), 2)
    assert shown in line


# ---- documents that are wrong: findings, exit 1 --------------------------------------------------


def findings_run(cli: Cli, *extra: str) -> tuple[Any, dict[str, dict[str, str]]]:
    table = discover(cli, *extra)
    assert table.returncode == 1, table.stderr
    assert cli.elapsed < BOUND
    assert table.stderr == ""
    as_json = discover(cli, "--json", *extra)
    document = json.loads(as_json.stdout)
    return table, {f["check"]: f for f in document["findings"] if f["status"] == "fail"}


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("token_endpoint", f"https://{DOMAIN}:99999/oauth2/token", "is not a valid URL"),
        ("userinfo_endpoint", "https://[::1/a", "is not a valid URL"),
        ("jwks_uri", f"https://{DOMAIN}:0/.well-known/jwks", "names port 0"),
        ("authorization_endpoint", [f"https://{DOMAIN}/oauth2/authorize"], "is not a string"),
        ("token_endpoint", {"url": f"https://{DOMAIN}/oauth2/token"}, "is not a string"),
        ("userinfo_endpoint", f"https://{DOMAIN}/oauth2/user\ninfo", "contains spaces, control"),
        ("token_endpoint", f"https://user:pw@{DOMAIN}/oauth2/token", "carries credentials"),
    ],
)
def test_a_broken_endpoint_is_a_finding_naming_its_field(
    cli: Cli, field: str, value: Any, problem: str
) -> None:
    cli.server.state.discovery[field] = value
    _, failed = findings_run(cli)
    assert field in failed
    assert failed[field]["fix"].startswith(f"{field} {problem}")


def test_eid_endpoints_that_are_no_strings_are_findings(cli: Cli, tmp_path: Path) -> None:
    with_eids = changed("criipto.eids", ["dk-mitid-substantial"])
    with_eids["criipto"].pop("provider_name")
    cli.config = write_config(tmp_path, config_with(with_eids), "eids.toml")
    cli.server.state.discovery["token_endpoint"] = ["a", "list"]
    _, failed = findings_run(cli)
    assert {"token_endpoint", "stack's token_url"} <= set(failed)


def test_a_kid_cannot_forge_a_finding(cli: Cli) -> None:
    forged = "k1\n  ok    domain  forged check  all fine\u2028\u202eenil"
    cli.server.state.jwks = {"keys": [{"kid": forged}]}
    cli.server.state.discovery["issuer"] = "https://other.criipto.id"  # one finding: exit 1
    table, _ = findings_run(cli)
    assert not any(char in table.stdout for char in FORGING[1:])
    assert not any(line.startswith("  ok    domain  forged") for line in table.stdout.splitlines())
    assert "1 key(s): k1\\n  ok    domain  forged check  all fine\\u2028\\u202eenil" in table.stdout
    as_json = discover(cli, "--json")
    assert not any(char in as_json.stdout for char in FORGING[1:])
    [keys] = [f for f in json.loads(as_json.stdout)["findings"] if f["check"] == "jwks keys"]
    assert (
        keys["found"] == "1 key(s): k1\\n  ok    domain  forged check  all fine\\u2028\\u202eenil"
    )


def test_a_long_value_is_cut_short(cli: Cli) -> None:
    cli.server.state.discovery["scopes_supported"] = ["email"] * 100_000
    _, failed = findings_run(cli)
    found = failed["scopes_supported"]["found"]
    assert len(found) < 300 and found.endswith("more characters)")


@pytest.mark.parametrize(
    "issuer",
    [
        f"https://{DOMAIN}/",
        f"https://{DOMAIN}:443",
        f"http://{DOMAIN}",
        f"https://{DOMAIN}/tenant",
        f"HTTPS://{DOMAIN.upper()}",
    ],
)
def test_the_issuer_fix_never_proposes_the_configured_domain(cli: Cli, issuer: str) -> None:
    cli.server.state.discovery["issuer"] = issuer
    _, failed = findings_run(cli)
    fix = failed["issuer"]["fix"]
    assert f"criipto.domain = {DOMAIN!r}" not in fix
    assert "set criipto.domain" not in fix
    assert "Cognito compares the issuer exactly" in fix


def test_the_issuer_fix_proposes_another_domain(cli: Cli) -> None:
    cli.server.state.discovery["issuer"] = "https://acme.idura.broker"
    _, failed = findings_run(cli)
    assert "set criipto.domain = 'acme.idura.broker'" in failed["issuer"]["fix"]


# ---- doctor: one side unusable, the other still checked ------------------------------------------


def doctor(cli: Cli, **env: str | None) -> Any:
    return cli.doctor("--timeout", f"{TIMEOUT:g}", env=env)


@pytest.mark.parametrize(
    "endpoint",
    ["not a url", "http://[::1", "closed", "http://127.0.0.1:99999", "http://exa\x01mple:5000"],
)
def test_doctor_with_an_unusable_aws_endpoint_still_checks_criipto(cli: Cli, endpoint: str) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}" if endpoint == "closed" else endpoint
    done = doctor(cli, AWS_ENDPOINT_URL=endpoint)
    line = bounded(cli, done, 2)
    assert line.startswith("criipto-cognito: Cognito: ")
    assert "AWS_ENDPOINT_URL" in line or "AWS did not answer" in line
    assert "oauth2.codeFlow" in done.stdout
    assert "6 checks: 6 passed, 0 failed" in done.stdout


def test_doctor_with_a_silent_aws_still_checks_criipto(cli: Cli, silent_port: int) -> None:
    done = doctor(cli, AWS_ENDPOINT_URL=f"http://127.0.0.1:{silent_port}")
    line = bounded(cli, done, 2)
    assert line.startswith("criipto-cognito: Cognito: ")
    assert "6 checks: 6 passed, 0 failed" in done.stdout


def test_doctor_with_a_trickling_aws_ends_at_the_hard_stop(cli: Cli, bad: CriiptoServer) -> None:
    # botocore reads a trickled answer for ever: only the hard stop ends it.
    bad.state.mode = "trickle"
    bad.state.trickle_seconds = 0.2
    done = doctor(cli, AWS_ENDPOINT_URL=bad.base_url, AWS_CA_BUNDLE=str(bad.ca_file))
    line = bounded(cli, done, 2)
    assert line == f"criipto-cognito: Cognito: AWS: no answer within the {TIMEOUT:g} s timeout"
    assert "6 checks: 6 passed, 0 failed" in done.stdout


def test_every_worker_ends_at_the_one_hard_stop() -> None:
    """Issue 29: each worker waited for after the deadline got a fresh second of grace, so
    doctor with both sides stuck ended at the timeout + 2 s. The hard stop is one point in
    time: the deadline + the grace, however many workers are waited for after it."""
    stuck = threading.Event()
    deadline = Deadline(0.3)
    workers = [Worker(f"side {i}", stuck.wait) for i in range(3)]
    started = time.monotonic()
    try:
        for worker in workers:
            with pytest.raises(CannotCheck, match=r"no answer within the 0\.3 s timeout"):
                worker.result(deadline)
        elapsed = time.monotonic() - started
    finally:
        stuck.set()
    assert 0.3 + HARD_STOP_GRACE_SECONDS - 0.05 < elapsed < 0.3 + HARD_STOP_GRACE_SECONDS + 0.5
    late = Worker("late", threading.Event().wait)  # waited for only after the hard stop
    started = time.monotonic()
    with pytest.raises(CannotCheck):
        late.result(deadline)
    assert time.monotonic() - started < 0.2


def test_doctor_with_a_trickling_aws_on_both_sides_ends_at_the_hard_stop(
    cli: Cli, bad: CriiptoServer
) -> None:
    """Both of doctor's sides wait for the trickling AWS (the Criipto side reads the secret
    Cognito holds): each ends at the one hard stop, with one line each."""
    bad.state.mode = "trickle"
    bad.state.trickle_seconds = 1.0
    done = cli.doctor(
        "--timeout",
        f"{TIMEOUT:g}",
        env={"AWS_ENDPOINT_URL": bad.base_url, "AWS_CA_BUNDLE": str(bad.ca_file)},
    )
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert cli.elapsed < BOUND, f"{cli.elapsed:.1f} s is over the bound of {BOUND:g} s"
    lines = done.stderr.splitlines()
    assert lines[0] == f"criipto-cognito: Cognito: AWS: no answer within the {TIMEOUT:g} s timeout"
    assert all(line.startswith("criipto-cognito: ") for line in lines), lines


@pytest.mark.parametrize(
    "body",
    [
        b'{"UserPools": [{"Name": "acme-test"}]}',  # a pool without an id
        b"[" * 100_000,
        b"\xff\xfe not JSON",
        b'{"UserPools": "not a list"}',
    ],
)
def test_doctor_with_an_aws_that_answers_nonsense_still_checks_criipto(
    cli: Cli, bad: CriiptoServer, body: bytes
) -> None:
    bad.state.mode = "raw"
    bad.state.raw_body = body
    done = doctor(cli, AWS_ENDPOINT_URL=bad.base_url, AWS_CA_BUNDLE=str(bad.ca_file))
    line = bounded(cli, done, 2)
    assert line.startswith("criipto-cognito: Cognito: ")
    assert "6 checks: 6 passed, 0 failed" in done.stdout


def test_doctor_with_a_silent_criipto_still_checks_cognito(cli: Cli, silent_port: int) -> None:
    deploy(cli.env["AWS_ENDPOINT_URL"])
    done = cli.doctor("--timeout", f"{TIMEOUT:g}", "--base-url", f"https://127.0.0.1:{silent_port}")
    line = bounded(cli, done, 2)
    assert line.startswith("criipto-cognito: Criipto: Criipto application: no answer from")
    assert "app client                 OAuth scopes" in done.stdout


def test_doctor_json_escapes_what_aws_holds(cli: Cli) -> None:
    deploy(cli.env["AWS_ENDPOINT_URL"], issuer="https://x.example/\u2028forged\u202e")
    done = cli.doctor("--json")
    assert done.returncode == 1
    assert "\u2028" not in done.stdout and "\u202e" not in done.stdout
    [issuer] = [f for f in json.loads(done.stdout)["findings"] if f["check"] == "issuer"]
    assert issuer["found"] == "https://x.example/\\u2028forged\\u202e"


# ---- login-url and --version ---------------------------------------------------------------------


def login_url(cli: Cli, *extra: str, **env: str | None) -> Any:
    return cli("login-url", "test", "--config", str(cli.config), *extra, env=env)


def test_login_url_percent_encodes_the_client_id(cli: Cli) -> None:
    done = login_url(cli, "--client-id", "abc+def_1")
    assert done.returncode == 0, done.stderr
    assert "?client_id=abc%2Bdef_1&" in done.stdout


@pytest.mark.parametrize(
    "client_id",
    [
        "名前",
        "abc٣",
        "a" * 129,
        "",
        "abc\n",
        "abc def",
        "a&b=c",
        "\uff21\uff22\uff23",
    ],  # the last: fullwidth ABC
)
def test_login_url_refuses_what_aws_refuses(cli: Cli, client_id: str) -> None:
    line = bounded(cli, login_url(cli, "--client-id", client_id), 2)
    assert line.startswith("criipto-cognito: --client-id: ")
    assert "is not a Cognito app client id" in line


def test_login_url_with_a_silent_aws_ends_within_the_bound(cli: Cli, silent_port: int) -> None:
    done = login_url(
        cli, "--timeout", f"{TIMEOUT:g}", AWS_ENDPOINT_URL=f"http://127.0.0.1:{silent_port}"
    )
    line = bounded(cli, done, 2)
    assert "no answer" in line or "AWS did not answer" in line


def test_version(cli: Cli) -> None:
    done = cli("--version")
    assert done.returncode == 0
    assert done.stdout == f"criipto-cognito {http.installed_version()}\n"
    assert http.installed_version() != "0+unknown"  # the package is installed


def test_help_states_the_bound_these_tests_hold_it_to(cli: Cli) -> None:
    done = cli("discover", "--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert f"ends within --timeout + {HARD_STOP_GRACE_SECONDS:g} s" in text
    assert f"tried up to {http.ATTEMPTS} times (backoff {http.BACKOFF_SECONDS:g} s" in text
    assert f"An answer over {http.MAX_BODY_LABEL} is refused" in text
