"""The federation config: ``federation.toml`` read into one frozen, fully checked model.

Free of cdktf and the constructs: a rejected config answers from here alone.
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
