"""Property-based: any config file gets one clean answer, and an accepted one synthesizes safely.

Configs are generated from the schema (every table, every key, values biased towards valid ones
with hostile text mixed in) and made by mutating valid ones. For each, in-process:

- the loader returns a config or raises ConfigError: nothing else (no traceback, exit 0 or 2);
- every problem is one line that starts with the file and the key path;
- an accepted config synthesizes, and no config text is an unescaped template in the JSON;
- every accepted value is one AWS's own model accepts, under Java's regex semantics and with
  lengths in UTF-16 units, and one hashicorp/aws accepts where it counts UTF-8 bytes;
- non-ASCII text in every limited string is held to those counts, exact at each limit;
- a list or table over its maximum, whatever its items, answers with its maximum's line first.

Seeded (derandomized) and bounded: the same examples on every run, about a minute on 2 cores.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import botocore.loaders
import pytest
import regex
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from support.configs import base_environment, changed, config_with, managed
from support.project import run_main

from criipto.terraform_text import literal
from stacks.config import FederationConfig
from stacks.config.loader import MAX_PROBLEMS_SHOWN, ConfigError, load_config
from stacks.rules import javascript, limits
from stacks.rules.common import key_path
from tools.largest_config import largest_config

# make check leaves these out (the property-based suites: hundreds of generated configs each); make test runs them.
pytestmark = pytest.mark.slow

SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text a hostile user (or a fuzzer) reaches for.
FRAGMENTS = [
    "${var.criipto_api_token}", '${file("/etc/passwd")}', "%{if true}x%{endif}", "${", "%{",
    "$${x}", "%%{", "$", "%", "{", "}", "\n", "\r\n", "\x00", "\t", "\x0b", "\u200b", "\u2028",
    "\ufeff", " ", "名前", "é", "_", "-", ".", "/", ":", "#", "?", "\\", '"', "'", "@", "=",
    "javascript:", "data:", "file://", "vbscript:", "blob:", "myapp://", "https://",
    "http://localhost", "http://", "[::1", ":99999", "aws:", *sorted(javascript.OBJECT_PROPERTIES),
]  # fmt: skip
hostile_text = st.lists(
    st.sampled_from(FRAGMENTS) | st.text(max_size=4), min_size=0, max_size=6
).map("".join) | st.text(min_size=60, max_size=140)

FUNCTION = "arn:aws:lambda:eu-north-1:123456789012:function:trigger"
LOG_GROUP = "arn:aws:logs:eu-north-1:123456789012:log-group:cognito"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/criipto-AbCdEf"
VALID: dict[str, list[Any]] = {
    "aws_region": ["eu-north-1", "us-east-1", "us-gov-west-1"],
    "user_pool.name": ["acme-test", "Acme Pool 1", "a=b,c.d@e+f_g"],
    "user_pool.existing_id": ["eu-north-1_AbC123", "eu-west-1_Zz9"],
    "user_pool.deletion_protection": [True, False],
    "user_pool.existing_custom_attributes": [[], ["dk_mitid_uuid"], ["x$"]],
    "domain.prefix": ["acme-test-login", "a", "x1-2"],
    "domain.custom": ["login.acme.com"],
    "domain.certificate_arn": [
        "arn:aws:acm:us-east-1:123456789012:certificate/0f3c2b1a-1111-2222-3333-444455556666"
    ],
    "criipto.domain": ["acme-test.criipto.id", "acme.idura.broker"],
    "criipto.provider_name": ["Criipto", "Crí", "${x}", "%{a}", "a{$", "Domain", "constructor"],
    "criipto.client_id": ["urn:acme:cognito:test", "urn:${x}", "%{y}"],
    "criipto.mode": ["managed", "external"],
    "criipto.management_api_url": ["https://api.acme.example/v1", "https://a.example/${x}"],
    "criipto.application_name": ["AWS Cognito", "AWS ${var.criipto_api_token}", "%{x}"],
    "criipto.tags": [[], ["aws-cognito"], ["${x}", "%{y}"]],
    "criipto.authorize_scopes": [["openid"], ["openid", "${x}"], ["openid", "%{y}"]],
    "criipto.eids": [
        [],
        ["dk-mitid-substantial"],
        ["se-bankid", "no-bankid"],
        ["no-vipps", "dk-mitid-business", "urn:grn:authn:no:bankid:substantial"],
    ],
    "criipto.provider_names": [
        {},
        {"se-bankid": "${x}-id"},
        {"dk-mitid-substantial": "%{m}"},
        {"se-bankid": "constructor"},
    ],
    "criipto.attribute_mapping": [{}, {"age": "custom:${a}"}, {"name": False}, {"age": 5}],
    "criipto.store_national_identifiers": [False, True],
    "criipto.eid_scopes": [
        {},
        {"dk-mitid-substantial": ["ssn"]},
        {"no-vipps": ["email", "phone"]},
        {"se-bankid": ["${x}"]},
    ],
    "criipto.dashboard_settings": [[], ["dk-mitid-cpr"], ["dk-mitid-address", "%{x}"]],
    "criipto.client_secret_from": [
        {"secretsmanager": "acme/criipto"},
        {"secretsmanager": SECRET_ARN, "json_key": 'client_secret ${x} %{y} "q" \\'},
        {"ssm": "/acme/criipto/client-secret"},
    ],
    "app_client.name": ["web", "Web App 2"],
    "app_client.callback_urls": [
        ["https://app.acme.com/callback"],
        ["http://localhost:3000/cb", "myapp://signin", "com.acme.app:/cb"],
        ["https://app.acme.com/${x}?q=%{y}"],
    ],
    "app_client.logout_urls": [[], ["https://app.acme.com/"], ["myapp://${x}"]],
    "app_client.oauth_scopes": [["openid"], ["openid", "profile"], ["api/${x}"]],
    "app_client.generate_secret": [True, False],
    "app_client.read_attributes": [["name"], ["custom:${x}"], []],
    "user_pool.user_pool_tier": ["LITE", "ESSENTIALS", "PLUS"],
    "user_pool.user_pool_add_ons": [
        {"advanced_security_mode": "OFF"},
        {"advanced_security_mode": "AUDIT"},
    ],
    "user_pool.lambda_config": [
        {},
        {"pre_sign_up": FUNCTION, "post_authentication": f"{FUNCTION}:live"},
        {"pre_token_generation_config": {"lambda_arn": FUNCTION, "lambda_version": "V1_0"}},
    ],
    "domain.managed_login_version": [1, 2],
    "app_client.write_attributes": [[], ["name"], ["custom:${x}"]],
    "app_client.access_token_validity": [1, 12, 24],
    "app_client.id_token_validity": [1, 24],
    "app_client.refresh_token_validity": [1, 30, 3650],
    "app_client.token_validity_units": [
        {},
        {"access_token": "minutes", "id_token": "minutes"},
        {"refresh_token": "hours"},
    ],
    "app_client.auth_session_validity": [3, 15],
    "app_client.refresh_token_rotation": [
        {"feature": "ENABLED", "retry_grace_period_seconds": 10},
        {"feature": "DISABLED"},
    ],
    "app_client.enable_token_revocation": [True, False],
    "app_client.prevent_user_existence_errors": ["ENABLED", "LEGACY"],
    "app_clients": [
        {"web": {"callback_urls": ["https://app.acme.com/cb"]}},
        {
            "web": {"callback_urls": ["https://app.acme.com/${x}"], "oauth_scopes": ["openid"]},
            "Mobile-App": {"name": "Mobile App", "callback_urls": ["myapp://signin"]},
        },
        {"constructor": {"callback_urls": ["https://app.acme.com/cb"]}},
    ],
    "resource_servers": [
        {},
        {"api": {"name": "API", "scopes": {"${x}": "Read ${x}", "%{y}": "%{if true}x%{endif}"}}},
        {"https://api.acme.com/${x}": {"name": "Acme API", "scopes": {"read": "Read"}}},
        {"constructor": {"name": "toString", "scopes": {"valueOf": "__proto__"}}},
    ],
    "log_delivery_configuration": [
        {
            "log_configurations": [
                {
                    "event_source": "userNotification",
                    "log_level": "ERROR",
                    "cloud_watch_logs_configuration": {"log_group_arn": LOG_GROUP},
                }
            ]
        }
    ],
    "tags": [{}, {"CostCenter": "id"}, {"Team": "Login Team"}, {"constructor": "__proto__"}],
    "backend": [
        {"type": "local"},
        {"type": "s3", "bucket": "acme-state", "key": "a/${x}.tfstate", "region": "eu-west-1"},
        {"type": "cloud", "organization": "acme", "workspace": "w1"},
    ],
}
# The top-level [terraform] table: provider version constraints.
TERRAFORM: dict[str, list[Any]] = {
    "aws_provider": [">= 6.25.0, < 7.0.0", "~> 6.30", ">= 5.100.0", "${x}", "6.25.0\n"],
    "restapi_provider": ["~> 3.0.0", "3.0.0", "%{x}", ">= 3.0.0, < 4"],
}
ENVIRONMENT_NAMES = [
    "test", "prod", "Prod", "a", "x" * 63, "x" * 64, "constructor", "toString", "valueOf",
    "hasOwnProperty", "__proto__", "prod\n", "名前", "a.b", "1a",
]  # fmt: skip


# Values that break code which turns them into text before they are validated: TOML allows
# hexadecimal (and octal, binary) integers of any length, and Python's str() of an integer of
# more than sys.get_int_max_str_digits() (4300) decimal digits raises. The parser reads them
# (its limit is only for decimal literals), so a config can hold them anywhere. (A table nested
# deep is the other such value; the parser refuses those beyond about 100 levels.)
huge_integers = st.integers(min_value=3600, max_value=6000).map(
    lambda digits: int("f" * digits, 16)
)


def any_toml() -> st.SearchStrategy[Any]:
    scalars = (
        hostile_text
        | st.integers(min_value=-(2**70), max_value=2**70)
        | huge_integers
        | st.booleans()
        | st.floats(allow_nan=False)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(hostile_text | st.sampled_from(["name", "type"]), inner, max_size=3)
        ),
        max_leaves=8,
    )


def value_for(path: str) -> st.SearchStrategy[Any]:
    """Mostly a value of the right shape and kind (so that many configs are accepted and
    synthesized), else valid text with hostile text added, hostile text, or any TOML value."""
    valid = VALID[path]
    example = valid[0]
    examples = st.sampled_from(valid)
    if isinstance(example, str):
        shaped: st.SearchStrategy[Any] = st.one_of(
            hostile_text, st.tuples(examples, hostile_text).map("".join)
        )
    elif isinstance(example, list):
        items = [item for value in valid for item in value] or ["x"]
        shaped = st.lists(st.sampled_from(items) | hostile_text, max_size=4)
    elif isinstance(example, dict):
        # Hostile keys and values, or a valid table with one of its own keys (a union's "type"
        # among them) set to any value.
        keys = sorted({key for value in valid for key in value}) or ["x"]
        shaped = st.dictionaries(hostile_text, hostile_text, max_size=3) | st.tuples(
            examples, st.sampled_from(keys), any_toml()
        ).map(lambda drawn: {**drawn[0], drawn[1]: drawn[2]})
    else:
        shaped = examples
    return st.one_of(examples, examples, examples, examples, shaped, shaped, any_toml())


# Keys whose valid examples do not combine with the base environment's (a second pool or
# domain kind): a "clean" mutation leaves them out.
_EXCLUSIVE = {"user_pool.existing_id", "domain.custom", "domain.certificate_arn"}


@st.composite
def generated_environment(draw: st.DrawFn, clean: bool) -> dict[str, Any]:
    """An environment from the schema: each key present or not, each value drawn for it."""
    env: dict[str, Any] = {}
    for path in VALID:
        required = path in ("aws_region", "domain.prefix", "criipto.domain", "app_client.name")
        if not required and (not draw(st.booleans()) or (clean and path in _EXCLUSIVE)):
            continue
        table, _, key = path.rpartition(".")
        target = env.setdefault(table, {}) if table else env
        target[key] = draw(st.sampled_from(VALID[path]) if clean else value_for(path))
    env.setdefault("app_client", {}).setdefault("callback_urls", ["https://app.acme.com/cb"])
    if clean and "app_clients" in env:
        env.pop("app_client")  # exactly one of the two
    if not clean and draw(st.booleans()):
        env[draw(st.sampled_from(["aws_regoin", "x\ny", "${k}"]))] = draw(any_toml())
    return env


@st.composite
def mutated_environment(draw: st.DrawFn, clean: bool) -> dict[str, Any]:
    """The valid base environment with one to three keys changed (clean: to other valid
    examples), removed or added; in either mode, so managed mode's keys are accepted too."""
    mode: Callable[[], dict[str, Any]] = draw(st.sampled_from([base_environment, managed]))
    env = mode()
    paths = sorted(set(VALID) - _EXCLUSIVE) if clean else sorted(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(paths))
        table, _, key = path.rpartition(".")
        target = env.setdefault(table, {}) if table else env
        if not isinstance(target, dict):
            continue
        if clean:
            target[key] = draw(st.sampled_from(VALID[path]))
            if path == "app_clients":
                env.pop("app_client", None)  # exactly one of the two
            continue
        action = draw(st.sampled_from(["set", "set", "set", "remove", "unknown"]))
        if action == "set":
            target[key] = draw(value_for(path))
        elif action == "remove":
            target.pop(key, None)
        else:
            target[draw(hostile_text)] = draw(any_toml())
    return env


