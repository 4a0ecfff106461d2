"""What Cognito checks only when a person signs in through an identity provider.

Terraform, moto and botocore's model accept a pool, providers and clients that break these
rules: Cognito applies them at each federated sign-in, when it creates or updates the user from
the claims the provider mapped, and then the sign-in fails. So they are checked here, before
deploy (the config and the constructs) and after it (``criipto-cognito doctor`` on the deployed
pool, ``rehearse`` on what a real login brings). What AWS says, read 2026-12:

- API reference, ``CreateUserPoolClient``, ``WriteAttributes``: "When you don't specify the
  WriteAttributes for your app client, your app can write the values of the Standard attributes
  of your user pool. [...] If your app client allows users to sign in through an IdP, this array
  must include all attributes that you have mapped to IdP attributes. [...] If your app client
  does not have write access to a mapped attribute, Amazon Cognito throws an error when it tries
  to update the attribute." ``ReadAttributes``' default names ``email_verified`` and
  ``phone_number_verified`` besides the standard attributes; ``WriteAttributes``' does not.
- API reference, ``SchemaAttributeType``, ``Mutable``: "Any user pool attribute whose value you
  map from an IdP attribute must be mutable [...] If an attribute is immutable, Amazon Cognito
  throws an error when it attempts to update the attribute." ``DeveloperOnlyAttribute``: such an
  attribute "can be modified using the API but cannot be updated using the API by apps"; no app
  client can write it, so no sign-in can either.
- Developer guide, "Mapping IdP attributes to profiles and tokens": "A mapping must be present
  for each user pool attribute that your user pool requires"; "For each mapped user pool
  attribute, the maximum value length of 2048 characters must be large enough for the value
  that Amazon Cognito obtains from the IdP", else Cognito "reports an error" at sign-in. A
  custom string attribute holds at most its ``MaxLength`` (``StringAttributeConstraintsType``);
  ``AttributeType.Value`` is at most 2,048 characters for every attribute.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stacks.rules.cognito import ATTRIBUTE_VALUE_MAX
from stacks.rules.federation_plan import CUSTOM_PREFIX, STANDARD_ATTRIBUTES

# The two flags are standard attributes that AWS's default read access names and its default
# write access does not.
VERIFIED_FLAGS = frozenset({"email_verified", "phone_number_verified"})
# What a client without WriteAttributes may write (AWS's default): the standard attributes.
DEFAULT_WRITE_ATTRIBUTES = STANDARD_ATTRIBUTES - VERIFIED_FLAGS
# Cognito fills ``sub`` itself; every other required attribute must come from the IdP.
SELF_FILLED = frozenset({"sub"})
USERNAME = "username"  # not an attribute a client writes: Cognito derives it from ``sub``
# How DescribeUserPool names a developer-only custom attribute: ``dev:custom:<name>``.
_DEVELOPER_PREFIX = "dev:"


def attribute_order(attribute: str) -> tuple[bool, str]:
    """Standard attributes first, then custom ones, each alphabetically (a stable plan)."""
    return attribute.startswith(CUSTOM_PREFIX), attribute


def writable(write_attributes: Collection[str] | None) -> frozenset[str]:
    """What a client may write: its ``write_attributes``, or AWS's default when unset."""
    return DEFAULT_WRITE_ATTRIBUTES if write_attributes is None else frozenset(write_attributes)


def unwritable(write_attributes: Collection[str] | None, mapped: Collection[str]) -> list[str]:
    """The ``mapped`` attributes a client with ``write_attributes`` (None: AWS's default) cannot
    write: each one fails every sign-in through a provider that maps it."""
    allowed = writable(write_attributes)
    missing = {attribute for attribute in mapped if attribute != USERNAME} - allowed
    return sorted(missing, key=attribute_order)


def write_attributes_for(
    write_attributes: Sequence[str] | None, mapped: Collection[str]
) -> list[str]:
    """What the stack writes as a client's write attributes: the given list as it is, or, when
    unset, AWS's default (the standard attributes) and every attribute the providers map, so
    that the plan shows what the client may write and every sign-in can write what it maps."""
    if write_attributes is not None:
        return list(write_attributes)
    wanted = set(DEFAULT_WRITE_ATTRIBUTES) | {a for a in mapped if a != USERNAME}
    return sorted(wanted, key=attribute_order)


