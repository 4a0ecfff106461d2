"""The generated restapi module: valid, on contract, wired into the identity provider."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.configs import changed, config_with, external, managed
from support.project import ROOT
from support.synth import only, synth_stacks

from criipto import contract, module_writer

# The arguments the Mastercard/restapi 3.x provider and its restapi_object accept
# (from the provider's published schema docs).
RESTAPI_PROVIDER_ARGUMENTS = {
    "uri",
    "bearer_token",
    "headers",
    "id_attribute",
    "create_returns_object",
    "write_returns_object",
    "cert_file",
    "cert_string",
    "copy_keys",
    "create_method",
    "debug",
    "destroy_method",
    "insecure",
    "key_file",
    "key_string",
    "oauth_client_credentials",
    "password",
    "rate_limit",
    "read_method",
    "root_ca_file",
    "root_ca_string",
    "test_path",
    "timeout",
    "update_method",
    "use_cookies",
    "username",
    "xssi_prefix",
}
RESTAPI_OBJECT_ARGUMENTS = {
    "path",
    "data",
    "create_method",
    "create_path",
    "debug",
    "destroy_data",
    "destroy_method",
    "destroy_path",
    "force_new",
    "id_attribute",
    "object_id",
    "query_string",
    "read_data",
    "read_method",
    "read_path",
    "read_search",
    "update_data",
    "update_method",
    "update_path",
    "ignore_server_additions",
    "ignore_changes_to",
    "ignore_all_server_changes",
    "filter_keys",
}


def synth_to(tmp_path: Path, environment: dict[str, Any], name: str = "test") -> Path:
    """Synthesize into a fresh directory; the stack's directory."""
    outdir = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
    synth_stacks(config_with(environment, name), outdir)
    return outdir / "stacks" / name


def module_source(stack_dir: Path) -> str:
    stack = json.loads((stack_dir / "cdk.tf.json").read_text())
    [module] = stack["module"].values()
    return str(module["source"])


def module_document(stack_dir: Path) -> dict[str, Any]:
    source = stack_dir / module_source(stack_dir)
    assert [p.name for p in source.iterdir()] == [module_writer.MODULE_FILE]
    document: dict[str, Any] = json.loads((source / module_writer.MODULE_FILE).read_text())
    return document


def test_module_is_shipped_as_a_relative_content_addressed_asset(tmp_path: Path) -> None:
    stack_dir = synth_to(tmp_path, managed())
    source = module_source(stack_dir)
    assert source.startswith("./assets/"), "Terraform treats only ./ paths as local modules"
    assert (stack_dir / source / module_writer.MODULE_FILE).is_file()


def test_module_uses_only_restapi_3_arguments(tmp_path: Path) -> None:
    document = module_document(synth_to(tmp_path, managed()))
    assert set(document) == {
        "terraform",
        "variable",
        "provider",
        "resource",
        "locals",
        "check",
        "output",
    }
    # issensitive() in the secret guard needs Terraform 1.8.
    assert document["terraform"]["required_version"] == ">= 1.8.0"
    restapi = document["terraform"]["required_providers"]["restapi"]
    assert restapi["source"] == "Mastercard/restapi"
    # 3.0.x only: the checks are written against 3.0.0's drift behaviour.
    assert restapi["version"] == "~> 3.0.0"
    provider = document["provider"]["restapi"]
    assert set(provider) <= RESTAPI_PROVIDER_ARGUMENTS
    assert provider["uri"] == "${var.api_url}"
    assert provider["bearer_token"] == "${var.api_token}"
    assert provider["headers"]["Content-Type"] == "application/json"
    assert provider["create_returns_object"] is True
    assert provider["write_returns_object"] is True
    [application] = document["resource"]["restapi_object"].values()
    assert set(application) <= RESTAPI_OBJECT_ARGUMENTS | {"lifecycle"}
    assert application["path"] == "/applications"
    for key in ("read_path", "update_path", "destroy_path"):
        assert application[key] == "/applications/{id}"
    assert application["id_attribute"] == "id"
    assert application["ignore_server_additions"] is True
    assert application["force_new"] == ["domain"]
    # An import stores debug = true (the provider then logs the bearer token); false resets it.
    assert application["debug"] is False
    [postcondition] = application["lifecycle"]["postcondition"]
    assert (
        "terraform state rm module.criipto_application.restapi_object.application"
        in (postcondition["error_message"])
    )


