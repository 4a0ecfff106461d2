"""The ``[terraform]`` table: which provider versions every stack and the Criipto module accept.

The constraints are checked against Terraform's own grammar
(``stacks/rules/terraform_versions.py``), so a typo answers with the key's name (exit 2) instead
of failing in ``terraform init`` after a synth.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import field_validator

from criipto import module_checks, module_writer
from stacks.config.base import Model, rule
from stacks.rules.terraform_versions import version_constraint_problem

DEFAULT_RESTAPI_PROVIDER = module_writer.RESTAPI_VERSION
# The Criipto module's floor (its secret guard calls issensitive(), new in Terraform 1.8), for
# every stack alike, so that an external-mode stack moves to managed mode without surprises.
REQUIRED_TERRAFORM_VERSION = module_checks.TERRAFORM_REQUIRED_VERSION


def _unless_none(problem_of: Callable[[str], str | None]) -> Callable[[str | None], str | None]:
    return lambda value: None if value is None else problem_of(value)


class TerraformConfig(Model):
    """Provider version constraints, written into every stack and the Criipto module."""

    # None: the platform's own default (``Platform.default_aws_provider`` in
    # stacks/platform/choice.py), which follows the release its AWS bindings were generated
    # from. The config cannot know the platform: it loads without one.
    aws_provider: str | None = None
    restapi_provider: str = DEFAULT_RESTAPI_PROVIDER

    _aws_constraint = field_validator("aws_provider")(
        rule(_unless_none(version_constraint_problem))
    )
    _restapi_constraint = field_validator("restapi_provider")(rule(version_constraint_problem))


DEFAULT_TERRAFORM = TerraformConfig()
