"""Sign-in ready: what Cognito applies only when a person signs in, checked on the synthesized
JSON for every catalogued eID (and combinations) and client options.

AWS: a client must be allowed to write every attribute its identity providers map
(CreateUserPoolClient, WriteAttributes); a mapped attribute must be declared in the pool,
mutable, and long enough for the claim (SchemaAttributeType; the developer guide's "Mapping IdP
attributes to profiles and tokens"). moto and Terraform accept all of it; only a sign-in fails.
The oracle here reads the eID catalogue itself, not the plan that built the stack.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.configs import base_environment, config_problems, external, write_config
from support.project import EXAMPLE_CONFIG, ROOT
from support.synth import resources, synth_stacks

from criipto import eids
from stacks.config import ConfigError, load_config
from stacks.rules.sign_in import DEFAULT_WRITE_ATTRIBUTES

SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=12,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
USABLE = [eid for eid in eids.KNOWN_EIDS if eid.unsupported_reason is None]
# Claims a config may map on top of the presets, with a custom attribute each.
EXTRA_CLAIMS = sorted(
    {claim.name for eid in USABLE for claim in eid.claims if eid.returns(claim.name)}
    - {"sub", "address"}
)


def _by_provider_name() -> dict[str, eids.Eid]:
    return {eid.provider_name: eid for eid in USABLE}


def _longest(claim: str, eid: eids.Eid | None) -> int:
    """The longest value of ``claim`` the catalogue documents (any eID, for the picker)."""
    sources = [eid] if eid is not None else USABLE
    lengths = [c.max_length for e in sources if (c := e.claim(claim)) is not None]
    assert None not in lengths, f"{claim} has no bound: it must have been refused"
    return max(length for length in lengths if length is not None)


@st.composite
def environments(draw: st.DrawFn) -> dict[str, Any]:
    env = external(base_environment())
    criipto = env["criipto"]
    chosen = draw(st.lists(st.sampled_from(USABLE), max_size=3, unique_by=lambda e: e.short_name))
    if chosen:
        criipto.pop("provider_name")
        criipto["eids"] = [eid.short_name for eid in chosen]
        oneid = [eid for eid in chosen if eid.choose_one_scope]
        if oneid:
            criipto["eid_scopes"] = {e.short_name: [e.choose_one_scope[0]] for e in oneid}
    criipto["store_national_identifiers"] = draw(st.booleans())
    if draw(st.booleans()):
        claim = draw(st.sampled_from(EXTRA_CLAIMS))
        criipto["attribute_mapping"] = {claim: f"custom:x_{len(claim)}"}
    client = env.pop("app_client")
    client.pop("name")
    count = draw(st.integers(min_value=1, max_value=2))
    env["app_clients"] = {}
    for index in range(count):
        options = dict(client)
        if draw(st.booleans()):
            options["read_attributes"] = ["name"]
        if draw(st.booleans()):  # given: a list that may lack what the providers map
            options["write_attributes"] = draw(
                st.lists(st.sampled_from(sorted(DEFAULT_WRITE_ATTRIBUTES)), max_size=3, unique=True)
            )
        env["app_clients"][f"client{index}"] = options
    return env


def _check_sign_in_ready(stack: dict[str, Any]) -> None:
    providers = resources(stack, "aws_cognito_identity_provider")
    names = _by_provider_name()
    needed: dict[str, int] = {}
    mapped: set[str] = set()
    for provider in providers:
        eid = names.get(provider["provider_name"])
        for attribute, claim in provider["attribute_mapping"].items():
            if attribute == "username":
                continue
            mapped.add(attribute)
            needed[attribute] = max(needed.get(attribute, 0), _longest(claim, eid))
    for client in resources(stack, "aws_cognito_user_pool_client"):
        # Every client offers every provider of the federation; each can write what they map.
        assert len(client["supported_identity_providers"]) == len(providers)
        assert mapped <= set(client["write_attributes"]), client["name"]
    pools = resources(stack, "aws_cognito_user_pool")
    schema = {entry["name"]: entry for pool in pools for entry in pool.get("schema", [])}
    for attribute, length in needed.items():
        if not attribute.startswith("custom:"):
            assert length <= 2048
            continue
        entry = schema[attribute.removeprefix("custom:")]
        assert entry["mutable"] is True
        assert entry["developer_only_attribute"] is False
        assert int(entry["string_attribute_constraints"]["max_length"]) >= length


@SETTINGS
@given(st.lists(environments(), min_size=1, max_size=4))
def test_every_accepted_federation_is_sign_in_ready(
    tmp_path_factory: pytest.TempPathFactory, envs: list[dict[str, Any]]
) -> None:
    accepted = {}
    work = tmp_path_factory.mktemp("configs")
    for index, env in enumerate(envs):
        try:
            load_config(write_config(work, {"environments": {"e": env}}))
        except ConfigError as refused:
            # A given write_attributes lacking a mapped attribute is refused, naming it; other
            # refusals (a claim that needs a dashboard setting, say) are the eID rules' own.
            for line in refused.lines:
                if ".write_attributes: " in line:
                    assert "must include every attribute the identity providers map" in line
            continue
        accepted[f"e{index}"] = env
    if not accepted:
        return
    outdir = tmp_path_factory.mktemp("out")
    for stack in synth_stacks({"environments": accepted}, outdir).values():
        _check_sign_in_ready(stack)


def test_the_shipped_example_is_sign_in_ready(tmp_path: Path) -> None:
    stacks = synth_stacks(tomllib.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8")), tmp_path)
    prod = stacks["prod"]
    (client,) = resources(prod, "aws_cognito_user_pool_client")
    # The example's prod maps MitID's uuid and Norwegian BankID's uniqueuserid into custom
    # attributes: on AWS's default write attributes every such sign-in failed.
    assert {"custom:dk_mitid_uuid", "custom:no_bankid_uid"} <= set(client["write_attributes"])
    for stack in stacks.values():
        _check_sign_in_ready(stack)


def test_the_managed_example_is_sign_in_ready(tmp_path: Path) -> None:
    data = tomllib.loads((ROOT / "examples" / "managed.toml").read_text(encoding="utf-8"))
    for stack in synth_stacks(data, tmp_path).values():
        _check_sign_in_ready(stack)


def test_given_write_attributes_lacking_a_mapped_one_name_each(tmp_path: Path) -> None:
    env = external(base_environment())
    env["criipto"].pop("provider_name")
    env["criipto"]["eids"] = ["dk-mitid-substantial", "se-bankid"]
    env["app_client"]["write_attributes"] = ["name"]
    lines = config_problems(tmp_path, {"environments": {"test": env}})
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith("environments.test.app_client.write_attributes: ")
    for missing in ("'birthdate'", "'family_name'", "'given_name'", "'custom:dk_mitid_uuid'"):
        assert missing in line


def test_a_picker_mapping_a_custom_attribute_is_writable(tmp_path: Path) -> None:
    # The case: a picker that maps ipaddress = "custom:login_ip".
    env = external(base_environment())
    env["criipto"]["attribute_mapping"] = {"ipaddress": "custom:login_ip"}
    stack = synth_stacks({"environments": {"test": env}}, tmp_path)["test"]
    (client,) = resources(stack, "aws_cognito_user_pool_client")
    assert "custom:login_ip" in client["write_attributes"]
    _check_sign_in_ready(stack)


def test_a_claim_no_attribute_can_hold_is_refused(tmp_path: Path) -> None:
    env = external(base_environment())
    env["criipto"].pop("provider_name")
    env["criipto"]["eids"] = ["se-bankid"]
    env["criipto"]["eid_scopes"] = {"se-bankid": ["evidence"]}
    env["criipto"]["attribute_mapping"] = {"evidence": "custom:evidence"}
    (line,) = config_problems(tmp_path, {"environments": {"test": env}})
    assert line.startswith("environments.test.criipto.attribute_mapping.evidence: ")
    assert "at most 2048" in line
