"""What every config table shares: the strict model base and the adapter from a rule to a
field validator (the rules themselves live in ``stacks/rules/``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

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
