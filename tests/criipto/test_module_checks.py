"""The module's plan-time checks, evaluated by real Terraform against stand-ins for restapi.

No Mastercard/restapi build can be installed here, so the generated module's own ``locals``,
``check``, outputs and the resource's postcondition are lifted out of ``module_document()``
and planned in a root where ``local.application`` stands in for the ``restapi_object``'s
attributes. The stand-ins carry what restapi 3.0.0 stores in each situation (read at its v3.0.0
tag, ``internal/provider/resource_api_object.go`` and ``internal/apiclient/object.go``), filled
with the contract's recorded answers (``tests/data/contract_answers.json``):

- after create: ``create_response`` and ``api_response`` both hold the create answer (with
  ``create_returns_object`` the provider parses the POST answer as its last read);
- after a refresh: ``api_response`` holds the GET answer, ``create_response`` is kept;
- after a 404 at refresh: ``id`` and ``api_response`` are "" (and ``api_data`` empty), the rest kept;
- after ``terraform import``: ``create_response`` is null;
- in a create plan: every computed attribute is unknown;
- with ``API_DATA_IS_SENSITIVE=true`` the provider's schema marks ``data``, ``create_response``,
  ``api_response`` (and ``api_data``) sensitive; without it nothing is marked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from criipto import contract, module_checks, module_writer

ANSWERS = json.loads((Path(__file__).parents[1] / "data" / "contract_answers.json").read_text())
REQUEST: dict[str, Any] = ANSWERS["request"]
CREATE_ANSWER: dict[str, Any] = ANSWERS["create"]["body"]
READ_ANSWER: dict[str, Any] = ANSWERS["read"]["body"]
SAMPLE_SECRET: str = CREATE_ANSWER[contract.OAUTH2][contract.CLIENT_SECRET]
SPEC = contract.ApplicationSpec(
    name=REQUEST[contract.NAME],
    domain=REQUEST[contract.DOMAIN],
    realm=REQUEST[contract.REALM],
    return_urls=tuple(REQUEST[contract.RETURN_URLS]),
    tags=tuple(REQUEST[contract.TAGS]),
)
RESOURCE = f"{module_writer.RESOURCE_TYPE}.{module_writer.RESOURCE_NAME}."
ATTRIBUTES = ("id", "data", "api_response", "create_response")

SCHEMA_SENSITIVE = {"data", "api_response", "create_response"}


class Unknown:
    """An attribute Terraform knows only after apply."""


UNKNOWN = Unknown()


@dataclass(frozen=True)
class Restapi:
    """The restapi_object's attributes in one situation, and the sensitivity switch."""

    id: str | Unknown
    api_response: str | Unknown | None
    create_response: str | Unknown | None
    data_is_sensitive: bool = True


def answer(body: dict[str, Any], **changes: Any) -> str:
    """A recorded answer as the provider stores it, with top-level or "oauth2.x" changes."""
    changed = json.loads(json.dumps(body))
    for key, value in changes.items():
        *parents, name = key.split("__")
        target = changed
        for parent in parents:
            target = target[parent]
        target[name] = value
    return json.dumps(changed)


AFTER_CREATE = Restapi(CREATE_ANSWER["id"], answer(CREATE_ANSWER), answer(CREATE_ANSWER))
AFTER_REFRESH = Restapi(READ_ANSWER["id"], answer(READ_ANSWER), answer(CREATE_ANSWER))
AFTER_IMPORT = Restapi(READ_ANSWER["id"], answer(READ_ANSWER), None)
CREATE_PLAN = Restapi(UNKNOWN, UNKNOWN, UNKNOWN)
AFTER_404 = Restapi("", "", answer(CREATE_ANSWER))