@st.composite
def configs(draw: st.DrawFn, environment: Any) -> dict[str, Any]:
    """One or two environments; half of the configs clean (valid examples only, so that many
    are accepted and synthesized), half hostile."""
    clean = draw(st.booleans())
    plain = st.sampled_from(["test", "prod", "Prod-2", "a_b"])
    name = plain if clean else st.sampled_from(ENVIRONMENT_NAMES) | hostile_text
    names = draw(st.lists(name, min_size=1, max_size=2))
    data: dict[str, Any] = {"environments": {name: draw(environment(clean)) for name in names}}
    if draw(st.booleans()):
        data["terraform"] = {
            key: draw(
                st.sampled_from(values[:3]) if clean else st.sampled_from(values) | hostile_text
            )
            for key, values in TERRAFORM.items()
            if draw(st.booleans())
        }
    return data


# --- AWS's model, with Java's regex semantics --------------------------------------------------

_JAVA_CLASSES = {r"\w": "A-Za-z0-9_", r"\s": " \\t\\n\\x0B\\f\\r", r"\d": "0-9"}


@functools.cache
def model_shapes() -> dict[str, Any]:
    model = botocore.loaders.create_loader().load_service_model("cognito-idp", "service-2")
    return dict(model["shapes"])


def java_pattern(pattern: str) -> str:
    """The model's Java pattern for the ``regex`` module: \\p{..} as is, \\w and \\s ASCII."""
    outside = re.sub(r"\[(?:\\.|[^\]])*\]", "", pattern)
    assert not any(cls in outside for cls in _JAVA_CLASSES), f"translate {pattern!r} by hand"
    for cls, ascii_set in _JAVA_CLASSES.items():
        pattern = pattern.replace(cls, ascii_set)
    return pattern


