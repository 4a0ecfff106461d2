"""The one error a broken rule raises when it names where the value stands."""

from __future__ import annotations


class PropError(ValueError):
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
