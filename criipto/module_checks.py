"""What the Criipto module checks at plan, as Terraform expressions.

Mastercard/restapi 3.0.0 (read at its v3.0.0 tag) leaves three gaps that the module closes in
Terraform itself, because no provider setting closes them:

- Drift: with ``ignore_server_additions`` its Read keeps the stored ``data`` as configured, so a
  value changed in the dashboard never shows as a diff. ``api_response`` does hold the last GET,
  so a ``check`` block compares what the API reports with the configuration on every plan.
- A deleted application: a 404 at refresh leaves the resource in state with an empty ``id`` and
  empty ``api_data``/``api_response`` (upstream issue #377) and a no-op plan. A postcondition
  stops that plan with the fix instead.
- Sensitivity: the provider marks ``data``, ``api_data``, ``api_response`` and
  ``create_response`` sensitive only when ``API_DATA_IS_SENSITIVE=true`` is set where Terraform
  runs; the create answer holds the client secret. A precondition fails the plan without it.

Every expression is built from an attribute reference (a function from attribute name to
expression), so tests evaluate these very expressions against stand-ins for the resource.
Config text never becomes code here: expected values are read back from the resource's ``data``
(the payload literal) at plan time, and only the module's own fixed text is written as template.
"""

from __future__ import annotations

from collections.abc import Callable

from criipto import contract

AttributeReference = Callable[[str], str]
"""Maps a ``restapi_object`` attribute name (``"api_response"``) to an expression for it."""

# Terraform 1.8 brought issensitive(); 1.7 let nonsensitive() take any value; 1.5 check blocks.
TERRAFORM_REQUIRED_VERSION = ">= 1.8.0"
SENSITIVITY_VARIABLE = "API_DATA_IS_SENSITIVE"

# The module's locals: the configured payload, the API's last answer, and the fields compared.
LOCAL_CONFIGURED = "criipto_configured"
LOCAL_ANSWER = "criipto_answer"
LOCAL_REPORTED = "criipto_reported"
LOCAL_DRIFT_OK = "criipto_drift_ok"
LOCAL_DRIFT_MESSAGES = "criipto_drift_messages"
LOCAL_ANSWERS_SENSITIVE = "criipto_answers_are_sensitive"
CHECK_NAME = "criipto_application_matches_config"

# Keys of the reported object (each a non-secret field of the answer, unmarked for messages).
_IS_OBJECT = "is_object"
_DOMAIN = "domain"
_REALM = "realm"
_RETURN_URLS = "return_urls"
_CODE_FLOW = "code_flow"
_STRATEGY = "user_info_response_strategy"

_FIX_IN_DASHBOARD = (
    "Terraform does not send an unchanged payload again, so apply alone does not repair this: "
    "fix it in the Idura dashboard, or change another value of the application in the "
    "config, such as a tag (the next apply PUTs the whole payload)."
)


def _configured(*path: str) -> str:
    return ".".join((f"local.{LOCAL_CONFIGURED}", *path))


def _reported(key: str) -> str:
    return f"local.{LOCAL_REPORTED}.{key}"


def locals_block(attribute: AttributeReference) -> dict[str, object]:
    """The locals the checks read: configured payload, last answer, reported fields, verdicts.

    ``try()`` turns a missing, empty or unparseable answer into null, and stays unknown while
    the answer is unknown (a create or update plan), so the checks wait for apply. Only the
    compared fields are unmarked, never the answer as a whole: the create answer holds the
    client secret.
    """
    answer = f"local.{LOCAL_ANSWER}"
    oauth2 = f"{answer}.{contract.OAUTH2}"

    def unmarked(expression: str) -> str:
        return f"${{nonsensitive(try({expression}, null))}}"

    return {
        # The payload is the module's own literal, so it is known at plan and holds no secret.
        LOCAL_CONFIGURED: f"${{jsondecode(nonsensitive({attribute('data')}))}}",
        LOCAL_ANSWER: f"${{try(jsondecode({attribute('api_response')}), null)}}",
        LOCAL_REPORTED: {
            _IS_OBJECT: f"${{can(keys({answer}))}}",
            _DOMAIN: unmarked(f"{answer}.{contract.DOMAIN}"),
            _REALM: unmarked(f"{answer}.{contract.REALM}"),
            _RETURN_URLS: unmarked(f"{answer}.{contract.RETURN_URLS}"),
            _CODE_FLOW: unmarked(f"{oauth2}.{contract.CODE_FLOW}"),
            _STRATEGY: unmarked(f"{oauth2}.{contract.USER_INFO_RESPONSE_STRATEGY}"),
        },
        LOCAL_DRIFT_OK: {field: holds for field, (holds, _) in _drift(attribute).items()},
        LOCAL_DRIFT_MESSAGES: {field: text for field, (_, text) in _drift(attribute).items()},
        # In a local, so a failing guard's diagnostic shows this boolean, not the answers.
        # A conditional, not &&: `false && <unknown>` stays unknown in Terraform 1.11.
        LOCAL_ANSWERS_SENSITIVE: (
            f"${{issensitive({attribute('data')}) ? "
            f"issensitive({attribute('create_response')}) : false}}"
        ),
    }


def _field_drift(key: str, path: tuple[str, ...], consequence: str) -> tuple[str, str]:
    """Whether the reported field equals the configured one, and the message if it does not."""
    field = ".".join(path)
    return (
        f"${{!{_reported(_IS_OBJECT)} || {_reported(key)} == {_configured(*path)}}}",
        f"Criipto application drift: {field} is ${{jsonencode({_reported(key)})}} in the "
        f"management API, the config says ${{jsonencode({_configured(*path)})}}. "
        f"{consequence} {_FIX_IN_DASHBOARD}",
    )


