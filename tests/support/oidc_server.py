"""A real OpenID Provider on loopback for the tests: tools/oidc_stand_in.py (``oidc-provider``
from npm laid out like an Idura domain, over TLS with a trustme CA), skipped with the reason
where Node or the npm package is missing."""

from __future__ import annotations

import functools

import pytest

from tools import oidc_stand_in
from tools.oidc_stand_in import Application, RunningOp

__all__ = ["Application", "RunningOp", "node_or_skip", "running_op"]

running_op = functools.partial(oidc_stand_in.running_op, when_missing=pytest.skip)


def node_or_skip() -> None:
    missing = oidc_stand_in.missing()
    if missing is not None:
        pytest.skip(missing)
