"""The console script as users run it: a subprocess with its own environment and config."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from support.aws_server import UNSET, aws_env
from support.processes import run_captured
from support.tls_server import APPLICATION_ID, TOKEN, CriiptoServer


class Cli:
    def __init__(self, endpoint: str, server: CriiptoServer, config: Path) -> None:
        self.server = server
        self.config = config
        env = {k: v for k, v in os.environ.items() if k not in UNSET}
        env.update(aws_env(endpoint))
        env["SSL_CERT_FILE"] = str(server.ca_file)
        env.pop("SSL_CERT_DIR", None)
        for name in ("CRIIPTO_API_TOKEN", "TF_VAR_criipto_api_token", "CRIIPTO_APPLICATION_ID"):
            env.pop(name, None)
        env["CRIIPTO_API_TOKEN"] = TOKEN
        self.env = env
        self.elapsed = 0.0  # wall time of the last run, seconds

    def __call__(
        self, *args: str, env: dict[str, str | None] | None = None, script: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        run_env = dict(self.env)
        for name, value in (env or {}).items():
            if value is None:
                run_env.pop(name, None)
            else:
                run_env[name] = value
        command = [script] if script else [sys.executable, "-m", "criipto_cognito.cli"]
        started = time.monotonic()
        done = run_captured([*command, *args], cwd=self.config.parent, env=run_env, timeout=60)
        self.elapsed = time.monotonic() - started
        assert "Traceback" not in done.stderr
        assert TOKEN not in done.stdout + done.stderr
        return done

    def discover(self, *extra: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        args = ["discover", "test", "--config", str(self.config)]
        args += self._base(extra, self.server.base_url) + list(extra)
        return self(*args, **kwargs)

    def doctor(self, *extra: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        args = ["doctor", "test", "--config", str(self.config)]
        args += self._base(extra, self.server.api_url)
        args += ["--application-id", APPLICATION_ID, *extra]
        return self(*args, **kwargs)

    @staticmethod
    def _base(extra: tuple[str, ...], default: str) -> list[str]:
        """The loopback server unless the test gives its own --base-url."""
        return [] if "--base-url" in extra else ["--base-url", default]


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]
