"""A real OpenID Provider on loopback for the tests: tools/oidc_stand_in.py (``oidc-provider``
from npm laid out like an Idura domain, over TLS with a trustme CA), skipped with the reason
where Node or the npm package is missing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from tools import oidc_stand_in
from tools.oidc_stand_in import Application, RunningOp

__all__ = ["Application", "RunningOp", "node_or_skip", "running_op"]


def node_or_skip() -> None:
    missing = oidc_stand_in.missing()
    if missing is not None:
        pytest.skip(missing)


@contextmanager
def running_op(
    directory: Path,
    domain: str,
    applications: Sequence[Application],
    *,
    errors_as_200: bool = False,
) -> Iterator[RunningOp]:
    """Start the OP for ``domain`` holding ``applications``; yield where it listens."""
    node_or_skip()
    with oidc_stand_in.running_op(
        directory, domain, applications, errors_as_200=errors_as_200
    ) as running:
        yield running
