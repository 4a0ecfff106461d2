"""What every rule shares: how a value is quoted and escaped in a problem line, which
characters no one types on purpose, and the region and host-name rules.

Every pattern here is matched whole (``re.fullmatch``): a ``$`` anchor alone lets a trailing
newline through, which AWS's own (Java) patterns refuse.

Escaping (:func:`printable`) is the one rule for every line the project prints: the config's
problem lines and the ``criipto-cognito`` command's output. A value is shown on one line exactly
as it reads, except for the characters that could make it read as something else: control and
format characters (line breaks, escape sequences, bidi overrides, zero-width characters), line
and paragraph separators, surrogates, private-use and unassigned code points, and every space
but U+0020. Those are written as Python-style escapes (``\\n``, ``\\x1b``, ``\\u202e``). A backslash
stays as it is, so escaping twice changes nothing.
"""

from __future__ import annotations

import ipaddress
import re
import reprlib
import unicodedata
from collections.abc import Sequence

_REGION = re.compile(
    r"[a-z]{2}(?:-gov|-iso[a-z]?)?"
    r"-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9][0-9]?"
)
# A number as inet_aton() reads one: decimal, octal (0…) or hexadecimal (0x…).
_NUMERIC_LABEL = re.compile(r"[0-9]+|0[xX][0-9a-fA-F]*")
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# How much of a value a problem line quotes.
SHOWN_MAX = 80
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Python's str.isprintable() is False for exactly these ("Other" and "Separator"), but " ".
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


class Unconverted:
    """A config value handed to pydantic where pydantic would turn it into text itself (a
    union's tag): its text is :func:`shown`'s, which cannot fail."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __str__(self) -> str:
        return shown(self.value)

    __repr__ = __str__


class _BoundedRepr(reprlib.Repr):
    """repr() for any TOML value, however big or deep: cut to a few items and levels.

    Plain repr() of an integer beyond Python's digit limit (a hex literal of thousands of
    digits, which TOML allows and the parser accepts) raises, also inside a list or table.
    """

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxlist = self.maxdict = 6
        self.maxstring = self.maxlong = self.maxother = SHOWN_MAX

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 200:  # no one reads 60 digits anyway
            return f"an integer of about {int(x.bit_length() * 0.30103) + 1} digits"
        return super().repr_int(x, level)


_BOUNDED_REPR = _BoundedRepr()


def shown(value: object) -> str:
    """``value`` quoted for a problem line: escaped (one line), and cut when long.

    Python's repr escapes every character that is not printable (newlines, NUL, U+200B, line
    separators), so a value can never break a problem over two lines. Any value can be shown,
    also one not validated yet (an integer of thousands of digits, a list nested deep).
    """
    if isinstance(value, Unconverted):
        return shown(value.value)
    if isinstance(value, str):
        if len(value) > SHOWN_MAX:
            return f"{value[:SHOWN_MAX]!r}… ({len(value)} characters)"
        return repr(value)
    return _BOUNDED_REPR.repr(value)


def is_unsafe(char: str) -> bool:
    """True for a character :func:`printable` escapes."""
    return char != " " and unicodedata.category(char) in _UNSAFE_CATEGORIES


def escape_char(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` on one line, with every unsafe character escaped."""
    if text.isascii() and text.isprintable():  # the common case, without a per-character loop
        return text
    return "".join(escape_char(c) if is_unsafe(c) else c for c in text)


def key_path(loc: Sequence[int | str]) -> str:
    """Keys as the user writes them: dotted, quoted where TOML needs quotes, escaped."""
    return ".".join(_key(part) for part in loc) or "(top level)"


def _key(part: int | str) -> str:
    if isinstance(part, int) or _BARE_KEY.fullmatch(part):
        return str(part)
    return printable('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')


def invisible_characters(text: str) -> bool:
    """True when ``text`` holds a control, format, private-use, unassigned or line-break
    character: nothing anyone types into a URL, name or key on purpose."""
    for char in text:
        category = unicodedata.category(char)
        if category[0] == "C" or category in ("Zl", "Zp"):
            return True
    return False


def one_of_problem(value: object, choices: Sequence[object]) -> str | None:
    """Why ``value`` is none of ``choices``, or None: the line the config gives a value its
    table's choices lack (pydantic's Literal), so that code gets the same message."""
    if value in choices:
        return None
    quoted = [repr(choice) for choice in choices]
    listed = ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]
    return f"must be one of {listed} (got {shown(value)})"


def region_problem(region: str) -> str | None:
    """Why ``region`` is not an AWS region name, or None."""
    if not _REGION.fullmatch(region):
        return f"{shown(region)} is not an AWS region name such as eu-north-1"
    return None


def hostname_problem(value: str, example: str = "acme.criipto.id") -> str | None:
    """Why ``value`` is not a bare DNS host name (no scheme, path, port, nor an IP address), or
    None."""
    if "://" in value or "/" in value:
        return f"must be a bare host name, without scheme or path (e.g. {example})"
    if _ip_address(value):
        return f"is an IP address, not a DNS name such as {example}"
    if ":" in value:
        return "must be a bare host name, without port"
    labels = value.split(".")
    if len(value) > 253 or len(labels) < 2 or not all(_HOST_LABEL.fullmatch(x) for x in labels):
        return f"must be a lowercase DNS name such as {example}"
    return None


def _ip_address(value: str) -> bool:
    """Whether ``value`` is an IP address, v4 or v6, or what a resolver reads as one.

    Beyond the standard forms, inet_aton() (which getaddrinfo() follows) reads "127.1",
    "0x7f.0.0.1" and "2130706433" as 127.0.0.1; a DNS name's last label is never all-numeric
    (RFC 3696, section 2), so such a last label marks an address too.
    """
    try:
        ipaddress.ip_address(value.removeprefix("[").removesuffix("]").partition("%")[0])
    except ValueError:
        return _NUMERIC_LABEL.fullmatch(value.rstrip(".").rpartition(".")[2]) is not None
    return True
