"""Config text as Terraform JSON text: a literal, never an expression.

In Terraform's JSON syntax every string in an expression position is a template: ``${…}``
interpolates and ``%{…}`` runs a directive. A value from the config written there verbatim
becomes code (``application_name = "AWS ${var.criipto_api_token}"`` would send the token as the
application's name). Doubling the introducer (``$${``, ``%%{``) is Terraform's own escape: the
value then reaches AWS and the management API exactly as written.

This module imports nothing of the project's: both the stacks and the Criipto module writer use it.
"""

from __future__ import annotations


def literal(text: str) -> str:
    """``text`` escaped so that Terraform's template engine yields exactly ``text``.

    Only for values known to be literals: a cdktf token (``${TfToken[…]}``) escaped here would
    stop being a reference.
    """
    return text.replace("${", "$${").replace("%{", "%%{")
