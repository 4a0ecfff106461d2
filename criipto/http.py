"""The one HTTP client the commands use: bounded, verified, identified, quiet about secrets.

Every request has a connect and a read timeout; connection errors and 5xx answers are retried
a bounded number of times with exponential backoff (GET only: every call here is a read).
TLS is always verified, against ``SSL_CERT_FILE``/``SSL_CERT_DIR`` when set, else certifi's
bundle. A token goes into the Authorization header of the client and nowhere else: no error
message built here contains a header.
"""

from __future__ import annotations

import os
import socket
import ssl
import time
from collections.abc import Iterator
from importlib import metadata
from urllib.parse import urlsplit

import certifi
import httpx

from criipto.findings import CannotCheck

DEFAULT_TIMEOUT_SECONDS = 10.0
TIMEOUT_ENV_VAR = "CRIIPTO_COGNITO_TIMEOUT"
ATTEMPTS = 3
BACKOFF_SECONDS = 0.25
_RETRYABLE_METHODS = ("GET", "HEAD")
_PRODUCT = "criipto-cognito"


def user_agent() -> str:
    """``criipto-cognito/<installed version>``."""
    try:
        version = metadata.version(_PRODUCT)
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        version = "0+unknown"
    return f"{_PRODUCT}/{version}"


def timeout_seconds(explicit: float | None = None) -> float:
    """The timeout to use: ``explicit``, else $CRIIPTO_COGNITO_TIMEOUT, else the default."""
    if explicit is not None:
        value = explicit
    else:
        raw = os.environ.get(TIMEOUT_ENV_VAR)
        if not raw:
            return DEFAULT_TIMEOUT_SECONDS
        try:
            value = float(raw)
        except ValueError:
            raise CannotCheck(f"{TIMEOUT_ENV_VAR}={raw!r} is not a number of seconds") from None
    if not 0 < value <= 300:
        raise CannotCheck(f"timeout must be more than 0 and at most 300 seconds (got {value})")
    return value


def tls_context() -> ssl.SSLContext:
    """A verifying context: the CA bundle from SSL_CERT_FILE/SSL_CERT_DIR, else certifi's."""
    cafile = os.environ.get("SSL_CERT_FILE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    try:
        if cafile or capath:
            return ssl.create_default_context(cafile=cafile, capath=capath)
        return ssl.create_default_context(cafile=certifi.where())
    except (OSError, ssl.SSLError) as exc:
        raise CannotCheck(f"cannot load the CA bundle SSL_CERT_FILE={cafile}: {exc}") from None


def bearer_token_problem(token: str) -> str | None:
    """Why ``token`` cannot go into a header, without ever quoting the token."""
    if not token:
        return "is empty"
    if any(not (0x21 <= ord(c) <= 0x7E) for c in token):
        return "contains spaces, line breaks or non-ASCII characters (check how it was pasted)"
    return None


class RetryingTransport(httpx.BaseTransport):
    """Retries connection errors and 5xx answers of idempotent requests, with backoff."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        attempts: int = ATTEMPTS,
        backoff: float = BACKOFF_SECONDS,
    ) -> None:
        self._inner = inner
        self._attempts = attempts
        self._backoff = backoff

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempts = self._attempts if request.method in _RETRYABLE_METHODS else 1
        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            try:
                response = self._inner.handle_request(request)
            except (httpx.ConnectError, httpx.ConnectTimeout):
                if last:
                    raise
            else:
                if response.status_code < 500 or last:
                    return response
                response.close()
            time.sleep(self._backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def close(self) -> None:
        self._inner.close()


def make_client(*, timeout: float, token: str | None = None) -> httpx.Client:
    """A client for one command run; ``token``, if any, only in its Authorization header."""
    headers = {"User-Agent": user_agent(), "Accept": "application/json"}
    if token is not None:
        problem = bearer_token_problem(token)
        if problem:
            raise CannotCheck(f"the management API token {problem}")
        headers["Authorization"] = f"Bearer {token}"
    transport = RetryingTransport(httpx.HTTPTransport(verify=tls_context()))
    return httpx.Client(
        headers=headers,
        timeout=httpx.Timeout(timeout),
        transport=transport,
        # A redirect is reported, not followed: a token must not travel to another origin.
        follow_redirects=False,
    )


def get_json_object(
    client: httpx.Client, url: str, *, what: str, missing_ok: bool = False
) -> dict[str, object] | None:
    """GET ``url`` and return its JSON object; None for 404 when ``missing_ok``.

    Every failure raises CannotCheck with one line that names ``what`` and the URL.
    """
    try:
        response = client.get(url)
    except httpx.TimeoutException:
        limit = client.timeout.read or 0.0
        raise CannotCheck(f"{what}: no answer from {_origin(url)} within {limit:g} s") from None
    except httpx.HTTPError as exc:
        raise CannotCheck(f"{what}: {_describe_transport_error(exc, url)}") from None
    if missing_ok and response.status_code == 404:
        return None
    _raise_for_status(response, url, what)
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        shown = media_type or "no content type"
        raise CannotCheck(f"{what}: {url} answered {shown}, not JSON")
    try:
        document = response.json()
    except ValueError:
        raise CannotCheck(f"{what}: {url} answered invalid JSON") from None
    if not isinstance(document, dict):
        raise CannotCheck(f"{what}: {url} answered a JSON {_json_kind(document)}, not an object")
    return document


def _raise_for_status(response: httpx.Response, url: str, what: str) -> None:
    status = response.status_code
    if status < 300:
        return
    answer = f"{what}: {url} answered HTTP {status} {response.reason_phrase}".rstrip()
    if 300 <= status < 400:
        location = response.headers.get("location", "?")
        raise CannotCheck(f"{answer} (a redirect to {location}; use the final URL)")
    if status in (401, 403):
        raise CannotCheck(
            f"{answer}: the management API token was refused "
            "(check CRIIPTO_API_TOKEN or TF_VAR_criipto_api_token)"
        )
    raise CannotCheck(answer)


def _describe_transport_error(exc: httpx.HTTPError, url: str) -> str:
    """One line for a failure below HTTP: DNS, refused connection, TLS, protocol."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return f"cannot resolve host {host} (DNS)"
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {_origin(url)}"
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or "verification failed"
            return (
                f"TLS certificate of {host} is not trusted ({reason}); "
                "for a private CA set SSL_CERT_FILE to its bundle"
            )
        if isinstance(cause, ssl.SSLError):
            return f"TLS handshake with {host} failed ({cause.reason or cause})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {_origin(url)}"
    return f"request to {_origin(url)} failed ({type(exc).__name__})"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _origin(url: str) -> str:
    # Built from host and port only: never echo userinfo a URL might carry.
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "number" if not isinstance(value, bool) else "boolean"