def test_config_text_reaches_the_module_only_as_the_payload(tmp_path: Path) -> None:
    """Checks and outputs read the expected values back from `data`: no config text in code."""
    env = changed("criipto.application_name", "Distinctive Name", managed())
    env = changed("criipto.client_id", "urn:distinctive:realm", env)
    document = module_document(synth_to(tmp_path, env))
    [application] = document["resource"]["restapi_object"].values()
    body = json.loads(application["data"])
    code = json.dumps(
        {
            "locals": document["locals"],
            "check": document["check"],
            "output": document["output"],
            "lifecycle": application["lifecycle"],
        }
    )
    for value in (body["name"], body["realm"], body["domain"], *body["returnUrls"]):
        assert value not in code
    assert "restapi_object.application.data" in code
    assert "application.api_data" not in code, (
        "nested values come from api_response (api_data is %v text)"
    )


def test_token_is_a_sensitive_variable_and_secret_a_sensitive_output(tmp_path: Path) -> None:
    document = module_document(synth_to(tmp_path, managed()))
    assert document["variable"]["api_token"]["sensitive"] is True
    outputs = document["output"]
    assert outputs["client_secret"]["sensitive"] is True
    assert "create_response" in outputs["client_secret"]["value"]
    assert "oauth2.clientSecret" in outputs["client_secret"]["value"]
    assert set(outputs) == {"application_id", "client_id", "client_secret"}
    [guard] = outputs["client_secret"]["precondition"]
    assert "API_DATA_IS_SENSITIVE=true" in guard["error_message"]


def test_payload_is_the_contract(tmp_path: Path) -> None:
    env = changed("criipto.application_name", "AWS Cognito", managed())
    env = changed("criipto.tags", ["aws-cognito"], env)
    document = module_document(synth_to(tmp_path, env))
    [application] = document["resource"]["restapi_object"].values()
    assert json.loads(application["data"]) == {
        "name": "AWS Cognito",
        "domain": "acme-test.criipto.id",
        "realm": "urn:acme:cognito:test",
        "returnUrls": [
            "https://acme-test-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
        ],
        "oauth2": {"codeFlow": True, "userInfoResponseStrategy": "plainJson"},
        "tags": ["aws-cognito"],
    }


def test_payload_defaults(tmp_path: Path) -> None:
    env = changed("criipto.client_id", ..., managed())
    env = changed(
        "domain",
        {
            "custom": "login.acme.com",
            "certificate_arn": (
                "arn:aws:acm:us-east-1:123456789012:certificate/0f3c2b1a-1111-2222-3333-444455556666"
            ),
        },
        env,
    )
    document = module_document(synth_to(tmp_path, env, name="staging"))
    [application] = document["resource"]["restapi_object"].values()
    body = json.loads(application["data"])
    assert body["name"] == "AWS Cognito (staging)"
    assert body["realm"] == "urn:aws-cognito:login.acme.com"
    assert body["returnUrls"] == ["https://login.acme.com/oauth2/idpresponse"]
    assert body["tags"] == []


def test_identity_provider_takes_its_credentials_from_the_module(synth: Any) -> None:
    stack = synth(managed())
    [module_name] = stack["module"]
    module = stack["module"][module_name]
    assert module["api_url"] == "https://api.acme.example/criipto"
    assert module["api_token"] == "${var.criipto_api_token}"
    assert stack["variable"]["criipto_api_token"]["sensitive"] is True
    details = only(stack, "aws_cognito_identity_provider")["provider_details"]
    assert details["client_id"] == f"${{module.{module_name}.client_id}}"
    assert details["client_secret"] == (
        f"${{coalesce(var.criipto_client_secret, module.{module_name}.client_secret)}}"
    )
    assert stack["output"]["criipto_application_id"]["value"] == (
        f"${{module.{module_name}.application_id}}"
    )


def test_adopted_application_secret_comes_from_the_variable(synth: Any) -> None:
    stack = synth(managed())
    variable = stack["variable"]["criipto_client_secret"]
    assert variable == {**variable, "sensitive": True, "default": ""}
    [precondition] = only(stack, "aws_cognito_identity_provider")["lifecycle"]["precondition"]
    [module_name] = stack["module"]
    assert precondition["condition"] == (
        f'${{var.criipto_client_secret != "" || module.{module_name}.client_secret != null}}'
    )
    assert "TF_VAR_criipto_client_secret" in precondition["error_message"]


