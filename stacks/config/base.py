"""What every config table shares: the strict model base that runs the table's checks, and the
adapter from a rule to a field validator (the rules themselves live in ``stacks/rules/``).

A rule about one key is a field validator (``rule``); a rule that reads several keys is a check
(``stacks/config/checks.py``), run after pydantic on what validated: both report in the same
run as every other problem.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import cache, cached_property
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model

from stacks.config.checks import Check, Problems, check, checks_of, raised
from stacks.rules import limits
from stacks.rules.schema import AtLeast, type_hints

T = TypeVar("T")


class Model(BaseModel):
    # strict: TOML is typed, so "true" is not a bool and 5 is not a string.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    __table_checks__: ClassVar[tuple[Check, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__table_checks__ = checks_of(cls)

    def field_values(self, *, exclude: Collection[str] = ()) -> dict[str, Any]:
        """Each key's value (a table below as it is), for the options a table becomes. Unlike
        ``model_dump``, reading a key that did not validate makes the check that reads it wait
        (checks.py)."""
        fields = type(self).model_fields
        return {name: getattr(self, name) for name in fields if name not in exclude}


def rule(problem_of: Callable[[T], str | None]) -> Callable[[T], T]:
    """A field validator from a function that says what is wrong with a value, or None."""

    def validate(value: T) -> T:
        problem = problem_of(value)
        if problem:
            raise ValueError(problem)
        return value

    return validate


class OptionTable(Model):
    """A table that is an option object of the library read from TOML (``table_of``), with
    keys of its own where a subclass declares them."""

    __option__: ClassVar[type]
    __option_fields__: ClassVar[tuple[str, ...]] = ()

    @cached_property
    def option(self) -> Any:
        """The option object this table holds, made (and so checked) once."""
        return options_of(self)


@cache
def table_of(
    option: type, optional: frozenset[str] = frozenset(), base: type[OptionTable] = OptionTable
) -> type[OptionTable]:
    """The config table of the option dataclass ``option``: one declaration for both. Its
    fields, defaults, limits (``limits.Limit``, ``schema.AtLeast``) and field rules
    (``schema.Rule``) are the dataclass's; a dataclass below is its table in turn; the keys in
    ``optional`` may be left out (None); ``base`` adds keys, validators and checks of the
    table's own. The option's rules over several keys run when it is made, as a check that
    waits until every key of the option validated."""
    hints = type_hints(option)
    fields: dict[str, Any] = {}
    for field in dataclasses.fields(option):
        if not field.init:
            continue
        annotation = _as_tables(hints[field.name])
        if field.name in optional:
            fields[field.name] = (annotation | None, None)
        elif field.default is not dataclasses.MISSING:
            fields[field.name] = (annotation, field.default)
        elif field.default_factory is not dataclasses.MISSING:
            fields[field.name] = (annotation, Field(default_factory=field.default_factory))
        else:
            fields[field.name] = (annotation, ...)
    name = base.__name__ if base is not OptionTable else option.__name__
    table: type[OptionTable] = create_model(
        f"{name}{'Named' if optional else ''}Table",
        __base__=base,
        __module__=base.__module__ if base is not OptionTable else option.__module__,
        **fields,
    )
    table.__option__ = option
    table.__option_fields__ = tuple(fields)

    def _option_rules(self: OptionTable) -> Problems:
        yield from raised(lambda: self.option)

    setattr(table, "_option_rules", check(*fields)(_option_rules))  # noqa: B010
    table.__table_checks__ = checks_of(table)
    return table


def _as_tables(annotation: Any) -> Any:
    """``annotation`` as the config reads it: each option dataclass in it as its table, a
    Sequence as a list, a Mapping as a dict, a limit as pydantic's constraint."""
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return table_of(annotation)
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        metadata = [_constraint(item) for item in annotation.__metadata__]
        return Annotated[(_as_tables(arguments[0]), *metadata)]
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_as_tables(argument) for argument in arguments)]  # noqa: UP007
    if origin in (Sequence, list, tuple) and len(arguments) == 1:
        return list[_as_tables(arguments[0])]  # type: ignore[misc]
    if origin in (Mapping, dict) and len(arguments) == 2:
        return dict[_as_tables(arguments[0]), _as_tables(arguments[1])]  # type: ignore[misc]
    return annotation


def _constraint(item: object) -> object:
    if isinstance(item, limits.Limit):
        return Field(max_length=item.maximum)
    if isinstance(item, AtLeast):
        return Field(min_length=item.minimum)
    return item


def options_of(table: T, **changes: Any) -> T:
    """The option object ``table`` holds (to the type checker, a table read from TOML is its
    option already), the tables below it as their options, ``changes`` given instead."""
    made = typing.cast(OptionTable, table)
    values = {name: _as_options(getattr(made, name)) for name in made.__option_fields__}
    return typing.cast(T, made.__option__(**{**values, **changes}))


def _as_options(value: Any) -> Any:
    if isinstance(value, OptionTable):
        return options_of(value)
    if isinstance(value, Mapping):
        return {key: _as_options(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        items = [_as_options(item) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    return value
