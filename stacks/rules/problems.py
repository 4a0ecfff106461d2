"""The one exception validators raise to name a key below the table they check."""

from __future__ import annotations


class KeyProblem(ValueError):
    """A rule broken by one key of a table, raised from a validator of the whole table.

    Pydantic places a table-level error on the table; the loader appends ``key`` so the
    message names the key the user has to change.
    """

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
