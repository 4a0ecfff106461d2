"""criipto_cognito/id_token.py: an ID token is accepted only as Cognito accepts one (a published
key picked by kid, a public-key algorithm, the issuer, audience and nonce of this sign-in, not
expired); every refusal is one sentence that quotes no part of the token."""

from __future__ import annotations

import time
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from criipto_cognito.id_token import TokenProblem, id_token_problem, jwt_kind, verify

ISSUER = "https://acme-test.criipto.id"
CLIENT_ID = "urn:acme:cognito:test"
NONCE = "nonce-4b1f"
KEY = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
OTHER = RSAKey.generate_key(2048, parameters={"kid": "key-1"})  # same kid, another key
JWKS = {"keys": [KEY.as_dict(private=False)]}


def token(claims: dict[str, Any] | None = None, *, key: Any = KEY, **header: Any) -> str:
    body = {"iss": ISSUER, "aud": CLIENT_ID, "nonce": NONCE, "exp": int(time.time()) + 300}
    body.update(claims or {})
    return jwt.encode({"alg": "RS256", "kid": "key-1", **header}, body, key)


def problem(value: str) -> str:
    with pytest.raises(TokenProblem) as caught:
        verify(value, JWKS)
    text = str(caught.value)
    assert value not in text and value.split(".")[2] not in text
    return text


def test_a_token_signed_with_a_published_key_for_this_sign_in_passes() -> None:
    verified = verify(token(), JWKS)
    assert (verified.algorithm, verified.key_id) == ("RS256", "key-1")
    assert (
        id_token_problem(verified.claims, issuer=ISSUER, client_id=CLIENT_ID, nonce=NONCE) is None
    )


def test_a_signature_of_another_key_is_refused() -> None:
    assert problem(token(key=OTHER)) == (
        "does not verify with the published key key-1 (bad_signature)"
    )


def test_a_kid_the_jwks_does_not_publish_is_refused() -> None:
    assert problem(token(kid="key-2")) == "names the key key-2, which the jwks_uri does not publish"


def test_a_token_without_a_kid_is_refused() -> None:
    value = jwt.encode({"alg": "RS256"}, {"iss": ISSUER}, KEY)
    assert problem(value) == "carries no kid: Cognito picks the key by the token's kid"


def test_hmac_and_none_are_refused() -> None:
    hmac = jwt.encode({"alg": "HS256", "kid": "key-1"}, {"iss": ISSUER}, OctKey.generate_key())
    assert problem(hmac).startswith("is signed with HS256, not one of RS256")
    header = "eyJhbGciOiJub25lIiwia2lkIjoia2V5LTEifQ"  # {"alg":"none","kid":"key-1"}
    assert problem(f"{header}.e30.c2ln").startswith("is signed with none, not one of")


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"iss": "https://evil.example"}, "its issuer is https://evil.example, not " + ISSUER),
        ({"aud": "urn:other"}, "its audience (urn:other) does not name the client id " + CLIENT_ID),
        (
            {"aud": [CLIENT_ID, "urn:other"]},
            f"it has several audiences and its azp is not {CLIENT_ID}",
        ),
        ({"nonce": "another"}, "its nonce is not the one this sign-in sent (a replayed or "
                               "another sign-in's token)"),
        ({"exp": int(time.time()) - 3600}, "it has expired"),
        ({"exp": "tomorrow"}, "it has no expiry (exp)"),
    ],
)  # fmt: skip
def test_claims_that_are_not_this_sign_ins_are_refused(
    claims: dict[str, Any], expected: str
) -> None:
    verified = verify(token(claims), JWKS)
    found = id_token_problem(verified.claims, issuer=ISSUER, client_id=CLIENT_ID, nonce=NONCE)
    assert found == expected


def test_the_form_of_a_userinfo_answer() -> None:
    assert jwt_kind(token()) == "a signed JWT"
    assert jwt_kind("eyJhbGciOiJSU0EtT0FFUCJ9..aGVsbG8.d29ybGQ.dGFn") == "an encrypted JWT"
    assert jwt_kind('{"sub": "a.b.c"}') is None
    assert jwt_kind("not a token") is None
