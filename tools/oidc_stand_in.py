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
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    # The user info response strategy: plainJson (False), or a signed JWT (True).
    userinfo_signed: bool = False

    def metadata(self) -> dict[str, Any]:
        # Without the code flow an application signs users in with the implicit flow only
        # (an ID token sent to its redirect URL), as an Idura application does by default.
        metadata = {
            "client_id": self.client_id,
            "client_secret": self.secret,
            "redirect_uris": list(self.redirect_urls),
            "grant_types": ["authorization_code"] if self.code_flow else ["implicit"],
            "response_types": ["code"] if self.code_flow else ["id_token"],
            "token_endpoint_auth_method": "client_secret_post",
        }
        if self.userinfo_signed:
            metadata["userinfo_signed_response_alg"] = "RS256"
        return metadata


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
    claims: Mapping[str, object] | None = None,
    when_missing: Callable[[str], object] = _cannot_run,
) -> Iterator[RunningOp]:
    """Start the OP for ``domain`` holding ``applications``; yield where it listens.

    ``claims``: what every account's sign-in brings besides its ``sub`` (the login name).

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
                "claims": dict(claims or {}),
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


def sign_in(
    op: RunningOp, authorize_url: str, login: str = "test-user", timeout: float = 30
) -> str:
    """A person's sign-in at the stand-in, as a browser makes it: ``authorize_url`` (as
    ``criipto-cognito rehearse`` prints it), the OP's login and consent pages (oidc-provider's
    development interactions: any login name is an account), every redirect followed until one
    leaves the OP. Returns that last address: the one the browser's address bar would show,
    fragment and all. Addresses on the domain are reached at the OP's loopback origin."""
    import ssl

    import httpx  # the project's own dependency

    issuer = f"https://{op.domain}"
    url = authorize_url.replace(issuer, op.base_url, 1)
    trust = ssl.create_default_context(cafile=str(op.ca_file))
    with httpx.Client(verify=trust, timeout=timeout, follow_redirects=False) as client:
        form: dict[str, str] | None = None
        for _ in range(20):
            response = client.get(url) if form is None else client.post(url, data=form)
            form = None
            if response.is_redirect:
                location = response.headers["location"]
                target = httpx.URL(url).join(location)
                if not str(target).startswith((issuer, op.base_url)):
                    return str(target)  # out of the OP: where the browser ends
                url = str(target).replace(issuer, op.base_url, 1)
                continue
            uid = url.rstrip("/").rsplit("/", 1)[-1]
            if response.status_code == 200 and "/interaction/" in url:
                # The development login page, then its consent page: submit each as a person.
                prompt = "login" if 'name="login"' in response.text else "consent"
                form = {"prompt": prompt, "login": login, "password": "any"}
                url = f"{op.base_url}/interaction/{uid}"
                continue
            raise RuntimeError(f"the sign-in stopped at HTTP {response.status_code}: {url}")
    raise RuntimeError("the sign-in went through more than 20 pages")
