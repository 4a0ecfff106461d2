"""The one HTTP client the commands use: bounded, verified, identified, quiet about secrets.

Bounded: the command's :class:`~criipto_cognito.deadline.Deadline` is the budget for it all.
Every DNS lookup, connect, TLS handshake, read and write waits at most what is left of it (a
network backend that clamps each timeout); connection errors and 5xx answers to a GET or HEAD
are retried up to ``ATTEMPTS`` times with exponential backoff, but only while the backoff fits
in what is left; other methods (the token probe's POST) are tried once; an answer body over
``MAX_BODY_BYTES`` is refused, and so is JSON that is not plain data (not UTF-8, duplicate keys,
NaN, numbers over ``MAX_INT_DIGITS`` digits, nesting over ``MAX_JSON_DEPTH``).

TLS is always verified, against ``SSL_CERT_FILE``/``SSL_CERT_DIR`` when set, else certifi's
bundle. A token goes into the Authorization header of the client and nowhere else: no error
message built here contains a header.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

import certifi
import httpcore
import httpx

from criipto import contract
from criipto.errors import CriiptoCognitoError
from criipto_cognito.deadline import Deadline
from criipto_cognito.findings import CannotCheck
from criipto_cognito.text import printable, truncated

DEFAULT_TIMEOUT_SECONDS = 10.0
MAX_TIMEOUT_SECONDS = 300.0
TIMEOUT_ENV_VAR = "CRIIPTO_COGNITO_TIMEOUT"
ATTEMPTS = 3
BACKOFF_SECONDS = 0.25  # before the 2nd attempt; doubled before each next one
MAX_BODY_BYTES = 1024 * 1024
MAX_BODY_LABEL = "1 MiB"
MAX_JSON_DEPTH = 64
MAX_INT_DIGITS = 100
_RETRYABLE_METHODS = ("GET", "HEAD")
_PRODUCT = "criipto-cognito"


def installed_version() -> str:
    """The installed package's version (``0+unknown`` in a checkout never installed)."""
    try:
        return metadata.version(_PRODUCT)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def user_agent() -> str:
    """``criipto-cognito/<installed version>``."""
    return f"{_PRODUCT}/{installed_version()}"


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
            raise CannotCheck(
                f"{TIMEOUT_ENV_VAR}='{truncated(printable(raw), 40)}' is not a number of seconds"
            ) from None
    if not 0 < value <= MAX_TIMEOUT_SECONDS:
        raise CannotCheck(
            f"timeout must be more than 0 and at most {MAX_TIMEOUT_SECONDS:g} seconds (got {value})"
        )
    return value


