"""Which Cognito identity providers a federation gets, what each maps and which scopes it asks.

The one home of the eID rules. ``FederationOptions`` is what is asked for, from the config's
``[criipto]`` table or from code; making one checks it and computes its ``plan``, once. Pure
data, no pydantic, no cdktf. Without eIDs there is one provider and Criipto shows its eID
picker; with eIDs there is one provider per eID, each pinned to it by its acr value.

Scopes: a mapped claim that Idura releases only for a scope adds that scope to its provider's
``authorize_scopes`` (config cannot get this wrong, so it is derived, not asked for); a mapped
claim that needs a dashboard setting must have that setting acknowledged in the config, because
nothing here can switch it on or see it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, ClassVar

from criipto import eids
from criipto.eids import Claim, Eid
from stacks.rules import addresses, limits
from stacks.rules import cognito as rules
from stacks.rules.federation import (
    DEFAULT_AUTHORIZE_SCOPES,
    DEFAULT_PROVIDER_NAME,
    OPENID,
    authorize_scopes_problem,
)
from stacks.rules.problems import PropError, raise_all
from stacks.rules.schema import TABLE, Rule

CUSTOM_PREFIX = "custom:"
STANDARD_ATTRIBUTES = rules.STANDARD_ATTRIBUTES
CUSTOM_ATTRIBUTE_DEFAULT_MAX_LENGTH = 256
# The scopes Idura's scope parameter defines for every eID (docs: "The 'scope' parameter").
# Without eIDs only these are derived: the picker may end at any eID, and eID-specific scopes
# (iDIN or Personalausweis profiles) change what a login costs.
GENERIC_IDURA_SCOPES = ("address", "email", "phone", "birthdate", "ssn")


@dataclass(frozen=True)
class ProviderPlan:
    provider_name: str
    eid: Eid | None  # None: Criipto's picker
    acr: str | None
    attribute_mapping: Mapping[str, str]  # Cognito attribute -> claim
    authorize_scopes: tuple[str, ...]  # what Cognito asks Criipto for; "openid" first

    def value_length(self, attribute: str) -> int:
        """The longest value a sign-in through this provider writes into ``attribute``."""
        return needed_length(self.eid, self.attribute_mapping[attribute])

    @property
    def mapped_attributes(self) -> tuple[str, ...]:
        """The attributes a sign-in through this provider writes (``username`` is not one)."""
        return tuple(attribute for attribute in self.attribute_mapping if attribute != "username")


@dataclass(frozen=True)
class FederationPlan:
    providers: tuple[ProviderPlan, ...]
    custom_attributes: Mapping[str, int]  # name without "custom:" -> max length

    @property
    def mapped_attributes(self) -> tuple[str, ...]:
        """Every attribute some provider writes at a sign-in: standard ones, then custom."""
        found = {attribute for p in self.providers for attribute in p.mapped_attributes}
        return tuple(sorted(found, key=lambda a: (a.startswith(CUSTOM_PREFIX), a)))


def _attribute_or_false_problem(value: object) -> str | None:
    if not isinstance(value, str | bool):
        return 'must be a Cognito attribute (a string, e.g. "name") or false'
    return None


@dataclass(frozen=True)
class FederationOptions:
    """What a federation asks Criipto for: Criipto's eID picker, or one provider per eID, and
    what each maps into the pool. Every option is the config key of the same name in
    ``[criipto]`` (docs/eids.md).

    provider_name: the picker's one provider. Default: None, ``"Criipto"``; without eids only.
    authorize_scopes: what Cognito asks Criipto for; the mapped claims' scopes are added.
        Default: None, ``("openid",)``; without eids only.
    eids: one provider per eID (short names or acr URNs). Default: none, the picker.
    provider_names: eID -> provider name. Default: each eID's own (``MitID``, ...).
    attribute_mapping: claim -> Cognito attribute, or False to drop a preset mapping, on top
        of each eID's preset. Default: the presets.
    store_national_identifiers: map national identifiers (CPR, personnummer). Default: False.
    eid_scopes: eID -> scopes beyond what its mapped claims need. Default: none.
    dashboard_settings: Idura dashboard switches that are on. Default: none.

    Checked when made: a broken rule raises PropError naming the option (``attribute_mapping.x``
    for a key of it). ``plan`` holds the result: the providers and the custom attributes.
    """

    __pydantic_config__: ClassVar[dict[str, object]] = TABLE
    provider_name: Annotated[str, Rule(rules.provider_name_problem)] | None = None
    authorize_scopes: (
        Annotated[Sequence[str], limits.AUTHORIZE_SCOPES, Rule(authorize_scopes_problem)] | None
    ) = None
    eids: Annotated[Sequence[str], limits.EIDS] = ()
    provider_names: Annotated[Mapping[str, str], limits.PROVIDER_NAMES] = field(
        default_factory=dict
    )
    attribute_mapping: Annotated[
        Mapping[str, Annotated[str | bool, Rule(_attribute_or_false_problem, before=True)]],
        limits.ATTRIBUTE_MAPPING,
    ] = field(default_factory=dict)
    store_national_identifiers: bool = False
    eid_scopes: Annotated[
        Mapping[str, Annotated[Sequence[str], limits.EID_SCOPE_LIST]], limits.EID_SCOPES
    ] = field(default_factory=dict)
    dashboard_settings: Annotated[Sequence[str], limits.DASHBOARD_SETTINGS] = ()
    plan: FederationPlan = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "plan", _plan(self))


def _plan(options: FederationOptions) -> FederationPlan:
    overrides = options.attribute_mapping
    settings = options.dashboard_settings
    # Every option is checked before any problem is raised, so that one run names them all;
    # what reads which eIDs are listed waits for eids to be right.
    problems = list(_picker_option_problems(options))
    selected, eid_problems = _resolve_eids(options.eids)
    problems += eid_problems
    names: dict[str, str] = {}
    if not eid_problems:
        names, name_problems = _provider_names(selected, options.provider_names)
        problems += name_problems
    problems += _dashboard_setting_problems(settings)
    extra_scopes: dict[str, tuple[str, ...]] = {}
    if not eid_problems:
        problems += _override_problems(selected, overrides, options.store_national_identifiers)
        extra_scopes, scope_problems = _eid_scopes(selected, options.eid_scopes)
        problems += scope_problems
    raise_all(problems)
    providers: tuple[ProviderPlan, ...]
    if not selected:
        mapping = {**eids.USERNAME_MAPPING, **_apply_overrides({}, None, overrides)}
        needed = _picker_needs(mapping, overrides, settings)
        asked = options.authorize_scopes
        scopes = _unique([*(DEFAULT_AUTHORIZE_SCOPES if asked is None else asked), *needed])
        name = options.provider_name
        name = DEFAULT_PROVIDER_NAME if name is None else name
        providers = (ProviderPlan(name, None, None, mapping, scopes),)
    else:
        plans = []
        for reference, (eid, acr) in selected.items():
            preset = _preset(eid, options.store_national_identifiers)
            mapping = {**eids.USERNAME_MAPPING, **_apply_overrides(preset, eid, overrides)}
            extra = extra_scopes.get(reference, ())
            needed = _eid_needs(eid, mapping, overrides, settings, extra)
            scopes = _unique([OPENID, *needed, *extra])
            plans.append(ProviderPlan(names[reference], eid, acr, mapping, scopes))
        providers = tuple(plans)
    return FederationPlan(providers, _custom_attributes(providers))


def _picker_option_problems(options: FederationOptions) -> Iterator[PropError]:
    """provider_name and authorize_scopes shape the picker's one provider, nothing else."""
    if options.provider_name is not None:
        problem = rules.provider_name_problem(options.provider_name) or _taken_problem(
            options.provider_name
        )
        if options.eids:
            yield PropError(
                "provider_name", "applies only without eids; name eID providers in provider_names"
            )
        elif problem:
            yield PropError("provider_name", problem)
    if options.authorize_scopes is not None:
        problem = authorize_scopes_problem(options.authorize_scopes)
        if options.eids:
            yield PropError(
                "authorize_scopes",
                "applies only without eids; each eID provider asks for the scopes its claims "
                "need, and eid_scopes adds more",
            )
        elif problem:
            yield PropError("authorize_scopes", problem)


