"""How the public constructs treat their props: literals are checked and escaped, tokens are not.

A prop is either a literal (text written in the code, known at synth time) or a cdktf token (a
reference such as a pool's ``id`` or a variable's ``string_value``, known only at plan). A
literal is checked with the same rule, and so the same message, as the config key it matches,
and a bad one raises ``PropError`` naming the prop, before the construct adds anything to the
tree. A token is left to Terraform, which checks it at plan. Literal text is escaped
(``criipto.terraform_text.literal``) so that it stays data; a token must stay as it is, or it
would stop being a reference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from criipto.terraform_text import literal
from stacks.platform import TerraformElement, Token
from stacks.rules.problems import PropError

# What every cdktf token encoded in a string holds (``${TfToken[TOKEN.1]}``, ``#{TfToken[…]}``).
_TOKEN_MARK = "TfToken["  # noqa: S105 (a cdktf token's marker, not a secret)


def is_token(value: object) -> bool:
    """Whether ``value`` holds a cdktf token (a reference resolved by Terraform)."""
    if isinstance(value, str) and _TOKEN_MARK not in value:
        # The common case, without a call into jsii: a big config has thousands of literals.
        return False
    return bool(Token.is_unresolved(value))


def check(prop: str, value: str, problem_of: Callable[[str], str | None]) -> None:
    """Raise PropError naming ``prop`` when the literal ``value`` breaks its rule."""
    if is_token(value):
        return
    problem = problem_of(value)
    if problem:
        raise PropError(prop, problem)


def check_list(
    prop: str, values: Sequence[str], problem_of: Callable[[Sequence[str]], str | None]
) -> None:
    """Raise PropError naming ``prop`` when the literals among ``values`` break their rule."""
    literals = [value for value in values if not is_token(value)]
    if values and not literals:
        return  # only references: Terraform checks them at plan
    problem = problem_of(literals)
    if problem:
        raise PropError(prop, problem)


def require_literal(prop: str, value: str, why: str) -> None:
    """Refuse a token where only a value known at synth time will do."""
    if is_token(value):
        raise PropError(prop, f"must be a literal, not a reference: {why}")


def require_token(prop: str, value: str, why: str) -> None:
    """Refuse a literal where only a reference will do (a secret must not be in cdktf.out)."""
    if not is_token(value):
        raise PropError(prop, f"must be a reference (e.g. a variable's string_value): {why}")


def text(value: str) -> str:
    """``value`` as Terraform text: a literal escaped, a token (or text holding one) as it is."""
    return value if is_token(value) else literal(value)


def texts(values: Sequence[str] | None) -> list[str] | None:
    """:func:`text` of each value; None stays None (the argument is then left out)."""
    return None if values is None else [text(value) for value in values]


def fix_name(element: TerraformElement, name: str) -> None:
    """Give ``element`` the Terraform name ``name``, without cdktf's hash suffix.

    Users type these names for ``terraform import`` and ``terraform state mv`` and read them in
    plans (``stacks/rules/addresses.py``). Call it before any attribute of ``element`` is read:
    the first read fixes the name.
    """
    element.override_logical_id(name)
