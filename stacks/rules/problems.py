"""The one error a broken rule raises when it names where the value stands."""

from __future__ import annotations

from collections.abc import Sequence

from criipto.errors import CriiptoCognitoError


class PropError(CriiptoCognitoError, ValueError):
    """A value that breaks its rule: ``prop`` names the construct prop or the config key it came
    from (``attribute_mapping.x`` for a key below it), ``problem`` says what is wrong, and the
    message is ``"<prop>: <problem>"``, as AWS CDK's ValidationError names its construct.

    The constructs raise it for a bad prop, before they add anything to the tree. Inside a
    config validator it names a key below the table being checked: pydantic places the error
    on the table, and the loader appends ``prop`` so that the line names the key to change.
    """

    def __init__(self, prop: str, problem: str) -> None:
        super().__init__(f"{prop}: {problem}")
        self.prop = prop
        self.problem = problem


class PropErrors(PropError):
    """Several broken rules found at once (the federation plan checks every option before it
    gives up): ``problems`` holds one PropError each, the first is this error's own ``prop``
    and ``problem``, and the message lists them all."""

    def __init__(self, problems: Sequence[PropError]) -> None:
        super().__init__(problems[0].prop, problems[0].problem)
        self.problems = tuple(problems)
        self.args = ("; ".join(str(problem) for problem in problems),)


def raise_all(problems: Sequence[PropError]) -> None:
    """Raise the one problem as it is, several as PropErrors; nothing when there are none."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise PropErrors(problems)
