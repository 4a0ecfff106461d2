"""Which Cognito identity providers an environment gets, and what each maps into the pool.

Pure data, no cdktf: the config validators call it to find problems before anything is built,
and the stack calls it to build. Without eIDs there is one provider and Criipto shows its eID
picker; with eIDs there is one provider per eID, each pinned to it by its acr value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from criipto import eids
from criipto.eids import Eid
from stacks import cognito_rules as rules
from stacks.problems import KeyProblem

CUSTOM_PREFIX = "custom:"
# Cognito's standard user pool attributes (OIDC standard claims).
STANDARD_ATTRIBUTES = frozenset(
    {
        "address", "birthdate", "email", "email_verified", "family_name", "gender",
        "given_name", "locale", "middle_name", "name", "nickname", "phone_number",
        "phone_number_verified", "picture", "preferred_username", "profile", "updated_at",
        "website", "zoneinfo",
    }
)  # fmt: skip
# Every provider maps the eID's stable subject to the Cognito username.
USERNAME_MAPPING = {"username": "sub"}
CUSTOM_ATTRIBUTE_DEFAULT_MAX_LENGTH = 256


@dataclass(frozen=True)
class ProviderPlan:
    provider_name: str
    eid: Eid | None  # None: Criipto's picker
    acr: str | None
    attribute_mapping: Mapping[str, str]  # Cognito attribute -> claim


@dataclass(frozen=True)
class FederationPlan:
    providers: tuple[ProviderPlan, ...]
    custom_attributes: Mapping[str, int]  # name without "custom:" -> max length


def plan_federation(
    *,
    provider_name: str,
    eid_references: Sequence[str],
    provider_names: Mapping[str, str],
    attribute_mapping: Mapping[str, str | bool],
    store_national_identifiers: bool,
) -> FederationPlan:
    """The providers and custom attributes for one environment; KeyProblem on bad input."""
    selected = _resolve_eids(eid_references)
    names = _provider_names(selected, provider_names)
    _check_overrides(selected, attribute_mapping, store_national_identifiers)
    providers: tuple[ProviderPlan, ...]
    if not selected:
        mapping = _apply_overrides({}, None, attribute_mapping)
        providers = (ProviderPlan(provider_name, None, None, {**USERNAME_MAPPING, **mapping}),)
    else:
        providers = tuple(
            ProviderPlan(
                names[reference],
                eid,
                acr,
                {
                    **USERNAME_MAPPING,
                    **_apply_overrides(
                        _preset(eid, store_national_identifiers), eid, attribute_mapping
                    ),
                },
            )
            for reference, (eid, acr) in selected.items()
        )
    return FederationPlan(providers, _custom_attributes(providers))


def _resolve_eids(references: Sequence[str]) -> dict[str, tuple[Eid, str]]:
    selected: dict[str, tuple[Eid, str]] = {}
    for reference in references:
        found = eids.find_eid(reference)
        if found is None:
            raise KeyProblem(
                "eids",
                f"unknown eID {reference!r}; known: {', '.join(eids.known_names())} "
                "(or one of their acr URNs)",
            )
        eid = found[0]
        if eid.unsupported_reason:
            raise KeyProblem("eids", f"{reference!r} cannot be used: {eid.unsupported_reason}")
        if reference in selected:
            raise KeyProblem("eids", f"lists {reference!r} twice")
        selected[reference] = found
    return selected


def _provider_names(
    selected: Mapping[str, tuple[Eid, str]], overrides: Mapping[str, str]
) -> dict[str, str]:
    for reference, name in overrides.items():
        if reference not in selected:
            raise KeyProblem(f"provider_names.{reference}", "names no eID listed in eids")
        problem = rules.provider_name_problem(name)
        if problem:
            raise KeyProblem(f"provider_names.{reference}", problem)
    names = {ref: overrides.get(ref, eid.provider_name) for ref, (eid, _) in selected.items()}
    seen: dict[str, str] = {}
    for reference, name in names.items():
        if name in seen:
            raise KeyProblem(
                "provider_names",
                f"{seen[name]!r} and {reference!r} would both be the provider {name!r}: "
                "give one another name here",
            )
        seen[name] = reference
    return names


def _check_overrides(
    selected: Mapping[str, tuple[Eid, str]],
    overrides: Mapping[str, str | bool],
    store_national_identifiers: bool,
) -> None:
    candidates = [eid for eid, _ in selected.values()] or [
        eid for eid in eids.KNOWN_EIDS if eid.unsupported_reason is None
    ]
    for claim, attribute in overrides.items():
        key = f"attribute_mapping.{claim}"
        returning = [eid.short_name for eid in candidates if eid.claim(claim) is not None]
        if not returning:
            scope = "the listed eIDs" if selected else "any known eID"
            raise KeyProblem(key, f"{claim!r} is not a claim {scope} return")
        if attribute is True:
            raise KeyProblem(key, "give the Cognito attribute, or false to drop the mapping")
        if attribute is False:
            continue
        problem = attribute_problem(attribute)
        if problem:
            raise KeyProblem(key, problem)
        if claim in eids.NATIONAL_IDENTIFIER_CLAIMS and not store_national_identifiers:
            raise KeyProblem(
                key,
                f"{claim!r} is a national identifier: storing it needs "
                "store_national_identifiers = true (see README, personal data)",
            )


def attribute_problem(attribute: str) -> str | None:
    """Why ``attribute`` cannot receive a claim in Cognito, or None."""
    if attribute.startswith(CUSTOM_PREFIX):
        problem = rules.custom_attribute_name_problem(attribute.removeprefix(CUSTOM_PREFIX))
        return f"custom attribute name {problem}" if problem else None
    if attribute == "username":
        return '"username" always receives "sub", the eID\'s stable subject'
    if attribute not in STANDARD_ATTRIBUTES:
        return f"{attribute!r} is neither a standard Cognito attribute nor custom:<name>"
    if len(attribute) > rules.ATTRIBUTE_MAPPING_KEY_MAX:
        return f"at most {rules.ATTRIBUTE_MAPPING_KEY_MAX} characters"
    return None


def _preset(eid: Eid, store_national_identifiers: bool) -> dict[str, str]:
    """Cognito attribute -> claim, as the eID table suggests."""
    return {
        claim.attribute: claim.name
        for claim in eid.claims
        if claim.attribute and (store_national_identifiers or not claim.national_identifier)
    }


def _apply_overrides(
    preset: Mapping[str, str], eid: Eid | None, overrides: Mapping[str, str | bool]
) -> dict[str, str]:
    mapping = dict(preset)
    for claim, attribute in overrides.items():
        if eid is not None and eid.claim(claim) is None:
            continue  # another listed eID returns this claim
        mapping = {a: c for a, c in mapping.items() if c != claim}
        if isinstance(attribute, str):
            if attribute in mapping:
                raise KeyProblem(
                    f"attribute_mapping.{claim}",
                    f"{attribute!r} already receives {mapping[attribute]!r}"
                    + (f" from {eid.short_name}" if eid else ""),
                )
            mapping[attribute] = claim
    return dict(sorted(mapping.items()))


def _custom_attributes(providers: Sequence[ProviderPlan]) -> dict[str, int]:
    lengths: dict[str, int] = {}
    for provider in providers:
        for attribute, claim_name in provider.attribute_mapping.items():
            if not attribute.startswith(CUSTOM_PREFIX):
                continue
            claim = provider.eid.claim(claim_name) if provider.eid else None
            if claim is None:
                claim = next(
                    (c for e in eids.KNOWN_EIDS if (c := e.claim(claim_name)) is not None), None
                )
            length = claim.max_length if claim else CUSTOM_ATTRIBUTE_DEFAULT_MAX_LENGTH
            name = attribute.removeprefix(CUSTOM_PREFIX)
            lengths[name] = max(lengths.get(name, 0), length)
    return dict(sorted(lengths.items()))