# hashicorp/aws counts these in UTF-8 bytes (Go's len(): validUserPoolSchemaName in
# internal/service/cognitoidp/validate.go, validation.StringLenBetween on scope_description in
# resource_server.go), where AWS's model counts characters: the stricter count must hold.
PROVIDER_BYTES = {"CustomAttributeNameType": 20, "ResourceServerScopeDescriptionType": 256}


def utf16_units(value: str) -> int:
    """AWS's count (Java's String.length()): a character beyond U+FFFF is two units."""
    return len(value.encode("utf-16-le")) // 2


def aws_accepts(shapes: dict[str, Any], shape: str, value: str) -> bool:
    """AWS's model (lengths in UTF-16 units, the stricter reading) and hashicorp/aws's own
    byte counts both accept ``value``."""
    rules = shapes[shape]
    if not rules.get("min", 0) <= utf16_units(value) <= rules.get("max", len(value) * 2):
        return False
    if len(value.encode("utf-8")) > PROVIDER_BYTES.get(shape, len(value) * 4):
        return False
    pattern = rules.get("pattern")
    return pattern is None or regex.fullmatch(java_pattern(pattern), value) is not None


def model_violations(shapes: dict[str, Any], config: FederationConfig) -> Iterator[str]:
    for name, env in config.environments.items():
        checks: list[tuple[str, str]] = []
        numbers: list[tuple[str, int | None]] = []
        choices: list[tuple[str, str]] = []
        if env.user_pool.name is not None:
            checks.append(("UserPoolNameType", env.user_pool.name))
        if env.user_pool.existing_id is not None:
            checks.append(("UserPoolIdType", env.user_pool.existing_id))
        if env.domain.prefix is not None:
            checks.append(("DomainType", env.domain.prefix))
        if env.domain.certificate_arn is not None:
            checks.append(("ArnType", env.domain.certificate_arn))
        for key, client in env.clients.items():
            checks.append(("ClientNameType", env.client_name(key)))
            checks += [("RedirectUrlType", u) for u in client.callback_urls]
            checks += [("RedirectUrlType", u) for u in client.logout_urls]
            checks += [("ScopeType", s) for s in client.oauth_scopes]
            checks += [("ClientPermissionType", a) for a in client.read_attributes or ()]
            checks += [("ClientPermissionType", a) for a in client.write_attributes or ()]
            numbers += [
                ("AccessTokenValidityType", client.access_token_validity),
                ("IdTokenValidityType", client.id_token_validity),
                ("RefreshTokenValidityType", client.refresh_token_validity),
                ("AuthSessionValidityType", client.auth_session_validity),
            ]
            rotation, units = client.refresh_token_rotation, client.token_validity_units
            if rotation is not None:
                numbers.append(("RetryGracePeriodSecondsType", rotation.retry_grace_period_seconds))
                choices.append(("FeatureType", rotation.feature))
            if units is not None:
                choices += [
                    ("TimeUnitsType", unit)
                    for unit in (units.access_token, units.id_token, units.refresh_token)
                ]
            choices.append(("PreventUserExistenceErrorTypes", client.prevent_user_existence_errors))
        for identifier, server in env.resource_servers.items():
            checks.append(("ResourceServerIdentifierType", identifier))
            checks.append(("ResourceServerNameType", server.name))
            checks += [("ResourceServerScopeNameType", scope) for scope in server.scopes]
            checks += [("ResourceServerScopeDescriptionType", d) for d in server.scopes.values()]
        features = env.user_pool.features
        if features.user_pool_tier is not None:
            choices.append(("UserPoolTierType", features.user_pool_tier))
        if features.advanced_security_mode is not None:
            choices.append(("AdvancedSecurityModeType", features.advanced_security_mode))
        if features.lambda_config is not None:
            checks += [("ArnType", arn) for arn in features.lambda_config.functions().values()]
            pre_token = features.lambda_config.pre_token_generation_config
            if pre_token is not None:
                choices.append(("PreTokenGenerationLambdaVersionType", pre_token.lambda_version))
        if env.log_delivery_configuration is not None:
            for entry in env.log_delivery_configuration.options():
                choices += [("EventSourceName", entry.event_source), ("LogLevel", entry.log_level)]
                if entry.cloud_watch_logs_configuration is not None:
                    checks.append(("ArnType", entry.cloud_watch_logs_configuration.log_group_arn))
                if entry.s3_configuration is not None:
                    checks.append(("S3ArnType", entry.s3_configuration.bucket_arn))
                if entry.firehose_configuration is not None:
                    checks.append(("ArnType", entry.firehose_configuration.stream_arn))
        checks += [("TagKeysType", k) for k in env.tags]
        checks += [("TagValueType", v) for v in env.tags.values()]
        for provider in env.criipto.plan.providers:
            checks.append(("ProviderNameTypeV2", provider.provider_name))
            checks += [("AttributeMappingKeyType", a) for a in provider.attribute_mapping]
        checks += [("CustomAttributeNameType", a) for a in env.criipto.plan.custom_attributes]
        for shape, value in checks:
            if not aws_accepts(shapes, shape, value):
                yield f"{name}: {shape} refuses {value!r}"
        for shape, number in numbers:
            rules = shapes[shape]
            if number is not None and not rules.get("min", 0) <= number <= rules["max"]:
                yield f"{name}: {shape} refuses {number!r}"
        for shape, choice in choices:
            if choice not in shapes[shape]["enum"]:
                yield f"{name}: {shape} refuses {choice!r}"


