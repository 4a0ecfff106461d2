"""A JSON Web Token from the OpenID Provider, checked as Cognito checks the ID token.

What AWS asks of an OIDC IdP (developer guide, "Using OIDC identity providers with a user
pool", prerequisites): ID tokens signed with HMAC-SHA, ECDSA or RSA; a ``kid`` published at the
``jwks_uri`` and carried in each token. OpenID Connect Core 1.0 §3.1.3.7 gives the rest: the
issuer exactly, the client id among the audiences, the nonce the request sent, not expired.
HMAC would take the client secret as the key: the secret goes to the token endpoint and nowhere
else (not even into a key here), and Idura signs with RS256, so only public-key algorithms are
verified. joserfc does the cryptography; every problem is one plain sentence, never the token.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Mapping
from dataclasses import dataclass

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from criipto.errors import CriiptoCognitoError
from criipto_cognito.http import InvalidJson, parse_json_object
from criipto_cognito.text import shown

PUBLIC_KEY_ALGORITHMS = (
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
)  # fmt: skip
# How far a clock here may be behind the provider's before an ID token counts as expired.
LEEWAY_SECONDS = 60


class TokenProblem(CriiptoCognitoError):
    """Why a token is not what Cognito accepts; one line, no part of the token in it."""


@dataclass(frozen=True)
class Verified:
    claims: dict[str, object]
    algorithm: str
    key_id: str


def jwt_kind(text: str) -> str | None:
    """ "a signed JWT" (JWS compact, 3 parts) or "an encrypted JWT" (JWE compact, 5 parts)
    when ``text`` has the shape of one, else None."""
    parts = text.strip().split(".")
    if not all(part and _is_base64url(part) for part in parts if part != ""):
        return None
    if len(parts) == 3 and parts[0] and parts[1]:
        return "a signed JWT"
    if len(parts) == 5 and parts[0]:
        return "an encrypted JWT"
    return None


def verify(token: str, jwks: Mapping[str, object]) -> Verified:
    """The token's claims once its signature is verified with a key of ``jwks`` (picked by
    the token's ``kid``); TokenProblem otherwise."""
    if jwt_kind(token) != "a signed JWT":
        raise TokenProblem("is not a signed JWT (JWS compact serialization)")
    header = _segment_json(token.split(".")[0], "header")
    algorithm, key_id = header.get("alg"), header.get("kid")
    if algorithm not in PUBLIC_KEY_ALGORITHMS:
        raise TokenProblem(
            f"is signed with {shown(algorithm, 20)}, not one of {', '.join(PUBLIC_KEY_ALGORITHMS)}"
        )
    if not isinstance(key_id, str) or not key_id:
        raise TokenProblem("carries no kid: Cognito picks the key by the token's kid")
    keys = jwks.get("keys")
    published = [k for k in keys if isinstance(k, dict)] if isinstance(keys, list) else []
    if not any(key.get("kid") == key_id for key in published):
        raise TokenProblem(
            f"names the key {shown(key_id, 60)}, which the jwks_uri does not publish"
        )
    try:
        key_set = KeySet.import_key_set({"keys": published})
        signature = jws.deserialize_compact(token, key_set, algorithms=[str(algorithm)])
    except JoseError as exc:
        raise TokenProblem(
            f"does not verify with the published key {key_id} ({exc.error})"
        ) from None
    except (ValueError, TypeError, KeyError) as exc:
        raise TokenProblem(f"cannot be verified ({type(exc).__name__})") from None
    claims = _json_object(signature.payload, "payload")
    return Verified(claims, str(algorithm), key_id)


def id_token_problem(
    claims: Mapping[str, object],
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    now: float | None = None,
) -> str | None:
    """Why an ID token's verified ``claims`` are not the ones this sign-in must get, or None."""
    found = claims.get("iss")
    # A trailing slash aside, as doctor compares the issuer Cognito holds with the domain's.
    if not isinstance(found, str) or found.rstrip("/") != issuer.rstrip("/"):
        return f"its issuer is {shown(found, 80)}, not {issuer}"
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        return f"its audience ({shown(audience, 80)}) does not name the client id {client_id}"
    if len(audiences) > 1 and claims.get("azp") != client_id:
        return f"it has several audiences and its azp is not {client_id}"
    if claims.get("nonce") != nonce:
        return "its nonce is not the one this sign-in sent (a replayed or another sign-in's token)"
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or isinstance(expires, bool):
        return "it has no expiry (exp)"
    if expires + LEEWAY_SECONDS < (time.time() if now is None else now):
        return "it has expired"
    return None


def _segment_json(segment: str, what: str) -> dict[str, object]:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise TokenProblem(f"has a {what} that is not base64url") from None
    return _json_object(raw, what)


def _json_object(raw: bytes, what: str) -> dict[str, object]:
    try:
        return parse_json_object(raw)
    except InvalidJson as exc:
        raise TokenProblem(f"has a {what} that is {exc}") from None


def _is_base64url(part: str) -> bool:
    return all(c.isascii() and (c.isalnum() or c in "-_") for c in part)
