"""The ``[terraform]`` table: which provider versions every stack and the Criipto module accept.

The constraints are checked against Terraform's own grammar
(``stacks/rules/terraform_versions.py``), so a typo answers with the key's name (exit 2) instead
of failing in ``terraform init`` after a synth.
"""

from __future__ import annotations

from pydantic import field_validator

from criipto import module_checks, module_writer
from stacks.config.base import Model, rule
from stacks.rules.terraform_versions import version_constraint_problem

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


class TerraformConfig(Model):
    """Provider version constraints, written into every stack and the Criipto module."""

    aws_provider: str = DEFAULT_AWS_PROVIDER
    restapi_provider: str = DEFAULT_RESTAPI_PROVIDER

    _constraints = field_validator("aws_provider", "restapi_provider")(
        rule(version_constraint_problem)
    )


DEFAULT_TERRAFORM = TerraformConfig()
