"""What every config table shares: the strict model base, the rule adapter, common name rules.

Free of cdktf, like every config module, and imported by both config.py and backend_config.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

_REGION = re.compile(
    r"^[a-z]{2}(?:-gov|-iso[a-z]?)?"
    r"-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9][0-9]?$"
)
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")

T = TypeVar("T")


class Model(BaseModel):
    # strict: TOML is typed, so "true" is not a bool and 5 is not a string.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def rule(problem_of: Callable[[T], str | None]) -> Callable[[T], T]:
    """A field validator from a function that says what is wrong with a value, or None."""

    def validate(value: T) -> T:
        problem = problem_of(value)
        if problem:
            raise ValueError(problem)
        return value

    return validate


def region_problem(region: str) -> str | None:
    """Why ``region`` is not an AWS region name, or None."""
    if not _REGION.match(region):
        return f"{region!r} is not an AWS region name such as eu-north-1"
    return None


def hostname_problem(value: str, example: str = "acme.criipto.id") -> str | None:
    """Why ``value`` is not a bare DNS host name (no scheme, path, port), or None."""
    if "://" in value or "/" in value:
        return f"must be a bare host name, without scheme or path (e.g. {example})"
    if ":" in value:
        return "must be a bare host name, without port"
    labels = value.split(".")
    if len(value) > 253 or len(labels) < 2 or not all(_HOST_LABEL.match(x) for x in labels):
        return f"must be a lowercase DNS name such as {example}"
    return None