def _missing_return_urls() -> str:
    """The configured return URLs the reported list lacks (all of them if it is no list)."""
    reported = _reported(_RETURN_URLS)
    return (
        f"[for url in {_configured(contract.RETURN_URLS)} : url "
        f"if !try(contains(tolist({reported}), url), false)]"
    )


def _drift(attribute: AttributeReference) -> dict[str, tuple[str, str]]:
    """Per compared field: the condition that holds without drift, and the message if not."""
    return {
        "answer": (
            # An empty id means the application is gone; the resource's postcondition says so.
            f'${{{attribute("id")} == "" || {_reported(_IS_OBJECT)}}}',
            "Criipto application drift cannot be checked: the management API's last answer "
            "for the application is not a JSON object. Check the management API URL and that "
            "the API speaks the contract in docs/criipto-management-api.md.",
        ),
        _DOMAIN: _field_drift(
            _DOMAIN,
            (contract.DOMAIN,),
            "Cognito trusts the configured domain as the issuer, so logins fail.",
        ),
        _REALM: _field_drift(
            _REALM,
            (contract.REALM,),
            "Cognito's identity provider follows the reported Client ID/Realm until it is set "
            "back.",
        ),
        _RETURN_URLS: (
            f"${{!{_reported(_IS_OBJECT)} || length({_missing_return_urls()}) == 0}}",
            f"Criipto application drift: {contract.RETURN_URLS} is "
            f"${{jsonencode({_reported(_RETURN_URLS)})}} in the management API and lacks "
            f"${{jsonencode({_missing_return_urls()})}}, Cognito's callback: Criipto refuses to "
            f"send logins back to Cognito. Add it back under Redirect URLs. {_FIX_IN_DASHBOARD}",
        ),
        _CODE_FLOW: _field_drift(
            _CODE_FLOW,
            (contract.OAUTH2, contract.CODE_FLOW),
            "Cognito signs in with the OAuth2 code flow, so logins fail until "
            "'Enable OAuth2 Code Flow' is on again.",
        ),
        _STRATEGY: _field_drift(
            _STRATEGY,
            (contract.OAUTH2, contract.USER_INFO_RESPONSE_STRATEGY),
            "Cognito reads the userinfo answer as plain JSON, so every login fails with "
            "'invalid token_type in idp oauth response' until 'User info response strategy' "
            f"is {contract.COGNITO_USER_INFO_RESPONSE_STRATEGY} again.",
        ),
    }


def drift_assertions() -> list[dict[str, str]]:
    """The ``check`` block's one assert: every drifted field, named with found, expected, fix.

    One assert, so a plan whose answer is not known yet (create, update) shows a single
    "known after apply" note; a failing assert is a warning and the plan goes on.
    """
    ok = f"local.{LOCAL_DRIFT_OK}"
    messages = f"local.{LOCAL_DRIFT_MESSAGES}"
    return [
        {
            "condition": f"${{alltrue(values({ok}))}}",
            "error_message": (
                f'${{join("\\n", [for field, holds in {ok} : {messages}[field] if !holds])}}'
            ),
        }
    ]


def deleted_application_postcondition(
    this: AttributeReference, resource_address: str
) -> dict[str, str]:
    """A postcondition on the resource: an empty id after refresh means a 404.

    Nothing in the configuration can replace the resource by itself (a trigger would have to
    depend on the resource), so the plan stops with the one safe fix. On create the id is
    unknown until apply, so the condition waits and then holds.
    """
    return {
        "condition": f'${{{this("id")} != ""}}',
        "error_message": (
            "The Criipto application is gone: the management API answered 404 when Terraform "
            "refreshed it (deleted in the dashboard or through the API), and the restapi "
            "provider 3.0.0 keeps it in state with an empty id instead of planning a new one. "
            f"In the stack's directory run `terraform state rm {resource_address}`, then "
            "apply: Terraform creates the application again, and its new client secret reaches "
            "Cognito in the same apply."
        ),
    }


def secret_guard() -> dict[str, str]:
    """A precondition: the provider must mark its answers sensitive, or the plan fails.

    ``data`` is known at every plan and marked by the same switch as ``create_response``, so
    the guard fails before a create too; ``create_response`` is checked as well once known.
    """
    return {
        "condition": f"${{local.{LOCAL_ANSWERS_SENSITIVE}}}",
        "error_message": (
            f"The restapi provider runs without {SENSITIVITY_VARIABLE}=true, so it does not "
            "mark the application's create_response, api_response, api_data and data "
            "sensitive, and plan, apply, show and output would print the client secret from "
            f"the create answer. Set {SENSITIVITY_VARIABLE}=true in the environment of every "
            "Terraform command (your shell, CI, the Terraform Cloud workspace's environment "
            "variables) and plan again."
        ),
    }


def client_id_value(attribute: AttributeReference) -> str:
    """The realm as the API reports it, else as configured; never an error, never sensitive.

    After a 404 refresh the answer is empty: the configured realm keeps the root's references
    valid while the postcondition explains what happened.
    """
    answer = f"jsondecode({attribute('api_response')})"
    reported = f"try(tostring({answer}.{contract.REALM}), null)"
    # coalesce() skips null and "": a missing or empty realm falls back too.
    return f"${{nonsensitive(coalesce({reported}, {_configured(contract.REALM)}))}}"
