"""Helpers the tests share (configs, synthesis, loopback servers, workflow and Terraform runs), imported as ``support.<module>``; pytest fixtures stay in tests/conftest.py."""
