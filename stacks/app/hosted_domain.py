"""The hosted-UI domain of the pool: the host Criipto sends users back to."""

from __future__ import annotations

from criipto.terraform_text import literal
from stacks.config.model import DomainConfig
from stacks.constructs import props
from stacks.platform import Construct, aws


class HostedDomain(Construct):
    """A Cognito prefix domain, or a custom domain served with an ACM certificate."""

    def __init__(
        self, scope: Construct, id: str, *, config: DomainConfig, user_pool_id: str, region: str
    ) -> None:
        super().__init__(scope, id)
        self.host_name = config.hosted_domain(region)
        self.resource = aws.CognitoUserPoolDomain(
            self,
            "domain",
            user_pool_id=user_pool_id,
            domain=literal(config.prefix if config.prefix is not None else config.custom or ""),
            certificate_arn=literal(config.certificate_arn) if config.certificate_arn else None,
            managed_login_version=config.managed_login_version,
        )
        props.fix_name(self.resource, id)
