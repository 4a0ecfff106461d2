"""discover and doctor in external mode against a real OpenID Provider that is not ours:
``oidc-provider`` from npm (tools/oidc_stand_in.py), laid out like an Idura domain, on loopback
over TLS; Cognito is moto's. The cases: healthy, Cognito holding an old secret (for every
provider still holding it), the callback not registered, an unknown Client ID, and an OP whose
answers settle nothing (unknown, never fail). No secret appears in any output of any case."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.aws_server import deploy, moto_cognito, reset
from support.cli_runner import Cli
from support.configs import base_environment, changed, config_with, external, write_config
from support.oidc_server import Application, RunningOp, running_op

from criipto import urls

DOMAIN = "acme-test.criipto.id"
CLIENT_ID = "urn:acme:cognito:test"
CALLBACK = "https://acme-test-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
SECRET = "canary-op-secret-4f1d9b"
OLD_SECRET = "canary-old-secret-77ce02"
EIDS = {"MitID": "urn:grn:authn:dk:mitid:substantial", "SE-BankID": "urn:grn:authn:se:bankid"}
# Every secret a case uses: none may appear in any output.
SECRETS = (SECRET, OLD_SECRET)


pytestmark = pytest.mark.oidc_harness


def healthy_app(**changes: Any) -> Application:
    fields: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "secret": SECRET,
        "redirect_urls": [CALLBACK],
    }
    return Application(**{**fields, **changes})


def picker_config() -> dict[str, Any]:
    return config_with(external(base_environment()))


def eids_config() -> dict[str, Any]:
    env = changed("criipto.eids", ["dk-mitid-substantial", "se-bankid"], external())
    env["criipto"].pop("provider_name")
    return config_with(env)


def deploy_eids(endpoint: str, secrets: dict[str, str]) -> None:
    """What `cdktf deploy` makes for eids_config(): a provider per eID, pinned by acr, each
    holding the secret given for it."""
    first, *others = EIDS
    deploy(
        endpoint,
        provider_name=first,
        client_providers=tuple(EIDS),
        extra_details={
            "client_secret": secrets[first],
            "authorize_url": urls.authorize_url(DOMAIN, EIDS[first]),
        },
    )
    cognito = moto_cognito(endpoint)
    pool_id = cognito.list_user_pools(MaxResults=10)["UserPools"][0]["Id"]
    for name in others:
        cognito.create_identity_provider(
            UserPoolId=pool_id,
            ProviderName=name,
            ProviderType="OIDC",
            ProviderDetails={
                "client_id": CLIENT_ID,
                "client_secret": secrets[name],
                "authorize_scopes": "openid",
                "oidc_issuer": f"https://{DOMAIN}",
                "attributes_request_method": "GET",
                "authorize_url": urls.authorize_url(DOMAIN, EIDS[name]),
            },
            AttributeMapping={"username": "sub"},
        )


class Run:
    """One command against the OP; every output kept, for the secret check."""

    def __init__(self, endpoint: str, op: RunningOp, config: Path) -> None:
        self.cli = Cli(endpoint, op, config)  # type: ignore[arg-type]  # base_url, ca_file
        self.op = op
        self.config = config

    def __call__(self, command: str, *extra: str, secret: str | None = None) -> Any:
        env = {"TF_VAR_criipto_client_secret": secret}
        args = [command, "test", "--config", str(self.config), "--base-url", self.op.base_url]
        table = self.cli(*args, *extra, env=env)
        as_json = self.cli(*args, *extra, "--json", env=env)
        assert_no_secret(table, as_json)
        assert table.returncode == as_json.returncode
        document = json.loads(as_json.stdout)
        document["table"] = table.stdout
        document["rows"] = {f["check"]: f for f in document["findings"]}
        return document


def assert_no_secret(*done: subprocess.CompletedProcess[str]) -> None:
    for result in done:
        for secret in SECRETS:
            assert secret not in result.stdout + result.stderr


@pytest.fixture
def aws(moto_endpoint: str) -> Iterator[str]:
    reset(moto_endpoint)
    yield moto_endpoint


def start(tmp_path: Path, *apps: Application, errors_as_200: bool = False) -> Any:
    return running_op(tmp_path / "op", DOMAIN, apps, errors_as_200=errors_as_200)


def discovered(
    aws: str, tmp_path: Path, config: dict[str, Any], app: Application, **op: bool
) -> Any:
    """discover (with the right secret) on ``config``, against the OP holding ``app``."""
    path = write_config(tmp_path, config)
    with start(tmp_path, app, **op) as running:
        return Run(aws, running, path)("discover", secret=SECRET)


def statuses(document: dict[str, Any], subject: str = "criipto application") -> dict[str, str]:
    return {f["check"]: f["status"] for f in document["findings"] if f["subject"] == subject}


# ---- discover: before deploy -----------------------------------------------------------------


def test_discover_healthy_application(aws: str, tmp_path: Path) -> None:
    found = discovered(aws, tmp_path, picker_config(), healthy_app())
    assert found["exit_code"] == 0
    # Every row of the domain and the application passes, but what no request can see.
    assert {f["status"] for f in found["findings"]} == {"pass", "unseen"}
    assert statuses(found) == {
        "Client ID registered": "pass",
        "client secret (TF_VAR_criipto_client_secret)": "pass",
        "redirect URL registered": "pass",
        "user info response strategy": "unseen",
    }
    assert found["rows"]["client secret (TF_VAR_criipto_client_secret)"]["found"] == (
        "accepted (invalid_grant for a code that cannot exist)"
    )
    assert "303" in found["rows"]["redirect URL registered"]["found"]


def test_discover_wrong_secret_fails_and_without_one_skips(aws: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, picker_config())
    with start(tmp_path, healthy_app()) as op:
        run = Run(aws, op, config)
        wrong = run("discover", secret=OLD_SECRET)
        unset = run("discover")
    row = wrong["rows"]["client secret (TF_VAR_criipto_client_secret)"]
    assert (row["status"], row["found"]) == ("fail", "HTTP 401 invalid_client")
    assert "TF_VAR_criipto_client_secret is not the application's secret" in row["fix"]
    assert wrong["exit_code"] == 1
    row = unset["rows"]["client secret (TF_VAR_criipto_client_secret)"]
    assert row["status"] == "skip"
    assert "set TF_VAR_criipto_client_secret" in row["found"]
    assert unset["exit_code"] == 0


def test_discover_unregistered_callback_fails(aws: str, tmp_path: Path) -> None:
    other = "https://someone-else.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
    found = discovered(aws, tmp_path, picker_config(), healthy_app(redirect_urls=[other]))
    row = found["rows"]["redirect URL registered"]
    assert row["status"] == "fail"
    assert row["found"].startswith("refused like it: HTTP 400; for a URL that cannot be")
    assert f"add {CALLBACK} to the application's 'Redirect URL(s)'" in row["fix"]
    assert found["exit_code"] == 1


def test_discover_unknown_client_id_fails_and_asks_nothing_else(aws: str, tmp_path: Path) -> None:
    found = discovered(
        aws, tmp_path, picker_config(), healthy_app(client_id="urn:acme:cognito:other")
    )
    assert statuses(found) == {
        "Client ID registered": "fail",
        "client secret (TF_VAR_criipto_client_secret)": "skip",
        "redirect URL registered": "skip",
        "user info response strategy": "unseen",
    }
    assert "Client ID does not exist" in found["rows"]["Client ID registered"]["found"]
    assert found["exit_code"] == 1


def test_discover_ambiguous_op_is_unknown_not_failed(aws: str, tmp_path: Path) -> None:
    """An OP that renders its error pages with 200 and whose application has no code flow
    (implicit only): its token endpoint answers invalid_request, its authorize endpoint does
    not refuse a URL that cannot be registered. Nothing is settled, so nothing fails."""
    found = discovered(
        aws, tmp_path, picker_config(), healthy_app(code_flow=False), errors_as_200=True
    )
    assert statuses(found) == {
        "Client ID registered": "pass",
        "client secret (TF_VAR_criipto_client_secret)": "unknown",
        "redirect URL registered": "unknown",
        "user info response strategy": "unseen",
    }
    secret_row = found["rows"]["client secret (TF_VAR_criipto_client_secret)"]
    assert secret_row["found"] == "HTTP 400, OAuth error invalid_request"
    assert "did not refuse" in found["rows"]["redirect URL registered"]["found"]
    assert found["exit_code"] == 0
    assert found["healthy"] is True


def test_discover_checks_the_acr_scoped_endpoint_of_each_eid(aws: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, eids_config())
    with start(tmp_path, healthy_app()) as op:
        found = Run(aws, op, config)("discover", secret=SECRET)
        requested = op.requests()
    assert found["exit_code"] == 0, found["table"]
    assert statuses(found) == {
        "Client ID registered": "pass",
        "client secret (TF_VAR_criipto_client_secret)": "pass",
        "redirect URL registered (MitID)": "pass",
        "redirect URL registered (SE-BankID)": "pass",
        "user info response strategy": "unseen",
    }
    # Each eID's authorize endpoint, pinned by its acr, twice (Cognito's URL and the control),
    # by the table and by --json.
    for acr in EIDS.values():
        pinned = f"GET /{urls.encode_acr(acr)}/oauth2/authorize"
        assert requested.count(pinned) == 4
    assert requested.count("POST /oauth2/token") == 2  # one secret, one request per run


def test_discover_never_sends_the_secret_to_a_domain_the_change_brings_in(
    aws: str, tmp_path: Path
) -> None:
    """--base-config: the pull request moves criipto.domain. The new domain answers (and
    would accept the secret), but the secret belongs to the base config's domain: not sent."""
    moved = "acme-moved.criipto.id"
    base = write_config(tmp_path, picker_config(), "base.toml")
    config = write_config(tmp_path, config_with(changed("criipto.domain", moved, external())))
    with running_op(tmp_path / "op", moved, [healthy_app()]) as op:
        found = Run(aws, op, config)("discover", "--base-config", str(base), secret=SECRET)
        requests = op.requests()
    row = found["rows"]["client secret (TF_VAR_criipto_client_secret)"]
    assert row["status"] == "skip"
    assert row["found"].startswith(
        f"not sent: criipto.domain changes from {DOMAIN} (--base-config)"
    )
    assert [r for r in requests if r.startswith("POST ")] == [], "no token request at all"
    # Everything else is checked on the new domain as before.
    assert statuses(found)["Client ID registered"] == "pass"
    assert statuses(found)["redirect URL registered"] == "pass"
    assert found["exit_code"] == 0


