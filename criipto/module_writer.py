"""Writes the local Terraform module that manages the Criipto application through restapi.

``cdktf get`` cannot run without the Terraform registry, so instead of provider bindings we
write a small module in Terraform JSON at synth time. The payload is baked into the module
(every value is known from the config), so the module's content hash, and with it its asset
path, changes exactly when the application must change. The base URL and the token are
variables: neither belongs in the hash, and the token must never be written anywhere.
"""

from __future__ import annotations

import json
from pathlib import Path

from criipto import contract, module_checks
from criipto.terraform_text import literal

MODULE_FILE = "main.tf.json"
RESTAPI_SOURCE = "Mastercard/restapi"
# 3.0.x only: the module's checks are written against 3.0.0's behaviour, and an open upstream
# change (PR #361) would change how drift shows within today's major version.
RESTAPI_VERSION = "~> 3.0.0"
RESOURCE_TYPE = "restapi_object"
RESOURCE_NAME = "application"
# Where the stack calls the module; users type these addresses (import, state rm).
MODULE_ADDRESS_NAME = "criipto_application"


def resource_address(module_name: str = MODULE_ADDRESS_NAME) -> str:
    """The application's address in a stack that calls the module ``module_name``."""
    return f"module.{module_name}.{RESOURCE_TYPE}.{RESOURCE_NAME}"


RESOURCE_ADDRESS = resource_address()

# The module's interface, used by the construct that calls it.
VAR_API_URL = "api_url"
VAR_API_TOKEN = "api_token"  # noqa: S105 (a variable name)
OUT_APPLICATION_ID = "application_id"
OUT_CLIENT_ID = "client_id"
OUT_CLIENT_SECRET = "client_secret"  # noqa: S105 (an output name)


def _resource_ref(attribute: str) -> str:
    return f"{RESOURCE_TYPE}.{RESOURCE_NAME}.{attribute}"


def _self_ref(attribute: str) -> str:
    return f"self.{attribute}"


def module_document(
    spec: contract.ApplicationSpec,
    *,
    restapi_version: str = RESTAPI_VERSION,
    module_name: str = MODULE_ADDRESS_NAME,
) -> dict[str, object]:
    """The module as a Terraform JSON document; ``restapi_version`` is the provider constraint,
    ``module_name`` the name the stack calls it by (for the fix its errors name)."""
    create_answer = f"jsondecode({_resource_ref('create_response')})"
    secret = f"{create_answer}.{contract.OAUTH2}.{contract.CLIENT_SECRET}"
    return {
        "terraform": {
            "required_version": module_checks.TERRAFORM_REQUIRED_VERSION,
            "required_providers": {
                "restapi": {"source": RESTAPI_SOURCE, "version": restapi_version}
            },
        },
        "variable": {
            VAR_API_URL: {
                "type": "string",
                "description": "Base URL of the Criipto management API (https).",
                "nullable": False,
            },
            VAR_API_TOKEN: {
                "type": "string",
                "description": "Bearer token for the Criipto management API.",
                "sensitive": True,
                "nullable": False,
            },
        },
        "provider": {
            "restapi": {
                "uri": f"${{var.{VAR_API_URL}}}",
                "bearer_token": f"${{var.{VAR_API_TOKEN}}}",
                "headers": {"Content-Type": "application/json", "Accept": "application/json"},
                "id_attribute": contract.ID_FIELD,
                "create_returns_object": True,
                "write_returns_object": True,
            }
        },
        "resource": {
            RESOURCE_TYPE: {
                RESOURCE_NAME: {
                    "path": contract.APPLICATIONS_PATH,
                    "read_path": contract.APPLICATION_PATH,
                    "update_path": contract.APPLICATION_PATH,
                    "destroy_path": contract.APPLICATION_PATH,
                    "update_method": "PUT",
                    "id_attribute": contract.ID_FIELD,
                    # Every value in it is the config's, literal: escaped for Terraform.
                    "data": literal(contract.render_body(spec)),
                    # Timestamps and links the server adds are not drift.
                    "ignore_server_additions": True,
                    "force_new": list(contract.REPLACE_ON_CHANGE),
                    # `terraform import` stores debug = true, which makes the provider dump
                    # every request (the bearer token included) and answer into Terraform's
                    # debug log; stating false resets it at the first apply after an import.
                    "debug": False,
                    "lifecycle": {
                        "postcondition": [
                            module_checks.deleted_application_postcondition(
                                _self_ref, resource_address(module_name)
                            )
                        ]
                    },
                }
            }
        },
        "locals": module_checks.locals_block(_resource_ref),
        "check": {module_checks.CHECK_NAME: {"assert": module_checks.drift_assertions()}},
        "output": {
            OUT_APPLICATION_ID: {
                "description": "The Criipto application's id in the management API.",
                "value": f"${{{_resource_ref('id')}}}",
            },
            OUT_CLIENT_ID: {
                "description": "The application's Client ID/Realm, as the API reports it.",
                "value": module_checks.client_id_value(_resource_ref),
            },
            OUT_CLIENT_SECRET: {
                "description": "The client secret from the create answer (null after import).",
                "value": f"${{try({secret}, null)}}",
                "sensitive": True,
                "precondition": [module_checks.secret_guard()],
            },
        },
    }


def write_module(
    spec: contract.ApplicationSpec,
    directory: Path,
    *,
    restapi_version: str = RESTAPI_VERSION,
    module_name: str = MODULE_ADDRESS_NAME,
) -> Path:
    """Write the module for ``spec`` into ``directory`` and return the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    document = module_document(spec, restapi_version=restapi_version, module_name=module_name)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    (directory / MODULE_FILE).write_text(text, encoding="utf-8")
    return directory
