"""The OpenID Connect identity provider that sends Cognito users to Criipto."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from criipto import urls
from criipto.eids import USERNAME_MAPPING
from stacks.constructs import props
from stacks.platform import Construct, Precondition, TerraformResourceLifecycle, aws
from stacks.rules import cognito as rules
from stacks.rules import javascript
from stacks.rules.common import hostname_problem, invisible_characters
from stacks.rules.federation import (
    DEFAULT_AUTHORIZE_SCOPES,
    DEFAULT_PROVIDER_NAME,
    authorize_scopes_problem,
    client_id_problem,
    user_pool_id_problem,
)
from stacks.rules.federation_plan import attribute_problem, find_usable_eid
from stacks.rules.problems import PropError

# Keys AWS writes into provider_details after OIDC discovery. Without ignoring them every plan
# shows a diff. client_secret is deliberately absent: a rotated secret must reach Cognito.
DISCOVERED_KEYS = (*urls.ENDPOINT_DETAIL_KEYS.values(), "attributes_url_add_attributes")
_USERNAME = next(iter(USERNAME_MAPPING))


class CriiptoIdentityProvider(Construct):
    """An OIDC identity provider in a user pool for one Criipto domain, optionally one eID.

    Creates one ``aws_cognito_identity_provider`` whose Terraform name is the construct's id.
    Its issuer is ``https://<criipto_domain>``; Cognito discovers the endpoints from it, except
    for a provider pinned to an eID, whose endpoints are set (the authorize URL carries the
    eID's acr value) and so managed rather than ignored.

    Props (keyword only):
        user_pool_id: the pool (literal id or a token such as a ``CognitoUserPool``'s ``id``).
        criipto_domain: the Criipto domain, e.g. ``acme.criipto.id``.
        client_id: the Criipto application's Client ID/Realm (literal or token).
        client_secret: its client secret: a reference (e.g. a sensitive variable's
            ``string_value``), never a literal, which would be written into cdktf.out.
        provider_name: the name Cognito and the app client know the provider by.
            Default: ``"Criipto"``.
        eid: pin the provider to one eID (a short name such as ``"se-bankid"`` or an acr URN,
            see docs/eids.md). Default: None, Criipto's picker.
        attribute_mapping: Cognito attribute -> claim. ``username`` always receives ``sub``
            (added when absent). Default: ``{"username": "sub"}``; ``CriiptoFederation``
            derives each eID's preset mapping and the scopes it needs.
        authorize_scopes: the scopes Cognito asks Criipto for; must contain ``"openid"``.
            Default: ``("openid",)``.
        preconditions: checks Terraform makes before creating or changing the provider.

    Literal props are checked with the config's rules (a PropError names the prop); tokens are
    checked by Terraform at plan. Attributes: ``provider_name`` (a reference to the created
    provider's name, so that what uses it is ordered after it), ``mapped_attributes`` (the
    attributes a sign-in writes, for the clients' ``mapped_attributes``), ``resource``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        user_pool_id: str,
        criipto_domain: str,
        client_id: str,
        client_secret: str,
        provider_name: str = DEFAULT_PROVIDER_NAME,
        eid: str | None = None,
        attribute_mapping: Mapping[str, str] = USERNAME_MAPPING,
        authorize_scopes: Sequence[str] = DEFAULT_AUTHORIZE_SCOPES,
        preconditions: Sequence[Precondition] = (),
    ) -> None:
        props.check("user_pool_id", user_pool_id, user_pool_id_problem)
        props.check("criipto_domain", criipto_domain, hostname_problem)
        props.check("client_id", client_id, client_id_problem)
        props.require_token(
            "client_secret", client_secret, "a literal secret would be in cdktf.out"
        )
        props.check("provider_name", provider_name, rules.provider_name_problem)
        props.check_list("authorize_scopes", authorize_scopes, authorize_scopes_problem)
        mapping = {_USERNAME: USERNAME_MAPPING[_USERNAME], **attribute_mapping}
        for attribute, claim in mapping.items():
            props.check(f"attribute_mapping.{attribute}", attribute, _mapped_attribute_problem)
            if attribute == _USERNAME and claim != USERNAME_MAPPING[_USERNAME]:
                raise PropError(
                    f"attribute_mapping.{attribute}", attribute_problem(attribute) or ""
                )
            props.check(f"attribute_mapping.{attribute}", claim, _claim_problem)
        acr = None
        if eid is not None:
            try:
                acr = find_usable_eid(eid)[1]
            except PropError as problem:
                raise PropError("eid", problem.problem) from None
        # A Terraform name such as constructor stays; only the node's id avoids JavaScript's.
        super().__init__(scope, javascript.construct_id(id))
        endpoints = (
            {
                key: props.text(url)
                for key, url in urls.acr_scoped_endpoints(criipto_domain, acr).items()
            }
            if acr
            else {}
        )
        details = {
            "client_id": props.text(client_id),
            "client_secret": client_secret,
            "authorize_scopes": " ".join(props.text(scope) for scope in authorize_scopes),
            "oidc_issuer": props.text(urls.issuer(criipto_domain)),
            "attributes_request_method": "GET",
            **endpoints,
        }
        ignored = [f'provider_details["{key}"]' for key in DISCOVERED_KEYS if key not in endpoints]
        self.resource = aws.CognitoIdentityProvider(
            self,
            "provider",
            user_pool_id=user_pool_id,
            provider_name=props.text(provider_name),
            provider_type="OIDC",
            provider_details=details,
            attribute_mapping={
                props.text(attribute): props.text(claim) for attribute, claim in mapping.items()
            },
            lifecycle=TerraformResourceLifecycle(
                ignore_changes=ignored, precondition=list(preconditions) or None
            ),
        )
        props.fix_name(self.resource, id)
        # Reference the attribute, not the literal, so Terraform orders client after provider.
        self.provider_name: str = self.resource.provider_name
        self.mapped_attributes = tuple(a for a in mapping if a != _USERNAME)


def _mapped_attribute_problem(attribute: str) -> str | None:
    """attribute_problem, but for ``username``, which is allowed here (always from ``sub``)."""
    return None if attribute == _USERNAME else attribute_problem(attribute)


def _claim_problem(claim: str) -> str | None:
    if not claim or invisible_characters(claim) or claim != claim.strip():
        return f"{claim!r} is not a claim name"
    return None
