"""Config text that looks like a Terraform template reaches AWS and the API exactly as written.

Terraform's JSON syntax reads every string in an expression as a template: ``${…}`` and
``%{…}`` in a config value would run as code. Each field that reaches Terraform gets such a
value here, the stack is synthesized, and the real ``terraform console`` evaluates what the
JSON holds for that field: it must give back the config's text. No provider is needed for
``locals``, so this runs offline.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.configs import base_environment, changed, external
from support.synth import only, synth_stacks

from criipto import contract
from criipto.terraform_text import literal

TERRAFORM = shutil.which("terraform")


def needs_terraform(test: Any) -> Any:
    """Marked terraform; skipped where it is not installed."""
    skip = pytest.mark.skipif(TERRAFORM is None, reason="terraform is not installed")
    return pytest.mark.terraform(skip(test))


# Templates that evaluate without error, to a different text: a missing escape shows as a
# changed value, not only as an error.
UPPER = '${upper("x")}'
DIRECTIVE = '%{if"a"=="a"}y%{endif}'
NO_QUOTES = "${abs(-1)}"  # for OAuth scopes, which refuse quotes


def _terraform_env(tmp_path: Path) -> dict[str, str]:
    rc = tmp_path / "terraformrc"
    rc.write_text("")
    return {**os.environ, "TF_CLI_CONFIG_FILE": str(rc), "CHECKPOINT_DISABLE": "1"}


def evaluate(tmp_path: Path, values: dict[str, Any]) -> dict[str, Any]:
    """What Terraform makes of each JSON value, as the value of a local."""
    root = tmp_path / "console"
    root.mkdir()
    names = {f"v{i}": key for i, key in enumerate(values)}
    (root / "main.tf.json").write_text(
        json.dumps({"locals": {name: values[key] for name, key in names.items()}})
    )
    expression = "jsonencode({" + ", ".join(f"{n} = local.{n}" for n in names) + "})"
    result = subprocess.run(
        [str(TERRAFORM), "console"],
        input=expression + "\n",
        cwd=root,
        env=_terraform_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    evaluated = json.loads(json.loads(result.stdout))
    return {key: evaluated[name] for name, key in names.items()}


def hostile_managed() -> dict[str, Any]:
    env = base_environment()
    env["criipto"].update(
        provider_name=UPPER,
        application_name=f"AWS {UPPER} ${{var.criipto_api_token}}",
        tags=[UPPER, DIRECTIVE],
        client_id=f"urn:{UPPER}",
        authorize_scopes=["openid", NO_QUOTES],
        attribute_mapping={"age": "custom:${x}"},
        management_api_url="https://api.acme.example/${path.cwd}",
    )
    env["app_client"].update(
        callback_urls=[f"https://app.acme.com/cb?x={UPPER}", "myapp://${x}"],
        logout_urls=[f"https://app.acme.com/{DIRECTIVE}"],
        oauth_scopes=["openid", f"api/{NO_QUOTES}"],
        read_attributes=["name", "custom:${x}"],
        write_attributes=["custom:${x}"],
    )
    env["resource_servers"] = {"api": {"name": "API", "scopes": {NO_QUOTES: f"Read {UPPER}"}}}
    return env


@needs_terraform
def test_the_escape_gives_back_every_text(tmp_path: Path) -> None:
    texts = [
        "${var.x}", DIRECTIVE, "$${x}", "$$${x}", "%%{x}", "a$", "$", "%", "${", "%{", "$%{x}",
        "%${x}", "${}${}", "x$$", "\\${x}", "{${x}}", "${{", "%{{", "$$", "%%%{",
    ]  # fmt: skip
    evaluated = evaluate(tmp_path, {text: literal(text) for text in texts})
    assert evaluated == {text: text for text in texts}


@needs_terraform
def test_every_field_of_a_managed_stack_arrives_literally(tmp_path: Path) -> None:
    env = hostile_managed()
    stack = synth_stacks({"environments": {"test": env}}, tmp_path / "out")["test"]
    criipto, app = env["criipto"], env["app_client"]
    provider = only(stack, "aws_cognito_identity_provider")
    client = only(stack, "aws_cognito_user_pool_client")
    pool = only(stack, "aws_cognito_user_pool")
    module = stack["module"]["criipto_application"]
    source = tmp_path / "out" / "stacks" / "test" / module["source"]
    payload = json.loads((source / "main.tf.json").read_text())
    data = payload["resource"]["restapi_object"]["application"]["data"]
    login_urls = stack["output"]["login_urls"]["value"]

    found = evaluate(
        tmp_path,
        {
            "provider_name": provider["provider_name"],
            "authorize_scopes": provider["provider_details"]["authorize_scopes"],
            "attribute_mapping": provider["attribute_mapping"],
            "schema": [attribute["name"] for attribute in pool["schema"]],
            "callback_urls": client["callback_urls"],
            "logout_urls": client["logout_urls"],
            "oauth_scopes": client["allowed_oauth_scopes"],
            "read_attributes": client["read_attributes"],
            "write_attributes": client["write_attributes"],
            "server_scopes": only(stack, "aws_cognito_resource_server")["scope"],
            "api_url": module["api_url"],
            "payload": data,
            "login_url_keys": sorted(login_urls),
        },
    )

    assert found["provider_name"] == criipto["provider_name"]
    assert found["authorize_scopes"] == " ".join(criipto["authorize_scopes"])
    assert found["attribute_mapping"] == {"username": "sub", "custom:${x}": "age"}
    assert found["schema"] == ["${x}"]
    assert found["callback_urls"] == app["callback_urls"]
    assert found["logout_urls"] == app["logout_urls"]
    assert found["oauth_scopes"] == app["oauth_scopes"]
    assert found["read_attributes"] == app["read_attributes"]
    assert found["write_attributes"] == app["write_attributes"]
    assert found["server_scopes"] == [
        {"scope_name": NO_QUOTES, "scope_description": f"Read {UPPER}"}
    ]
    assert found["api_url"] == criipto["management_api_url"]
    assert found["login_url_keys"] == [criipto["provider_name"]]
    body = json.loads(found["payload"])
    assert body[contract.NAME] == criipto["application_name"]
    assert body[contract.REALM] == criipto["client_id"]
    assert body[contract.TAGS] == criipto["tags"]


@needs_terraform
def test_external_client_id_and_eid_provider_names_arrive_literally(tmp_path: Path) -> None:
    env = external(changed("criipto.client_id", f"urn:{UPPER}"))
    env["criipto"].pop("provider_name")
    env["criipto"]["eids"] = ["dk-mitid-substantial", "se-bankid"]
    env["criipto"]["provider_names"] = {"dk-mitid-substantial": "%{x}-MitID"}
    stack = synth_stacks({"environments": {"test": env}}, tmp_path / "out")["test"]
    providers = stack["resource"]["aws_cognito_identity_provider"].values()
    found = evaluate(
        tmp_path,
        {
            "client_ids": sorted(p["provider_details"]["client_id"] for p in providers),
            "names": sorted(p["provider_name"] for p in providers),
        },
    )
    assert found["client_ids"] == [f"urn:{UPPER}"] * 2
    assert found["names"] == sorted(["%{x}-MitID", "SE-BankID"])


@needs_terraform
def test_several_clients_and_their_resource_servers_arrive_literally(tmp_path: Path) -> None:
    """Client names, server identifiers, scope names and descriptions, and the per-client
    login URLs (whose client id stays a reference)."""
    env = external()
    client = env.pop("app_client")
    identifier = f"https://api.acme.com/{NO_QUOTES}"
    env["resource_servers"] = {identifier: {"name": "API", "scopes": {"%{x}": DIRECTIVE}}}
    env["app_clients"] = {
        "web": {**client, "name": "web", "oauth_scopes": ["openid", f"{identifier}/%{{x}}"]},
        "mobile": {**client, "name": "mobile", "callback_urls": [f"myapp://{UPPER}"]},
    }
    stack = synth_stacks({"environments": {"test": env}}, tmp_path / "out")["test"]
    clients = stack["resource"]["aws_cognito_user_pool_client"]
    server = only(stack, "aws_cognito_resource_server")
    found = evaluate(
        tmp_path,
        {
            "web_scopes": clients["web"]["allowed_oauth_scopes"],
            "mobile_callbacks": clients["mobile"]["callback_urls"],
            "identifier": server["identifier"],
            "scope": server["scope"],
            "login_url_clients": sorted(stack["output"]["app_client_login_urls"]["value"]),
        },
    )
    assert found["web_scopes"] == env["app_clients"]["web"]["oauth_scopes"]
    assert found["mobile_callbacks"] == [f"myapp://{UPPER}"]
    assert found["identifier"] == identifier
    assert found["scope"] == [{"scope_name": "%{x}", "scope_description": DIRECTIVE}]
    assert found["login_url_clients"] == ["mobile", "web"]
    mobile_url = stack["output"]["app_client_login_urls"]["value"]["mobile"]["Criipto"]
    assert "client_id=${aws_cognito_user_pool_client.mobile.id}" in mobile_url


def test_the_login_url_keeps_its_client_id_reference(tmp_path: Path) -> None:
    """The login URL mixes a reference (the app client's id) with literal text: only the
    literal parts are escaped, so the reference still resolves."""
    env = changed("app_client.callback_urls", [f"https://app.acme.com/{UPPER}"])
    stack = synth_stacks({"environments": {"test": env}}, tmp_path / "out")["test"]
    url = stack["output"]["login_url"]["value"]
    assert "client_id=${aws_cognito_user_pool_client." in url
    assert "$${aws_cognito_user_pool_client" not in url


@needs_terraform
def test_backend_settings_are_not_templates(tmp_path: Path) -> None:
    """Terraform takes a backend's settings as they are: escaping them would double the $.
    So an S3 key with ${…} goes into the JSON unescaped, and a local backend shows why."""
    env = changed(
        "backend",
        {"type": "s3", "bucket": "acme-state", "key": "a/${x}.tfstate", "region": "eu-west-1"},
    )
    stack = synth_stacks({"environments": {"test": env}}, tmp_path / "out")["test"]
    assert stack["terraform"]["backend"]["s3"]["key"] == "a/${x}.tfstate"

    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf.json").write_text(
        json.dumps(
            {
                "terraform": {"backend": {"local": {"path": "s-${x}.tfstate"}}},
                "output": {"o": {"value": "x"}},
            }
        )
    )
    for command in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
        result = subprocess.run(
            [str(TERRAFORM), *command],
            cwd=root,
            env=_terraform_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    assert (root / "s-${x}.tfstate").is_file()


@needs_terraform
def test_descriptions_are_not_templates(tmp_path: Path) -> None:
    """Variable and output descriptions are plain strings in JSON syntax: text there is never
    escaped (the stacks put no config text there)."""
    root = tmp_path / "root"
    root.mkdir()
    text = "a ${var.d} b"
    (root / "main.tf.json").write_text(
        json.dumps(
            {
                "variable": {"d": {"type": "string", "default": "", "description": text}},
                "output": {"o": {"value": "x", "description": text}},
            }
        )
    )
    env = _terraform_env(tmp_path)
    plan = subprocess.run(
        [str(TERRAFORM), "plan", "-out=plan", "-input=false"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert plan.returncode == 0, plan.stderr
    shown = subprocess.run(
        [str(TERRAFORM), "show", "-json", "plan"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    module = json.loads(shown.stdout)["configuration"]["root_module"]
    assert module["variables"]["d"]["description"] == text
    assert module["outputs"]["o"]["description"] == text
