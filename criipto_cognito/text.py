"""Text that came from a server (or AWS, or the command line), made safe to show.

Escaped by the project's one rule (``stacks.rules.common.printable``: every control, format
and separator character but the space, as a Python-style escape), and cut when long.
"""

from __future__ import annotations

from stacks.rules.common import is_unsafe, printable

__all__ = ["SHOWN_CHARACTERS", "is_unsafe", "printable", "shown", "truncated"]

SHOWN_CHARACTERS = 200


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