def tls_context() -> ssl.SSLContext:
    """A verifying context: the CA bundle from SSL_CERT_FILE/SSL_CERT_DIR, else certifi's."""
    cafile = os.environ.get("SSL_CERT_FILE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    try:
        if cafile or capath:
            return ssl.create_default_context(cafile=cafile, capath=capath)
        return ssl.create_default_context(cafile=certifi.where())
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise CannotCheck(f"cannot load the CA bundle SSL_CERT_FILE={cafile}: {exc}") from None


def bearer_token_problem(token: str) -> str | None:
    """Why ``token`` cannot go into a header, without ever quoting the token."""
    if not token:
        return "is empty"
    if any(not (0x21 <= ord(c) <= 0x7E) for c in token):
        return "contains spaces, line breaks or non-ASCII characters (check how it was pasted)"
    return None


# ---- the deadline, below HTTP -----------------------------------------------------------------


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's sync backend with every wait clamped to what is left of the deadline.

    The DNS lookup runs in a daemon thread, so that it too ends at the deadline (the C
    resolver has timeouts of its own that no socket option shortens).
    """

    def __init__(self, deadline: Deadline) -> None:
        self._deadline = deadline
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: httpcore.ConnectError | None = None
        for address in _resolve(host, port, self._deadline):
            wait = _clamp(self._deadline, timeout, httpcore.ConnectTimeout)
            try:
                stream = self._inner.connect_tcp(address, port, wait, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc  # try the host's next address
            else:
                return DeadlineStream(stream, self._deadline)
        assert failure is not None  # _resolve returns at least one address
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used here")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, self._deadline.remaining()))


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(self._deadline, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(self._deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = _clamp(self._deadline, timeout, httpcore.ConnectTimeout)
        return DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, wait), self._deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def _clamp(deadline: Deadline, timeout: float | None, expired: type[Exception]) -> float:
    remaining = deadline.remaining()
    if remaining <= 0:
        raise expired("the command's timeout ran out")
    return remaining if timeout is None else min(timeout, remaining)


def _resolve(host: str, port: int, deadline: Deadline) -> list[str]:
    """The host's addresses, looked up within the deadline; an IP literal as it is."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    found: list[str] = []
    failed: list[BaseException] = []

    def look_up() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            found.extend(str(info[4][0]) for info in infos)
        except (OSError, UnicodeError) as exc:
            failed.append(exc)

    lookup = threading.Thread(target=look_up, name="dns lookup", daemon=True)
    lookup.start()
    lookup.join(_clamp(deadline, None, httpcore.ConnectTimeout))
    if lookup.is_alive():
        raise httpcore.ConnectTimeout("the DNS lookup did not finish before the timeout")
    if failed:
        error = httpcore.ConnectError(str(failed[0]))
        # As context too: httpcore's pool re-raises "from None", which keeps only the context.
        error.__context__ = failed[0]
        raise error from failed[0]
    if not found:
        raise httpcore.ConnectError(f"no address for {host}")
    return list(dict.fromkeys(found))


class DeadlineTransport(httpx.BaseTransport):
    """httpx's transport interface over an httpcore connection pool on :class:`DeadlineBackend`.

    httpx 0.28's ``HTTPTransport`` takes no network backend, and its pool is private; httpcore's
    ``ConnectionPool`` takes one as a public argument. So this transport is the small adapter
    ``HTTPTransport`` is, on public APIs only: an httpx request becomes an httpcore request, the
    answer an httpx response whose body is read through the same pool, and httpcore's errors
    become httpx's of the same name (so that ``httpx.ConnectError`` and the timeouts mean what
    they mean to any httpx user). The pool's settings are httpx's defaults for a transport
    without a proxy.
    """

    def __init__(self, deadline: Deadline, ssl_context: ssl.SSLContext) -> None:
        self._connections = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=DeadlineBackend(deadline),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(request.stream, httpx.SyncByteStream):
            raise TypeError("DeadlineTransport sends synchronous requests only")
        url = request.url
        outgoing = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            answer = self._connections.handle_request(outgoing)
        if not isinstance(answer.stream, Iterable):
            raise TypeError("httpcore's synchronous pool answered with an asynchronous body")
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_AnswerBody(answer.stream),
            extensions=answer.extensions,
        )

    def close(self) -> None:
        with _as_httpx_errors():
            self._connections.close()


class _AnswerBody(httpx.SyncByteStream):
    """An answer's body as httpx reads it: httpcore's stream, its errors as httpx's."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._chunks

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            with _as_httpx_errors():
                close()


# httpcore's errors and httpx's of the same meaning, the more specific first (a ConnectTimeout
# is also a TimeoutException): the mapping httpx's own transport applies.
_HTTPX_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for found, raised in _HTTPX_ERRORS:
            if isinstance(exc, found):
                raise raised(str(exc)) from exc
        raise


class RetryingTransport(httpx.BaseTransport):
    """Retries connection errors and 5xx answers of idempotent requests, with backoff.

    A retry happens only while its backoff fits in what is left of the deadline; otherwise
    the last answer (or error) stands.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        deadline: Deadline,
        *,
        attempts: int = ATTEMPTS,
        backoff: float = BACKOFF_SECONDS,
    ) -> None:
        self._inner = inner
        self._deadline = deadline
        self._attempts = attempts
        self._backoff = backoff

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempts = self._attempts if request.method in _RETRYABLE_METHODS else 1
        for attempt in range(1, attempts + 1):
            pause = self._backoff * 2 ** (attempt - 1)
            try:
                response = self._inner.handle_request(request)
            except (httpx.ConnectError, httpx.ConnectTimeout):
                if not self._may_retry(attempt, attempts, pause):
                    raise
            else:
                if response.status_code < 500 or not self._may_retry(attempt, attempts, pause):
                    return response
                response.close()
            time.sleep(pause)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _may_retry(self, attempt: int, attempts: int, pause: float) -> bool:
        return attempt < attempts and pause < self._deadline.remaining()

    def close(self) -> None:
        self._inner.close()


