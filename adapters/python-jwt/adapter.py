#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for python_jwt (PyPI python_jwt, protocol version 3,
docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol. python_jwt is configured as strictly as its API allows and nothing is checked
here: every verdict is python_jwt's (or jwcrypto's, which python_jwt calls to verify).

python_jwt 4.1.0 (deprecated by its author, "The python_jwt module is deprecated") is one
function, verify_jwt(jwt, pub_key, allowed_algs, iat_skew, checks_optional,
ignore_not_implemented): it checks the compact form with a regular expression (its fix of
CVE-2022-39227, the JSON/compact polyglot), the alg against allowed_algs, the header members
against jwcrypto's registry, the signature with jwcrypto's JWS, typ = "JWT" when present, iat
(with iat_skew), nbf and exp when present against the system clock. It has no issuer, audience
or other claim check, no clock injection and no leeway.

Algorithms: all 13 (python_jwt passes allowed_algs to jwcrypto's JWS, which implements each).
Presets: jwt and rfc9068. jwt is what python_jwt is for; rfc9068 is declared so that the corpus's
access-token vectors (the CVE-2022-39227 polyglots among them) reach it, but python_jwt cannot be
configured for access tokens: it refuses every typ other than "JWT" (so every at+jwt token: its
false rejects) and checks no iss, aud, sub, client_id or jti. oidc-id-token is left out: no
audience (client_id), nonce or azp check at all.

Configuration: jwcrypto's JWKSet.from_json (the JWK type python_jwt takes) parses the key set
from its exact bytes (EC, RSA, OKP, oct; its refusal is a config error) and the JWKSet is given
to verify_jwt as pub_key, so jwcrypto picks the key by kid (a token without kid is tried against
every key); allowed_algs = exactly the profile's algorithms; iat_skew = the profile's
iat_skew_secs; ignore_not_implemented False (jku, jwk, x5u, x5c, x5t and unknown header members
refused); checks_optional False only when the profile requires iat, nbf and exp and typ "JWT"
(that setting requires all four), else True (each is checked when present). The profile's other
required claims, issuer and audiences cannot be configured. python_jwt reads the system clock, so
clock vectors are skipped. It takes the token as text: a token whose bytes are not UTF-8 is
skipped. The claims of an acceptance are verify_jwt's decoded claims, as is. An exception that is
not python_jwt's _JWTError nor a jwcrypto JWException is still a rejection, its text prefixed
"unexpected ".
"""

import re
import warnings
from datetime import timedelta

warnings.simplefilter("ignore", DeprecationWarning)  # python_jwt warns that it is deprecated on import

import python_jwt  # noqa: E402
from importlib.metadata import version as dist_version  # noqa: E402
from jwcrypto.common import JWException  # noqa: E402
from jwcrypto.jwk import JWKSet  # noqa: E402
from jwt_conformance_adapter import ALGORITHMS, Skip, alg_reason, required_claims, serve  # noqa: E402

JWTError = python_jwt._JWTError  # python_jwt's own error class (private: no public name)
MESSAGES = {  # python_jwt's exact messages -> catalog reason ID
    "alg header not present": "alg_none",
    "typ header not present": "typ_mismatch",
    "typ header is not JWT": "typ_mismatch",
    "iat claim not present": "iat_missing",
    "nbf claim not present": "claim_missing",
    "exp claim not present": "exp_missing",
    "issued in the future": "iat_future",
    "not yet valid": "not_yet_valid",
    "expired": "expired",
}


def keys(req):
    return JWKSet.from_json(req.jwks_bytes)


def verify(req, key_set):
    if req.token_text is None:
        raise Skip("python_jwt takes the token as text; these bytes are not UTF-8")
    p = req.profile
    all_checks = {"iat", "nbf", "exp"} <= set(required_claims(p)) and p.get("typ") == "JWT"
    _, claims = python_jwt.verify_jwt(
        req.token_text, key_set, allowed_algs=list(p.algorithms),
        iat_skew=timedelta(seconds=p.get("iat_skew_secs") or 0),
        checks_optional=not all_checks, ignore_not_implemented=False)
    return claims


def reason(error, req):  # an exception here counts as no reason
    if not isinstance(error, JWTError):
        return None  # jwcrypto's "Verification failed" covers a bad signature, an unknown kid and a key misfit
    text = str(error)
    alg = re.fullmatch(r"algorithm not allowed: (.*)", text, re.S)
    if alg:
        return alg_reason(alg.group(1))
    return MESSAGES.get(text)


serve(
    name="python-jwt", library="python_jwt (Python)", version=dist_version("python_jwt"),
    features=["jwks_parsing"], claims=True, keys=keys, verify=verify, reason=reason,
    algorithms=ALGORITHMS, presets=["rfc9068", "jwt"], errors=(JWTError, JWException), notes=[
        "verify_jwt with jwcrypto's JWKSet.from_json (EC, RSA, OKP, oct) as pub_key (key by kid; a kid-less token: "
        "every key tried), allowed_algs = exactly the profile's, iat_skew = iat_skew_secs, ignore_not_implemented "
        "False, checks_optional True unless the profile requires iat, nbf, exp and typ JWT",
        "all 13 algorithms; presets jwt and rfc9068 (rfc9068 only so that access-token vectors, the "
        "CVE-2022-39227 polyglots among them, reach it: python_jwt refuses every typ but JWT, so every at+jwt "
        "token, and checks no iss/aud/sub/client_id/jti); no oidc-id-token (no audience, nonce or azp check)",
        "no issuer, audience or other claim checks; no clock injection (system clock): clock vectors skipped; "
        "no leeway; typ must be JWT when present",
    ],
)
