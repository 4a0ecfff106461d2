"""Terraform's version-constraint grammar, in one place: checking a constraint and evaluating it.

The config checks every ``[terraform]`` constraint with :func:`version_constraint_problem`, so
a typo answers with the key's name (exit 2) instead of failing in ``terraform init`` after a
synth; the lock-file check (``stacks/deploy/provider_locks.py``) evaluates the constraints a
stack requires against a locked version with :func:`satisfies`. Both read a constraint with the
one pattern below. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One constraint of Terraform's version-constraint grammar (apparentlymart/go-versions,
# "Ruby style", which Terraform uses for provider versions): an optional operator, at most
# one space, one to three numeric parts, optional -prerelease and +metadata. No "v" prefix,
# no wildcards.
OPERATORS = ("!=", ">=", "<=", "~>", "=", ">", "<")
_VERSION = (
    r"(?P<number>[0-9]+(?:\.[0-9]+){0,2})(?:-(?P<prerelease>[0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?"
)
_CONSTRAINT = re.compile(rf"(?:(?P<op>!=|>=|<=|~>|=|>|<) ?)?{_VERSION}")
_EXACT_VERSION = re.compile(_VERSION)
_EXAMPLE = 'e.g. ">= 6.25.0, < 7.0.0" or "~> 3.0.0"'

Number = tuple[int, int, int]


@dataclass(frozen=True)
class Version:
    """A version as Terraform compares it: three numbers (missing ones are 0) and a prerelease."""

    number: Number
    prerelease: str
    parts: int  # how many numbers were written: "~> 1.2" differs from "~> 1.2.0"


@dataclass(frozen=True)
class Constraint:
    operator: str
    version: Version


def parse_version(text: str) -> Version | None:
    """``1.2.3``, ``1.2`` or ``1.2.3-beta1`` (+metadata ignored); None for anything else."""
    match = _EXACT_VERSION.fullmatch(text.strip())
    return _version(match) if match else None


def parse_constraints(text: str) -> list[Constraint] | None:
    """The comma-separated constraints of ``text``; None when one is not in the grammar."""
    constraints = []
    for part in text.split(","):
        match = _CONSTRAINT.fullmatch(part.strip())
        if match is None:
            return None
        constraints.append(Constraint(match["op"] or "=", _version(match)))
    return constraints


def _version(match: re.Match[str]) -> Version:
    numbers = [int(n) for n in match["number"].split(".")]
    major, minor, patch = [*numbers, 0, 0][:3]
    return Version((major, minor, patch), match["prerelease"] or "", len(numbers))


def version_constraint_problem(value: str) -> str | None:
    """Why Terraform would refuse ``value`` as a provider version constraint, or None."""
    if not value.strip():
        return f"must not be empty ({_EXAMPLE})"
    for part in value.split(","):
        item = part.strip()
        if not item:
            return f"has an empty constraint between commas ({_EXAMPLE})"
        if _CONSTRAINT.fullmatch(item):
            continue
        if re.match(r"^(?:[<>=!~]+ ?)?v\d", item):
            return f'{item!r}: no "v" before the version ({_EXAMPLE})'
        if any(c in item for c in "*xX") and re.search(r"\d", item):
            return f"{item!r}: Terraform takes no wildcards; omit the unconstrained parts"
        operator = re.match(r"^[<>=!~^]+", item)
        if operator and operator.group() not in OPERATORS:
            return (
                f"{item!r}: unknown operator {operator.group()!r} (one of {', '.join(OPERATORS)})"
            )
        return f"{item!r} is not a Terraform version constraint ({_EXAMPLE})"
    return None


def satisfies(version: str, constraints: str) -> bool:
    """Whether ``version`` meets every comma-separated constraint (prereleases only by ``=``).

    A version or constraint outside the grammar satisfies nothing.
    """
    found = parse_version(version)
    parsed = parse_constraints(constraints) if constraints.strip() else []
    if found is None or parsed is None:
        return False
    return all(_meets(found, constraint) for constraint in parsed)


def _meets(found: Version, constraint: Constraint) -> bool:
    op, bound = constraint.operator, constraint.version
    if found.prerelease and not (
        op == "=" and (bound.number, bound.prerelease) == (found.number, found.prerelease)
    ):
        return False
    number, wanted = found.number, bound.number
    if op == "~>":
        # ~> 1.2.3 allows >= 1.2.3, < 1.3.0; ~> 1.2 (and ~> 1) allows >= 1.2, < 2.0.
        upper = (wanted[0] + 1, 0, 0) if bound.parts <= 2 else (wanted[0], wanted[1] + 1, 0)
        return wanted <= number < upper
    return {
        "=": number == wanted and found.prerelease == bound.prerelease,
        "!=": number != wanted,
        ">": number > wanted,
        ">=": number >= wanted,
        "<": number < wanted,
        "<=": number <= wanted,
    }[op]
