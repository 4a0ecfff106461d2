"""The eIDs added from Idura's docs, and the scopes and dashboard settings their claims need."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.configs import (
    changed,
    config_with,
    environment_problems,
    with_eids,
    write_config,
)
from support.synth import only, providers_by_name

from criipto import urls
from stacks.config.loader import load_config

# Every acr value this project added, by the short name that selects it.
NEW_ACRS = {
    "dk-mitid-business": ("urn:grn:authn:dk:mitid:business", "MitID-Erhverv"),
    "no-bankid-high": ("urn:grn:authn:no:bankid:high", "NO-BankID-High"),
    "no-bankid-substantial": ("urn:grn:authn:no:bankid:substantial", "NO-BankID-Biometrics"),
    "no-vipps": ("urn:grn:authn:no:vipps", "Vipps"),
    "se-frejaid": ("urn:grn:authn:se:frejaid", "FrejaID"),
    "nl-idin": ("urn:grn:authn:nl:idin", "iDIN"),
    "de-personalausweis": ("urn:grn:authn:de:personalausweis", "Personalausweis"),
}


@pytest.mark.parametrize(("short_name", "expected"), NEW_ACRS.items())
def test_new_eids_by_short_name_and_by_acr_urn(
    tmp_path: Path, short_name: str, expected: tuple[str, str]
) -> None:
    acr, provider_name = expected
    for reference in (short_name, acr):
        config = load_config(write_config(tmp_path, config_with(with_eids(reference))))
        [provider] = config.environments["test"].criipto.plan.providers
        assert (provider.provider_name, provider.acr) == (provider_name, acr)
        assert provider.eid is not None and provider.eid.short_name == short_name
        assert provider.authorize_scopes == ("openid",)


def test_each_new_eid_gets_a_pinned_provider_with_the_scopes_its_claims_need(
    synth: Any,
) -> None:
    env = with_eids(
        "dk-mitid-business",
        "urn:grn:authn:no:bankid:high",
        "no-bankid-substantial",
        "urn:grn:authn:no:vipps",
        "se-frejaid",
        "nl-idin",
        "urn:grn:authn:de:personalausweis",
        attribute_mapping={
            "email": "email",  # NO BankID biometrics: scope email; iDIN: profile full-id
            "registrationLevel": "custom:freja_level",  # FrejaID: frejaid:registration_level
            "given_name": "given_name",  # Personalausweis: any profile from Profile1 ...
            "nationality": "custom:nationality",  # ... but this needs Profile2 or 3
        },
        eid_scopes={"urn:grn:authn:no:vipps": ["birthdate", "address"], "nl-idin": ["openid"]},
    )
    stack = synth(env)
    providers = providers_by_name(stack)
    assert {name: p["provider_details"]["authorize_scopes"] for name, p in providers.items()} == {
        "MitID-Erhverv": "openid",
        "NO-BankID-High": "openid",
        "NO-BankID-Biometrics": "openid email",
        "Vipps": "openid birthdate address",
        "FrejaID": "openid frejaid:registration_level",
        "iDIN": "openid idin:full-id",
        "Personalausweis": "openid odis:Profile2",
    }
    for short_name, (acr, name) in NEW_ACRS.items():
        authorize_url = providers[name]["provider_details"]["authorize_url"]
        assert authorize_url == (
            f"https://acme-test.criipto.id/{urls.encode_acr(acr)}/oauth2/authorize"
        ), short_name
    assert providers["MitID-Erhverv"]["attribute_mapping"] == {
        "username": "sub",
        "name": "name",
        "birthdate": "birthdate",
        "custom:dk_erhverv_uuid": "uuid",
        "custom:dk_cvr": "cvrNumberIdentifier",
        "custom:dk_org_name": "2.5.4.10",
        "custom:dk_employee": "employee",
        "custom:dk_signatory": "companySignatory",
    }
    assert providers["NO-BankID-Biometrics"]["attribute_mapping"]["email"] == "email"
    assert "email" not in providers["NO-BankID-High"]["attribute_mapping"]
    assert providers["FrejaID"]["attribute_mapping"] == {
        "username": "sub",
        "custom:freja_level": "registrationLevel",
    }
    assert providers["Personalausweis"]["attribute_mapping"] == {
        "username": "sub",
        "given_name": "given_name",
        "custom:nationality": "nationality",
    }
    schema = {
        a["name"]: a["string_attribute_constraints"]["max_length"]
        for a in only(stack, "aws_cognito_user_pool")["schema"]
    }
    assert schema["dk_erhverv_uuid"] == "36"
    assert schema["dk_cvr"] == "8"
    assert "dk_mitid_uuid" not in schema  # the citizen uuid is another attribute


def test_cpr_with_the_dashboard_setting_asks_for_ssn(synth: Any) -> None:
    env = with_eids(
        "dk-mitid-substantial",
        "dk-mitid-business",
        store_national_identifiers=True,
        dashboard_settings=["dk-mitid-cpr"],
    )
    providers = providers_by_name(synth(env))
    for name in ("MitID", "MitID-Erhverv"):
        assert providers[name]["provider_details"]["authorize_scopes"] == "openid ssn"
        assert providers[name]["attribute_mapping"]["custom:dk_cpr"] == "cprNumberIdentifier"


def test_the_picker_asks_for_the_generic_scopes_of_mapped_claims(synth: Any) -> None:
    env = changed(
        "criipto.attribute_mapping", {"socialno": "custom:no_socialno", "nationality": False}
    )
    env["criipto"]["store_national_identifiers"] = True
    env["criipto"]["authorize_scopes"] = ["openid", "profile"]
    provider = only(synth(env), "aws_cognito_identity_provider")
    # ssn for NO BankID and Vipps; no eID-specific scope (iDIN, Personalausweis profiles).
    assert provider["provider_details"]["authorize_scopes"] == "openid profile ssn"
    assert provider["attribute_mapping"] == {
        "username": "sub",
        "custom:no_socialno": "socialno",
    }


def test_cpr_without_the_dashboard_setting_names_the_claim_and_the_switch(
    tmp_path: Path,
) -> None:
    switch = (
        'needs the "Add CPR for MitID logins" toggle on the Danish MitID eID provider page of '
        'the Idura dashboard: switch it on, then add "dk-mitid-cpr" to dashboard_settings'
    )
    preset = with_eids("dk-mitid-high", store_national_identifiers=True)
    assert environment_problems(tmp_path, preset) == [
        f"criipto.store_national_identifiers: 'cprNumberIdentifier' (dk-mitid-high) {switch}"
    ]
    mapped = with_eids(
        "dk-mitid-business",
        store_national_identifiers=True,
        attribute_mapping={"cprNumberIdentifier": "custom:cpr"},
    )
    assert environment_problems(tmp_path, mapped) == [
        "criipto.attribute_mapping.cprNumberIdentifier: 'cprNumberIdentifier' "
        f"(dk-mitid-business) {switch}"
    ]
    picker = changed("criipto.attribute_mapping", {"cprNumberIdentifier": "custom:cpr"})
    picker["criipto"]["store_national_identifiers"] = True
    assert environment_problems(tmp_path, picker) == [
        "criipto.attribute_mapping.cprNumberIdentifier: 'cprNumberIdentifier' "
        f"(every eID returning it) {switch}"
    ]


def test_mitid_address_needs_the_address_lookup_setting(tmp_path: Path) -> None:
    env = with_eids("dk-mitid-substantial", attribute_mapping={"address": "address"})
    [line] = environment_problems(tmp_path, env)
    assert line.startswith(
        "criipto.attribute_mapping.address: 'address' (dk-mitid-substantial) needs MitID "
        "address lookups"
    )
    assert line.endswith('then add "dk-mitid-address" to dashboard_settings')


def test_a_claim_only_a_refused_scope_releases(tmp_path: Path) -> None:
    env = with_eids("se-frejaid", attribute_mapping={"given_name": "given_name"})
    assert environment_problems(tmp_path, env) == [
        "criipto.attribute_mapping.given_name: se-frejaid releases 'given_name' only for the "
        "scope 'frejaid:basic_user_info', which needs a minimum registration level of Extended, "
        "which Idura takes only from login_hint (minregistrationlevel:extended), and a Cognito "
        "OIDC provider has no setting that sends one"
    ]


def test_a_claim_another_listed_eid_delivers_skips_the_one_that_cannot(synth: Any) -> None:
    env = with_eids(
        "se-frejaid", "se-bankid", attribute_mapping={"given_name": "preferred_username"}
    )
    providers = providers_by_name(synth(env))
    assert providers["FrejaID"]["attribute_mapping"] == {"username": "sub"}
    assert providers["FrejaID"]["provider_details"]["authorize_scopes"] == "openid"
    assert providers["SE-BankID"]["attribute_mapping"]["preferred_username"] == "given_name"


@pytest.mark.parametrize(
    ("eid_scopes", "message"),
    [
        (
            {"no-vipps": ["email phone"]},
            "criipto.eid_scopes.no-vipps: 'email phone' is not a scope Cognito accepts "
            "(1-256 printable ASCII characters, no spaces, quotes or backslashes)",
        ),
        (
            {"no-vipps": ['e"mail']},
            "criipto.eid_scopes.no-vipps: 'e\"mail' is not a scope Cognito accepts "
            "(1-256 printable ASCII characters, no spaces, quotes or backslashes)",
        ),
        (
            {"no-vipps": ["ssn\\"]},
            "criipto.eid_scopes.no-vipps: 'ssn\\\\' is not a scope Cognito accepts "
            "(1-256 printable ASCII characters, no spaces, quotes or backslashes)",
        ),
        (
            {"no-vipps": [""]},
            "criipto.eid_scopes.no-vipps: '' is not a scope Cognito accepts "
            "(1-256 printable ASCII characters, no spaces, quotes or backslashes)",
        ),
        (
            {"no-vipps": ["s" * 257]},
            f"criipto.eid_scopes.no-vipps: {'s' * 257!r} is not a scope Cognito accepts "
            "(1-256 printable ASCII characters, no spaces, quotes or backslashes)",
        ),
        (
            {"no-vipps": ["evidence"]},
            "criipto.eid_scopes.no-vipps: 'evidence' is not a scope Idura documents for "
            "no-vipps (documented: address, email, phone, birthdate, ssn)",
        ),
        (
            {"se-frejaid": ["frejaid:ssn"]},
            "criipto.eid_scopes.se-frejaid: 'frejaid:ssn' cannot be used with se-frejaid: it "
            "needs a minimum registration level of Extended, which Idura takes only from "
            "login_hint (minregistrationlevel:extended), and a Cognito OIDC provider has no "
            "setting that sends one",
        ),
        (
            {"no-vipps": ["email", "email"]},
            "criipto.eid_scopes.no-vipps: lists a scope twice",
        ),
        (
            {"se-bankid": ["evidence"]},
            "criipto.eid_scopes.se-bankid: names no eID listed in eids",
        ),
        (
            {"xx-unknown": ["ssn"]},
            "criipto.eid_scopes.xx-unknown: names no eID listed in eids",
        ),
    ],
)
def test_bad_eid_scopes(tmp_path: Path, eid_scopes: dict[str, list[str]], message: str) -> None:
    env = with_eids("no-vipps", "se-frejaid", eid_scopes=eid_scopes)
    assert environment_problems(tmp_path, env) == [message]


def test_dashboard_settings_and_authorize_scopes_with_eids(tmp_path: Path) -> None:
    assert environment_problems(
        tmp_path, with_eids("no-vipps", dashboard_settings=["mitid-cpr"])
    ) == [
        "criipto.dashboard_settings: unknown setting 'mitid-cpr'; known: dk-mitid-cpr, "
        "dk-mitid-address"
    ]
    assert environment_problems(
        tmp_path, with_eids("no-vipps", dashboard_settings=["dk-mitid-cpr", "dk-mitid-cpr"])
    ) == ["criipto.dashboard_settings: lists a setting twice"]
    assert environment_problems(
        tmp_path, with_eids("no-vipps", authorize_scopes=["openid", "ssn"])
    ) == [
        "criipto.authorize_scopes: applies only without eids; each eID provider asks for the "
        "scopes its claims need, and eid_scopes adds more"
    ]
