"""Text that came from a server (or AWS, or the command line), made safe to show.

A value is shown on one line exactly as it reads, except for the characters that could make it
read as something else: control and format characters (line breaks, escape sequences, bidi
overrides, zero-width characters), line and paragraph separators, surrogates, private-use and
unassigned code points, and every space but U+0020. Those are written as Python-style escapes
(``\\n``, ``\\x1b``, ``\\u202e``). A backslash stays as it is, so escaping twice changes nothing.
"""

from __future__ import annotations

import unicodedata

SHOWN_CHARACTERS = 200
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


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


def shown(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """A value from a document as a finding shows it: printable, and at most ``limit`` long."""
    if value is None:
        text = "(missing)"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = ", ".join(map(_item, value)) or "(empty list)"
    else:
        text = _item(value)
    return truncated(printable(text), limit)


def truncated(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def _item(value: object) -> str:
    # repr for nested containers keeps strings inside them quoted and their escapes visible.
    return value if isinstance(value, str) else repr(value)
