"""Where each stack keeps its Terraform state."""

from __future__ import annotations

from cdktf import LocalBackend, TerraformStack

# cdktf runs Terraform in <outdir>/stacks/<stack>. State goes three levels up, into the project
# root where cdktf's own default puts it, so a re-synth never touches it. The path is relative:
# cdktf's default would write this machine's absolute path into the JSON.
LOCAL_STATE_PATH = "../../../terraform.{stack}.tfstate"


def configure_backend(stack: TerraformStack, stack_name: str) -> None:
    """Give ``stack`` its backend."""
    LocalBackend(stack, path=LOCAL_STATE_PATH.format(stack=stack_name))