def _unique(scopes: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(scopes))


def find_usable_eid(reference: str) -> tuple[Eid, str]:
    """The eID and acr value ``reference`` (a short name or acr URN) names; PropError ("eids")
    for an unknown eID or one this project cannot federate."""
    found = eids.find_eid(reference)
    if found is None:
        raise PropError(
            "eids",
            f"unknown eID {reference!r}; known: {', '.join(eids.known_names())} "
            "(or one of their acr URNs)",
        )
    eid = found[0]
    if eid.unsupported_reason:
        raise PropError("eids", f"{reference!r} cannot be used: {eid.unsupported_reason}")
    return found


def _resolve_eids(
    references: Sequence[str],
) -> tuple[dict[str, tuple[Eid, str]], list[PropError]]:
    """The listed eIDs by reference, and a problem for each reference that names none."""
    selected: dict[str, tuple[Eid, str]] = {}
    problems: list[PropError] = []
    for reference in references:
        try:
            found = find_usable_eid(reference)
        except PropError as problem:
            problems.append(problem)
            continue
        if reference in selected:
            problems.append(PropError("eids", f"lists {reference!r} twice"))
        selected[reference] = found
    return selected, problems


def _provider_names(
    selected: Mapping[str, tuple[Eid, str]], overrides: Mapping[str, str]
) -> tuple[dict[str, str], list[PropError]]:
    """Each listed eID's provider name, and the problems of the names given."""
    problems: list[PropError] = []
    for reference, name in overrides.items():
        problem = rules.provider_name_problem(name)
        if reference not in selected:
            problems.append(PropError(f"provider_names.{reference}", "names no eID listed in eids"))
        elif problem:
            problems.append(PropError(f"provider_names.{reference}", problem))
    names = {ref: overrides.get(ref, eid.provider_name) for ref, (eid, _) in selected.items()}
    if problems:
        return names, problems  # a collision among names that are wrong anyway says nothing
    seen: dict[str, str] = {}
    for reference, name in names.items():
        if name in seen:
            problems.append(
                PropError(
                    "provider_names",
                    f"{seen[name]!r} and {reference!r} would both be the provider {name!r}: "
                    "give one another name here",
                )
            )
        seen[name] = reference
    return names, problems or list(_provider_address_problems(names, overrides))