# --- Templates in the synthesized JSON ---------------------------------------------------------

# What the stacks themselves write as expressions: references and the functions around them.
# Config text never reaches these unescaped: the second check below finds any config string
# that does, whatever it starts with.
_GENERATED = re.compile(
    r"[$%]\{[!( ]*(?:var|module|local|self|data|aws_[a-z_]+|restapi_object|alltrue|can|coalesce"
    r"|issensitive|join|jsondecode|jsonencode|nonsensitive|trimspace|try)\b"
)


def strings(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string in a JSON document, keys included, with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield path, key
            yield from strings(inner, (*path, key))
    elif isinstance(value, list):
        for inner in value:
            yield from strings(inner, path)


def unescaped_templates(text: str) -> Iterator[str]:
    """The template sequences Terraform would evaluate in ``text`` (``$${`` is a literal)."""
    i = 0
    while i < len(text):
        if text.startswith(("$${", "%%{"), i):
            i += 3
        elif text.startswith(("${", "%{"), i):
            yield text[i:]
            i += 2
        else:
            i += 1


def config_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from config_strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from config_strings(inner)


def template_leaks(outdir: Path, data: dict[str, Any]) -> list[str]:
    documents = [json.loads(p.read_text()) for p in outdir.rglob("*.tf.json")]
    hostile = {s for s in config_strings(data) if "${" in s or "%{" in s}
    leaks = []
    for document in documents:
        for path, text in strings(document):
            if path[:2] == ("terraform", "backend"):
                continue  # backend settings are not templates (tests/criipto/test_terraform_text.py)
            for template in unescaped_templates(text):
                if not _GENERATED.match(template):
                    leaks.append(f"{'.'.join(path)}: {text!r}")
            for raw in hostile:
                if raw in text.replace(literal(raw), ""):
                    leaks.append(f"{'.'.join(path)}: {raw!r} unescaped in {text!r}")
    return leaks


# --- The properties ----------------------------------------------------------------------------

_FILE = "federation.toml"


def leaves_replaced(value: Any, replace: Any) -> Any:
    """``value`` with every leaf (what is not a table or list) replaced by ``replace(leaf)``."""
    if isinstance(value, dict):
        return {key: leaves_replaced(inner, replace) for key, inner in value.items()}
    if isinstance(value, list):
        return [leaves_replaced(inner, replace) for inner in value]
    return replace(value)


def toml_text(data: dict[str, Any]) -> str:
    """``data`` as a TOML file; an integer str() cannot write goes in as a hex literal.

    Raises TypeError or ValueError for what TOML cannot express (tomli_w's answer).
    """
    huge: dict[str, int] = {}

    def stand_in(value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 8192:
            token = f"huge-integer-{len(huge)}-{id(huge)}"
            huge[token] = value
            return token
        return value

    text = tomli_w.dumps(leaves_replaced(data, stand_in))
    for token, value in huge.items():
        text = text.replace(f'"{token}"', hex(value))
    return text


@contextlib.contextmanager
def no_unraisable_exceptions() -> Iterator[None]:
    """Fails on an exception that Python could not raise and would only print to stderr (such
    as one from a str() that pydantic's core calls itself)."""
    seen: list[Any] = []
    previous = sys.unraisablehook
    sys.unraisablehook = seen.append
    try:
        yield
    finally:  # also when the block raises (a refused config raises ConfigError)
        sys.unraisablehook = previous
        assert not seen, f"printed to stderr: {seen[0].exc_type.__name__}: {seen[0].exc_value}"


def check(data: dict[str, Any]) -> FederationConfig | None:
    """Load ``data`` as a file; assert the answer is clean. The config, or None if refused."""
    try:
        text = toml_text(data)
    except (TypeError, ValueError):
        assume(False)  # not expressible as TOML
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / _FILE
        path.write_text(text, encoding="utf-8")
        try:
            with no_unraisable_exceptions():
                config = load_config(path)
        except ConfigError as exc:
            assert exc.lines
            assert len(exc.lines) <= MAX_PROBLEMS_SHOWN + 1
            for line in exc.lines:
                assert len(line.splitlines()) == 1, line
                assert line.startswith(f"{path}: "), line
                rest = line.removeprefix(f"{path}: ")
                keys = ("environments", "… and", *(key_path([key]) for key in data))
                assert rest.startswith(keys), line
            return None
    assert not list(model_violations(model_shapes(), config))
    return config


def synthesize(data: dict[str, Any], config: FederationConfig) -> None:
    from stacks.app import build_app

    with tempfile.TemporaryDirectory() as directory:
        outdir = Path(directory)
        build_app(config, outdir=str(outdir)).synth()
        for name in config.environments:
            assert (outdir / "stacks" / name / "cdk.tf.json").is_file()
        assert template_leaks(outdir, data) == []


@settings(SETTINGS, max_examples=400)
@given(data=configs(mutated_environment))
def test_mutated_configs_get_one_clean_answer(data: dict[str, Any]) -> None:
    config = check(data)
    if config is not None:
        synthesize(data, config)


# Where the text of a client_secret_from key lands: a valid start and hostile text after it.
_SECRET_TEXT = hostile_text | st.tuples(
    st.sampled_from(["acme/", "/acme/", SECRET_ARN, "client_secret"]), hostile_text
).map("".join)


@settings(SETTINGS, max_examples=120)
@given(key=st.sampled_from(["secretsmanager", "ssm", "json_key"]), text=_SECRET_TEXT)
def test_any_text_in_client_secret_from_gets_one_clean_answer_and_stays_data(
    key: str, text: str
) -> None:
    """A secret's name, a parameter's or a JSON key: refused on one line naming it, or, once
    accepted, in the synthesized JSON as data (a ${…} in it is never Terraform code)."""
    env = base_environment()  # external mode
    env["criipto"]["client_secret_from"] = {
        **({"secretsmanager": "acme/criipto"} if key == "json_key" else {}),
        key: text,
    }
    data = config_with(env)
    config = check(data)
    if config is not None:
        synthesize(data, config)


@settings(SETTINGS, max_examples=250)
@given(data=configs(generated_environment))
def test_generated_configs_get_one_clean_answer(data: dict[str, Any]) -> None:
    config = check(data)
    if config is not None:
        synthesize(data, config)


@settings(SETTINGS, max_examples=300)
@given(data=st.dictionaries(hostile_text, any_toml(), max_size=4))
def test_any_toml_document_gets_one_clean_answer(data: dict[str, Any]) -> None:
    check(data)


@settings(SETTINGS, max_examples=6)
@given(data=configs(mutated_environment))
def test_main_check_answers_with_exit_0_or_2(data: dict[str, Any], tmp_path_factory: Any) -> None:
    """A few through ``main.py --check`` as cdktf runs it: exit 0 or 2, never a traceback."""
    try:
        text = toml_text(data)
    except (TypeError, ValueError):
        assume(False)
    directory = tmp_path_factory.mktemp("check")
    path = directory / _FILE
    path.write_text(text, encoding="utf-8")
    result = run_main(directory, path, None, "--check")
    assert result.returncode in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.returncode == 2:
        assert all(line.startswith(f"{path}: ") for line in result.stderr.splitlines())


# Every key of an environment, and the keys below its union table (backend.type chooses the
# member), as dotted paths for conftest.changed.
TEXT_RESISTANT_PATHS = sorted(
    {*VALID, *(f"backend.{key}" for value in VALID["backend"] for key in value)}
)
text_resistant = st.recursive(
    huge_integers, lambda inner: st.lists(inner, min_size=1, max_size=2), max_leaves=3
)


@settings(SETTINGS, max_examples=150)
@given(
    path=st.sampled_from(TEXT_RESISTANT_PATHS),
    value=text_resistant,
    backend=st.sampled_from(VALID["backend"]),
)
def test_values_str_cannot_write_get_one_clean_answer(
    path: str, value: Any, backend: dict[str, Any]
) -> None:
    """A value whose str() raises, at any key of a valid environment (in a union table, with
    the rest of a valid member around it): one clean answer, never a traceback."""
    environment = changed("backend", dict(backend)) if path.startswith("backend.") else None
    check(config_with(changed(path, value, environment)))


def test_mutations_reach_both_answers() -> None:
    """The generators are not all refusals (nor all acceptances): both paths are exercised."""
    answers = {"accepted": 0, "refused": 0}

    @settings(SETTINGS, max_examples=120)
    @given(data=configs(mutated_environment))
    def count(data: dict[str, Any]) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / _FILE
            try:
                path.write_text(toml_text(data), encoding="utf-8")
            except (TypeError, ValueError):
                return
            try:
                load_config(path)
                answers["accepted"] += 1
            except ConfigError:
                answers["refused"] += 1

    count()
    assert answers["accepted"] >= 30, answers
    assert answers["refused"] >= 30, answers


def test_the_base_environment_is_valid() -> None:
    assert FederationConfig.model_validate(
        {"environments": {"t": copy.deepcopy(base_environment())}}
    )


HELD_OUT = [
    ("backend", {"type": "huge"}, "backend.type"),
    ("criipto.mode", ["huge"], "criipto.mode"),
    ("criipto.domain", "huge", "criipto.domain"),
    ("app_client.callback_urls", ["huge"], "app_client.callback_urls.0"),
    ("tags", {"Team": "huge"}, "tags.Team"),
    # Found on issue 29's branch: a lifetime's range message wrote the integer with str(), and
    # the client's sub-table that did validate was read as a map of clients (a traceback).
    (
        "app_client",
        {
            "name": "web",
            "callback_urls": ["https://app.acme.com/cb"],
            "id_token_validity": "huge",
            "token_validity_units": {},
        },
        "app_client.id_token_validity",
    ),
]


@pytest.mark.parametrize(("path", "value", "key"), HELD_OUT, ids=[key for *_, key in HELD_OUT])
def test_an_integer_beyond_the_digit_limit_gets_one_line(
    path: str, value: Any, key: str, tmp_path: Path
) -> None:
    """Found once by a fuzzer (backend.type): str() of such an integer raises; wherever it
    stands, the answer is one line naming the key, also through main.py as cdktf runs it."""
    huge = int("f" * 5000, 16)
    filled = leaves_replaced(value, lambda leaf: huge if leaf == "huge" else leaf)
    data = config_with(changed(path, filled))
    assert check(data) is None
    config = tmp_path / _FILE
    config.write_text(toml_text(data), encoding="utf-8")
    result = run_main(tmp_path, config, None, "--check")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if f"environments.test.{key}:" in line]
    assert len(lines) == 1, result.stderr
    assert "an integer of about 6021 digits" in lines[0]
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


# --- Non-ASCII text at every length limit (issue 29) ------------------------------------------

# Characters of 1 to 4 UTF-8 bytes and 1 or 2 UTF-16 units: é (2 bytes), 名 (3), 😀 and 𝄞 (4
# bytes, 2 units). Counted in code points, each is one.
WIDE = ["é", "ß", "名", "ø", "😀", "𝄞", "\U0001d400", "a"]


def _wide_text(maximum: int) -> st.SearchStrategy[str]:
    """Text of non-ASCII characters whose code point count is within ``maximum`` but whose
    byte or UTF-16 count is often beyond it."""
    return st.integers(min_value=max(1, maximum // 4), max_value=maximum).flatmap(
        lambda size: st.text(alphabet=st.sampled_from(WIDE), min_size=size, max_size=size)
    )


# Every string of the config with a length limit, as (key, its maximum, value around a text).
LIMITED_TEXT: list[tuple[str, int, Any]] = [
    ("criipto.provider_name", 32, lambda t: t),
    ("criipto.application_name", 128, lambda t: t),
    ("criipto.tags", 64, lambda t: [t]),
    ("criipto.client_id", 255, lambda t: t),
    ("criipto.attribute_mapping", 20, lambda t: {"name": f"custom:{t}"}),
    ("app_client.read_attributes", 20, lambda t: [f"custom:{t}"]),
    ("app_client.callback_urls", 1000, lambda t: [f"https://app.acme.com/{t}"]),
    ("app_client.logout_urls", 1000, lambda t: [f"https://app.acme.com/{t}"]),
    ("tags", 128, lambda t: {t: "v"}),
    ("tags", 256, lambda t: {"Team": t}),
    ("resource_servers", 256, lambda t: {"api": {"name": "API", "scopes": {"read": t}}}),
    ("user_pool.existing_custom_attributes", 20, lambda t: [t]),
]


@st.composite
def limited_text_environment(draw: st.DrawFn) -> dict[str, Any]:
    # managed mode: some of the limited keys (application_name, tags) are read only there.
    env = managed()
    for key, maximum, wrap in draw(
        st.lists(st.sampled_from(LIMITED_TEXT), min_size=1, max_size=3, unique_by=id)
    ):
        env = changed(key, wrap(draw(_wide_text(maximum))), env)
    if "existing_custom_attributes" in env.get("user_pool", {}):
        env["user_pool"] = {
            "existing_id": "eu-north-1_AbC123",
            "existing_custom_attributes": env["user_pool"]["existing_custom_attributes"],
        }
    return env


@settings(SETTINGS, max_examples=150)
@given(env=limited_text_environment())
def test_non_ascii_text_in_every_limited_string_is_counted_as_aws_and_the_provider_count(
    env: dict[str, Any],
) -> None:
    """Accepted only when AWS (UTF-16 units) and hashicorp/aws (UTF-8 bytes where it counts
    bytes) both accept it: check() holds every accepted value to both (model_violations). A
    scope description of 129 x "é" (258 bytes) once passed and failed terraform validate."""
    check(config_with(env))


@pytest.mark.parametrize(
    ("key", "wrap", "fits", "over"),
    [
        ("resource_servers", LIMITED_TEXT[10][2], "é" * 128, "é" * 128 + "a"),
        ("criipto.attribute_mapping", LIMITED_TEXT[4][2], "é" * 10, "é" * 10 + "a"),
        ("criipto.provider_name", LIMITED_TEXT[0][2], "😀" * 16, "😀" * 16 + "a"),
        (
            "tags",
            LIMITED_TEXT[9][2],
            "\U0001d400" * 128,
            "\U0001d400" * 128 + "a",
        ),  # U+1D400, a letter
        ("app_client.callback_urls", LIMITED_TEXT[6][2], "😀" * 501 + "a", "😀" * 502),
    ],
    ids=["scope-description", "custom-attribute", "provider-name", "tag-value", "callback-url"],
)
def test_the_stricter_count_is_exact_at_the_limit(
    key: str, wrap: Any, fits: str, over: str
) -> None:
    """One unit under, at and over: the limit is the stricter count's, not beyond nor short."""
    assert check(config_with(changed(key, wrap(fits)))) is not None
    assert check(config_with(changed(key, wrap(over)))) is None


# --- Tables over their maximum, with invalid items (issue 29) ---------------------------------


def _holding(limit_key: str) -> tuple[dict[str, Any], list[str]]:
    """An environment of the largest config that has ``limit_key``'s table, and the keys to
    the list or table itself (a ``<…>`` key: the first entry of its table)."""
    *tables, last = limit_key.split(".")
    for env in largest_config()["environments"].values():
        target: Any = env
        keys: list[str] = []
        for table in [*tables, last]:
            if not isinstance(target, dict):
                break
            if table.startswith("<"):
                if not target:
                    break
                table = next(iter(target))
            keys.append(table)
            target = target.get(table)
        else:
            if target is not None:
                return copy.deepcopy(env), keys
    raise AssertionError(f"the largest config has no {limit_key}")


@settings(SETTINGS, max_examples=60)
@given(
    limit=st.sampled_from(limits.LIMITS),
    extra=st.integers(min_value=1, max_value=40),
    items=st.lists(any_toml(), min_size=1, max_size=4),
    keys=st.lists(hostile_text, min_size=1, max_size=4),
)
def test_a_table_over_its_maximum_answers_with_that_first(
    limit: limits.Limit, extra: int, items: list[Any], keys: list[Any]
) -> None:
    """However invalid its items (hostile keys, values of any kind), a list or table over its
    maximum is refused with its own line first, "at most N <noun> (got M)": no item is read."""
    count = limit.maximum + extra
    if limit is limits.ENVIRONMENTS:
        env_names = [f"{keys[i % len(keys)]}{i}" for i in range(count)]
        data: dict[str, Any] = {
            "environments": {name: items[i % len(items)] for i, name in enumerate(env_names)}
        }
        where = "environments"
    else:
        env, path = _holding(limit.key)
        target = env
        for key in path[:-1]:
            target = target[key]
        if isinstance(target[path[-1]], dict):
            target[path[-1]] = {
                f"{keys[i % len(keys)]}{i}": items[i % len(items)] for i in range(count)
            }
        else:
            target[path[-1]] = [items[i % len(items)] for i in range(count)]
        data = config_with(env, "prod")
        where = key_path(["environments", "prod", *path])
    try:
        text = toml_text(data)
    except (TypeError, ValueError):
        assume(False)
    with tempfile.TemporaryDirectory() as directory:
        path_ = Path(directory) / _FILE
        path_.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_config(path_)
    assert caught.value.lines[0] == (
        f"{path_}: {where}: at most {limit.maximum} {limit.noun} (got {count})"
    )
