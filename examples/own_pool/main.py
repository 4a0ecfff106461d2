"""A CDKTF app with its own user pool and domain, adding Criipto federation in a few lines.

Run from this folder with the project's virtual environment (writes ./cdktf.out):

    cd examples/own_pool && ../../.venv/bin/python main.py

One Cognito identity provider per eID (Danish MitID, Swedish BankID), each pinned to its eID,
and an app client that offers both. The Criipto application is made by hand in the dashboard
(ExternalApplication); its secret comes from TF_VAR_criipto_client_secret at plan.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# The project's packages, when run from this folder without installing them.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from stacks.constructs import (
    AppClientOptions,
    CriiptoFederation,
    ExternalApplication,
    FederationOptions,
)
from stacks.platform import App, Construct, TerraformStack, TerraformVariable, aws

REGION = "eu-north-1"


class LoginStack(TerraformStack):
    def __init__(self, scope: Construct, name: str) -> None:
        super().__init__(scope, name)
        aws.AwsProvider(self, "aws", region=REGION)
        # The team's own pool and domain, as they already have them.
        pool = aws.CognitoUserPool(self, "pool", name="acme-users")
        domain = aws.CognitoUserPoolDomain(
            self, "domain", user_pool_id=pool.id, domain="acme-login"
        )
        secret = TerraformVariable(self, "criipto_client_secret", type="string", sensitive=True)

        # Criipto federation: one provider per eID, and the app client.
        CriiptoFederation(
            self,
            "criipto",
            user_pool_id=pool.id,
            hosted_domain=f"{domain.domain}.auth.{REGION}.amazoncognito.com",
            criipto_domain="acme.criipto.id",
            application=ExternalApplication(
                client_id="urn:acme:cognito", client_secret=secret.string_value
            ),
            options=FederationOptions(
                eids=["dk-mitid-substantial", "se-bankid"],
                # MitID's preset maps its uuid into custom:dk_mitid_uuid, which this pool lacks.
                attribute_mapping={"uuid": False},
            ),
            app_client=AppClientOptions(
                name="web", callback_urls=["https://app.acme.com/callback"]
            ),
        )


app = App()
LoginStack(app, "login")
app.synth()