def _taken_problem(provider_name: str) -> str | None:
    """Why ``provider_name`` would clash with a name the stack has already, or None."""
    name = addresses.identity_provider_name(provider_name)
    if name in addresses.STACK_NAMES:
        return (
            f"{provider_name!r} would be named {name!r} in the stack, which already has that "
            "name (another resource, an output or a variable): choose another provider name"
        )
    return None


def _provider_address_problems(
    names: Mapping[str, str], overrides: Mapping[str, str]
) -> Iterator[PropError]:
    """Two provider names that would share one Terraform address, and a name the stack has
    already."""
    seen: dict[str, str] = {}
    for reference, name in names.items():
        key = f"provider_names.{reference}" if reference in overrides else "provider_names"
        taken = _taken_problem(name)
        if taken:
            yield PropError(key, taken)
            continue
        address = addresses.identity_provider_address(name)
        if address not in seen:
            seen[address] = name
            continue
        yield PropError(
            key,
            f"provider names {seen[address]!r} and {name!r} would both be "
            f"the Terraform resource {address}: give {reference!r} a name that differs "
            "in more than case and punctuation",
        )


def _override_problems(
    selected: Mapping[str, tuple[Eid, str]],
    overrides: Mapping[str, str | bool],
    store_national_identifiers: bool,
) -> Iterator[PropError]:
    """Each mapped claim's problem, if it has one."""
    candidates = [eid for eid, _ in selected.values()] or _supported_eids()
    for claim, attribute in overrides.items():
        problem = _override_problem(
            claim, attribute, candidates, bool(selected), store_national_identifiers
        )
        if problem is not None:
            yield PropError(f"attribute_mapping.{claim}", problem)


def claim_length(eid: Eid | None, claim_name: str) -> int | None:
    """The longest value of ``claim_name`` from ``eid``, or from any eID Criipto's picker (None)
    may end at; None when a source documents no bound."""
    sources = [eid] if eid is not None else _supported_eids()
    claims = [claim for source in sources if (claim := source.claim(claim_name)) is not None]
    if not claims:
        return CUSTOM_ATTRIBUTE_DEFAULT_MAX_LENGTH
    lengths = [claim.max_length for claim in claims]
    return None if None in lengths else max(length for length in lengths if length is not None)


def needed_length(eid: Eid | None, claim_name: str) -> int:
    """The room an attribute needs for ``claim_name`` from ``eid`` (None: the picker); a claim
    without a documented bound needs more than any attribute holds."""
    length = claim_length(eid, claim_name)
    return rules.ATTRIBUTE_VALUE_MAX + 1 if length is None else length


def _oversized_problem(claim: str, candidates: Sequence[Eid]) -> str | None:
    """Why no Cognito attribute can hold ``claim`` from the ``candidates``, or None."""
    for eid in candidates:
        length = claim_length(eid, claim) if eid.returns(claim) else 0
        if length is None or length > rules.ATTRIBUTE_VALUE_MAX:
            size = "has no documented bound" if length is None else f"can be {length} characters"
            return (
                f"{claim!r} from {eid.short_name} {size}, and a Cognito attribute holds at most "
                f"{rules.ATTRIBUTE_VALUE_MAX}: a longer value fails the sign-in (AWS developer "
                "guide, mapping IdP attributes)"
            )
    return None


