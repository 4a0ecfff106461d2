"""The eIDs this project knows: acr values, default Cognito provider names, and their claims.

Claims follow Idura's documented token contents ("JWT payloads per eID type"). ``attribute`` is
where a claim goes in Cognito by default: a standard attribute where one fits, else a custom
attribute; None leaves the claim unmapped unless the config maps it. National identifiers are
personal data and are only ever stored when the config switches that on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:
    name: str
    attribute: str | None
    national_identifier: bool = False
    max_length: int = 256  # for a custom attribute's schema constraints


@dataclass(frozen=True)
class Eid:
    short_name: str
    provider_name: str  # the default Cognito identity provider name (3-32 characters)
    title: str
    acr_values: tuple[str, ...]  # the first is used for the short name
    claims: tuple[Claim, ...]
    unsupported_reason: str | None = None

    def claim(self, name: str) -> Claim | None:
        return next((c for c in self.claims if c.name == name), None)


_MITID_CLAIMS = (
    Claim("name", "name"),
    Claim("birthdate", "birthdate"),
    Claim("uuid", "custom:dk_mitid_uuid", max_length=36),
    Claim("cprNumberIdentifier", "custom:dk_cpr", national_identifier=True, max_length=10),
    Claim("age", None),
    Claim("country", None),
    Claim("identityscheme", None),
)
_SE_BANKID_CLAIMS = (
    Claim("name", "name"),
    Claim("given_name", "given_name"),
    Claim("family_name", "family_name"),
    Claim("ssn", "custom:se_ssn", national_identifier=True, max_length=12),
    Claim("country", None),
    Claim("ipaddress", None),
    Claim("identityscheme", None),
)
_NO_BANKID_CLAIMS = (
    Claim("name", "name"),
    Claim("given_name", "given_name"),
    Claim("family_name", "family_name"),
    Claim("birthdate", "birthdate"),
    # Identifies the person like socialno does, but Idura documents it as not sensitive.
    Claim("uniqueuserid", "custom:no_bankid_uid", max_length=64),
    Claim("socialno", "custom:no_socialno", national_identifier=True, max_length=11),
    Claim("country", None),
    Claim("certissuer", None),
    Claim("certsubject", None),
    Claim("identityscheme", None),
)

KNOWN_EIDS: tuple[Eid, ...] = (
    Eid(
        "dk-mitid-low",
        "MitID-Low",
        "Danish MitID, low assurance",
        ("urn:grn:authn:dk:mitid:low",),
        _MITID_CLAIMS,
    ),
    Eid(
        "dk-mitid-substantial",
        "MitID",
        "Danish MitID, substantial assurance",
        ("urn:grn:authn:dk:mitid:substantial",),
        _MITID_CLAIMS,
    ),
    Eid(
        "dk-mitid-high",
        "MitID-High",
        "Danish MitID, high assurance",
        ("urn:grn:authn:dk:mitid:high",),
        _MITID_CLAIMS,
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
    ),
    Eid(
        "no-bankid",
        "NO-BankID",
        "Norwegian BankID",
        ("urn:grn:authn:no:bankid",),
        _NO_BANKID_CLAIMS,
    ),
    Eid(
        "fi-ftn",
        "FTN",
        "Finnish Trust Network",
        ("urn:grn:authn:fi:all", "urn:grn:authn:fi:bank-id", "urn:grn:authn:fi:mobile-id"),
        (
            Claim("name", "name"),
            Claim("hetu", "custom:fi_hetu", national_identifier=True, max_length=11),
        ),
        unsupported_reason=(
            "Finnish Trust Network requires private_key_jwt client authentication and "
            "encrypted ID tokens, which Cognito does not support"
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


def markdown_table() -> str:
    """The table of known eIDs as the README shows it (a test keeps the two identical)."""
    rows = [
        "| short name | provider name | acr URN(s) | claims → Cognito attribute (preset) |",
        "| --- | --- | --- | --- |",
    ]
    for eid in KNOWN_EIDS:
        claims = ", ".join(
            f"`{c.name}`"
            + (f" → `{c.attribute}`" if c.attribute else "")
            + (" (opt-in)" if c.attribute and c.national_identifier else "")
            for c in eid.claims
        )
        name = f"`{eid.short_name}`" + (" (refused)" if eid.unsupported_reason else "")
        acrs = "<br>".join(f"`{acr}`" for acr in eid.acr_values)
        rows.append(f"| {name} | `{eid.provider_name}` | {acrs} | {claims} |")
    return "\n".join(rows)
