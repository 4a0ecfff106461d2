"""The hosted-UI domain of a pool: the host Criipto sends users back to."""

from __future__ import annotations

from stacks.constructs import props
from stacks.platform import Construct, aws
from stacks.rules import cognito as rules
from stacks.rules import javascript
from stacks.rules.common import hostname_problem
from stacks.rules.federation import (
    DOMAIN_CHOICE,
    certificate_arn_problem,
    domain_choice_problem,
    hosted_domain,
    user_pool_id_problem,
)
from stacks.rules.problems import PropError


class HostedDomain(Construct):
    """A Cognito prefix domain, or a custom domain served with an ACM certificate.

    Creates one ``aws_cognito_user_pool_domain`` whose Terraform name is the construct's id.

    Props (keyword only):
        user_pool_id: the pool (literal id or token).
        region: the pool's region (for a prefix domain's host).
        prefix: the Cognito domain's prefix (``<prefix>.auth.<region>.amazoncognito.com``).
        custom: your own domain instead, which needs
        certificate_arn: an ACM certificate ARN in us-east-1. Default: None.
        managed_login_version: 1 (the classic hosted UI) or 2 (managed login). Default: None,
            AWS's choice.

    Exactly one of ``prefix`` and ``custom``. Literal props are checked with the config's rules
    (a PropError names the prop). Attributes: ``host_name`` (the hosted UI's host), ``resource``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        user_pool_id: str,
        region: str,
        prefix: str | None = None,
        custom: str | None = None,
        certificate_arn: str | None = None,
        managed_login_version: int | None = None,
    ) -> None:
        props.check("user_pool_id", user_pool_id, user_pool_id_problem)
        if (prefix is None) == (custom is None):
            raise PropError("prefix", DOMAIN_CHOICE)
        choice = domain_choice_problem(
            prefix=prefix is not None, custom=custom is not None, certificate=bool(certificate_arn)
        )
        if choice:
            raise choice
        if prefix is not None:
            props.check("prefix", prefix, rules.domain_prefix_problem)
        if custom is not None:
            props.check("custom", custom, hostname_problem)
        if certificate_arn is not None:
            props.check("certificate_arn", certificate_arn, certificate_arn_problem)
        if managed_login_version is not None:
            problem = rules.managed_login_version_problem(managed_login_version)
            if problem:
                raise PropError("managed_login_version", problem)
        super().__init__(scope, javascript.construct_id(id))
        self.host_name = hosted_domain(prefix, custom, region)
        self.resource = aws.CognitoUserPoolDomain(
            self,
            "domain",
            user_pool_id=user_pool_id,
            domain=props.text(prefix if prefix is not None else custom or ""),
            certificate_arn=props.text(certificate_arn) if certificate_arn else None,
            managed_login_version=managed_login_version,
        )
        props.fix_name(self.resource, id)