def _override_problem(
    claim: str,
    attribute: str | bool,
    candidates: Sequence[Eid],
    listed: bool,
    store_national_identifiers: bool,
) -> str | None:
    if not any(eid.returns(claim) for eid in candidates):
        blocked = next((eid for eid in candidates if eid.claim(claim) is not None), None)
        if blocked is not None:
            scope = (blocked.claim(claim) or Claim(claim, None)).scopes[0]
            return (
                f"{blocked.short_name} releases {claim!r} only for the scope {scope!r}, "
                f"which {blocked.refused_scopes[scope]}"
            )
        return f"{claim!r} is not a claim {'the listed eIDs' if listed else 'any known eID'} return"
    if attribute is True:
        return "give the Cognito attribute, or false to drop the mapping"
    if attribute is False:
        return None
    problem = attribute_problem(attribute) or _oversized_problem(claim, candidates)
    national = claim in eids.NATIONAL_IDENTIFIER_CLAIMS
    if problem is None and national and not store_national_identifiers:
        return (
            f"{claim!r} is a national identifier: storing it needs "
            "store_national_identifiers = true (see docs/eids.md, personal data)"
        )
    return problem


def _supported_eids() -> list[Eid]:
    return [eid for eid in eids.KNOWN_EIDS if eid.unsupported_reason is None]


def _dashboard_setting_problems(settings: Sequence[str]) -> Iterator[PropError]:
    for setting in settings:
        if setting not in eids.DASHBOARD_SETTINGS:
            yield PropError(
                "dashboard_settings",
                f"unknown setting {setting!r}; known: {', '.join(eids.DASHBOARD_SETTINGS)}",
            )
    if len(set(settings)) != len(settings):
        yield PropError("dashboard_settings", "lists a setting twice")


def _eid_scopes(
    selected: Mapping[str, tuple[Eid, str]], eid_scopes: Mapping[str, Sequence[str]]
) -> tuple[dict[str, tuple[str, ...]], list[PropError]]:
    """The extra scopes per listed eID, each one Cognito and Idura both accept; the problem of
    each eID's list that has one."""
    problems = [
        PropError(f"eid_scopes.{reference}", problem)
        for reference, scopes in eid_scopes.items()
        if (problem := _eid_scopes_problem(selected.get(reference), scopes)) is not None
    ]
    bad = {problem.prop for problem in problems}
    problems += [
        PropError(f"eid_scopes.{reference}", problem)
        for reference, (eid, _) in selected.items()
        if f"eid_scopes.{reference}" not in bad
        and (problem := _chosen_scope_problem(reference, eid, eid_scopes.get(reference, ())))
    ]
    return {reference: tuple(scopes) for reference, scopes in eid_scopes.items()}, problems


def _eid_scopes_problem(listed: tuple[Eid, str] | None, scopes: Sequence[str]) -> str | None:
    if listed is None:
        return "names no eID listed in eids"
    eid = listed[0]
    for scope in scopes:
        if not rules.oauth_scope_ok(scope):
            return (
                f"{scope!r} is not a scope Cognito accepts (1-{rules.SCOPE_MAX} printable "
                "ASCII characters, no spaces, quotes or backslashes)"
            )
        if scope in eid.refused_scopes:
            return f"{scope!r} cannot be used with {eid.short_name}: it {eid.refused_scopes[scope]}"
        if scope != OPENID and scope not in eid.scopes:
            documented = ", ".join(eid.scopes) if eid.scopes else "none"
            return (
                f"{scope!r} is not a scope Idura documents for {eid.short_name} "
                f"(documented: {documented})"
            )
    if len(set(scopes)) != len(scopes):
        return "lists a scope twice"
    return None


def _chosen_scope_problem(reference: str, eid: Eid, scopes: Sequence[str]) -> str | None:
    """Why the scopes of an eID whose every request names exactly one of some scopes (OneID's
    product) do not, or None."""
    if not eid.choose_one_scope:
        return None
    chosen = [scope for scope in scopes if scope in eid.choose_one_scope]
    if len(chosen) == 1:
        return None
    return (
        f"{eid.short_name} needs exactly one of {', '.join(eid.choose_one_scope)} "
        f"(got {len(chosen)}), e.g. "
        f'eid_scopes = {{ {reference} = ["{eid.choose_one_scope[0]}"] }}'
    )


