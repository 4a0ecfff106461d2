"""The TOML app: one FederationStack per configured environment, built from the public
constructs like any CDKTF app."""

from __future__ import annotations

from stacks.app.federation_stack import FederationStack
from stacks.config.model import FederationConfig
from stacks.platform import App


def build_app(config: FederationConfig, outdir: str | None = None) -> App:
    """An App holding one stack per environment, ready to synth."""
    app = App(outdir=outdir) if outdir else App()
    for name, environment in config.environments.items():
        FederationStack(app, name, config=environment, terraform=config.terraform)
    return app
