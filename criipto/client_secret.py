"""Where the Criipto application's client secret travels, named once for the stack and the command.

External mode: the dashboard shows the secret once; it reaches Terraform as a sensitive variable
and goes from there into each Cognito identity provider, which sends it to Criipto's token
endpoint at every login. Nowhere else.
"""

from __future__ import annotations

# The stack's sensitive Terraform variable, and its name in the environment where Terraform runs.
VARIABLE = "criipto_client_secret"
ENV_VAR = f"TF_VAR_{VARIABLE}"
# The GitHub Actions secret .github/workflows/plan.yml and apply.yml hand to Terraform as ENV_VAR.
GITHUB_SECRET = "CRIIPTO_CLIENT_SECRET"  # noqa: S105 (a secret's name)
