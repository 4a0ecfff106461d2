"""doctor's Criipto half in managed mode (criipto_cognito/doctor_criipto.py): the application
as the management API (the loopback stand-in, tls_server.py) answers for it."""

from __future__ import annotations

import httpx
import pytest
from support.configs import managed
from support.findings import failures
from support.tls_server import APPLICATION_ID, TOKEN, CriiptoServer

from criipto_cognito import http
from criipto_cognito.deadline import Deadline
from criipto_cognito.doctor_criipto import check_application
from criipto_cognito.findings import CannotCheck, Finding
from stacks.config import EnvironmentConfig


def environment() -> EnvironmentConfig:
    return EnvironmentConfig.model_validate(managed())


# ---- Criipto ---------------------------------------------------------------------------------


@pytest.fixture
def criipto(server: CriiptoServer, monkeypatch: pytest.MonkeyPatch) -> CriiptoServer:
    server.reset()
    monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return server


def application_findings(server: CriiptoServer, token: str = TOKEN) -> list[Finding]:
    with http.make_client(Deadline(10.0), token=token) as client:
        return check_application(
            client, environment(), api_base=server.api_url, application_id=APPLICATION_ID
        )


def test_healthy_application_passes(criipto: CriiptoServer) -> None:
    findings = application_findings(criipto)
    assert failures(findings) == {}
    assert len(findings) == 6
    [(path, headers)] = criipto.state.requests
    assert path == f"/v1/applications/{APPLICATION_ID}"
    assert headers["Authorization"] == f"Bearer {TOKEN}"


def test_signed_jwt_strategy_explains_the_login_error(criipto: CriiptoServer) -> None:
    criipto.state.applications[APPLICATION_ID]["oauth2"]["userInfoResponseStrategy"] = "signedJwt"
    [finding] = failures(application_findings(criipto)).values()
    assert finding.check == "oauth2.userInfoResponseStrategy"
    assert (finding.expected, finding.found) == ("plainJson", "signedJwt")
    assert "invalid token_type in idp oauth response" in finding.fix


def test_missing_return_url_is_diagnosed(criipto: CriiptoServer) -> None:
    criipto.state.applications[APPLICATION_ID]["returnUrls"] = ["https://elsewhere.example/cb"]
    [finding] = failures(application_findings(criipto)).values()
    assert finding.check == "returnUrls"
    assert finding.found == "https://elsewhere.example/cb"


def test_code_flow_off_is_diagnosed(criipto: CriiptoServer) -> None:
    criipto.state.applications[APPLICATION_ID]["oauth2"] = {"userInfoResponseStrategy": "plainJson"}
    [finding] = failures(application_findings(criipto)).values()
    assert (finding.check, finding.found) == ("oauth2.codeFlow", "(missing)")


def test_deleted_application_is_a_finding(criipto: CriiptoServer) -> None:
    criipto.state.applications.clear()
    [finding] = application_findings(criipto)
    assert (finding.check, finding.status) == ("exists", "fail")


def test_refused_token_cannot_be_checked(criipto: CriiptoServer) -> None:
    with pytest.raises(CannotCheck, match="HTTP 401 Unauthorized: the management API token was"):
        application_findings(criipto, token="wrong-token")


def test_a_token_that_cannot_be_a_header_is_refused_without_echo() -> None:
    with pytest.raises(CannotCheck) as caught:
        http.make_client(Deadline(1.0), token="line\nbreak-secret")
    assert "secret" not in str(caught.value)


def test_management_500_cannot_be_checked(criipto: CriiptoServer) -> None:
    criipto.state.mode = "500"
    with pytest.raises(CannotCheck, match="answered HTTP 500"):
        application_findings(criipto)


def test_client_is_not_an_httpx_default(criipto: CriiptoServer) -> None:
    with http.make_client(Deadline(0.5)) as client:
        assert isinstance(client, httpx.Client)
        assert client.timeout.connect == client.timeout.read == 0.5
        assert client.follow_redirects is False
        assert client.headers["Accept-Encoding"] == "identity"
