"""How the constructs tell a literal from a token: as cdktf does."""

from __future__ import annotations

from pathlib import Path

from support.synth import library_stack

from stacks.platform import aws


def test_a_literal_is_told_from_a_token_as_cdktf_tells_them(tmp_path: Path) -> None:
    """props.is_token answers plain text without a call into jsii; it agrees with cdktf."""
    from stacks.constructs import props
    from stacks.platform import Token

    _, stack, secret = library_stack(tmp_path)
    pool = aws.CognitoUserPool(stack, "pool", name="users")
    for value in ("web", "${var.x}", "#{x}", "a TfToken[ b", secret, pool.id, f"x-{pool.arn}"):
        assert props.is_token(value) == bool(Token.is_unresolved(value)), value
    assert props.is_token(pool.id) and not props.is_token("${var.x}")