# ---- doctor: after deploy, with the secret each Cognito provider holds ------------------------


def test_doctor_healthy_deployment(aws: str, tmp_path: Path) -> None:
    deploy(aws, extra_details={"client_secret": SECRET})
    config = write_config(tmp_path, picker_config())
    with start(tmp_path, healthy_app()) as op:
        found = Run(aws, op, config)("doctor")
    assert found["exit_code"] == 0, found["table"]
    assert {f["status"] for f in found["findings"]} == {"pass", "unseen"}
    assert statuses(found)["client secret (Criipto)"] == "pass"
    assert found["cannot_check"] == []


def test_doctor_finds_every_provider_still_holding_the_old_secret(aws: str, tmp_path: Path) -> None:
    """The secret was regenerated in the dashboard; one provider got the new one, the other
    still holds the old one: exactly that one fails, with the fix."""
    deploy_eids(aws, {"MitID": SECRET, "SE-BankID": OLD_SECRET})
    config = write_config(tmp_path, eids_config())
    with start(tmp_path, healthy_app()) as op:
        found = Run(aws, op, config)("doctor")
    assert statuses(found) == {
        "Client ID registered": "pass",
        "client secret (MitID)": "pass",
        "client secret (SE-BankID)": "fail",
        "redirect URL registered (MitID)": "pass",
        "redirect URL registered (SE-BankID)": "pass",
        "user info response strategy": "unseen",
    }
    row = found["rows"]["client secret (SE-BankID)"]
    assert "set TF_VAR_criipto_client_secret" in row["fix"]
    assert "make deploy ENV=test" in row["fix"]
    assert found["exit_code"] == 1
    assert [f["check"] for f in found["findings"] if f["status"] == "fail"] == [
        "client secret (SE-BankID)"
    ]


def test_doctor_without_a_deployment_checks_what_it_can(aws: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, picker_config())
    with start(tmp_path, healthy_app()) as op:
        found = Run(aws, op, config)("doctor")
    assert statuses(found)["Client ID registered"] == "pass"
    assert statuses(found)["client secret (Criipto)"] == "skip"
    assert found["rows"]["client secret (Criipto)"]["found"].startswith("not checked")
    assert found["exit_code"] == 1  # the pool does not exist: Cognito's own finding