def test_external_mode_declares_no_module(tmp_path: Path) -> None:
    stack_dir = synth_to(tmp_path, external())
    stack = json.loads((stack_dir / "cdk.tf.json").read_text())
    assert "module" not in stack
    assert "criipto_api_token" not in stack["variable"]
    assert not (stack_dir / "assets").exists()


def test_asset_path_changes_when_and_only_when_the_payload_changes(tmp_path: Path) -> None:
    base = managed()
    original = module_source(synth_to(tmp_path, base))
    same_payload = [
        changed("criipto.management_api_url", "https://other.acme.example/v2", base),
        changed("app_client.name", "mobile", base),
        changed("criipto.provider_name", "MitID", base),
    ]
    for env in same_payload:
        assert module_source(synth_to(tmp_path, env)) == original
    other_payload = [
        changed("criipto.application_name", "Renamed", base),
        changed("criipto.domain", "acme-prod.idura.broker", base),
        changed("criipto.tags", ["x"], base),
        changed("domain.prefix", "acme-other-login", base),
        changed("criipto.client_id", "urn:acme:other", base),
    ]
    sources = {module_source(synth_to(tmp_path, env)) for env in other_payload}
    assert original not in sources
    assert len(sources) == len(other_payload)


CONTRACT_DOC = ROOT / "docs" / "criipto-management-api.md"
PACKAGES = ("criipto", "stacks", "criipto_cognito")


def test_contract_is_the_documented_one() -> None:
    """contract.py speaks the contract as docs/criipto-management-api.md writes it."""
    doc = CONTRACT_DOC.read_text(encoding="utf-8")
    documented = json.loads(doc.split("Body:\n```json\n", 1)[1].split("```", 1)[0])
    spec = contract.ApplicationSpec(
        name=documented["name"],
        domain=documented["domain"],
        realm=documented["realm"],
        return_urls=tuple(documented["returnUrls"]),
        tags=tuple(documented["tags"]),
    )
    assert contract.application_body(spec) == documented
    assert f"`POST {{base}}{contract.APPLICATIONS_PATH}`" in doc
    for method in ("GET", "PUT", "DELETE"):
        assert f"`{method} {{base}}{contract.APPLICATION_PATH}`" in doc
    strategies = re.search(r"`userInfoResponseStrategy` is one of ([^;]*);", doc)
    assert strategies is not None
    assert re.findall(r"`(\w+)`", strategies[1]) == list(contract.USER_INFO_RESPONSE_STRATEGIES)
    assert f"Cognito needs `{contract.COGNITO_USER_INFO_RESPONSE_STRATEGY}`" in doc
    assert f"`oauth2.{contract.CLIENT_SECRET}`" in doc


def test_contract_names_live_in_one_module() -> None:
    """No other module writes a path or field name of the contract as a literal of its own."""
    names = {
        contract.APPLICATIONS_PATH,
        contract.APPLICATION_PATH,
        contract.RETURN_URLS,
        contract.CODE_FLOW,
        contract.USER_INFO_RESPONSE_STRATEGY,
        contract.CLIENT_SECRET,
        *contract.USER_INFO_RESPONSE_STRATEGIES,
    }
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            if path == ROOT / "criipto" / "contract.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and node.value in names:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert found == []


@pytest.mark.terraform
@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_terraform_resolves_the_module_source(tmp_path: Path) -> None:
    """`terraform get` installs modules only (no provider download), so it runs offline."""
    stack_dir = synth_to(tmp_path, managed())
    env = {k: v for k, v in os.environ.items() if k != "TF_CLI_CONFIG_FILE"}
    env["CHECKPOINT_DISABLE"] = "1"
    result = subprocess.run(
        ["terraform", "get", "-no-color"],
        cwd=stack_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    modules = json.loads((stack_dir / ".terraform" / "modules" / "modules.json").read_text())
    [entry] = [m for m in modules["Modules"] if m["Key"]]
    assert entry["Source"] == module_source(stack_dir)
