"""Read the federation config and turn every problem into one line that names its key.

Whatever the path holds, the answer is a config or a ConfigError: a FIFO, a device or a
directory is refused before it is read (no hang, no endless read), the size is capped, and
parse failures Python raises outside TOMLDecodeError (integers beyond its digit limit, nesting
beyond the parser's) become lines too. Every line is one line: keys and values are escaped.
"""

from __future__ import annotations

import difflib
import gc
import heapq
import operator
import os
import stat
import sys
import typing
from pathlib import Path
from typing import Any

# tomli is the parser the standard library's tomllib was taken from (same TOML, same errors),
# built with mypyc: it reads a large file in half the time.
import tomli
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from criipto.errors import CriiptoCognitoError
from stacks.config.checks import as_error, problems_of, unwrap_optional
from stacks.config.model import FederationConfig
from stacks.rules import limits
from stacks.rules.common import Unconverted, key_path, printable, shown
from stacks.rules.problems import PropError

EXIT_BAD_CONFIG = 2
CONFIG_ENV_VAR = "FEDERATION_CONFIG"
DEFAULT_CONFIG_PATH = "federation.toml"
# A config with every list full is well under 1 MB per environment; anything near this is not
# a config. The cap keeps the read, the parse and the answer short.
MAX_CONFIG_BYTES = 8 * 2**20
# Problem lines shown at most; then one line says how many more there are.
MAX_PROBLEMS_SHOWN = 30
_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)

_TOML_TYPES = {
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    list: "a list",
    dict: "a table",
}
_EXPECTED = {
    "string_type": "a string",
    "bool_type": "a boolean (true or false)",
    "int_type": "an integer",
    "list_type": "a list",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
}


class ConfigError(CriiptoCognitoError):
    """The config cannot be used; ``lines`` holds one message per problem."""

    def __init__(self, lines: list[str]) -> None:
        lines = [printable(line) for line in lines]  # the last guard: never a line break
        super().__init__("\n".join(lines))
        self.lines = lines

    def report(self) -> int:
        """Print every line to stderr; the exit code for a bad config."""
        for line in self.lines:
            print(line, file=sys.stderr)
        return EXIT_BAD_CONFIG


def config_path(explicit: str | None = None) -> Path:
    """The config file to read: ``explicit``, else $FEDERATION_CONFIG, else ./federation.toml."""
    return Path(explicit or os.environ.get(CONFIG_ENV_VAR) or DEFAULT_CONFIG_PATH)


def load_config_or_exit(path: Path) -> FederationConfig:
    """``load_config(path)`` for a command: on a bad config, its lines on stderr and exit 2.

    The answer of ``main.py``, ``make diff|deploy|destroy`` and the workflows' matrix step alike.
    """
    try:
        return load_config(path)
    except ConfigError as exc:
        raise SystemExit(exc.report()) from None


def load_config(path: Path) -> FederationConfig:
    """Parse and validate ``path``; raise ConfigError with every problem found."""
    # A large file is hundreds of thousands of fresh objects, none of them in a reference
    # cycle: the cycle collector would only walk them again and again (a third of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(path)
    finally:
        if collecting:
            gc.enable()


def _load(path: Path) -> FederationConfig:
    raw = _parse(path, _read_text(path))
    # Maxima before items: a list or table over its maximum is refused before any of its items
    # is read (validating 370,000 environments, each a problem, took a minute and 7 GB).
    over: list[_Over] = []
    _over_maximum(raw, FederationConfig, None, (), over)
    if over:
        raise ConfigError(_maximum_lines(path, over))
    cleaned, unknown = _without_unknown_keys(raw, FederationConfig)
    config: FederationConfig | None = None
    errors: list[Any] = []
    try:
        config = FederationConfig.model_validate(cleaned)
    except ValidationError as exc:
        errors = list(exc.errors(include_url=False))
    if isinstance(cleaned, dict):
        # The rules over several keys, on what validated (checks.py).
        found = problems_of(FederationConfig, cleaned, config, [e["loc"] for e in errors])
        errors += [as_error(loc, problem) for loc, problem in found]
    if config is None or errors or unknown:
        raise ConfigError(_bounded(path, unknown, errors))
    return config


