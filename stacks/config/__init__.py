"""The federation config: ``federation.toml`` read into one frozen, fully checked model.

The package's surface for the app, the deploy tooling and the command; a rejected config
answers from here alone, without loading the platform (tests/project/test_layers.py).
"""

from stacks.config.loader import (
    CONFIG_ENV_VAR,
    EXIT_BAD_CONFIG,
    ConfigError,
    config_path,
    load_config,
    load_config_or_exit,
)
from stacks.config.model import EnvironmentConfig, FederationConfig

__all__ = [
    "CONFIG_ENV_VAR",
    "EXIT_BAD_CONFIG",
    "ConfigError",
    "EnvironmentConfig",
    "FederationConfig",
    "config_path",
    "load_config",
    "load_config_or_exit",
]
