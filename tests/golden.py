"""Golden synth outputs: FederationStack's ``cdktf.out`` for the example (its copy in
``tests/data/example/``) and representative configs.

The public constructs (docs/library.md) must not change what the TOML
app writes: ``tests/stacks/app/test_golden.py`` synthesizes every case below and compares each file of
``cdktf.out`` byte for byte with ``tests/data/golden/<case>/``.

The golden files are CDK for Terraform's. On CDK Terrain the same cases must write the same
files but for the values that name the platform (docs/platforms.md, "What differs"), which
:func:`comparable` replaces, after checking that each holds exactly the platform's own value.

After an intentional output change, regenerate (on CDK for Terraform) and review the diff:

    .venv/bin/python tests/golden.py --update
    git diff tests/data/golden
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from support.configs import base_environment, external, managed, short_rotating_tokens
from support.project import EXAMPLE_CONFIG, ROOT, tree_bytes

from stacks.platform.choice import CDKTF, Platform, chosen_platform

GOLDEN = ROOT / "tests" / "data" / "golden"
GOLDEN_PLATFORM = CDKTF
tree = tree_bytes  # every file below a directory, by relative POSIX path
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f3c2b1a-1111-2222-3333-444455556666"
FUNCTION = "arn:aws:lambda:eu-north-1:123456789012:function"
LOG_GROUP = "arn:aws:logs:eu-north-1:123456789012:log-group:cognito"
API = "https://api.acme.com"


def _base() -> dict[str, Any]:
    """The cases below but picker_external and production are in managed mode."""
    return managed(base_environment())


def _picker_managed() -> dict[str, Any]:
    env = _base()
    # Config text that Terraform would read as templates: it must come out escaped.
    env["criipto"]["application_name"] = "AWS ${var.criipto_api_token} %{x}"
    env["criipto"]["tags"] = ["aws-cognito", "${x}"]
    env["criipto"]["authorize_scopes"] = ["openid", "email"]
    env["criipto"]["attribute_mapping"] = {"email": "email", "name": "name"}
    env["tags"] = {"CostCenter": "id-42"}
    env["app_client"]["oauth_scopes"] = ["openid", "profile"]
    return {"environments": {"test": env}}


def _picker_external() -> dict[str, Any]:
    env = external(base_environment())
    env["criipto"]["provider_name"] = "Idura-${x}"
    env["app_client"]["generate_secret"] = True
    return {"environments": {"staging": env}}


def _eids() -> dict[str, Any]:
    env = _base()
    del env["criipto"]["provider_name"]
    env["criipto"].update(
        eids=["dk-mitid-substantial", "se-bankid", "urn:grn:authn:no:vipps", "nl-idin"],
        provider_names={"se-bankid": "BankID-SE", "dk-mitid-substantial": "MitID"},
        eid_scopes={"urn:grn:authn:no:vipps": ["birthdate", "address"], "nl-idin": ["openid"]},
        attribute_mapping={"email": "email", "birthdate": False},
        store_national_identifiers=True,
        dashboard_settings=["dk-mitid-cpr"],
    )
    env["app_client"]["read_attributes"] = ["name", "given_name", "family_name"]
    return {
        "environments": {"prod": env},
        "terraform": {"aws_provider": ">= 6.25.0, < 6.40.0", "restapi_provider": "~> 3.0.1"},
    }


def _existing_pool() -> dict[str, Any]:
    env = _base()
    env["user_pool"] = {
        "existing_id": "eu-north-1_AbC123",
        "existing_custom_attributes": ["dk_mitid_uuid"],
    }
    del env["criipto"]["provider_name"]
    env["criipto"]["eids"] = ["dk-mitid-substantial"]
    env["criipto"]["attribute_mapping"] = {"uuid": "custom:dk_mitid_uuid"}
    return {"environments": {"test": env}}


def _custom_domain_s3() -> dict[str, Any]:
    env = _base()
    env["domain"] = {"custom": "login.acme.com", "certificate_arn": CERT}
    env["backend"] = {
        "type": "s3",
        "bucket": "acme-tfstate",
        "key": "criipto/test.tfstate",
        "region": "eu-west-1",
        "dynamodb_table": "locks",
    }
    return {"environments": {"test": env}}


def _cloud() -> dict[str, Any]:
    first = _base()
    first["backend"] = {"type": "cloud", "organization": "acme", "workspace": "criipto-test"}
    second = _base()
    second["user_pool"]["name"] = "acme-dev"
    second["domain"]["prefix"] = "acme-dev-login"
    second["backend"] = {
        "type": "cloud",
        "organization": "acme",
        "tags": ["criipto"],
        "project": "identity",
        "hostname": "tfe.acme.example",
    }
    return {"environments": {"test": first, "dev": second}}


def _production() -> dict[str, Any]:
    """What production teams add (docs/config.md, "App clients, tokens and resource servers"):
    several clients with their lifetimes, rotation and attributes, a resource server whose
    scopes a client asks for, the Plus plan with threat protection, triggers, managed login and
    both log streams."""
    env = external(base_environment())
    env["user_pool"].update(
        user_pool_tier="PLUS",
        user_pool_add_ons={"advanced_security_mode": "AUDIT"},
        lambda_config={
            "pre_sign_up": f"{FUNCTION}:pre-sign-up",
            "pre_token_generation_config": {
                "lambda_arn": f"{FUNCTION}:pre-token",
                "lambda_version": "V2_0",
            },
        },
    )
    env["domain"]["managed_login_version"] = 2
    web = env.pop("app_client")
    del web["name"]
    env["app_clients"] = {
        "web": {
            **web,
            "oauth_scopes": ["openid", f"{API}/orders.read"],
            **short_rotating_tokens(30),
        },
        "Mobile-App": {
            "name": "mobile",
            "callback_urls": ["https://app.acme.com/mobile/callback"],
            "refresh_token_validity": 90,
            "auth_session_validity": 5,
            "read_attributes": ["name"],
        },
        "backend": {
            **web,
            "generate_secret": True,
            "oauth_scopes": ["openid", f"{API}/orders.write"],
            "write_attributes": ["name"],
            "enable_token_revocation": False,
        },
    }
    env["resource_servers"] = {
        # Config text that Terraform would read as a template: it must come out escaped.
        API: {"name": "Acme API", "scopes": {"orders.read": "Read ${orders}", "orders.write": "Place orders"}},
    }  # fmt: skip
    env["log_delivery_configuration"] = {
        "log_configurations": [
            {
                "event_source": "userNotification",
                "log_level": "ERROR",
                "cloud_watch_logs_configuration": {"log_group_arn": LOG_GROUP},
            },
            {
                "event_source": "userAuthEvents",
                "log_level": "INFO",
                "s3_configuration": {"bucket_arn": "arn:aws:s3:::acme-cognito-logs"},
            },
        ]
    }
    return {"environments": {"prod": env}}


CASES = {
    "picker_managed": _picker_managed,
    "picker_external": _picker_external,
    "eids": _eids,
    "existing_pool": _existing_pool,
    "custom_domain_s3": _custom_domain_s3,
    "cloud": _cloud,
    "production": _production,
}
EXAMPLE = "example"
CASE_NAMES = (EXAMPLE, *CASES)


def synthesize(case: str, outdir: Path) -> None:
    """FederationStack's output for ``case`` (the example file or a CASES entry) in ``outdir``."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from stacks.app import build_app
    from stacks.config import FederationConfig
    from stacks.config.loader import load_config

    if case == EXAMPLE:
        config = load_config(EXAMPLE_CONFIG)
    else:
        config = FederationConfig.model_validate(CASES[case]())
    build_app(config, outdir=str(outdir)).synth()


