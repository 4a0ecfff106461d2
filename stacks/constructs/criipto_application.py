"""The Criipto application as part of a stack: the generated restapi module, shipped and called."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from criipto import contract, module_writer
from stacks.constructs import props
from stacks.platform import AssetType, Construct, TerraformAsset, TerraformHclModule
from stacks.rules import javascript
from stacks.rules.common import hostname_problem
from stacks.rules.federation import (
    client_id_problem,
    management_api_url_problem,
    redirect_urls_problem,
)
from stacks.rules.terraform_versions import version_constraint_problem

# Why the body's values must be literals.
_BAKED = "the application's body is written into the module at synth time"


class CriiptoApplication(Construct):
    """Creates and tracks the Criipto login application in the stack's own state.

    Calls a local Terraform module (``criipto/module_writer.py``) whose ``restapi_object``
    creates, reads, updates and deletes the application through the Criipto management API.
    The module is written to a temporary directory and copied into ``cdktf.out`` as an asset,
    under a relative, content-hashed path, so a Terraform Cloud run receives it with the stack.
    The module's address is ``module.<id>`` (``CriiptoFederation`` calls it
    ``criipto_application``): users type it for ``terraform import``.

    Props (keyword only):
        name: the application's name in the Criipto dashboard (literal).
        domain: the Criipto domain it belongs to, e.g. ``acme.criipto.id`` (literal).
        realm: its Client ID/Realm, the client id Cognito presents (literal).
        return_urls: where Criipto may send users back; Cognito's
            ``https://<pool domain>/oauth2/idpresponse`` (literals).
        tags: labels on the application (literals). Default: none.
        api_url: the management API's base URL (https; literal or token).
        api_token: the management API's bearer token: a reference, such as a sensitive
            variable's ``string_value``, never a literal (it would be written into cdktf.out).
        restapi_version: the Mastercard/restapi provider constraint the module requires.
            Default: ``module_writer.RESTAPI_VERSION``.

    The body's values are baked into the module, so they must be literals; a bad one raises
    PropError naming the prop, with the config's message, before anything is added.

    Attributes: ``application_id``, ``client_id``, ``client_secret`` (sensitive; null after an
    import) and ``client_secret_reference`` (the same output as a bare reference, for
    hand-written expressions).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        domain: str,
        realm: str,
        return_urls: Sequence[str],
        api_url: str,
        api_token: str,
        tags: Sequence[str] = (),
        restapi_version: str = module_writer.RESTAPI_VERSION,
    ) -> None:
        for prop, value in (("name", name), ("domain", domain), ("realm", realm)):
            props.require_literal(prop, value, _BAKED)
        for url in return_urls:
            props.require_literal("return_urls", url, _BAKED)
        for tag in tags:
            props.require_literal("tags", tag, _BAKED)
        props.check("name", name, contract.application_name_problem)
        props.check("domain", domain, hostname_problem)
        props.check("realm", realm, client_id_problem)
        props.check_list("return_urls", return_urls, redirect_urls_problem)
        props.check_list("tags", tags, contract.tags_problem)
        props.check("api_url", api_url, management_api_url_problem)
        props.require_token("api_token", api_token, "a literal token would be in cdktf.out")
        props.check("restapi_version", restapi_version, version_constraint_problem)
        # A Terraform name such as constructor stays; only the node's id avoids JavaScript's.
        super().__init__(scope, javascript.construct_id(id))
        # The spec stays raw: the module writer escapes the payload it is rendered into.
        spec = contract.ApplicationSpec(
            name=name, domain=domain, realm=realm, return_urls=tuple(return_urls), tags=tuple(tags)
        )
        # Kept on the construct: the asset is copied at app.synth(), after this returns.
        self._workdir = tempfile.TemporaryDirectory(prefix="criipto-module-")
        source = module_writer.write_module(
            spec,
            Path(self._workdir.name) / "module",
            restapi_version=restapi_version,
            module_name=id,
        )
        asset = TerraformAsset(self, "source", path=str(source), type=AssetType.DIRECTORY)
        self.module = TerraformHclModule(
            self,
            "module",
            # Terraform reads a source as local only when it starts with "./".
            source=f"./{asset.path}",
            skip_asset_creation_from_local_modules=True,
            variables={
                module_writer.VAR_API_URL: props.text(
                    api_url if props.is_token(api_url) else api_url.rstrip("/")
                ),
                module_writer.VAR_API_TOKEN: api_token,
            },
        )
        props.fix_name(self.module, id)
        self.application_id: str = self.module.get_string(module_writer.OUT_APPLICATION_ID)
        self.client_id: str = self.module.get_string(module_writer.OUT_CLIENT_ID)
        self.client_secret: str = self.module.get_string(module_writer.OUT_CLIENT_SECRET)
        # The same output as a bare reference, for hand-written expressions.
        self.client_secret_reference = (
            f"module.{self.module.friendly_unique_id}.{module_writer.OUT_CLIENT_SECRET}"
        )