def make_client(deadline: Deadline, *, token: str | None = None) -> httpx.Client:
    """A client for one command run; ``token``, if any, only in its Authorization header."""
    headers = {
        "User-Agent": user_agent(),
        "Accept": "application/json",
        # The documents are small: ask for them as they are, so the size cap is the real size.
        "Accept-Encoding": "identity",
    }
    if token is not None:
        problem = bearer_token_problem(token)
        if problem:
            raise CannotCheck(f"the management API token {problem}")
        headers["Authorization"] = f"Bearer {token}"
    transport = RetryingTransport(DeadlineTransport(deadline, tls_context()), deadline)
    return httpx.Client(
        headers=headers,
        # The per-operation limit is the whole budget; DeadlineBackend clamps each to what is left.
        timeout=httpx.Timeout(deadline.seconds),
        transport=transport,
        # A redirect is reported, not followed: a token must not travel to another origin.
        follow_redirects=False,
    )


# ---- one JSON document -----------------------------------------------------------------------


def get_json_object(
    client: httpx.Client, url: str, *, what: str, missing_ok: bool = False
) -> dict[str, object] | None:
    """GET ``url`` and return its JSON object; None for 404 when ``missing_ok``.

    Every failure raises CannotCheck with one line that names ``what`` and the URL.
    """
    with transport_errors(client, url, what), client.stream("GET", url) as response:
        if missing_ok and response.status_code == 404:
            return None
        _raise_for_status(response, url, what)
        media_type = _media_type(response)
        if media_type != "application/json" and not media_type.endswith("+json"):
            shown = truncated(media_type) or "no content type"
            raise CannotCheck(f"{what}: {url} answered {shown}, not JSON")
        body = _read_capped(response)
        if body is None:
            raise CannotCheck(
                f"{what}: {url} answered more than {MAX_BODY_LABEL} (the limit for one document)"
            )
    try:
        return parse_json_object(body)
    except InvalidJson as exc:
        raise CannotCheck(f"{what}: {url} answered {exc}") from None


@dataclass(frozen=True)
class Answer:
    """What a server answered a probe, whatever it was: nothing here raises on a status."""

    status: int
    media_type: str
    location: str | None  # a redirect's target, not followed
    body: bytes | None  # None when over MAX_BODY_BYTES

    @property
    def redirect(self) -> bool:
        return 300 <= self.status < 400 and self.location is not None

    def json_object(self) -> dict[str, object] | None:
        """The body as a JSON object, or None when it is not one (or not JSON at all)."""
        if self.body is None or not (
            self.media_type == "application/json" or self.media_type.endswith("+json")
        ):
            return None
        try:
            return parse_json_object(self.body)
        except InvalidJson:
            return None

    def described(self, *, json_expected: bool = True) -> str:
        """The answer in a few words: its status, and (``json_expected``) the body's kind when
        it is not a JSON object."""
        text = f"HTTP {self.status}"
        if self.redirect:
            return f"{text} (a redirect, not followed)"
        if self.body is None:
            return f"{text}, more than {MAX_BODY_LABEL}"
        if json_expected and self.body and self.json_object() is None:
            return (
                f"{text}, {truncated(self.media_type, 60) or 'no content type'} (not a JSON object)"
            )
        return text


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    what: str,
    params: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> Answer:
    """One request and its answer, whatever its status; CannotCheck only when there is none
    (a timeout, a refused connection, TLS, not HTTP). ``form`` goes in the body alone: no
    message built here quotes a request."""
    with (
        transport_errors(client, url, what),
        client.stream(method, url, params=params, data=form) as response,
    ):
        location = response.headers.get("location")
        return Answer(
            response.status_code,
            _media_type(response),
            printable(truncated(location)) if location is not None else None,
            _read_capped(response),
        )


@contextmanager
def transport_errors(client: httpx.Client, url: str, what: str) -> Iterator[None]:
    """Every failure below HTTP inside the block as CannotCheck, one line naming ``what``."""
    try:
        yield
    except httpx.TimeoutException:
        budget = client.timeout.read or 0.0
        raise CannotCheck(
            f"{what}: no answer from {_origin(url)} within the {budget:g} s timeout"
        ) from None
    except httpx.InvalidURL as exc:
        raise CannotCheck(f"{what}: {truncated(url)} is not a usable URL ({exc})") from None
    except httpx.HTTPError as exc:
        raise CannotCheck(f"{what}: {_describe_transport_error(exc, url)}") from None


