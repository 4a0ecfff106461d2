"""The eIDs this project knows: acr values, default Cognito provider names, claims and scopes.

Everything here is as Idura documents it (the criipto/docs repository, checked 2026-03):
acr values from ``src/utils/auth-methods.ts``, ``src/snippets/login-methods-and-path-encoded.mdx``
and the eID pages; claims from ``src/snippets/jwt-payloads/*``; scopes and settings from
``src/pages/verify/e-ids/*.mdx``.

``Claim.attribute`` is where a claim goes in Cognito by default (the preset): a standard
attribute where one fits, else a custom attribute; None leaves the claim unmapped unless the config
maps it. National identifiers are personal data and only ever stored when the config switches
that on.

No preset maps ``nameidentifier``: Idura documents it for most eIDs, but it is ``sub`` written
without braces and hyphens (compare any payload), and ``sub`` is already the Cognito username.
Mapping it would spend a custom attribute, which a pool can never remove, on a copy.

Scopes: by default an Idura application has a *static* scope strategy and returns what each eID
provider page of the dashboard configures, ignoring every scope but ``openid``. With "Enable
dynamic scopes" on the application, the scopes in the authorize request decide. Each Cognito
provider therefore asks for the scopes its mapped claims need: harmless under the static
strategy, and exactly what the dynamic one requires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

# Every Cognito provider maps the eID's stable subject to the Cognito username.
SUBJECT_CLAIM = "sub"
USERNAME_MAPPING = MappingProxyType({"username": SUBJECT_CLAIM})


@dataclass(frozen=True)
class DashboardSetting:
    """A switch in the Idura dashboard that some claim needs and no API here can set."""

    key: str  # how the config acknowledges it: criipto.dashboard_settings = ["<key>"]
    description: str


DASHBOARD_SETTINGS = MappingProxyType(
    {
        setting.key: setting
        for setting in (
            DashboardSetting(
                "dk-mitid-cpr",
                'the "Add CPR for MitID logins" toggle on the Danish MitID eID provider page '
                "of the Idura dashboard",
            ),
            DashboardSetting(
                "dk-mitid-address",
                "MitID address lookups, an add-on ordered from Idura (sales@idura.eu) with a data "
                "processor agreement, on top of CPR collection",
            ),
        )
    }
)


@dataclass(frozen=True)
class Claim:
    name: str
    attribute: str | None
    national_identifier: bool = False
    # The longest value Idura documents (or this catalogue assumes, 256) for the claim: a custom
    # attribute that receives it is made this long. None: no bound, and values are kilobytes
    # (BankID's evidence), more than any Cognito attribute holds (2,048 characters).
    max_length: int | None = 256
    # Idura scopes of which the claim needs one (the first is requested); () if always released.
    scopes: tuple[str, ...] = ()
    setting: str | None = None  # a DASHBOARD_SETTINGS key the claim needs


@dataclass(frozen=True)
class Eid:
    short_name: str
    provider_name: str  # the default Cognito identity provider name (3-32 characters)
    title: str
    acr_values: tuple[str, ...]  # the first is used for the short name
    claims: tuple[Claim, ...]
    unsupported_reason: str | None = None
    # Every scope Idura documents for the eID (besides openid), for criipto.eid_scopes.
    scopes: tuple[str, ...] = ()
    # Documented scopes that cannot work through Cognito, with the reason.
    refused_scopes: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    note: str | None = None  # what a user of this eID must know, shown in the docs/eids.md table
    # Scopes of which every request must carry exactly one (OneID's product), from eid_scopes.
    choose_one_scope: tuple[str, ...] = ()

    def claim(self, name: str) -> Claim | None:
        return next((c for c in self.claims if c.name == name), None)

    def usable_scopes(self, claim: Claim) -> tuple[str, ...]:
        """The scopes that release ``claim`` and can be sent through Cognito."""
        return tuple(scope for scope in claim.scopes if scope not in self.refused_scopes)

    def returns(self, name: str) -> bool:
        """Whether a login through Cognito can bring claim ``name``."""
        claim = self.claim(name)
        return claim is not None and (not claim.scopes or bool(self.usable_scopes(claim)))


def _mitid_claims(*, business: bool) -> tuple[Claim, ...]:
    cpr = Claim(
        "cprNumberIdentifier",
        "custom:dk_cpr",
        national_identifier=True,
        max_length=10,
        scopes=("ssn",),
        setting="dk-mitid-cpr",
    )
    if business:
        return (
            Claim("name", "name"),
            # Company signatories only.
            Claim("birthdate", "birthdate"),
            # Not the same person's citizen uuid (nor sub): an employee identity is legally
            # distinct, so it gets its own attribute.
            Claim("uuid", "custom:dk_erhverv_uuid", max_length=36),
            Claim("cvrNumberIdentifier", "custom:dk_cvr", max_length=8),
            Claim("2.5.4.10", "custom:dk_org_name"),  # the organisation's name
            Claim("employee", "custom:dk_employee", max_length=5),
            Claim("companySignatory", "custom:dk_signatory", max_length=5),
            cpr,  # company signatories only
            Claim("productionUnit", None),
            Claim("seNumber", None),
            Claim("ridNumberIdentifier", None),
            Claim("age", None),
            Claim("country", None),
            Claim("identityscheme", None),
            Claim("nameidentifier", None),
        )
    return (
        Claim("name", "name"),
        Claim("birthdate", "birthdate"),
        Claim("uuid", "custom:dk_mitid_uuid", max_length=36),
        cpr,
        # A JSON object (formatted, street_address, postal_code, ...).
        Claim("address", None, scopes=("address",), setting="dk-mitid-address"),
        Claim("age", None),
        Claim("country", None),
        Claim("identityscheme", None),
        Claim("nameidentifier", None),
    )


_MITID_CLAIMS = _mitid_claims(business=False)
_MITID_SCOPES = ("ssn", "address")
_SE_BANKID_CLAIMS = (
    Claim("name", "name"),
    Claim("given_name", "given_name"),
    Claim("family_name", "family_name"),
    Claim("ssn", "custom:se_ssn", national_identifier=True, max_length=12),
    Claim("country", None),
    Claim("ipaddress", None),
    Claim("identityscheme", None),
    Claim("nameidentifier", None),
    # For verifying the BankID signature yourself; large.
    Claim("evidence", None, max_length=None, scopes=("evidence",)),
    Claim("ocspResponse", None, max_length=None, scopes=("evidence",)),
)
# Released only with the user's consent, which BankID asks for when the scope is requested.
_SOCIALNO = Claim(
    "socialno", "custom:no_socialno", national_identifier=True, max_length=11, scopes=("ssn",)
)
_NO_BANKID_CLAIMS = (
    Claim("name", "name"),
    Claim("given_name", "given_name"),
    Claim("family_name", "family_name"),
    Claim("birthdate", "birthdate"),
    # Identifies the person like socialno does, but Idura documents it as not sensitive.
    Claim("uniqueuserid", "custom:no_bankid_uid", max_length=64),
    _SOCIALNO,
    Claim("country", None),
    Claim("certissuer", None),
    Claim("certsubject", None),
    Claim("identityscheme", None),
    Claim("nameidentifier", None),
)
# BankID with biometrics: no certsubject, and contact data the user may consent to.
_NO_BANKID_BIOMETRIC_CLAIMS = (
    Claim("name", "name"),
    Claim("given_name", "given_name"),
    Claim("family_name", "family_name"),
    Claim("birthdate", "birthdate"),
    Claim("uniqueuserid", "custom:no_bankid_uid", max_length=64),
    _SOCIALNO,
    Claim("email", None, scopes=("email",)),
    Claim("phone_number", None, scopes=("phone",)),
    Claim("dateofbirth", None),
    Claim("country", None),
    Claim("certissuer", None),
    Claim("identityscheme", None),
    Claim("nameidentifier", None),
)
_NO_BANKID_SCOPES = ("ssn", "email", "phone", "address")
_FREJA_NEEDS_EXTENDED = (
    "needs a minimum registration level of Extended, which Idura takes only from login_hint "
    "(minregistrationlevel:extended), and a Cognito OIDC provider has no setting that sends one"
)
_FREJA_EXTENDED_SCOPES = (
    "frejaid:basic_user_info",
    "frejaid:date_of_birth",
    "frejaid:age",
    "frejaid:ssn",
    "frejaid:addresses",
    "frejaid:document",
    "frejaid:photo",
    "frejaid:document_photo",
)
# UK OneID (Idura's "United Kingdom OneID" page, docs.idura.app/verify/e-ids/united-kingdom-oneid,
# read 2026-12; not yet in the criipto/docs snapshot of 2026-03). Every request names exactly one
# product scope, and the product decides which data scopes it answers; Idura's page ties these
# claims to their data scope. The Sign-in product's scope value was not legible in the page read,
# so it is not listed.
_ONEID_PRODUCTS = tuple(
    f"oneid:product:{product}"
    for product in (
        "age_verification", "age_assure", "age_check", "id_live", "id_check", "id_proof",
        "id_assure", "sign_up", "sign_up_plus",
    )
)  # fmt: skip
_ONEID_DATA_SCOPES = (
    "oneid:profile", "oneid:date_of_birth", "oneid:address", "oneid:email", "oneid:phone",
    "oneid:age_over_18", "oneid:age_over_21", "oneid:age_over_25", "oneid:accounts",
    "oneid:accounts.balances", "oneid:fraud", "oneid:pep_and_sanctions",
)  # fmt: skip
_IDIN_FULL_ID = ("idin:full-id",)
_AUSWEIS_PROFILE_1 = ("odis:Profile1", "odis:Profile2", "odis:Profile3")
_AUSWEIS_PROFILE_2 = ("odis:Profile2", "odis:Profile3")
_AUSWEIS_PROFILE_3 = ("odis:Profile3",)

KNOWN_EIDS: tuple[Eid, ...] = (
    Eid(
        "dk-mitid-low",
        "MitID-Low",
        "Danish MitID, low assurance",
        ("urn:grn:authn:dk:mitid:low",),
        _MITID_CLAIMS,
        scopes=_MITID_SCOPES,
    ),
    Eid(
        "dk-mitid-substantial",
        "MitID",
        "Danish MitID, substantial assurance",
        ("urn:grn:authn:dk:mitid:substantial",),
        _MITID_CLAIMS,
        scopes=_MITID_SCOPES,
    ),
    Eid(
        "dk-mitid-high",
        "MitID-High",
        "Danish MitID, high assurance",
        ("urn:grn:authn:dk:mitid:high",),
        _MITID_CLAIMS,
        scopes=_MITID_SCOPES,
    ),
    Eid(
        "dk-mitid-business",
        "MitID-Erhverv",
        "Danish MitID Erhverv (business login)",
        ("urn:grn:authn:dk:mitid:business",),
        _mitid_claims(business=True),
        scopes=_MITID_SCOPES,
        note=(
            "`sub` and `uuid` differ from the same person's citizen MitID login: the business "
            "login is another Cognito user"
        ),
    ),
    Eid(
        "se-bankid",
        "SE-BankID",
        "Swedish BankID",
        (
            "urn:grn:authn:se:bankid",
            "urn:grn:authn:se:bankid:same-device",
            "urn:grn:authn:se:bankid:another-device:qr",
            "urn:grn:authn:se:bankid:another-device",
        ),
        _SE_BANKID_CLAIMS,
        scopes=("evidence",),
    ),
    Eid(
        "se-frejaid",
        "FrejaID",
        "Swedish FrejaID",
        ("urn:grn:authn:se:frejaid",),
        (
            Claim("emailaddress", None, scopes=("frejaid:email_address",)),
            Claim("registrationLevel", None, scopes=("frejaid:registration_level",)),
            Claim("given_name", None, scopes=("frejaid:basic_user_info",)),
            Claim("family_name", None, scopes=("frejaid:basic_user_info",)),
            Claim("birthdate", None, scopes=("frejaid:date_of_birth",)),
            Claim("age", None, scopes=("frejaid:age",)),
            Claim("identityscheme", None),
            Claim("nameidentifier", None),
        ),
        scopes=(
            "frejaid:email_address",
            "frejaid:all_email_addresses",
            "frejaid:all_phone_numbers",
            "frejaid:registration_level",
            *_FREJA_EXTENDED_SCOPES,
        ),
        refused_scopes=MappingProxyType(
            {scope: _FREJA_NEEDS_EXTENDED for scope in _FREJA_EXTENDED_SCOPES}
        ),
        note="only the scopes open to every registration level work through Cognito",
    ),
    Eid(
        "no-bankid",
        "NO-BankID",
        "Norwegian BankID, mobile or web (the user's choice)",
        ("urn:grn:authn:no:bankid",),
        _NO_BANKID_CLAIMS,
        scopes=_NO_BANKID_SCOPES,
    ),
    Eid(
        "no-bankid-high",
        "NO-BankID-High",
        "Norwegian BankID, high assurance (code device authenticators)",
        ("urn:grn:authn:no:bankid:high",),
        _NO_BANKID_CLAIMS,
        scopes=_NO_BANKID_SCOPES,
    ),
    Eid(
        "no-bankid-substantial",
        "NO-BankID-Biometrics",
        "Norwegian BankID with biometrics, substantial assurance",
        ("urn:grn:authn:no:bankid:substantial",),
        _NO_BANKID_BIOMETRIC_CLAIMS,
        scopes=_NO_BANKID_SCOPES,
    ),
    Eid(
        "no-vipps",
        "Vipps",
        "Vipps MobilePay login",
        ("urn:grn:authn:no:vipps",),
        (
            Claim("name", "name"),
            Claim("given_name", "given_name"),
            Claim("family_name", "family_name"),
            Claim("birthdate", None, scopes=("birthdate",)),
            Claim("emailaddress", None, scopes=("email",)),
            Claim("mobilephone", None, scopes=("phone",)),
            Claim("address", None, scopes=("address",)),  # a JSON object
            Claim(
                "socialno",
                "custom:no_socialno",
                national_identifier=True,
                max_length=11,
                scopes=("ssn",),
            ),
            Claim("country", None),
            Claim("identityscheme", None),
            Claim("nameidentifier", None),
        ),
        scopes=("address", "email", "phone", "birthdate", "ssn"),
    ),
    Eid(
        "nl-idin",
        "iDIN",
        "Dutch iDIN",
        ("urn:grn:authn:nl:idin",),
        (
            # Without a profile scope iDIN gives "safe login": no personal data at all.
            Claim("family_name", None, scopes=_IDIN_FULL_ID),
            Claim("birthdate", None, scopes=_IDIN_FULL_ID),
            Claim("email", None, scopes=_IDIN_FULL_ID),
            Claim("phone_number", None, scopes=_IDIN_FULL_ID),
            Claim("verified_claims", None),  # a JSON object; its content follows the profile
            Claim("identityscheme", None),
        ),
        scopes=("idin:full-id", "idin:re-id", "idin:safe-login", "idin:age-verification"),
    ),
    Eid(
        "de-personalausweis",
        "Personalausweis",
        "German Personalausweis (eID card)",
        ("urn:grn:authn:de:personalausweis",),
        (
            # Without a profile scope the profile is Pseudonym: sub only.
            Claim("given_name", None, scopes=_AUSWEIS_PROFILE_1),
            Claim("family_name", None, scopes=_AUSWEIS_PROFILE_1),
            Claim("birthdate", None, scopes=_AUSWEIS_PROFILE_1),
            Claim("birth_name", None, scopes=_AUSWEIS_PROFILE_1),
            Claim("place_of_birth", None, scopes=_AUSWEIS_PROFILE_1),
            Claim("nationality", None, scopes=_AUSWEIS_PROFILE_2),
            Claim("address", None, scopes=_AUSWEIS_PROFILE_2),  # a JSON object
            Claim("document_type", None, scopes=_AUSWEIS_PROFILE_3),
            Claim("issuing_state", None, scopes=_AUSWEIS_PROFILE_3),
            Claim("date_of_expiry", None, scopes=_AUSWEIS_PROFILE_3),
            Claim("residence_permit_i", None, scopes=_AUSWEIS_PROFILE_3),
            Claim("identityscheme", None),
            Claim("nameidentifier", None),
        ),
        scopes=("odis:Pseudonym", "odis:Profile1", "odis:Profile2", "odis:Profile3"),
        note=(
            "`sub` changes with a new card; Idura's shared test setup needs a login_hint "
            "(txinfo) that Cognito cannot send, so test with own credentials without a "
            "transaction-information template"
        ),
    ),
    Eid(
        "uk-oneid",
        "OneID",
        "United Kingdom OneID",
        ("urn:grn:authn:uk:oneid",),
        (
            # No preset: what a login returns depends on the product chosen.
            Claim("name", None, scopes=("oneid:profile",)),
            Claim("given_name", None, scopes=("oneid:profile",)),
            Claim("family_name", None, scopes=("oneid:profile",)),
            Claim("birthdate", None, scopes=("oneid:date_of_birth",)),
        ),
        scopes=(*_ONEID_PRODUCTS, *_ONEID_DATA_SCOPES),
        choose_one_scope=_ONEID_PRODUCTS,
        note=(
            "every login names exactly one product in `eid_scopes` (`oneid:product:id_check`, "
            "…), and the product decides which data scopes are answered"
        ),
    ),
    Eid(
        "fi-ftn",
        "FTN",
        "Finnish Trust Network",
        (
            "urn:grn:authn:fi:all",
            "urn:grn:authn:fi:bank-id",
            "urn:grn:authn:fi:bankid",  # Idura's docs spell it both ways
            "urn:grn:authn:fi:mobile-id",
        ),
        (
            Claim("name", "name"),
            Claim("given_name", "given_name"),
            Claim("family_name", "family_name"),
            Claim("birthdate", "birthdate"),
            Claim("hetu", "custom:fi_hetu", national_identifier=True, max_length=11),
            Claim("satu", None),
            Claim("country", None),
            Claim("identityscheme", None),
            Claim("nameidentifier", None),
        ),
        unsupported_reason=(
            "Finnish Trust Network requires private_key_jwt client authentication (Cognito "
            "sends a client secret), signed authorization requests (JAR) and encrypted ID "
            "token and userinfo responses, while Cognito needs the plainJson userinfo response "
            "strategy (Idura's Cognito guide); Cognito supports none of these"
        ),
    ),
)

NATIONAL_IDENTIFIER_CLAIMS = frozenset(
    claim.name for eid in KNOWN_EIDS for claim in eid.claims if claim.national_identifier
)


def find_eid(reference: str) -> tuple[Eid, str] | None:
    """The eID a config entry names (a short name or one of its acr URNs), with the acr to use."""
    for eid in KNOWN_EIDS:
        if reference == eid.short_name:
            return eid, eid.acr_values[0]
        if reference in eid.acr_values:
            return eid, reference
    return None


def known_names() -> list[str]:
    return [eid.short_name for eid in KNOWN_EIDS if eid.unsupported_reason is None]


def _claim_cell(claim: Claim) -> str:
    text = f"`{claim.name}`"
    if claim.attribute:
        text += f" → `{claim.attribute}`"
    needs = [f"scope `{claim.scopes[0]}`"] if claim.scopes else []
    if claim.setting:
        needs.append(f"setting `{claim.setting}`")
    if claim.attribute and claim.national_identifier:
        needs.insert(0, "opt-in")
    return text + (f" ({', '.join(needs)})" if needs else "")


def markdown_table() -> str:
    """The table of known eIDs as docs/eids.md shows it (a test keeps the two identical)."""
    rows = [
        "| short name | provider name | acr URN(s) | claims → Cognito attribute (preset) "
        "| scopes (besides `openid`) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for eid in KNOWN_EIDS:
        claims = ", ".join(_claim_cell(c) for c in eid.claims)
        if eid.note:
            claims += f". *{eid.note[0].upper()}{eid.note[1:]}.*"
        name = f"`{eid.short_name}`" + (" (refused)" if eid.unsupported_reason else "")
        acrs = "<br>".join(f"`{acr}`" for acr in eid.acr_values)
        scopes = ", ".join(
            f"`{s}`" + (" (refused)" if s in eid.refused_scopes else "") for s in eid.scopes
        )
        rows.append(f"| {name} | `{eid.provider_name}` | {acrs} | {claims} | {scopes or 'none'} |")
    return "\n".join(rows)