def standin_root(
    state: Restapi, *, with_postcondition: bool = True
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The module's checks in a provider-free root; its config and its variable values."""
    document: dict[str, Any] = module_writer.module_document(SPEC)
    lifted = json.dumps({key: document[key] for key in ("locals", "check", "output")})
    assert RESOURCE in lifted, "the checks must read the restapi_object's attributes"
    parts = json.loads(lifted.replace(RESOURCE, "local.application."))
    [application] = document["resource"][module_writer.RESOURCE_TYPE].values()

    variables: dict[str, Any] = {}
    values: dict[str, Any] = {}
    stand_ins: dict[str, str] = {}
    for name in ATTRIBUTES:
        # data is the module's own payload literal, as planned.
        value = application["data"] if name == "data" else getattr(state, name)
        marked = name in SCHEMA_SENSITIVE and state.data_is_sensitive
        if isinstance(value, Unknown):
            expression = "terraform_data.later.id"
        else:
            variables[name] = {"type": "string", "default": None}
            values[name] = value
            expression = f"var.{name}"
        stand_ins[name] = f"${{sensitive({expression})}}" if marked else f"${{{expression}}}"

    standin: dict[str, Any] = {"input": {"id": "${local.application.id}"}}
    if with_postcondition:
        postconditions = application["lifecycle"]["postcondition"]
        assert "self." in json.dumps(postconditions)
        standin["lifecycle"] = {
            # terraform_data's input is known at plan, as the refreshed id is for restapi.
            "postcondition": json.loads(json.dumps(postconditions).replace("self.", "self.input."))
        }
    root = {
        "terraform": {"required_version": document["terraform"]["required_version"]},
        "variable": variables,
        "locals": {**parts["locals"], "application": stand_ins},
        "check": parts["check"],
        "output": parts["output"],
        "resource": {
            "terraform_data": {"later": {"input": "known after apply"}, "application": standin}
        },
    }
    return root, values


@dataclass
class Plan:
    returncode: int
    errors: list[str]
    warnings: list[str]
    outputs: dict[str, Any]
    text: str


def plan(tmp_path: Path, state: Restapi, *, with_postcondition: bool = True) -> Plan:
    """`terraform plan` of the stand-in root: its diagnostics and planned outputs."""
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not installed: the module's checks cannot be evaluated")
    root, values = standin_root(state, with_postcondition=with_postcondition)
    directory = tmp_path / f"root-{len(list(tmp_path.iterdir()))}"
    directory.mkdir()
    (directory / "main.tf.json").write_text(json.dumps(root, indent=2))
    (directory / "values.tfvars.json").write_text(json.dumps(values))
    config = directory / "terraformrc"
    config.write_text("")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(config), "CHECKPOINT_DISABLE": "1"}
    env.pop("TF_LOG", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [terraform, *args], cwd=directory, env=env, capture_output=True, text=True, timeout=120
        )

    common = ("-input=false", "-lock=false", "-var-file=values.tfvars.json")
    done = run("plan", "-json", "-out=plan.bin", *common)
    errors: list[str] = []
    warnings: list[str] = []
    for line in done.stdout.splitlines():
        message = json.loads(line)
        if message.get("type") == "diagnostic":
            diagnostic = message["diagnostic"]
            text = f"{diagnostic['summary']}: {diagnostic.get('detail', '')}"
            (errors if diagnostic["severity"] == "error" else warnings).append(text)
    assert done.returncode == (1 if errors else 0), done.stdout + done.stderr
    outputs: dict[str, Any] = {}
    if not errors:
        shown = json.loads(run("show", "-json", "plan.bin").stdout)
        planned = shown["planned_values"].get("outputs", {})
        unknown = shown["output_changes"]
        for name, change in unknown.items():
            outputs[name] = UNKNOWN if change["after_unknown"] else planned[name].get("value")
    human = run("plan", "-no-color", *common)
    return Plan(done.returncode, errors, warnings, outputs, human.stdout + human.stderr)


def drift_findings(result: Plan) -> list[str]:
    """The drift check's findings: one warning, one line per drifted field."""
    [warning] = result.warnings
    assert warning.startswith("Check block assertion failed: ")
    return warning.removeprefix("Check block assertion failed: ").splitlines()


