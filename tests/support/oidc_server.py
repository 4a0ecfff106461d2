"""A real OpenID Provider on loopback for the tests: tools/oidc_stand_in.py (``oidc-provider``
from npm laid out like an Idura domain, over TLS with a trustme CA), skipped with the reason
where Node or the npm package is missing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from support.project import in_fast_loop
from tools import oidc_stand_in
from tools.oidc_stand_in import Application, RunningOp

__all__ = ["Application", "RunningOp", "node_or_skip", "running_op"]

_NOT_IN_FAST_LOOP = (
    "make check runs no oidc-provider harness: mark the test @pytest.mark.oidc_harness"
)


@contextmanager
def running_op(
    directory: Path,
    domain: str,
    applications: Sequence[Application],
    *,
    errors_as_200: bool = False,
) -> Iterator[RunningOp]:
    """The OP for ``domain`` holding ``applications``; skips saying why where it cannot run."""
    if in_fast_loop():
        pytest.fail(_NOT_IN_FAST_LOOP)
    with oidc_stand_in.running_op(
        directory, domain, applications, errors_as_200=errors_as_200, when_missing=pytest.skip
    ) as op:
        yield op


def node_or_skip() -> None:
    if in_fast_loop():
        pytest.fail(_NOT_IN_FAST_LOOP)
    missing = oidc_stand_in.missing()
    if missing is not None:
        pytest.skip(missing)
