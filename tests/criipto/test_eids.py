"""One Cognito provider per eID, pinned by its acr value; claims mapped into the pool."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from support.configs import base_environment, changed, environment_problems, managed, with_eids
from support.synth import only, providers_by_name, resources

from criipto import eids, urls

MITID = "urn:grn:authn:dk:mitid:substantial"
MITID_ENCODED = "dXJuOmdybjphdXRobjpkazptaXRpZDpzdWJzdGFudGlhbA=="


def test_without_eids_one_provider_shows_the_picker(synth: Any) -> None:
    stack = synth(base_environment())
    provider = only(stack, "aws_cognito_identity_provider")
    assert "authorize_url" not in provider["provider_details"]
    assert provider["attribute_mapping"] == {"username": "sub"}
    assert list(stack["output"]["login_urls"]["value"]) == ["Criipto"]


def test_a_provider_per_eid_with_the_acr_in_the_authorize_path(synth: Any) -> None:
    stack = synth(with_eids("dk-mitid-substantial", "se-bankid"))
    providers = providers_by_name(stack)
    assert set(providers) == {"MitID", "SE-BankID"}
    mitid = providers["MitID"]["provider_details"]
    assert (
        mitid["authorize_url"] == f"https://acme-test.criipto.id/{MITID_ENCODED}/oauth2/authorize"
    )
    assert mitid["token_url"] == "https://acme-test.criipto.id/oauth2/token"
    assert mitid["attributes_url"] == "https://acme-test.criipto.id/oauth2/userinfo"
    assert mitid["jwks_uri"] == "https://acme-test.criipto.id/.well-known/jwks"
    assert mitid["oidc_issuer"] == "https://acme-test.criipto.id"
    bankid = providers["SE-BankID"]["provider_details"]
    assert bankid["authorize_url"] == (
        "https://acme-test.criipto.id/dXJuOmdybjphdXRobjpzZTpiYW5raWQ=/oauth2/authorize"
    )


def test_explicit_endpoints_leave_ignore_changes(synth: Any) -> None:
    for provider in resources(
        synth(with_eids("dk-mitid-substantial")), "aws_cognito_identity_provider"
    ):
        assert provider["lifecycle"]["ignore_changes"] == [
            'provider_details["attributes_url_add_attributes"]'
        ]


def test_all_providers_share_one_criipto_application(synth: Any) -> None:
    stack = synth(
        with_eids("dk-mitid-substantial", "se-bankid", "no-bankid", environment=managed())
    )
    assert len(stack["module"]) == 1
    details = [p["provider_details"] for p in resources(stack, "aws_cognito_identity_provider")]
    assert len(details) == 3
    assert len({(d["client_id"], d["client_secret"]) for d in details}) == 1


def test_app_client_lists_every_provider_and_each_gets_a_login_url(synth: Any) -> None:
    stack = synth(with_eids("dk-mitid-substantial", "se-bankid"))
    client = only(stack, "aws_cognito_user_pool_client")
    assert len(client["supported_identity_providers"]) == 2
    assert all(ref.endswith(".provider_name}") for ref in client["supported_identity_providers"])
    login_urls = stack["output"]["login_urls"]["value"]
    assert set(login_urls) == {"MitID", "SE-BankID"}
    assert "identity_provider=SE-BankID" in login_urls["SE-BankID"]
    assert stack["output"]["login_url"]["value"] == login_urls["MitID"]


def test_full_acr_urns_and_provider_name_overrides(synth: Any) -> None:
    env = with_eids(MITID, "urn:grn:authn:se:bankid:same-device")
    env["criipto"]["provider_names"] = {"urn:grn:authn:se:bankid:same-device": "BankID"}
    providers = providers_by_name(synth(env))
    assert set(providers) == {"MitID", "BankID"}
    assert providers["BankID"]["provider_details"]["authorize_url"].endswith(
        f"/{urls.encode_acr('urn:grn:authn:se:bankid:same-device')}/oauth2/authorize"
    )


@pytest.mark.parametrize(
    ("eid", "mapping", "schema"),
    [
        (
            "dk-mitid-substantial",
            {
                "username": "sub",
                "name": "name",
                "birthdate": "birthdate",
                "custom:dk_mitid_uuid": "uuid",
            },
            {"dk_mitid_uuid": "36"},
        ),
        (
            "se-bankid",
            {
                "username": "sub",
                "name": "name",
                "given_name": "given_name",
                "family_name": "family_name",
            },
            {},
        ),
        (
            "no-bankid",
            {
                "username": "sub",
                "name": "name",
                "given_name": "given_name",
                "family_name": "family_name",
                "birthdate": "birthdate",
                "custom:no_bankid_uid": "uniqueuserid",
            },
            {"no_bankid_uid": "64"},
        ),
    ],
)
def test_presets_map_claims_without_national_identifiers(
    synth: Any, eid: str, mapping: dict[str, str], schema: dict[str, str]
) -> None:
    stack = synth(with_eids(eid))
    assert only(stack, "aws_cognito_identity_provider")["attribute_mapping"] == mapping
    declared = only(stack, "aws_cognito_user_pool").get("schema", [])
    assert {a["name"]: a["string_attribute_constraints"]["max_length"] for a in declared} == schema
    for attribute in declared:
        assert attribute["attribute_data_type"] == "String"
        assert attribute["mutable"] is True
        assert attribute["required"] is False


def test_national_identifiers_only_when_switched_on_with_the_scopes_they_need(synth: Any) -> None:
    env = with_eids("dk-mitid-substantial", "se-bankid", "urn:grn:authn:no:bankid:high", "no-vipps")
    env["criipto"]["store_national_identifiers"] = True
    env["criipto"]["dashboard_settings"] = ["dk-mitid-cpr"]
    stack = synth(env)
    providers = providers_by_name(stack)
    assert providers["MitID"]["attribute_mapping"]["custom:dk_cpr"] == "cprNumberIdentifier"
    assert providers["SE-BankID"]["attribute_mapping"]["custom:se_ssn"] == "ssn"
    assert providers["NO-BankID-High"]["attribute_mapping"]["custom:no_socialno"] == "socialno"
    assert providers["Vipps"]["attribute_mapping"]["custom:no_socialno"] == "socialno"
    names = {a["name"] for a in only(stack, "aws_cognito_user_pool")["schema"]}
    assert {"dk_cpr", "se_ssn", "no_socialno"} <= names
    # CPR and the Norwegian fødselsnummer come only for the ssn scope; Swedish BankID's
    # personnummer always comes.
    assert {name: p["provider_details"]["authorize_scopes"] for name, p in providers.items()} == {
        "MitID": "openid ssn",
        "SE-BankID": "openid",
        "NO-BankID-High": "openid ssn",
        "Vipps": "openid ssn",
    }


def test_overrides_extend_replace_and_drop_presets(synth: Any) -> None:
    env = with_eids("se-bankid")
    env["criipto"]["attribute_mapping"] = {
        "ipaddress": "custom:login_ip",  # extend: a claim the preset leaves out
        "name": "preferred_username",  # replace
        "family_name": False,  # drop
    }
    stack = synth(env)
    assert only(stack, "aws_cognito_identity_provider")["attribute_mapping"] == {
        "username": "sub",
        "given_name": "given_name",
        "preferred_username": "name",
        "custom:login_ip": "ipaddress",
    }
    [attribute] = only(stack, "aws_cognito_user_pool")["schema"]
    assert attribute["name"] == "login_ip"


def test_override_applies_only_to_eids_returning_the_claim(synth: Any) -> None:
    env = with_eids("dk-mitid-substantial", "se-bankid")
    env["criipto"]["attribute_mapping"] = {"birthdate": False}
    providers = providers_by_name(synth(env))
    assert "birthdate" not in providers["MitID"]["attribute_mapping"]
    assert providers["SE-BankID"]["attribute_mapping"]["given_name"] == "given_name"


def test_existing_pool_with_the_attributes_it_needs(synth: Any) -> None:
    env = with_eids("dk-mitid-substantial")
    env["user_pool"] = {
        "existing_id": "eu-north-1_AbC123",
        "existing_custom_attributes": ["dk_mitid_uuid"],
    }
    stack = synth(env)
    assert resources(stack, "aws_cognito_user_pool") == []
    assert (
        "custom:dk_mitid_uuid" in only(stack, "aws_cognito_identity_provider")["attribute_mapping"]
    )


def test_every_known_eid_has_a_valid_table_entry() -> None:
    from stacks.rules import cognito as cognito_rules
    from stacks.rules.federation_plan import attribute_problem

    acrs = [acr for eid in eids.KNOWN_EIDS for acr in eid.acr_values]
    assert len(acrs) == len(set(acrs))
    for names in (
        [eid.short_name for eid in eids.KNOWN_EIDS],
        [eid.provider_name for eid in eids.KNOWN_EIDS],
    ):
        assert len(names) == len(set(names))
    for eid in eids.KNOWN_EIDS:
        assert cognito_rules.provider_name_problem(eid.provider_name) is None, eid
        assert eid.acr_values and all(a.startswith("urn:grn:authn:") for a in eid.acr_values)
        assert set(eid.refused_scopes) <= set(eid.scopes), eid.short_name
        for scope in eid.scopes:
            assert re.fullmatch(cognito_rules.SCOPE_PATTERN, scope), scope
        for claim in eid.claims:
            assert claim.attribute is None or attribute_problem(claim.attribute) is None, claim
            assert set(claim.scopes) <= set(eid.scopes), (eid.short_name, claim)
            assert claim.setting is None or claim.setting in eids.DASHBOARD_SETTINGS, claim
        # A preset never maps a claim that cannot arrive through Cognito.
        assert all(eid.returns(c.name) for c in eid.claims if c.attribute), eid.short_name
    assert {"cprNumberIdentifier", "ssn", "socialno", "hetu"} <= eids.NATIONAL_IDENTIFIER_CLAIMS


def test_unknown_eid_lists_the_known_ones(tmp_path: Path) -> None:
    [line] = environment_problems(tmp_path, with_eids("dk-mitid", "se-bankid"))
    assert line == (
        "criipto.eids: unknown eID 'dk-mitid'; known: dk-mitid-low, dk-mitid-substantial, "
        "dk-mitid-high, dk-mitid-business, se-bankid, se-frejaid, no-bankid, no-bankid-high, "
        "no-bankid-substantial, no-vipps, nl-idin, de-personalausweis, uk-oneid (or one of their "
        "acr URNs)"
    )


@pytest.mark.parametrize(
    "reference",
    [
        "fi-ftn",
        "urn:grn:authn:fi:all",
        "urn:grn:authn:fi:bank-id",
        "urn:grn:authn:fi:bankid",
        "urn:grn:authn:fi:mobile-id",
    ],
)
def test_finnish_trust_network_is_refused_with_the_whole_reason(
    tmp_path: Path, reference: str
) -> None:
    [line] = environment_problems(tmp_path, with_eids(reference))
    assert line == (
        f"criipto.eids: {reference!r} cannot be used: Finnish Trust Network requires "
        "private_key_jwt client authentication (Cognito sends a client secret), signed "
        "authorization requests (JAR) and encrypted ID token and userinfo responses, while "
        "Cognito needs the plainJson userinfo response strategy (Idura's Cognito guide); "
        "Cognito supports none of these"
    )


def test_duplicate_eids_and_provider_names(tmp_path: Path) -> None:
    assert environment_problems(tmp_path, with_eids("se-bankid", "se-bankid")) == [
        "criipto.eids: lists 'se-bankid' twice"
    ]
    [line] = environment_problems(
        tmp_path, with_eids("se-bankid", "urn:grn:authn:se:bankid:same-device")
    )
    assert line.startswith(
        "criipto.provider_names: 'se-bankid' and 'urn:grn:authn:se:bankid:same-device' "
        "would both be the provider 'SE-BankID'"
    )
    env = with_eids("dk-mitid-substantial", "se-bankid")
    env["criipto"]["provider_names"] = {"se-bankid": "MitID"}
    [line] = environment_problems(tmp_path, env)
    assert "would both be the provider 'MitID'" in line


def test_provider_name_overrides_are_checked(tmp_path: Path) -> None:
    env = with_eids("se-bankid")
    env["criipto"]["provider_names"] = {"no-bankid": "NO"}
    assert environment_problems(tmp_path, env) == [
        "criipto.provider_names.no-bankid: names no eID listed in eids"
    ]
    env["criipto"]["provider_names"] = {"se-bankid": "B"}
    assert environment_problems(tmp_path, env) == [
        "criipto.provider_names.se-bankid: must be 3 to 32 characters long (got 1)"
    ]
    env = with_eids("se-bankid")
    env["criipto"]["provider_name"] = "Criipto"
    assert environment_problems(tmp_path, env) == [
        "criipto.provider_name: applies only without eids; name eID providers in provider_names"
    ]


def test_mapping_a_claim_the_eids_do_not_return(tmp_path: Path) -> None:
    env = with_eids("se-bankid")
    env["criipto"]["attribute_mapping"] = {"birthdate": "birthdate"}
    assert environment_problems(tmp_path, env) == [
        "criipto.attribute_mapping.birthdate: 'birthdate' is not a claim the listed eIDs return"
    ]
    picker = changed("criipto.attribute_mapping", {"shoe_size": "custom:shoe"})
    assert environment_problems(tmp_path, picker) == [
        "criipto.attribute_mapping.shoe_size: 'shoe_size' is not a claim any known eID return"
    ]


def test_national_identifier_needs_the_switch(tmp_path: Path) -> None:
    env = with_eids("dk-mitid-substantial")
    env["criipto"]["attribute_mapping"] = {"cprNumberIdentifier": "custom:cpr"}
    assert environment_problems(tmp_path, env) == [
        "criipto.attribute_mapping.cprNumberIdentifier: 'cprNumberIdentifier' is a national "
        "identifier: storing it needs store_national_identifiers = true (see docs/eids.md, personal data)"
    ]


@pytest.mark.parametrize(
    ("attribute", "message"),
    [
        (
            "custom:this_name_is_far_too_long",
            "custom attribute name must be 1 to 20 characters long (got 25)",
        ),
        (
            "custom:two words",
            "custom attribute name must hold only letters, digits, symbols and punctuation (no spaces)",
        ),
        ("custom:", "custom attribute name must be 1 to 20 characters long (got 0)"),
        ("fullname", "'fullname' is neither a standard Cognito attribute nor custom:<name>"),
        ("username", '"username" always receives "sub", the eID\'s stable subject'),
        (True, "give the Cognito attribute, or false to drop the mapping"),
    ],
)
def test_bad_attribute_names(tmp_path: Path, attribute: Any, message: str) -> None:
    env = with_eids("se-bankid")
    env["criipto"]["attribute_mapping"] = {"name": attribute}
    assert environment_problems(tmp_path, env) == [f"criipto.attribute_mapping.name: {message}"]


def test_two_claims_into_one_attribute(tmp_path: Path) -> None:
    env = with_eids("se-bankid")
    env["criipto"]["attribute_mapping"] = {"given_name": "name"}
    assert environment_problems(tmp_path, env) == [
        "criipto.attribute_mapping.given_name: 'name' already receives 'name' from se-bankid"
    ]


def test_existing_pool_lacking_custom_attributes_is_named(tmp_path: Path) -> None:
    env = with_eids("dk-mitid-substantial", "no-bankid")
    env["user_pool"] = {"existing_id": "eu-north-1_AbC123"}
    assert environment_problems(tmp_path, env) == [
        "user_pool.existing_custom_attributes: the attribute mapping needs custom:dk_mitid_uuid, "
        "custom:no_bankid_uid, which this stack cannot add to a pool it does not own: add them "
        "to the pool, then list them here"
    ]
    env["user_pool"]["existing_custom_attributes"] = ["dk_mitid_uuid"]
    [line] = environment_problems(tmp_path, env)
    assert "needs custom:no_bankid_uid," in line


def test_the_docs_show_the_eid_table_as_the_code_has_it() -> None:
    from support.project import ROOT

    assert eids.markdown_table() in (ROOT / "docs" / "eids.md").read_text(encoding="utf-8")


def test_uk_oneid_needs_exactly_one_product_scope(tmp_path: Path) -> None:
    """Idura's OneID page: every request names exactly one product (oneid:product:…)."""
    env = with_eids("uk-oneid")
    [line] = environment_problems(tmp_path, env)
    assert line.startswith("criipto.eid_scopes.uk-oneid: uk-oneid needs exactly one of ")
    assert "(got 0)" in line
    env["criipto"]["eid_scopes"] = {
        "uk-oneid": ["oneid:product:id_check", "oneid:product:age_check"]
    }
    [line] = environment_problems(tmp_path, env)
    assert line.startswith("criipto.eid_scopes.uk-oneid: ") and "(got 2)" in line


def test_uk_oneid_asks_for_its_product_and_the_mapped_claims_scopes(synth: Any) -> None:
    env = changed("criipto.provider_name", ...)
    env["criipto"].update(
        eids=["uk-oneid"],
        eid_scopes={"uk-oneid": ["oneid:product:id_proof"]},
        attribute_mapping={"name": "name", "birthdate": "birthdate"},
    )
    [provider] = synth(env)["resource"]["aws_cognito_identity_provider"].values()
    assert provider["provider_name"] == "OneID"
    assert provider["provider_details"]["authorize_scopes"] == (
        "openid oneid:date_of_birth oneid:profile oneid:product:id_proof"
    )
    assert provider["provider_details"]["authorize_url"] == (
        "https://acme-test.criipto.id/dXJuOmdybjphdXRobjp1azpvbmVpZA==/oauth2/authorize"
    )
    assert provider["attribute_mapping"] == {
        "username": "sub",
        "name": "name",
        "birthdate": "birthdate",
    }