def test_recorded_request_is_the_body_the_module_sends() -> None:
    assert json.loads(contract.render_body(SPEC)) == REQUEST
    for recorded in (CREATE_ANSWER, READ_ANSWER):
        assert {key: recorded[key] for key in REQUEST if key != contract.OAUTH2} == {
            key: value for key, value in REQUEST.items() if key != contract.OAUTH2
        }
    assert contract.CLIENT_SECRET not in READ_ANSWER[contract.OAUTH2]


@pytest.mark.parametrize(
    "state",
    [AFTER_CREATE, AFTER_REFRESH, AFTER_IMPORT],
    ids=["after-create", "after-refresh", "after-import"],
)
@pytest.mark.terraform
def test_answers_that_match_the_config_plan_cleanly(tmp_path: Path, state: Restapi) -> None:
    result = plan(tmp_path, state)
    assert result.errors == []
    assert result.warnings == []
    assert result.outputs[module_writer.OUT_CLIENT_ID] == REQUEST[contract.REALM]
    assert result.outputs[module_writer.OUT_APPLICATION_ID] == READ_ANSWER["id"]
    assert SAMPLE_SECRET not in result.text


DRIFT = [
    pytest.param(
        {"oauth2__userInfoResponseStrategy": "signedJwt"},
        [
            'oauth2.userInfoResponseStrategy is "signedJwt"',
            'the config says "plainJson"',
            "invalid token_type in idp oauth response",
            "User info response strategy",
        ],
        id="user-info-strategy",
    ),
    pytest.param(
        {"domain": "acme-other.criipto.id"},
        ['domain is "acme-other.criipto.id"', 'the config says "acme-test.criipto.id"', "issuer"],
        id="domain",
    ),
    pytest.param(
        {"realm": "urn:acme:renamed"},
        [
            'realm is "urn:acme:renamed"',
            'the config says "urn:acme:cognito:test"',
            "Client ID/Realm",
        ],
        id="realm",
    ),
    pytest.param(
        {"returnUrls": ["https://elsewhere.example/callback"]},
        [
            'returnUrls is ["https://elsewhere.example/callback"]',
            'lacks ["https://acme-test-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"]',
            "Redirect URLs",
        ],
        id="return-urls",
    ),
    pytest.param(
        {"oauth2__codeFlow": False},
        ["oauth2.codeFlow is false", "the config says true", "Enable OAuth2 Code Flow"],
        id="code-flow",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), DRIFT)
@pytest.mark.terraform
def test_dashboard_drift_warns_with_field_values_and_fix(
    tmp_path: Path, changes: dict[str, Any], expected: list[str]
) -> None:
    response = answer(READ_ANSWER, **changes)
    drifted = Restapi(READ_ANSWER["id"], response, answer(CREATE_ANSWER))
    result = plan(tmp_path, drifted)
    assert result.errors == []
    [warning] = drift_findings(result)
    for text in expected:
        assert text in warning
    assert "Idura dashboard" in warning
    # The plan itself goes on: drift is a warning, the client id is still the reported realm.
    assert result.outputs[module_writer.OUT_CLIENT_ID] == json.loads(response)[contract.REALM]


@pytest.mark.terraform
def test_sensitive_answers_still_name_the_drifted_value_but_never_the_secret(
    tmp_path: Path,
) -> None:
    # Right after create, api_response is the create answer with the secret in it.
    drifted = answer(CREATE_ANSWER, oauth2__userInfoResponseStrategy="signedJwt")
    result = plan(tmp_path, Restapi(CREATE_ANSWER["id"], drifted, drifted))
    [warning] = drift_findings(result)
    assert 'oauth2.userInfoResponseStrategy is "signedJwt"' in warning
    assert "will not display" not in result.text
    assert SAMPLE_SECRET not in result.text


@pytest.mark.terraform
def test_a_create_plan_waits_for_the_answer(tmp_path: Path) -> None:
    result = plan(tmp_path, CREATE_PLAN)
    assert result.errors == []
    # Terraform's own note that the check runs at apply, once; no finding, no guard failure.
    [note] = result.warnings
    assert note.startswith("Check block assertion known after apply")
    assert result.outputs[module_writer.OUT_CLIENT_ID] is UNKNOWN
    assert result.outputs[module_writer.OUT_APPLICATION_ID] is UNKNOWN


