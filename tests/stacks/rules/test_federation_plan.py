"""FederationOptions, the eID rules' one home: checked when made, every problem at once."""

from __future__ import annotations

from typing import Any

import pytest

from stacks.constructs import (
    FederationOptions,
    PropError,
)
from stacks.rules.problems import PropErrors


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"eids": ["se-bankid", "se-bankid"]}, "eids: lists 'se-bankid' twice"),
        (
            {"eids": ["se-bankid"], "provider_names": {"dk-mitid": "MitID"}},
            "provider_names.dk-mitid: names no eID listed in eids",
        ),
        (
            {"eids": ["se-bankid"], "provider_name": "Mine"},
            "provider_name: applies only without eids",
        ),
        (
            # Given at all is given: the config refuses the key with eids whatever its value.
            {"eids": ["se-bankid"], "provider_name": "Criipto"},
            "provider_name: applies only without eids",
        ),
        (
            {"eids": ["se-bankid"], "authorize_scopes": ["openid"]},
            "authorize_scopes: applies only without eids",
        ),
        ({"provider_name": "_x"}, "provider_name: must be 3 to 32 characters long (got 2)"),
        ({"authorize_scopes": ["email"]}, 'authorize_scopes: must contain "openid"'),
        ({"attribute_mapping": {"shoe_size": "x"}}, "attribute_mapping.shoe_size: "),
    ],
)
def test_federation_options_are_checked_when_made(options: dict[str, Any], message: str) -> None:
    with pytest.raises(PropError) as caught:
        FederationOptions(**options)
    assert str(caught.value).startswith(message)


def test_every_federation_option_problem_is_raised_at_once() -> None:
    """One PropErrors for several problems: the first is its own prop, the message holds all."""
    with pytest.raises(PropErrors) as caught:
        FederationOptions(eids=["se-bankid", "xx"], dashboard_settings=["nope"])
    assert [problem.prop for problem in caught.value.problems] == ["eids", "dashboard_settings"]
    assert caught.value.prop == "eids"
    assert str(caught.value).startswith("eids: unknown eID 'xx'")
    assert "; dashboard_settings: unknown setting 'nope'" in str(caught.value)