def comparable(name: str, content: bytes, platform: Platform) -> object:
    """A file of ``cdktf.out`` as ``platform`` wrote it, ready to compare with another
    platform's: the bytes, except for the two files the platform writes itself, which become
    their JSON (so whitespace does not count: CDK for Terraform writes an empty list or table on
    two lines, CDK Terrain as ``[]``/``{}``) with exactly these values replaced, each after
    checking it is the platform's own:

    - ``manifest.json``: ``version``, and each stack's ``"//".metadata.version``: the
      platform's release;
    - each stack's ``terraform.required_providers.aws``: ``source``, as the platform's bindings
      write it, and ``version`` when it is the platform's default constraint (a configured one
      stays as it is).

    Key order counts: the data is compared as ``json.dumps`` writes it.
    """
    if name != "manifest.json" and not name.endswith("/cdk.tf.json"):
        return content
    data = json.loads(content)
    release = version(platform.package)
    if name == "manifest.json":
        data["version"] = _replaced(data["version"], release, "release")
    else:
        metadata = data["//"]["metadata"]
        metadata["version"] = _replaced(metadata["version"], release, "release")
        aws = data["terraform"]["required_providers"]["aws"]
        aws["source"] = _replaced(aws["source"], platform.aws_provider_source, "source")
        if aws["version"] == platform.default_aws_provider:
            aws["version"] = "<the platform's default>"
    return json.dumps(data, indent=2)


def _replaced(found: str, expected: str, what: str) -> str:
    assert found == expected, f"the platform's {what} is {expected!r}, the file says {found!r}"
    return f"<the platform's {what}>"


def update() -> None:
    if chosen_platform() != GOLDEN_PLATFORM:
        sys.exit(f"the golden files are {GOLDEN_PLATFORM.title}'s: update them in .venv")
    for case in CASE_NAMES:
        target = GOLDEN / case
        shutil.rmtree(target, ignore_errors=True)
        with tempfile.TemporaryDirectory() as work:
            synthesize(case, Path(work) / "cdktf.out")
            shutil.copytree(Path(work) / "cdktf.out", target)
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/golden.py --update")
    update()
