"""Checks: the rules that read more than one key, and how every problem is found in one run.

A field validator sees one value. A rule that reads two keys or more (exactly one of ``prefix``
or ``custom``; the keys each mode allows; an existing pool in the environment's region) is a
*check*: a method of the table, marked ``@check("key", ...)`` with the keys it reads, that
yields one problem per thing wrong — a ``PropError(key, message)`` for a key of the table (or
one below it, dotted), or a plain message for the table as a whole::

    @check("prefix", "custom")
    def _one_domain(self) -> Problems:
        if (self.prefix is None) == (self.custom is None):
            yield "set exactly one of prefix (Cognito domain) or custom (own domain)"

Pydantic's own model validators run only once every key of the table validated, and stop at
the first problem: one problem per run. Checks run on what validated instead (``run_checks``,
the wrap validator of every table, ``stacks.config.base.Model``):

- a table whose keys all validated: every check runs on it;
- a table with a bad key: the checks run on the table built from the keys that validated; a
  check that reads a bad key waits, since its answer would rest on a value that is wrong
  anyway (that key's own line says what to fix);
- a table above sees a table below with the keys that validated, less those a check found a
  problem with (the key a ``PropError`` names; every key the check reads, for a problem of the
  whole table); a check that reaches such a key (``self.user_pool.existing_id``) gets
  ``NotValidated`` and waits;
- pydantic's problems and the checks' leave together, in one ValidationError.

Presence is always known: ``key in self.model_fields_set`` tells whether the file sets a key,
even one whose value is bad, so a check that only asks whether a key is given reads nothing.
Declare every key whose *value* a check uses; naming a key the table does not have fails at
import.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails

from criipto.errors import CriiptoCognitoError
from stacks.rules.problems import PropError, PropErrors

if TYPE_CHECKING:
    from pydantic import ModelWrapValidatorHandler

# What a check yields: a key's problem, or (plain text) the table's.
Problem = PropError | str
Problems = Iterator[Problem]
_CheckFunction = TypeVar("_CheckFunction", bound=Callable[..., Iterable[Problem]])
_T = TypeVar("_T", bound=BaseModel)
_READS = "__check_reads__"


class NotValidated(CriiptoCognitoError, AttributeError):
    """A check read a key that did not validate (or that a failing check read): it waits."""


def check(*reads: str) -> Callable[[_CheckFunction], _CheckFunction]:
    """Mark a method of a table as a check that reads the keys ``reads``."""

    def mark(function: _CheckFunction) -> _CheckFunction:
        setattr(function, _READS, reads)
        return function

    return mark


def raised(build: Callable[[], object]) -> Problems:
    """The problems ``build`` raises, as a check yields them: a rule whose home is a checked
    value (the eID plan, the pool's features) reports through the value it makes."""
    try:
        build()
    except PropErrors as problems:
        yield from problems.problems
    except PropError as problem:
        yield problem


@dataclass(frozen=True)
class Check:
    name: str
    reads: tuple[str, ...]
    function: Callable[[Any], Iterable[Problem]]


def checks_of(table: type[BaseModel]) -> tuple[Check, ...]:
    """The checks of ``table`` and its bases, in the order they are written."""
    found: dict[str, Check] = {}
    for cls in reversed(table.__mro__):
        for name, member in vars(cls).items():
            reads = getattr(member, _READS, None)
            if reads is None:
                continue
            unknown = sorted(set(reads) - set(table.model_fields))
            if unknown:
                raise TypeError(f"{table.__name__}.{name} reads keys it does not have: {unknown}")
            found[name] = Check(name, tuple(reads), member)
    return tuple(found.values())


# The tables validated so far in this run, by the input they came from: what validated (a
# partial table, for one with problems) is read from here, not validated again.
_OUTCOMES: ContextVar[dict[int, BaseModel] | None] = ContextVar("config_outcomes", default=None)


def run_checks(cls: type[_T], data: Any, handler: ModelWrapValidatorHandler[_T]) -> _T:
    """Validate ``data`` as the table ``cls``, then run its checks on what validated."""
    if isinstance(data, cls):  # a table given as it is, or one key of it assigned
        return handler(data)
    outcomes = _OUTCOMES.get()
    if outcomes is not None:
        return _validated(cls, data, handler, outcomes)
    outcomes = {}
    token = _OUTCOMES.set(outcomes)  # the outermost table: this run's record starts here
    try:
        return _validated(cls, data, handler, outcomes)
    finally:
        _OUTCOMES.reset(token)


def _validated(
    cls: type[_T], data: Any, handler: ModelWrapValidatorHandler[_T], outcomes: dict[int, Any]
) -> _T:
    failure: ValidationError | None = None
    errors: list[Any] = []
    try:
        table = handler(data)
    except ValidationError as exc:
        if not isinstance(data, dict):
            raise  # not a table: there is nothing to check
        failure = exc
        errors = exc.errors(include_url=False)
        bad = {error["loc"][0] for error in errors if error["loc"]}
        # A map or list of tables longer than its limit is wrong as a whole, though each
        # table in it validated: it is not lent to the checks.
        too_long = {
            error["loc"][0]
            for error in errors
            if len(error["loc"]) == 1 and error["type"] == "too_long"
        }
        table = _what_validated(cls, data, bad, too_long, outcomes)
    problems, doubtful = _problems(table)
    outcomes[id(data)] = table if failure is None and not problems else _without(table, doubtful)
    if not problems:
        if failure is not None:
            raise failure
        return table
    line_errors = [_as_line_error(error) for error in errors]
    line_errors += [_problem_line_error(problem, data) for problem in problems]
    raise ValidationError.from_exception_data(cls.__name__, line_errors)


def _what_validated(
    cls: type[_T],
    data: dict[str, Any],
    bad: set[int | str],
    too_long: set[int | str],
    outcomes: dict[int, Any],
) -> _T:
    """The table with the keys that validated; a bad table below is there as its own part."""
    given = data.keys() & cls.model_fields.keys()
    table = cls.model_construct(_fields_set=set(given))
    for name in given:
        table.__dict__.pop(name, None)  # a default (or nothing) until the value validates
        found = (
            None
            if name in too_long
            else _recorded(data[name], outcomes, _holds_tables(cls.model_fields[name].annotation))
        )
        if found is not None:
            table.__dict__[name] = found
        elif name not in bad:
            with suppress(ValidationError):  # it validated in this run: it does again
                cls.__pydantic_validator__.validate_assignment(table, name, data[name])
    return table


def _holds_tables(annotation: Any) -> bool:
    """Whether a key of this annotation is a map or list (of tables), not a table itself."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _holds_tables(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_holds_tables(member) for member in typing.get_args(annotation))
    return origin in (dict, list)


def _recorded(value: Any, outcomes: dict[int, Any], holds_tables: bool) -> Any:
    """A table (or, for a key that ``holds_tables``, a map or list of tables) as validated in
    this run, else None. A table whose own validation failed is no map of its sub-tables: read
    as one, a check once got a plain dict where it reads a client (a traceback)."""
    if id(value) in outcomes:
        return outcomes[id(value)]
    if not holds_tables:
        return None
    if isinstance(value, dict) and any(id(item) in outcomes for item in value.values()):
        return {key: outcomes[id(item)] for key, item in value.items() if id(item) in outcomes}
    if isinstance(value, list) and value and all(id(item) in outcomes for item in value):
        # Every item or none: the checks name an item by its index.
        return [outcomes[id(item)] for item in value]
    return None


def _problems(table: BaseModel) -> tuple[list[Problem], set[str]]:
    """Every check's problems, and the keys they put in doubt."""
    problems: list[Problem] = []
    doubtful: set[str] = set()
    for found in getattr(type(table), "__table_checks__", ()):
        if any(key not in table.__dict__ for key in found.reads):
            continue  # a key it reads did not validate: it waits
        try:
            these = list(found.function(table))
        except NotValidated:
            continue
        problems += these
        doubtful.update(key for problem in these for key in _doubtful(problem, found))
    return problems, doubtful


def _doubtful(problem: Problem, found: Check) -> tuple[str, ...]:
    """The keys a problem puts in doubt: the one it names, else all the check read."""
    if isinstance(problem, PropError):
        return (problem.prop.split(".", 1)[0],)
    return found.reads


def _without(table: _T, keys: set[str]) -> _T:
    """A copy of ``table`` for the tables above: no ``keys``, nothing derived from them."""
    part = table.model_copy()
    for name in list(part.__dict__):
        if name in keys or name not in type(table).model_fields:
            del part.__dict__[name]
    return part


def _as_line_error(error: Any) -> InitErrorDetails:
    details = InitErrorDetails(type=error["type"], loc=error["loc"], input=error["input"])
    if "ctx" in error:
        details["ctx"] = error["ctx"]
    return details


def _problem_line_error(problem: Problem, data: Any) -> InitErrorDetails:
    # A PropError names its key below the table; the loader appends it to the table's key.
    error = problem if isinstance(problem, PropError) else ValueError(problem)
    return InitErrorDetails(type="value_error", loc=(), input=data, ctx={"error": error})
