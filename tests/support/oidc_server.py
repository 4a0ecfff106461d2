"""A real OpenID Provider on loopback for the tests: tools/oidc_stand_in.py (``oidc-provider``
from npm laid out like an Idura domain, over TLS with a trustme CA), skipped with the reason
where Node or the npm package is missing."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import pytest

from support.project import in_fast_loop
from tools import oidc_stand_in
from tools.oidc_stand_in import Application, RunningOp

__all__ = ["Application", "RunningOp", "node_or_skip", "running_op"]

_NOT_IN_FAST_LOOP = (
    "make check runs no oidc-provider harness: mark the test @pytest.mark.oidc_harness"
)
P = ParamSpec("P")
T = TypeVar("T")


def _refused_in_fast_loop(start: Callable[P, T]) -> Callable[P, T]:
    @functools.wraps(start)
    def refused(*args: P.args, **kwargs: P.kwargs) -> T:
        if in_fast_loop():
            pytest.fail(_NOT_IN_FAST_LOOP)
        return start(*args, **kwargs)

    return refused


running_op = _refused_in_fast_loop(
    functools.partial(oidc_stand_in.running_op, when_missing=pytest.skip)
)


@_refused_in_fast_loop
def node_or_skip() -> None:
    missing = oidc_stand_in.missing()
    if missing is not None:
        pytest.skip(missing)