def _read_text(path: Path) -> str:
    """The file's text, refusing anything but a regular UTF-8 file of at most the cap."""
    try:
        # stat first: opening some devices has effects, and a FIFO's open waits for a writer.
        _refuse_special(path, path.stat())
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: file not found (set {CONFIG_ENV_VAR} to read another file)"]
        ) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        _refuse_special(path, os.fstat(fd))  # the path may have been swapped since the stat
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    finally:
        os.close(fd)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError([_too_large(path)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            [f"{path}: cannot read: not UTF-8 text (byte {exc.start}: {exc.reason})"]
        ) from None


def _refuse_special(path: Path, status: os.stat_result) -> None:
    for is_kind, kind in _FILE_KINDS:
        if is_kind(status.st_mode):
            raise ConfigError([f"{path}: is {kind}, not a config file"])
    if status.st_size > MAX_CONFIG_BYTES:
        raise ConfigError([_too_large(path)])


def _too_large(path: Path) -> str:
    return f"{path}: larger than {MAX_CONFIG_BYTES // 2**20} MB: not a config file"


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: invalid TOML: {exc}"]) from None
    except RecursionError:
        raise ConfigError([f"{path}: invalid TOML: arrays or tables nested too deeply"]) from None
    except ValueError:
        # int() past sys.get_int_max_str_digits(), raised from inside the parser.
        raise ConfigError(
            [
                f"{path}: invalid TOML: an integer has more than "
                f"{sys.get_int_max_str_digits()} digits"
            ]
        ) from None


# A list or table over its maximum: where it is, the maximum, how many items it holds.
_Over = tuple[tuple[str | int, ...], int, int]


def _over_maximum(
    raw: Any, annotation: Any, maximum: int | None, loc: tuple[str | int, ...], over: list[_Over]
) -> None:
    """Every list and table of ``raw`` that holds more items than the model allows, into
    ``over``. The items of one that does are never looked at, and every other list or table
    walked is within its maximum: the work is bounded whatever the file holds."""
    annotation, stated = _limited(annotation)
    maximum = stated if stated is not None else maximum
    origin = typing.get_origin(annotation)
    if origin in (list, dict) and isinstance(raw, origin):
        if maximum is not None and len(raw) > maximum:
            over.append((loc, maximum, len(raw)))
            return
        if origin is list:
            item = (typing.get_args(annotation) or (Any,))[0]
            for index, value in enumerate(raw):
                _over_maximum(value, item, None, (*loc, index), over)
        else:
            value_type = typing.get_args(annotation)[1]
            for key, value in raw.items():
                _over_maximum(value, value_type, None, (*loc, key), over)
        return
    if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return
    if not isinstance(raw, dict):
        return
    for name, field in annotation.model_fields.items():
        if name not in raw:
            continue
        value, member = raw[name], field.annotation
        if isinstance(field.discriminator, str):
            tag = value.get(field.discriminator) if isinstance(value, dict) else None
            member = (
                _union_members(member, field.discriminator).get(tag)
                if isinstance(tag, str)
                else None
            )
        _over_maximum(value, member, _max_length(field), (*loc, name), over)


def _limited(annotation: Any) -> tuple[Any, int | None]:
    """``annotation`` without Optional and Annotated around it, and the max_length they state."""
    maximum = None
    while True:
        annotation = unwrap_optional(annotation)
        if typing.get_origin(annotation) is not typing.Annotated:
            return annotation, maximum
        inner, *extras = typing.get_args(annotation)
        for extra in extras:
            stated = _max_length(extra)
            maximum = stated if stated is not None else maximum
        annotation = inner


def _max_length(extra: Any) -> int | None:
    """The max_length of a Field (its metadata) or of a bare MaxLen, else None."""
    metadata = extra.metadata if isinstance(extra, FieldInfo) else [extra]
    # annotated_types.MaxLen (pydantic's own dependency), known by its one attribute.
    found = [
        item.max_length for item in metadata if isinstance(getattr(item, "max_length", None), int)
    ]
    return found[-1] if found else None


def _maximum_lines(path: Path, over: list[_Over]) -> list[str]:
    """One line per list or table over its maximum, by key; a last line counts the rest."""
    lines = []
    for loc, maximum, found in heapq.nsmallest(
        MAX_PROBLEMS_SHOWN, over, key=lambda entry: _sort_key(entry[0])
    ):
        below = loc[2:] if loc[:1] == ("environments",) and len(loc) > 2 else loc
        lines.append(f"{path}: {key_path(loc)}: {limits.too_many(below, maximum, found)}")
    if len(over) > MAX_PROBLEMS_SHOWN:
        lines.append(
            f"{path}: … and {len(over) - MAX_PROBLEMS_SHOWN} more problems (fix these first)"
        )
    return lines


# The unknown keys of one table: where the table is, its model, the keys.
_Unknown = tuple[tuple[str, ...], type[BaseModel], list[str]]


def _without_unknown_keys(raw: Any, annotation: Any) -> tuple[Any, list[_Unknown]]:
    """``raw`` without the keys the model does not know, and those keys by table.

    Pydantic reports them too, but a file of 300,000 unknown keys would take seconds to turn
    into errors; here they are one set difference per table, and the rest is validated as usual.
    """
    annotation = unwrap_optional(annotation)
    if not isinstance(raw, dict):
        return raw, []
    if typing.get_origin(annotation) is dict:
        value_type = typing.get_args(annotation)[1]
        cleaned: dict[str, Any] = {}
        unknown: list[_Unknown] = []
        for key, value in raw.items():
            cleaned[key], below = _without_unknown_keys(value, value_type)
            unknown.extend(((key, *where), table, keys) for where, table, keys in below)
        return cleaned, unknown
    if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return raw, []
    fields = annotation.model_fields
    extra = list(raw.keys() - fields.keys())
    cleaned, unknown = {}, [((), annotation, extra)] if extra else []
    for key, field in fields.items():
        if key not in raw:
            continue
        value = raw[key]
        member = field.annotation
        if isinstance(field.discriminator, str) and isinstance(value, dict):
            # The tag chooses the member only as written. Any other value is wrapped: pydantic
            # turns a tag into text itself, and str() of an unvalidated value can raise.
            tag = value.get(field.discriminator)
            member = (
                _union_members(member, field.discriminator).get(tag)
                if isinstance(tag, str)
                else None
            )
            if tag is not None and not isinstance(tag, str):
                value = {**value, field.discriminator: Unconverted(tag)}
        cleaned[key], below = _without_unknown_keys(value, member)
        unknown.extend(((key, *where), table, keys) for where, table, keys in below)
    return cleaned, unknown


def _bounded(path: Path, unknown: list[_Unknown], errors: list[Any]) -> list[str]:
    """The first problems as lines (sorted by key), and a last line counting the rest.

    Only the lines shown are rendered: a file of 300,000 problems answers as fast as one of 30.
    """
    # Candidates: the first few of each kind by key (room for lines that repeat), not a sort
    # of all of them.
    room = 4 * MAX_PROBLEMS_SHOWN
    first_unknown = heapq.nsmallest(
        room,
        (
            ((*where, key), table)
            for where, table, keys in unknown
            for key in heapq.nsmallest(room, keys)
        ),
        key=operator.itemgetter(0),
    )
    first_errors = heapq.nsmallest(room, errors, key=lambda error: _sort_key(error["loc"]))
    candidates = sorted(
        [(".".join(loc), index) for index, (loc, _) in enumerate(first_unknown)]
        + [(_sort_key(error["loc"]), -1 - index) for index, error in enumerate(first_errors)]
    )
    lines: list[str] = []
    rendered = 0
    for _, index in candidates:
        rendered += 1
        line = (
            _unknown_key_line(*first_unknown[index])
            if index >= 0
            else _describe(first_errors[-1 - index])
        )
        if line not in lines:
            lines.append(line)
            if len(lines) == MAX_PROBLEMS_SHOWN:
                break
    result = [f"{path}: {line}" for line in sorted(lines)]
    more = sum(len(keys) for _, _, keys in unknown) + len(errors) - rendered
    if more:
        result.append(f"{path}: … and {more} more problems (fix these first)")
    return result


def _sort_key(loc: tuple[int | str, ...]) -> str:
    return ".".join(map(str, loc))


def _unknown_key_line(loc: tuple[str, ...], table: type[BaseModel]) -> str:
    hint = _secret_hint(loc) or _close_match(loc[-1], list(table.model_fields))
    return f"{key_path(loc)}: unknown key{hint}"


def _describe(error: ErrorDetails) -> str:
    loc, _ = _walk(error["loc"])
    kind = error["type"]
    given = error.get("input")
    cause = error.get("ctx", {}).get("error")
    extra_key = ""  # a key below loc, named by the rule itself
    if isinstance(cause, PropError):
        # The key may carry the user's own text (a claim, an eID reference): escaped.
        extra_key = printable(cause.prop)
        message = cause.problem
    elif kind == "extra_forbidden":
        message = "unknown key" + (_secret_hint(error["loc"]) or _suggestion(error["loc"]))
    elif kind == "missing":
        message = "required key is missing"
    elif kind in ("union_tag_not_found", "union_tag_invalid"):
        # A table chosen by its "type" key (e.g. backend): name the key, list the choices.
        key = str(error.get("ctx", {}).get("discriminator", "type")).strip("'")
        loc.append(key)
        choices = _or_list(_union_tags(error["loc"], key))
        if kind == "union_tag_not_found":
            message = f"required key is missing (one of {choices})"
        else:
            got = given.get(key) if isinstance(given, dict) else given
            message = f"must be one of {choices} (got {shown(got)})"
    elif kind in _EXPECTED:
        message = f"expected {_EXPECTED[kind]}, got {_toml_type(given)}"
    elif kind == "literal_error":
        message = f"must be one of {error.get('ctx', {}).get('expected')} (got {shown(given)})"
    elif kind == "too_short":
        message = "must not be empty"
    elif kind == "too_long":
        # Refused before any item is looked at; the count is known for a list, and the input
        # at hand for a table (pydantic stops counting a table at the maximum).
        found = len(given) if isinstance(given, list | dict) else None
        below = loc[2:] if loc[:1] == ["environments"] and len(loc) > 2 else loc
        message = limits.too_many(below, error.get("ctx", {}).get("max_length", 0), found)
    elif kind == "value_error":
        message = str(cause) if cause is not None else error["msg"]
    else:
        message = error["msg"]
    where = ".".join(filter(None, (key_path(loc) if loc else "", extra_key)))
    return f"{where or '(top level)'}: {message}"


def _or_list(items: list[str]) -> str:
    quoted = [repr(item) for item in items]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else "".join(quoted)


def _toml_type(value: Any) -> str:
    for python_type, name in _TOML_TYPES.items():
        if type(value) is python_type:
            return f"{name} ({shown(value)})" if python_type in (str, bool, int, float) else name
    return type(value).__name__


# A secret someone tries to put into [criipto], and where it goes instead.
_CRIIPTO_SECRETS = {
    "client_secret": "TF_VAR_criipto_client_secret",
    "criipto_client_secret": "TF_VAR_criipto_client_secret",
    "secret": "TF_VAR_criipto_client_secret",
    "api_token": "TF_VAR_criipto_api_token",
    "management_api_token": "TF_VAR_criipto_api_token",
    "criipto_api_token": "TF_VAR_criipto_api_token",
}


def _secret_hint(loc: tuple[int | str, ...]) -> str:
    """For a secret in the ``[criipto]`` table: where it goes instead (never a near-miss such
    as client_id, which would invite the secret into the committed file)."""
    variable = _CRIIPTO_SECRETS.get(str(loc[-1]).lower())
    if variable is None or "criipto" not in loc[:-1]:
        return ""
    return (
        ": secrets are never config values (this file is committed, and cdktf.out shared); "
        f"give it to Terraform as {variable} where it runs (docs/deploy.md)"
    )


def _suggestion(loc: tuple[int | str, ...]) -> str:
    """' (did you mean "x"?)' when an unknown key is a near-miss of a real one."""
    return _close_match(str(loc[-1]), _known_keys(loc[:-1]))


def _close_match(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _known_keys(path: tuple[int | str, ...]) -> list[str]:
    """The keys allowed at ``path``."""
    _, current = _walk(path)
    current = unwrap_optional(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _walk(loc: tuple[int | str, ...]) -> tuple[list[int | str], Any]:
    """``loc`` as the user's keys, and the annotation it leads to in the config model.

    Pydantic puts the chosen member's tag into the location of an error inside a
    discriminated union (``backend.s3.bucket``); the user wrote ``backend.bucket``.
    """
    current: Any = FederationConfig
    keys: list[int | str] = []
    remaining = list(loc)
    while remaining:
        part = remaining.pop(0)
        if part == "[key]":  # pydantic's marker for an error in a dict key, not in its value
            continue
        keys.append(part)
        current = unwrap_optional(current)
        if typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            current = None if field is None else field.annotation
            discriminator = None if field is None else field.discriminator
            if isinstance(discriminator, str) and remaining:
                tag = str(remaining.pop(0))
                current = _union_members(current, discriminator).get(tag)
        else:
            current = None
    return keys, current


def _union_members(annotation: Any, key: str) -> dict[str, Any]:
    """The members of a discriminated union by their tag (the Literal value of ``key``)."""
    members: dict[str, Any] = {}
    for member in typing.get_args(annotation):
        if (
            isinstance(member, type)
            and issubclass(member, BaseModel)
            and key in member.model_fields
        ):
            for tag in typing.get_args(member.model_fields[key].annotation):
                members[str(tag)] = member
    return members


def _union_tags(loc: tuple[int | str, ...], key: str) -> list[str]:
    """The tags allowed for the discriminated union at ``loc``."""
    _, annotation = _walk(loc)
    return list(_union_members(annotation, key))
