"""The value rules: what AWS, Terraform and Idura accept, as ``*_problem`` functions (what is
wrong with a value, or None), the federation plan, the fixed addresses and ``PropError``.

Pure Python (no pydantic, no cdktf): the config, the constructs and the command all use them, so
a value gets the same answer from a TOML file, from code and from ``criipto-cognito``.
"""
