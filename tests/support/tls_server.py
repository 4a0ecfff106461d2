"""A small HTTPS server on 127.0.0.1 playing the Criipto side: discovery, JWKS, management API.

Certificates come from trustme; point the client at ``ca_file`` through SSL_CERT_FILE. Every
answer can be broken on purpose through ``server.state``: wrong documents, and servers that
misbehave below JSON (trickled or endless bodies, huge headers, garbage instead of HTTP).
``silent_listener`` is a TCP port that accepts and never says a word (no TLS either).
"""

from __future__ import annotations

import contextlib
import copy
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme

DOMAIN = "acme-test.criipto.id"
ISSUER = f"https://{DOMAIN}"
JWKS_PATH = "/.well-known/jwks"
API_PREFIX = "/v1"
TOKEN = "canary-7Qx9-token-never-printed"
APPLICATION_ID = "app-42"
IDP_RESPONSE = "https://acme-test-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"


def healthy_discovery() -> dict[str, Any]:
    return {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/oauth2/authorize",
        "token_endpoint": f"{ISSUER}/oauth2/token",
        "userinfo_endpoint": f"{ISSUER}/oauth2/userinfo",
        "jwks_uri": f"{ISSUER}{JWKS_PATH}",
        "response_types_supported": ["code", "id_token", "code id_token"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": ["openid", "email", "address"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }


def healthy_jwks() -> dict[str, Any]:
    return {"keys": [{"kty": "RSA", "use": "sig", "kid": "key-2025", "n": "xyz", "e": "AQAB"}]}


def healthy_application() -> dict[str, Any]:
    return {
        "id": APPLICATION_ID,
        "name": "AWS Cognito (test)",
        "domain": DOMAIN,
        "realm": "urn:acme:cognito:test",
        "returnUrls": [IDP_RESPONSE],
        "oauth2": {"codeFlow": True, "userInfoResponseStrategy": "plainJson"},
        "tags": ["aws-cognito"],
        "createdAt": "2025-01-01T00:00:00Z",
    }


# Answers that break HTTP itself, or never end.
MISBEHAVIOURS = (
    "trickle",  # a valid head, then the body one byte a second
    "trickle-head",  # the status line, then a header one byte a second
    "endless-chunked",  # a chunked body, 64 KiB chunks as fast as they go, never a last chunk
    "slow-chunked",  # a chunked body, one byte every 0.2 s, never a last chunk
    "huge-headers",  # 300 headers of 1 KiB each
    "huge-content-length",  # a Content-Length of 5000 digits
    "garbage",  # an SSH banner instead of an HTTP answer
    "close",  # the connection closed without an answer
)


@dataclass
class State:
    """What the server answers; tests change it, ``reset()`` restores health."""

    discovery: Any = field(default_factory=healthy_discovery)
    jwks: Any = field(default_factory=healthy_jwks)
    applications: dict[str, Any] = field(
        default_factory=lambda: {APPLICATION_ID: healthy_application()}
    )
    # How every path answers: "ok", "500", "slow", "html", "redirect", "raw" (raw_body as
    # application/json), or one of MISBEHAVIOURS.
    mode: str = "ok"
    raw_body: bytes = b""
    location: str = "https://elsewhere.example/"
    trickle_seconds: float = 1.0
    # Answer 500 this many times before answering normally (transient failures).
    fail_first: int = 0
    slow_seconds: float = 2.0
    expected_token: str = TOKEN
    # /.well-known/criipto-configuration: None answers 404, bytes as they are (application/
    # json), anything else as JSON; criipto_configuration_slow delays it (seconds).
    criipto_configuration: Any = None
    criipto_configuration_slow: float = 0.0
    # POST .../oauth2/token: (status, JSON body) when set; the form is kept in token_forms.
    token_answer: tuple[int, Any] | None = None
    token_forms: list[str] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)


class CriiptoServer:
    """The running server; ``base_url`` is its https origin."""

    def __init__(self, ca: trustme.CA, ca_file: Path) -> None:
        self.ca_file = ca_file
        self.state = State()
        self.stopping = threading.Event()
        handler = _handler_for(self)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        self.base_url = f"https://127.0.0.1:{self.port}"
        self.api_url = f"{self.base_url}{API_PREFIX}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def reset(self) -> None:
        self.state = State()

    def paths(self) -> list[str]:
        return [path for path, _ in self.state.requests]


@contextmanager
def running_server(directory: Path) -> Iterator[CriiptoServer]:
    ca = trustme.CA()
    ca_file = directory / "criipto-test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    server = CriiptoServer(ca, ca_file)
    server._thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server._httpd.shutdown()
        server._httpd.server_close()


@contextmanager
def silent_listener() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts TCP connections and never sends a byte."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        while not stopping.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(connection)  # held open, unread, until the listener stops

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopping.set()
        listener.close()
        for connection in accepted:
            connection.close()


def _handler_for(server: CriiptoServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            state = server.state
            state.requests.append((self.path, dict(self.headers.items())))
            if state.fail_first > 0:
                state.fail_first -= 1
                return self._send(500, b"oops", "text/plain")
            if state.mode == "500":
                return self._send(500, b"internal error", "text/plain")
            if state.mode in ("401", "403"):  # a proxy or gateway that wants a login
                return self._send(int(state.mode), b"denied", "text/plain")
            if state.mode == "slow":
                time.sleep(state.slow_seconds)
            if state.mode == "html":
                return self._send(200, b"<html><body>Sign in</body></html>", "text/html")
            if state.mode == "redirect":
                return self._send(302, b"", "text/plain", {"Location": state.location})
            if state.mode == "raw":
                return self._send(200, state.raw_body, "application/json")
            if state.mode in MISBEHAVIOURS:
                return self._misbehave(state)
            if self.path.endswith("/.well-known/openid-configuration"):
                return self._json(_scoped(state.discovery, self.path))
            if self.path == JWKS_PATH:
                return self._json(state.jwks)
            if self.path.startswith("/.well-known/criipto-configuration?"):
                time.sleep(state.criipto_configuration_slow)
                answer = state.criipto_configuration
                if answer is None:
                    return self._json({"error": "not found"}, 404)
                if isinstance(answer, bytes):
                    return self._send(200, answer, "application/json")
                return self._json(answer)
            if self.path.startswith(f"{API_PREFIX}/applications/"):
                if self.headers.get("Authorization") != f"Bearer {state.expected_token}":
                    return self._json({"error": "unauthorized"}, 401)
                app_id = self.path.rsplit("/", 1)[1]
                if app_id not in state.applications:
                    return self._json({"error": "not found"}, 404)
                return self._json(state.applications[app_id])
            return self._json({"error": "no such path"}, 404)

        def do_POST(self) -> None:  # AWS's API is POST: the same answers, body unread
            self.close_connection = True
            answer = server.state.token_answer
            if answer is not None and self.path.endswith("/oauth2/token"):
                length = int(self.headers.get("Content-Length", "0"))
                server.state.token_forms.append(self.rfile.read(length).decode())
                return self._json(answer[1], answer[0])
            self.do_GET()

        def _misbehave(self, state: State) -> None:
            with contextlib.suppress(OSError):  # the client gave up, as it should
                self._misbehave_unguarded(state)
            self.close_connection = True

        def _misbehave_unguarded(self, state: State) -> None:
            write = self.wfile.write
            mode = state.mode
            if mode == "close":
                return
            if mode == "garbage":
                write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
                return
            if mode == "trickle-head":
                write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                while not server.stopping.wait(state.trickle_seconds):
                    write(b"a")
                return
            head = [b"HTTP/1.1 200 OK", b"Content-Type: application/json"]
            if mode == "huge-headers":
                head += [b"X-Pad-%d: %s" % (i, b"a" * 1024) for i in range(300)]
            if mode == "huge-content-length":
                head.append(b"Content-Length: " + b"9" * 5000)
            if mode == "trickle":
                head.append(b"Content-Length: 100000")
            if mode.endswith("chunked"):
                head.append(b"Transfer-Encoding: chunked")
            write(b"\r\n".join(head) + b"\r\n\r\n")
            if mode == "trickle":
                while not server.stopping.wait(state.trickle_seconds):
                    write(b" ")
            elif mode == "endless-chunked":
                chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"
                while not server.stopping.is_set():
                    write(chunk)
            elif mode == "slow-chunked":
                while not server.stopping.wait(0.2):
                    write(b"1\r\n \r\n")

        def _json(self, body: Any, status: int = 200) -> None:
            self._send(status, json.dumps(copy.deepcopy(body)).encode(), "application/json")

        def _send(
            self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
        ) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass  # the client gave up (timeout tests)

    return Handler


def _scoped(discovery: Any, path: str) -> Any:
    """An acr-scoped document (/<base64 acr>/.well-known/...) names the scoped authorize URL."""
    segment = path.removesuffix("/.well-known/openid-configuration").strip("/")
    endpoint = discovery.get("authorization_endpoint") if isinstance(discovery, dict) else None
    if not segment or not isinstance(endpoint, str) or "/oauth2/authorize" not in endpoint:
        return discovery
    origin = endpoint.split("/oauth2/authorize")[0]
    return {**discovery, "authorization_endpoint": f"{origin}/{segment}/oauth2/authorize"}