def _media_type(response: httpx.Response) -> str:
    content_type: str = response.headers.get("content-type", "")
    return content_type.split(";")[0].strip().lower()


def _read_capped(response: httpx.Response) -> bytes | None:
    """The body, or None as soon as it is over MAX_BODY_BYTES (declared or read)."""
    declared = response.headers.get("content-length", "")
    # Compared as text first: a header of thousands of digits is no number to convert.
    if declared.isdigit() and (len(declared) > 12 or int(declared) > MAX_BODY_BYTES):
        return None
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class InvalidJson(CriiptoCognitoError, ValueError):
    """A body that is not one plain JSON document; the message says why."""


def parse_json_object(body: bytes) -> dict[str, object]:
    """``body`` as a JSON object (``parse_json``'s rules); InvalidJson says what it is instead:
    "invalid JSON (why)" or "a JSON array, not an object"."""
    try:
        document = parse_json(body)
    except InvalidJson as exc:
        raise InvalidJson(f"invalid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise InvalidJson(f"a JSON {_json_kind(document)}, not an object")
    return document


def parse_json(body: bytes) -> object:
    """``body`` as JSON data, refusing what JSON parsers disagree on or cannot hold."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidJson(f"not UTF-8 at byte {exc.start}") from None
    try:
        document = json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_constant=_no_constant,
            parse_int=_bounded_int,
        )
    except InvalidJson:
        raise
    except RecursionError:
        raise InvalidJson(f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as exc:
        raise InvalidJson(str(exc)) from None
    if _too_deep(document):
        raise InvalidJson(f"nested deeper than {MAX_JSON_DEPTH} levels")
    return document


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            # Parsers differ on which one wins: a document with both has no one meaning.
            raise InvalidJson(f"the key '{truncated(printable(key), 60)}' appears twice")
        document[key] = value
    return document


def _no_constant(name: str) -> object:
    raise InvalidJson(f"{name} is not JSON")


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise InvalidJson(f"a number with more than {MAX_INT_DIGITS} digits")
    return int(digits)


def _too_deep(document: object) -> bool:
    pending: list[tuple[object, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                return True
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return False


def _raise_for_status(response: httpx.Response, url: str, what: str) -> None:
    status = response.status_code
    if status < 300:
        return
    reason = truncated(response.reason_phrase, 60)
    answer = f"{what}: {url} answered HTTP {status} {reason}".rstrip()
    if 300 <= status < 400:
        location = truncated(response.headers.get("location", "?"))
        raise CannotCheck(f"{answer} (a redirect to {location}; use the final URL)")
    if status in (401, 403):
        # Only a request that carried the token can have had it refused: the domain's public
        # documents (discover, external mode) are read without one.
        if "authorization" in response.request.headers:
            raise CannotCheck(
                f"{answer}: the management API token was refused "
                f"(check {' or '.join(contract.API_TOKEN_ENV_VARS)})"
            )
        raise CannotCheck(
            f"{answer}: a public document asked for credentials, and none are sent here "
            "(check that the URL, or --base-url, reaches the Criipto domain itself)"
        )
    raise CannotCheck(answer)


def _describe_transport_error(exc: httpx.HTTPError, url: str) -> str:
    """One line for a failure below HTTP: DNS, refused connection, TLS, protocol."""
    host = _host(url)
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
    if isinstance(exc, httpx.RemoteProtocolError | httpx.DecodingError):
        return f"{_origin(url)} answered something that is not valid HTTP ({truncated(str(exc))})"
    return f"request to {_origin(url)} failed ({type(exc).__name__})"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or "?"
    except ValueError:
        return "?"


def _origin(url: str) -> str:
    # Built from host and port only: never echo userinfo a URL might carry.
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return _host(url)
    host = parts.hostname or "?"
    return f"{parts.scheme}://{f'[{host}]' if ':' in host else host}{port}"


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "number" if not isinstance(value, bool) else "boolean"
