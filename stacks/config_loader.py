"""Read the federation config and turn every problem into one line that names its key."""

from __future__ import annotations

import difflib
import os
import sys
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from stacks.backend_config import shared_states
from stacks.config import FederationConfig
from stacks.problems import KeyProblem

EXIT_BAD_CONFIG = 2
CONFIG_ENV_VAR = "FEDERATION_CONFIG"
DEFAULT_CONFIG_PATH = "federation.toml"

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


class ConfigError(Exception):
    """The config cannot be used; ``lines`` holds one message per problem."""

    def __init__(self, lines: list[str]) -> None:
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


def load_config(path: Path) -> FederationConfig:
    """Parse and validate ``path``; raise ConfigError with every problem found."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: file not found (set {CONFIG_ENV_VAR} to read another file)"]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read: {exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: invalid TOML: {exc}"]) from None
    try:
        config = FederationConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError([f"{path}: {line}" for line in describe_errors(exc)]) from None
    shared = shared_states({name: env.backend for name, env in config.environments.items()})
    if shared:
        raise ConfigError(
            [
                f"{path}: environments.{name}.backend.{key}: {message}"
                for name, key, message in shared
            ]
        )
    return config


def describe_errors(exc: ValidationError) -> list[str]:
    """One ``key.path: message`` line per pydantic error, sorted and without repeats."""
    lines = {_describe(error) for error in exc.errors(include_url=False)}
    return sorted(lines)


def _describe(error: ErrorDetails) -> str:
    loc, _ = _walk(error["loc"])
    kind = error["type"]
    given = error.get("input")
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, KeyProblem):
        loc.append(cause.key)
        message = str(cause)
    elif kind == "extra_forbidden":
        message = "unknown key" + _suggestion(error["loc"])
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
            message = f"must be one of {choices} (got {got!r})"
    elif kind in _EXPECTED:
        message = f"expected {_EXPECTED[kind]}, got {_toml_type(given)}"
    elif kind == "literal_error":
        message = f"must be one of {error.get('ctx', {}).get('expected')} (got {given!r})"
    elif kind == "too_short":
        message = "must not be empty"
    elif kind == "value_error":
        message = str(cause) if cause is not None else error["msg"]
    else:
        message = error["msg"]
    return f"{'.'.join(loc) or '(top level)'}: {message}"


def _or_list(items: list[str]) -> str:
    quoted = [repr(item) for item in items]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else "".join(quoted)


def _toml_type(value: Any) -> str:
    for python_type, name in _TOML_TYPES.items():
        if type(value) is python_type:
            return f"{name} ({value!r})" if python_type in (str, bool, int, float) else name
    return type(value).__name__


def _suggestion(loc: tuple[int | str, ...]) -> str:
    """' (did you mean "x"?)' when an unknown key is a near-miss of a real one."""
    known = _known_keys(loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _known_keys(path: tuple[int | str, ...]) -> list[str]:
    """The keys allowed at ``path``."""
    _, current = _walk(path)
    current = _unwrap_optional(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _walk(loc: tuple[int | str, ...]) -> tuple[list[str], Any]:
    """``loc`` as the user's keys, and the annotation it leads to in the config model.

    Pydantic puts the chosen member's tag into the location of an error inside a
    discriminated union (``backend.s3.bucket``); the user wrote ``backend.bucket``.
    """
    current: Any = FederationConfig
    keys: list[str] = []
    remaining = list(loc)
    while remaining:
        part = remaining.pop(0)
        keys.append(str(part))
        current = _unwrap_optional(current)
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


def _unwrap_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation
