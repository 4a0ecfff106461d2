"""What every config table shares: the strict model base that runs the table's checks, and the
adapter from a rule to a field validator (the rules themselves live in ``stacks/rules/``).

A rule about one key is a field validator (``rule``); a rule that reads several keys is a check
(``stacks/config/checks.py``): both report in the same run as every other problem.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ModelWrapValidatorHandler, model_validator

from stacks.config.checks import Check, NotValidated, checks_of, run_checks

T = TypeVar("T")


class Model(BaseModel):
    # strict: TOML is typed, so "true" is not a bool and 5 is not a string.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    __table_checks__: ClassVar[tuple[Check, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__table_checks__ = checks_of(cls)

    @model_validator(mode="wrap")
    @classmethod
    def _checks(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        return run_checks(cls, data, handler)

    def field_values(self, *, exclude: Collection[str] = ()) -> dict[str, Any]:
        """Each key's value (a table below as it is), for the options a table becomes. Unlike
        ``model_dump``, a key that did not validate raises NotValidated, so that a check that
        makes options of a table with a bad key waits (checks.py)."""
        fields = type(self).model_fields
        return {name: getattr(self, name) for name in fields if name not in exclude}

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # Only a table built from what validated lacks a key (checks.py).
            if name in type(self).model_fields:
                raise NotValidated(name)
            return super().__getattr__(name)


def rule(problem_of: Callable[[T], str | None]) -> Callable[[T], T]:
    """A field validator from a function that says what is wrong with a value, or None."""

    def validate(value: T) -> T:
        problem = problem_of(value)
        if problem:
            raise ValueError(problem)
        return value

    return validate
