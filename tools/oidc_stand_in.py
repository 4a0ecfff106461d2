"""A real OpenID Provider on loopback: ``oidc-provider`` (npm, certified) in a small Node harness
(tools/oidc_provider_harness.mjs) laid out like an Idura domain, over TLS with a trustme CA.

A stand-in for an Idura domain, for the tests (tests/support/oidc_server.py) and for `make
sandbox`: each ``running_op`` is its own Node process with its own clients, so the caller states
the application as the dashboard would hold it: Client ID, secret, redirect URLs. Needs Node
and the npm package (``make setup`` installs it): ``missing()`` says what is not there.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import PIPE, STDOUT
from typing import Any

from tools.sessions import own_session

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tools" / "oidc_provider_harness.mjs"
PACKAGE = ROOT / "node_modules" / "oidc-provider"
STARTUP_SECONDS = 30


@dataclass(frozen=True)
class Application:
    """A login application as the OP holds it (what the Idura dashboard would show)."""

    client_id: str
    secret: str
    redirect_urls: Sequence[str]
    code_flow: bool = True

    def metadata(self) -> dict[str, Any]:
        # Without the code flow an application signs users in with the implicit flow only
        # (an ID token sent to its redirect URL), as an Idura application does by default.
        return {
            "client_id": self.client_id,
            "client_secret": self.secret,
            "redirect_uris": list(self.redirect_urls),
            "grant_types": ["authorization_code"] if self.code_flow else ["implicit"],
            "response_types": ["code"] if self.code_flow else ["id_token"],
            "token_endpoint_auth_method": "client_secret_post",
        }


@dataclass
class RunningOp:
    base_url: str
    ca_file: Path
    domain: str
    output: list[str] = field(default_factory=list)

    def requests(self) -> list[str]:
        """ "<method> <path>" of every request so far, as it arrived (acr segment included)."""
        return [
            line.split(" ", 1)[1].strip() for line in self.output if line.startswith("request ")
        ]


def missing() -> str | None:
    """What the OP needs and this machine lacks, as one line; None when it can run."""
    if shutil.which("node") is None:
        return "node is not on PATH: the OpenID Provider runs oidc-provider on Node"
    if not PACKAGE.is_dir():
        return "node_modules/oidc-provider is missing: run `make setup` (npm ci)"
    return None


def _cannot_run(what: str) -> None:
    raise RuntimeError(what)


@contextmanager
def running_op(
    directory: Path,
    domain: str,
    applications: Sequence[Application],
    *,
    errors_as_200: bool = False,
    when_missing: Callable[[str], object] = _cannot_run,
) -> Iterator[RunningOp]:
    """Start the OP for ``domain`` holding ``applications``; yield where it listens.

    Where Node or the npm package is missing, ``when_missing(what)``: raise (the default), or
    skip (the tests).
    """
    import trustme  # a dev dependency: loaded only where used

    lacking = missing()
    node = shutil.which("node")
    if lacking is not None or node is None:
        when_missing(lacking or "node is not on PATH")
        raise RuntimeError(lacking)
    directory.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    ca_file = directory / "op-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    issued = ca.issue_cert("127.0.0.1", "localhost")
    cert, key = directory / "op-cert.pem", directory / "op-key.pem"
    cert.write_bytes(b"".join(pem.bytes() for pem in issued.cert_chain_pems))
    issued.private_key_pem.write_to_path(str(key))
    settings = directory / "op-settings.json"
    settings.write_text(
        json.dumps(
            {
                "domain": domain,
                "cert": str(cert),
                "key": str(key),
                "clients": [app.metadata() for app in applications],
                "errors_as_200": errors_as_200,
            }
        ),
        encoding="utf-8",
    )
    # Its own session: a Ctrl-C meant for the caller does not stop it mid-check.
    with own_session(
        [node, str(HARNESS), str(settings)], cwd=ROOT, stdout=PIPE, stderr=STDOUT
    ) as process:
        output: list[str] = []
        started = threading.Event()
        port: list[int] = []

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                output.append(line)
                if line.startswith("listening ") and not port:
                    port.append(int(line.split()[1]))
                    started.set()
            started.set()  # the process ended: let the waiting side see it

        threading.Thread(target=read, daemon=True).start()
        if not started.wait(STARTUP_SECONDS) or not port:
            raise RuntimeError(f"the OpenID Provider did not start:\n{''.join(output)}")
        yield RunningOp(f"https://127.0.0.1:{port[0]}", ca_file, domain, output)
