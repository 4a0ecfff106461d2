"""The Terraform side, one folder per role (tests/project/test_layers.py holds them to it):

rules/       the value rules and the federation plan: pure, shared by all below
config/      federation.toml -> one frozen, checked model
platform/    the seam: the one place cdktf, constructs and the AWS bindings are imported
constructs/  the public construct library (knows nothing of the config)
app/         the TOML app: one FederationStack per environment, built from the constructs
deploy/      what make diff|deploy|destroy, make lock and the workflows run around cdktf
"""