def _eid_needs(
    eid: Eid,
    mapping: Mapping[str, str],
    overrides: Mapping[str, str | bool],
    settings: Sequence[str],
    requested: Sequence[str],
) -> list[str]:
    """The scopes the claims in ``mapping`` need from ``eid``; PropError for a missing setting."""
    choices: list[tuple[str, ...]] = []
    for claim_name in mapping.values():
        claim = eid.claim(claim_name)
        if claim is None:
            continue  # "sub"
        if claim.setting is not None and claim.setting not in settings:
            raise _missing_setting(claim, eid.short_name, overrides)
        usable = eid.usable_scopes(claim)
        if usable:
            choices.append(usable)
    return _choose_scopes(choices, requested)


def _picker_needs(
    mapping: Mapping[str, str], overrides: Mapping[str, str | bool], settings: Sequence[str]
) -> list[str]:
    """As _eid_needs for Criipto's picker: Idura's generic scopes of every eID that could answer."""
    needed: list[str] = []
    for claim_name in mapping.values():
        claims = [
            (eid, claim)
            for eid in _supported_eids()
            if eid.returns(claim_name) and (claim := eid.claim(claim_name)) is not None
        ]
        setting_claims = [claim for _, claim in claims if claim.setting is not None]
        if claims and len(setting_claims) == len(claims):
            claim = setting_claims[0]
            if claim.setting not in settings:
                raise _missing_setting(claim, "every eID returning it", overrides)
        for eid, claim in claims:
            usable = eid.usable_scopes(claim)
            if usable and usable[0] in GENERIC_IDURA_SCOPES:
                needed.append(usable[0])
    return sorted(set(needed), key=GENERIC_IDURA_SCOPES.index)


def _choose_scopes(choices: Sequence[tuple[str, ...]], requested: Sequence[str]) -> list[str]:
    """One scope for each claim's alternatives, reusing what is already asked for.

    The narrowest alternatives go first, so that nested profiles (Personalausweis: Profile1 is
    in Profile2) end up as one scope rather than two.
    """
    chosen: list[str] = []
    for alternatives in sorted(choices, key=len):
        if not any(scope in chosen or scope in requested for scope in alternatives):
            chosen.append(alternatives[0])
    return chosen


def _missing_setting(claim: Claim, source: str, overrides: Mapping[str, str | bool]) -> PropError:
    setting = eids.DASHBOARD_SETTINGS[claim.setting or ""]
    if claim.name in overrides:
        key = f"attribute_mapping.{claim.name}"
    elif claim.national_identifier:
        key = "store_national_identifiers"
    else:
        key = "eids"
    return PropError(
        key,
        f"{claim.name!r} ({source}) needs {setting.description}: switch it on, then add "
        f'"{setting.key}" to dashboard_settings',
    )


def read_attributes_problem(attributes: Sequence[str]) -> str | None:
    """Why ``attributes`` cannot be what an app client's tokens may carry, or None."""
    for attribute in attributes:
        problem = attribute_problem(attribute)
        if problem:
            return problem
    if len(set(attributes)) != len(attributes):
        return "lists an attribute twice"
    return None


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
        if claim.attribute
        and eid.returns(claim.name)
        and (store_national_identifiers or not claim.national_identifier)
    }


def _apply_overrides(
    preset: Mapping[str, str], eid: Eid | None, overrides: Mapping[str, str | bool]
) -> dict[str, str]:
    mapping = dict(preset)
    for claim, attribute in overrides.items():
        if eid is not None and not eid.returns(claim):
            continue  # another listed eID returns this claim
        mapping = {a: c for a, c in mapping.items() if c != claim}
        if isinstance(attribute, str):
            if attribute in mapping:
                raise PropError(
                    f"attribute_mapping.{claim}",
                    f"{attribute!r} already receives {mapping[attribute]!r}"
                    + (f" from {eid.short_name}" if eid else ""),
                )
            mapping[attribute] = claim
    return dict(sorted(mapping.items()))


def _custom_attributes(providers: Sequence[ProviderPlan]) -> dict[str, int]:
    """Each mapped custom attribute (without ``custom:``), as long as the longest claim any
    provider writes into it: a shorter one fails the sign-in that brings a longer value."""
    lengths: dict[str, int] = {}
    for provider in providers:
        for attribute in provider.mapped_attributes:
            if attribute.startswith(CUSTOM_PREFIX):
                name = attribute.removeprefix(CUSTOM_PREFIX)
                lengths[name] = max(lengths.get(name, 0), provider.value_length(attribute))
    return dict(sorted(lengths.items()))