def unwritable_problem(missing: Sequence[str]) -> str | None:
    """The config's and the constructs' line for a ``write_attributes`` lacking ``missing``."""
    if not missing:
        return None
    return (
        "must include every attribute the identity providers map, or each federated sign-in "
        f"fails when Cognito writes it (AWS, CreateUserPoolClient WriteAttributes): add "
        f"{', '.join(map(repr, missing))}, or leave write_attributes unset and the stack writes "
        "them"
    )


@dataclass(frozen=True)
class PoolAttribute:
    """One attribute of a pool's schema, as far as a sign-in cares."""

    name: str  # as AWS names it in a mapping: ``email``, ``custom:dk_mitid_uuid``
    data_type: str = "String"
    mutable: bool = True
    required: bool = False
    developer_only: bool = False
    max_length: int | None = None  # a string attribute's MaxLength; None: AWS's 2,048

    @classmethod
    def from_aws(cls, entry: Mapping[str, Any]) -> PoolAttribute:
        """From an entry of ``DescribeUserPool``'s ``SchemaAttributes`` (custom attributes
        carry their ``custom:`` there, developer-only ones ``dev:custom:``; AWS's defaults where
        a key is absent)."""
        constraints = entry.get("StringAttributeConstraints") or {}
        raw_max = constraints.get("MaxLength")
        name = str(entry.get("Name", ""))
        return cls(
            name=name.removeprefix(_DEVELOPER_PREFIX),
            data_type=str(entry.get("AttributeDataType") or "String"),
            mutable=entry.get("Mutable", True) is not False,
            required=entry.get("Required") is True,
            developer_only=entry.get("DeveloperOnlyAttribute") is True
            or name.startswith(_DEVELOPER_PREFIX),
            max_length=int(raw_max)
            if isinstance(raw_max, str | int) and str(raw_max).isdigit()
            else None,
        )

    @property
    def capacity(self) -> int:
        """The longest value a sign-in can write into it."""
        if self.max_length is None:
            return ATTRIBUTE_VALUE_MAX
        return min(self.max_length, ATTRIBUTE_VALUE_MAX)


def schema_by_name(entries: Sequence[Mapping[str, Any]]) -> dict[str, PoolAttribute]:
    """``DescribeUserPool``'s ``SchemaAttributes`` by attribute name."""
    attributes = (PoolAttribute.from_aws(entry) for entry in entries)
    return {attribute.name: attribute for attribute in attributes}


def mapped_attribute_problem(
    attribute: str, needed_length: int, found: PoolAttribute | None
) -> str | None:
    """Why a sign-in cannot write a claim of up to ``needed_length`` characters into the pool's
    ``attribute`` (``found``: its schema entry, None when the pool has none), or None."""
    if found is None:
        if attribute.startswith(CUSTOM_PREFIX):
            return "not in the pool's schema: Cognito has nowhere to write the claim"
        return None  # a standard attribute every pool has
    if not found.mutable:
        return (
            "immutable: Cognito rewrites a mapped attribute at every sign-in, so the second "
            "sign-in of each user fails (AWS, SchemaAttributeType Mutable)"
        )
    if found.developer_only:
        return "developer-only: no app client, and so no sign-in, may write it"
    if found.capacity < needed_length:
        return (
            f"holds at most {found.capacity} characters, and the claim can be {needed_length}: "
            "a longer value fails the sign-in"
        )
    return None


def required_unmapped(required: Collection[str], mapping: Collection[str]) -> list[str]:
    """The ``required`` attributes a provider's ``mapping`` (its attribute names) leaves empty:
    each fails every sign-in through that provider."""
    return sorted(set(required) - SELF_FILLED - set(mapping), key=attribute_order)


def value_length_problem(length: int, capacity: int) -> str | None:
    """Why a value of ``length`` characters does not fit an attribute of ``capacity``, or None.

    AWS does not say how it counts; callers give :func:`cognito.aws_length`, the stricter of
    the counts a Java service may use (a character outside the Basic Multilingual Plane is two).
    """
    if length > capacity:
        return f"{length} characters, over the attribute's {capacity}: the sign-in fails"
    return None