@pytest.mark.terraform
def test_a_deleted_application_stops_the_plan_with_the_fix(tmp_path: Path) -> None:
    result = plan(tmp_path, AFTER_404)
    [error] = result.errors
    assert "answered 404" in error
    assert f"terraform state rm {module_writer.RESOURCE_ADDRESS}" in error
    assert "module.criipto_application.restapi_object.application" in error
    assert "Invalid index" not in result.text
    assert result.warnings == []


@pytest.mark.terraform
def test_a_deleted_application_leaves_outputs_the_root_can_read(tmp_path: Path) -> None:
    """Without the postcondition the outputs still evaluate: no "Invalid index" in the root."""
    result = plan(tmp_path, AFTER_404, with_postcondition=False)
    assert result.errors == []
    assert result.outputs[module_writer.OUT_CLIENT_ID] == REQUEST[contract.REALM]
    assert result.outputs[module_writer.OUT_APPLICATION_ID] == ""


@pytest.mark.parametrize(
    "state",
    [
        Restapi(UNKNOWN, UNKNOWN, UNKNOWN, data_is_sensitive=False),
        Restapi(
            READ_ANSWER["id"], answer(READ_ANSWER), answer(CREATE_ANSWER), data_is_sensitive=False
        ),
        Restapi(READ_ANSWER["id"], answer(READ_ANSWER), None, data_is_sensitive=False),
    ],
    ids=["create-plan", "after-refresh", "after-import"],
)
@pytest.mark.terraform
def test_without_api_data_is_sensitive_the_plan_fails_with_the_fix(
    tmp_path: Path, state: Restapi
) -> None:
    result = plan(tmp_path, state)
    [error] = result.errors
    assert f"{module_checks.SENSITIVITY_VARIABLE}=true" in error
    assert "every" in error
    assert SAMPLE_SECRET not in result.text


@pytest.mark.parametrize(
    "api_response",
    [None, "", "not json", "[]", "null", '"text"', "42", '{"unexpected": true}'],
    ids=["null", "empty", "not-json", "list", "json-null", "string", "number", "no-fields"],
)
@pytest.mark.terraform
def test_odd_answers_never_break_the_plan(tmp_path: Path, api_response: str | None) -> None:
    result = plan(tmp_path, Restapi(READ_ANSWER["id"], api_response, None))
    assert result.errors == []
    findings = drift_findings(result)
    if api_response == '{"unexpected": true}':
        assert len(findings) == 5  # every compared field is missing
        assert all(" is null in the management API" in finding for finding in findings)
    else:
        [finding] = findings
        assert "not a JSON object" in finding
    assert result.outputs[module_writer.OUT_CLIENT_ID] == REQUEST[contract.REALM]


@pytest.mark.terraform
def test_answers_with_wrong_types_are_drift_not_errors(tmp_path: Path) -> None:
    odd = answer(
        READ_ANSWER,
        domain=5,
        returnUrls="https://acme-test-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse",
        oauth2=None,
    )
    result = plan(tmp_path, Restapi(READ_ANSWER["id"], odd, None))
    assert result.errors == []
    findings = drift_findings(result)
    assert len(findings) == 4
    assert any("domain is 5 " in finding for finding in findings)
    assert any("returnUrls is " in finding and "lacks" in finding for finding in findings)
    assert any("oauth2.codeFlow is null" in finding for finding in findings)
    assert any("oauth2.userInfoResponseStrategy is null" in finding for finding in findings)


@pytest.mark.terraform
def test_the_docs_quote_the_warning_the_module_gives(tmp_path: Path) -> None:
    drifted = answer(READ_ANSWER, oauth2__userInfoResponseStrategy="signedJwt")
    [finding] = drift_findings(plan(tmp_path, Restapi(READ_ANSWER["id"], drifted, None)))
    readme = (Path(__file__).parents[2] / "docs" / "config.md").read_text(encoding="utf-8")
    assert " ".join(finding.split()) in " ".join(readme.split())
