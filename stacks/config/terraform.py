"""The ``[terraform]`` table: which provider versions every stack and the Criipto module accept.

Free of cdktf, like every config module. The constraints are checked against Terraform's own
grammar here, so a typo answers with the key's name (exit 2) instead of failing in
``terraform init`` after a synth.
"""

from __future__ import annotations

import re

from pydantic import field_validator

from criipto import module_checks, module_writer
from stacks.config.base import Model, rule

# The hashicorp/aws release the prebuilt bindings (cdktf-cdktf-provider-aws 21.22.1) were
# generated from. tests/stacks/test_terraform_config.py checks it against the bindings.
BINDINGS_AWS_VERSION = "6.25.0"
# The bindings' release and every later 6.x: the bindings are archived, provider fixes are not.
# A stack's lock file records which release was chosen.
DEFAULT_AWS_PROVIDER = f">= {BINDINGS_AWS_VERSION}, < 7.0.0"
DEFAULT_RESTAPI_PROVIDER = module_writer.RESTAPI_VERSION
# The Criipto module's floor (its secret guard calls issensitive(), new in Terraform 1.8), for
# every stack alike, so that an external-mode stack moves to managed mode without surprises.
REQUIRED_TERRAFORM_VERSION = module_checks.TERRAFORM_REQUIRED_VERSION

# One constraint of Terraform's version-constraint grammar (apparentlymart/go-versions,
# "Ruby style", which Terraform uses for provider versions): an optional operator, at most
# one space, one to three numeric parts, optional -prerelease and +metadata. No "v" prefix,
# no wildcards.
_OPERATORS = ("!=", ">=", "<=", "~>", "=", ">", "<")
_CONSTRAINT = re.compile(
    r"^(?:(?P<op>!=|>=|<=|~>|=|>|<) ?)?"
    r"(?P<version>[0-9]+(?:\.[0-9]+){0,2})"
    r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
)


def version_constraint_problem(value: str) -> str | None:
    """Why Terraform would refuse ``value`` as a provider version constraint, or None."""
    example = 'e.g. ">= 6.25.0, < 7.0.0" or "~> 3.0.0"'
    if not value.strip():
        return f"must not be empty ({example})"
    for part in value.split(","):
        item = part.strip()
        if not item:
            return f"has an empty constraint between commas ({example})"
        if _CONSTRAINT.match(item):
            continue
        if re.match(r"^(?:[<>=!~]+ ?)?v\d", item):
            return f'{item!r}: no "v" before the version ({example})'
        if any(c in item for c in "*xX") and re.search(r"\d", item):
            return f"{item!r}: Terraform takes no wildcards; omit the unconstrained parts"
        operator = re.match(r"^[<>=!~^]+", item)
        if operator and operator.group() not in _OPERATORS:
            return (
                f"{item!r}: unknown operator {operator.group()!r} (one of {', '.join(_OPERATORS)})"
            )
        return f"{item!r} is not a Terraform version constraint ({example})"
    return None


class TerraformConfig(Model):
    """Provider version constraints, written into every stack and the Criipto module."""

    aws_provider: str = DEFAULT_AWS_PROVIDER
    restapi_provider: str = DEFAULT_RESTAPI_PROVIDER

    _constraints = field_validator("aws_provider", "restapi_provider")(
        rule(version_constraint_problem)
    )


DEFAULT_TERRAFORM = TerraformConfig()
