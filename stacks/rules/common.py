"""What every config table shares: the strict model base, the rule adapter, common name rules.

Free of cdktf, like every config module, and imported by both config.py and backend_config.py.

Every pattern here is matched whole (``re.fullmatch``): a ``$`` anchor alone lets a trailing
newline through, which AWS's own (Java) patterns refuse.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

_REGION = re.compile(
    r"[a-z]{2}(?:-gov|-iso[a-z]?)?"
    r"-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9][0-9]?"
)
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
# How much of a value a problem line quotes.
SHOWN_MAX = 80

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


def shown(value: object) -> str:
    """``value`` quoted for a problem line: escaped (one line), and cut when long.

    Python's repr escapes every character that is not printable (newlines, NUL, U+200B, line
    separators), so a value can never break a problem over two lines.
    """
    if isinstance(value, str):
        if len(value) > SHOWN_MAX:
            return f"{value[:SHOWN_MAX]!r}… ({len(value)} characters)"
        return repr(value)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        # repr() of an int beyond Python's digit limit raises; no one reads 60 digits anyway.
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    return repr(value)


def one_line(text: str) -> str:
    """``text`` with every character that is not printable (but space) escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def invisible_characters(text: str) -> bool:
    """True when ``text`` holds a control, format, private-use, unassigned or line-break
    character: nothing anyone types into a URL, name or key on purpose."""
    for char in text:
        category = unicodedata.category(char)
        if category[0] == "C" or category in ("Zl", "Zp"):
            return True
    return False


def region_problem(region: str) -> str | None:
    """Why ``region`` is not an AWS region name, or None."""
    if not _REGION.fullmatch(region):
        return f"{shown(region)} is not an AWS region name such as eu-north-1"
    return None


def hostname_problem(value: str, example: str = "acme.criipto.id") -> str | None:
    """Why ``value`` is not a bare DNS host name (no scheme, path, port), or None."""
    if "://" in value or "/" in value:
        return f"must be a bare host name, without scheme or path (e.g. {example})"
    if ":" in value:
        return "must be a bare host name, without port"
    labels = value.split(".")
    if len(value) > 253 or len(labels) < 2 or not all(_HOST_LABEL.fullmatch(x) for x in labels):
        return f"must be a lowercase DNS name such as {example}"
    return None
