"""The Criipto application as part of a stack: the generated module, shipped and called."""

from __future__ import annotations

import tempfile
from pathlib import Path

from cdktf import AssetType, TerraformAsset, TerraformHclModule
from constructs import Construct

from criipto import contract, module_writer

MODULE_ADDRESS_NAME = module_writer.MODULE_ADDRESS_NAME


class CriiptoApplication(Construct):
    """Creates and tracks the Criipto login application in the stack's own state.

    The module is written to a temporary directory and copied into ``cdktf.out`` as an asset,
    under a relative, content-hashed path, so a Terraform Cloud run receives it with the stack.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        spec: contract.ApplicationSpec,
        api_url: str,
        api_token: str,
        restapi_version: str = module_writer.RESTAPI_VERSION,
    ) -> None:
        super().__init__(scope, id)
        # Kept on the construct: the asset is copied at app.synth(), after this returns.
        self._workdir = tempfile.TemporaryDirectory(prefix="criipto-module-")
        source = module_writer.write_module(
            spec, Path(self._workdir.name) / "module", restapi_version=restapi_version
        )
        asset = TerraformAsset(self, "source", path=str(source), type=AssetType.DIRECTORY)
        self.module = TerraformHclModule(
            self,
            "module",
            # Terraform reads a source as local only when it starts with "./".
            source=f"./{asset.path}",
            skip_asset_creation_from_local_modules=True,
            variables={
                module_writer.VAR_API_URL: api_url,
                module_writer.VAR_API_TOKEN: api_token,
            },
        )
        # A fixed, readable address: users type it for `terraform import`.
        self.module.override_logical_id(MODULE_ADDRESS_NAME)
        self.application_id: str = self.module.get_string(module_writer.OUT_APPLICATION_ID)
        self.client_id: str = self.module.get_string(module_writer.OUT_CLIENT_ID)
        self.client_secret: str = self.module.get_string(module_writer.OUT_CLIENT_SECRET)
        # The same output as a bare reference, for hand-written expressions.
        self.client_secret_reference = (
            f"module.{self.module.friendly_unique_id}.{module_writer.OUT_CLIENT_SECRET}"
        )
