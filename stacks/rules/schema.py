"""One declaration per option: a field's rule is written once, next to the field, and holds
for the construct's props made in code and for the same table read from TOML.

An option object is a frozen dataclass. A field with a rule of its own is
``Annotated[str, Rule(arn_problem)]``: ``check_fields`` applies every such rule when the object
is made in code (each literal; a cdktf token is left to Terraform) and raises one PropError per
broken rule; the config reads the same dataclass with pydantic, which applies the same rule
through ``__get_pydantic_core_schema__`` (pydantic's public hook for a type's own validation)
and reports each key that breaks one. ``TABLE`` is the dataclass's config when read from TOML:
TOML is typed ("true" is no boolean), and a key the option does not have is an error.

Pure: neither pydantic nor cdktf is imported (the hook returns pydantic's documented schema as
plain data).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from stacks.rules.problems import PropError, raise_all

# What every cdktf token encoded in a string holds (stacks/constructs/props.py tells the rest).
_TOKEN_MARK = "TfToken["  # noqa: S105 (a cdktf token's marker, not a secret)
# An option dataclass's ``__pydantic_config__``: strict types, no unknown keys, frozen.
TABLE: dict[str, object] = {"extra": "forbid", "strict": True, "frozen": True}


def is_token_text(value: object) -> bool:
    """Whether ``value`` is text holding a cdktf token (a reference Terraform resolves)."""
    return isinstance(value, str) and _TOKEN_MARK in value


@dataclass(frozen=True)
class AtLeast:
    """A list field that must hold at least ``minimum`` items (in the config: ``min_length``)."""

    minimum: int


@dataclass(frozen=True)
class Rule:
    """The rule of one field: ``problem_of(value)`` says what is wrong, or None. A rule
    ``before`` the field's type runs first, on whatever the file gives (to name what is
    expected in its own words)."""

    problem_of: Callable[[Any], str | None]
    before: bool = False

    def __call__(self, value: Any) -> Any:
        """``value`` as it is, or ValueError with the rule's message (pydantic's validator)."""
        problem = self.problem(value)
        if problem:
            raise ValueError(problem)
        return value

    def problem(self, value: Any) -> str | None:
        """What is wrong with a literal ``value`` (of a list: with its literals); None for None
        and for a cdktf token."""
        if value is None or is_token_text(value):
            return None
        if isinstance(value, list | tuple) and any(map(is_token_text, value)):
            literals = [item for item in value if not is_token_text(item)]
            return self.problem_of(literals) if literals else None
        return self.problem_of(value)

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        # A validator around the field's own schema, as pydantic's After- or BeforeValidator.
        return {
            "type": "function-before" if self.before else "function-after",
            "function": {"type": "no-info", "function": self},
            "schema": handler(source),
        }


@cache
def type_hints(cls: Any) -> dict[str, Any]:
    """The fields' annotations of the dataclass ``cls``, resolved (once: the config reads
    them too)."""
    return typing.get_type_hints(cls, include_extras=True)


@cache
def _rules(cls: Any) -> tuple[tuple[str, str, Rule], ...]:
    """(field, where, rule) for each rule of the dataclass ``cls``: on the field's value
    (``where`` "value"), or on each key or value of a map field ("key", "item")."""
    hints = type_hints(cls)
    found = []
    for field in dataclasses.fields(cls):
        annotation = hints[field.name]
        found += [(field.name, "value", rule) for rule in _rules_in(annotation)]
        mapping = _unwrap(annotation)
        if typing.get_origin(mapping) in (Mapping, dict):
            key, item = typing.get_args(mapping)
            found += [(field.name, "key", rule) for rule in _rules_in(key)]
            found += [(field.name, "item", rule) for rule in _rules_in(item)]
    return tuple(found)


def _unwrap(annotation: Any) -> Any:
    """The type below ``Annotated`` and ``| None``."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(arguments) == 1:
            annotation = arguments[0]
            continue
        return annotation


def _rules_in(annotation: Any) -> list[Rule]:
    rules = [m for m in getattr(annotation, "__metadata__", ()) if isinstance(m, Rule)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):  # str | None: the rule is on str
            rules += _rules_in(argument)
    return rules


def field_problems(option: object) -> list[PropError]:
    """One PropError per field of the dataclass ``option`` whose value breaks its rule (for a
    map, per key: ``scopes.<key>``)."""
    problems = []
    for name, where, rule in _rules(typing.cast(Any, type(option))):
        value = getattr(option, name)
        if where == "value":
            problem = rule.problem(value)
            if problem:
                problems.append(PropError(name, problem))
            continue
        for key, item in (value or {}).items():
            problem = rule.problem(key if where == "key" else item)
            if problem:
                problems.append(PropError(f"{name}.{key}", problem))
    return problems


def check_fields(option: object) -> None:
    """Raise every broken field rule of ``option`` (a PropError, or PropErrors for several)."""
    raise_all(field_problems(option))
