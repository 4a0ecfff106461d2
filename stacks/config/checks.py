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

Pydantic validates the file first, every key's own rules (its field validators and
constraints), and reports every key that breaks one. The checks run after it
(``problems_of``), on what validated, all on pydantic's public API:

- a file that validated: every check runs on its tables, the lowest first;
- a file with bad keys: each table is made again from the keys that validated (with
  ``model_validate`` on a subclass of the table whose required keys may be left out, made
  once per table with ``create_model``), and the tables below it as they were made; a check
  that reads a bad key waits, since its answer would rest on a value that is wrong anyway
  (that key's own line says what to fix);
- a table above sees a table below less the keys a check found a problem with (the key a
  ``PropError`` names; every key the check reads, for a problem of the whole table); a check
  that reaches such a key, or a bad one (``self.user_pool.existing_id``), waits too.

So a check never answers on a value that is wrong anyway, and a problem never hides another
one that does not depend on it. Presence is always known: ``key in self.model_fields_set``
tells whether the file sets a key, even one whose value is bad. Declare every key whose *value*
a check uses; naming a key the table does not have fails at import. ``is_validated(table,
key)`` asks, without reading it, whether a key may be read.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pydantic import (
    BaseModel,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    create_model,
    model_validator,
)

from criipto.errors import CriiptoCognitoError
from stacks.rules.problems import PropError, PropErrors

# What a check yields: a key's problem, or (plain text) the table's.
Problem = PropError | str
Problems = Iterator[Problem]
_CheckFunction = TypeVar("_CheckFunction", bound=Callable[..., Iterable[Problem]])
_READS = "__check_reads__"
Loc = tuple[int | str, ...]


class _Waits(CriiptoCognitoError):
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


_T = TypeVar("_T")


def validated(read: Callable[[], _T]) -> _T | None:
    """What ``read`` returns, or None when it reads a key that did not validate: for a check
    that answers item by item (each client's name), so that one bad item waits alone."""
    try:
        return read()
    except _Waits:
        return None


def is_validated(table: object, key: str) -> bool:
    """Whether a check may read ``key`` of ``table`` (it validated, and no check doubts it)."""
    return not isinstance(table, _Part) or key not in table.unread


class _Part(BaseModel):
    """What a table made from the keys that validated adds to it: the keys that did not
    (``unread``: reading one makes the check wait) and the keys the file gives."""

    _unread: frozenset[str] = PrivateAttr(frozenset())
    _given: frozenset[str] = PrivateAttr(frozenset())

    @model_validator(mode="after")
    def _record(self, info: ValidationInfo) -> _Part:
        context = info.context or {}
        self._unread = frozenset(context.get("unread", ()))
        self._given = frozenset(context.get("given", ()))
        return self

    @property
    def unread(self) -> frozenset[str]:
        return self._unread

    @property
    def model_fields_set(self) -> set[str]:
        return set(self._given)

    if not typing.TYPE_CHECKING:

        def __getattribute__(self, name: str) -> Any:
            private = object.__getattribute__(self, "__pydantic_private__")
            if private and name in private["_unread"]:
                raise _Waits(name)
            return object.__getattribute__(self, name)


@cache
def _part_of(table: type[BaseModel]) -> type[BaseModel]:
    """``table`` with every required key optional: what is made from the keys that validated.

    Its keys take any value: each validated already (a table below is lent as it is, a map of
    tables with the items whose own key is bad among them); the field validators run again."""
    fields: dict[str, Any] = {}
    for name, field in table.model_fields.items():
        if field.is_required():
            fields[name] = (Any, Field(default=None))
        elif field.default_factory is not None:
            fields[name] = (Any, Field(default_factory=field.default_factory))
        else:
            fields[name] = (Any, Field(default=field.default))
    made: type[BaseModel] = create_model(f"{table.__name__}Part", __base__=(table, _Part), **fields)
    return made


def _made_of(
    table: type[BaseModel], values: Mapping[str, Any], unread: Iterable[str], given: Iterable[str]
) -> BaseModel | None:
    """A table from ``values`` (validated before: it validates again), ``unread`` keys left out;
    None if it does not validate after all (its checks then wait)."""
    try:
        return _part_of(table).model_validate(
            dict(values), context={"unread": frozenset(unread), "given": frozenset(given)}
        )
    except ValidationError:
        return None


# --- the walk ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """What a key holds, as far as the walk is concerned: a table, a map or a list of tables,
    or (``tables`` empty) a plain value. A union of tables is told apart by ``tag``."""

    container: type | None  # dict, list or None (one table)
    tables: tuple[type[BaseModel], ...]
    tag: str | None = None


def _kind(annotation: Any, discriminator: Any) -> _Kind | None:
    annotation = unwrap_optional(annotation)
    container: type | None = None
    if typing.get_origin(annotation) in (dict, list):
        container = typing.get_origin(annotation)
        annotation = unwrap_optional(typing.get_args(annotation)[-1])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _Kind(container, (annotation,))
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and isinstance(
        discriminator, str
    ):
        members = tuple(
            member
            for member in typing.get_args(annotation)
            if isinstance(member, type) and issubclass(member, BaseModel)
        )
        return _Kind(container, members, discriminator)
    return None


def unwrap_optional(annotation: Any) -> Any:
    """``X`` of ``X | None``; any other annotation as it is."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


class _Errors:
    """Pydantic's error locations, for asking whether anything at or below a place failed."""

    def __init__(self, locations: Iterable[Loc]) -> None:
        self._below: set[Loc] = set()
        self._exact: set[Loc] = set()
        for loc in locations:
            self._exact.add(loc)
            for end in range(len(loc) + 1):
                self._below.add(loc[:end])

    def under(self, loc: Loc) -> bool:
        return loc in self._below

    def at(self, loc: Loc) -> bool:
        return loc in self._exact


@dataclass
class _Found:
    problems: list[tuple[Loc, Problem]]


def problems_of(
    table: type[BaseModel],
    data: Mapping[str, Any],
    made: BaseModel | None,
    error_locations: Iterable[Loc],
) -> list[tuple[Loc, Problem]]:
    """Every check's problem for ``data`` (the file's table ``table``), with where it stands:
    ``made`` is the validated file, or None with pydantic's ``error_locations``."""
    found = _Found([])
    _visit(table, data, made, (), _Errors(error_locations), found)
    return found.problems


def _visit(
    table: type[BaseModel],
    data: Mapping[str, Any],
    made: BaseModel | None,
    loc: Loc,
    errors: _Errors,
    found: _Found,
) -> BaseModel | None:
    """Run the checks of the table at ``loc`` and of those below it; what a table above sees
    of it (None: nothing, its keys are all in doubt)."""
    if made is None and not errors.under(loc):
        # Nothing below failed: the table as pydantic makes it (no table of parts to make).
        try:
            made = table.model_validate(data)
        except ValidationError:
            made = None
    values: dict[str, Any] = {}
    unread: set[str] = set()
    remade = made is None
    for name, field in table.model_fields.items():
        if name not in data:
            if field.is_required():
                unread.add(name)
            continue
        key_loc = (*loc, name)
        kind = _kind(field.annotation, field.discriminator)
        if kind is None:
            if errors.under(key_loc):
                unread.add(name)
            elif made is not None:
                values[name] = getattr(made, name)
            else:
                values[name] = data[name]
            continue
        seen = getattr(made, name) if made is not None else None
        below = _below(kind, data[name], seen, key_loc, errors, found)
        if below is _NOTHING:
            unread.add(name)
            remade = True
            continue
        if made is None or below is not getattr(made, name):
            remade = True
        values[name] = below
    given = data.keys() & table.model_fields.keys()
    if remade or made is None:
        made = _made_of(table, values, unread, given)
        if made is None:
            return None
    problems, doubtful = _problems(made)
    found.problems += [(loc, problem) for problem in problems]
    if doubtful:
        kept = {name: value for name, value in values.items() if name not in doubtful}
        return _made_of(table, kept, unread | doubtful, given)
    return made


_NOTHING: Any = object()


def _below(kind: _Kind, value: Any, made: Any, loc: Loc, errors: _Errors, found: _Found) -> Any:
    """A key holding tables, as a table above sees it, or _NOTHING."""
    if errors.at(loc):  # wrong as a whole (not a table, too many items): not lent
        return _NOTHING
    if kind.container is None:
        return _one(kind, value, made, loc, errors, found)
    if kind.container is dict:
        if not isinstance(value, dict):
            return _NOTHING
        items = {}
        for key, item in value.items():
            # A bad key has its own line; its table is lent as it validated.
            seen = made.get(key) if made is not None else None
            lent = _one(kind, item, seen, (*loc, key), errors, found)
            if lent is not _NOTHING:
                items[key] = lent
        same = made is not None and all(items.get(k) is v for k, v in made.items())
        return made if same and len(items) == len(made) else items
    if not isinstance(value, list):
        return _NOTHING
    entries = [
        _one(kind, item, made[index] if made is not None else None, (*loc, index), errors, found)
        for index, item in enumerate(value)
    ]
    if any(entry is _NOTHING for entry in entries):
        return _NOTHING  # every item or none: the checks name an item by its index
    same = made is not None and all(a is b for a, b in zip(entries, made, strict=True))
    return made if same else entries


def _one(kind: _Kind, value: Any, made: Any, loc: Loc, errors: _Errors, found: _Found) -> Any:
    if made is not None and not isinstance(made, BaseModel):
        return made  # a default that is no table (e.g. None)
    if not isinstance(value, dict):
        return _NOTHING
    table = kind.tables[0]
    if kind.tag is not None:
        tag = value.get(kind.tag)
        members = [
            member
            for member in kind.tables
            if tag in typing.get_args(member.model_fields[kind.tag].annotation)
        ]
        if len(members) != 1 or not isinstance(tag, str):
            return _NOTHING
        table = members[0]
        loc = (*loc, tag)  # pydantic places a member's errors below its tag
    made_table = made if isinstance(made, table) else None
    lent = _visit(table, value, made_table, loc, errors, found)
    return _NOTHING if lent is None else lent


def _problems(table: BaseModel) -> tuple[list[Problem], set[str]]:
    """Every check's problems, and the keys they put in doubt."""
    problems: list[Problem] = []
    doubtful: set[str] = set()
    for found in getattr(type(table), "__table_checks__", ()):
        if not all(is_validated(table, key) for key in found.reads):
            continue  # a key it reads did not validate: it waits
        try:
            these = list(found.function(table))
        except _Waits:
            continue
        except ValueError as failure:  # as pydantic treats a validator's: one problem
            these = [failure if isinstance(failure, PropError) else str(failure)]
        problems += these
        doubtful.update(key for problem in these for key in _doubtful(problem, found))
    return problems, doubtful


def _doubtful(problem: Problem, found: Check) -> Sequence[str]:
    """The keys a problem puts in doubt: the one it names, else all the check read."""
    if isinstance(problem, PropError):
        return (problem.prop.split(".", 1)[0],)
    return found.reads


def as_error(loc: Loc, problem: Problem, data: Any = None) -> dict[str, Any]:
    """A check's problem in the shape of pydantic's errors (``ValidationError.errors()``)."""
    error = problem if isinstance(problem, PropError) else ValueError(problem)
    return {
        "type": "value_error",
        "loc": loc,
        "msg": str(error),
        "input": data,
        "ctx": {"error": error},
    }
