#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for Authlib's RFC 9068 resource-server validator,
authlib.oauth2.rfc9068.JWTBearerTokenValidator (protocol version 3, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol. Authlib's API made for JWT access tokens is used as a resource server uses
it, and nothing is checked here: every verdict is Authlib's (its validator verifies with
joserfc).

The validator (Authlib 1.9): a subclass implements get_jwks(); authenticate_token(token_string)
imports the keys (authlib._joserfc_helpers.import_any_key: a KeySet passes through), calls
joserfc's jwt.decode(token, key) with no algorithms, so joserfc's default JWSRegistry (its
"recommended" algorithms, HS256, RS256 and ES256, nothing else), and wraps the claims in
JWTAccessTokenClaims with fixed claims options: iss essential and equal to the validator's
issuer, exp, aud (the one resource_server value), sub, client_id, iat and jti essential;
validate_token(token, scopes, request) then validates them (typ, when present, must be at+jwt or
application/at+jwt, compared case-insensitively; joserfc's JWTClaimsRegistry with the system
clock and no leeway) and the scopes (none requested here). Every failure is raised as
rfc6750's InvalidTokenError from the library error: the rejection's text names both and its
reason is mapped from the cause.

Algorithms: ES256, RS256 and HS256, the ones the validator verifies (it takes no algorithm
list: a profile allowing fewer cannot be pinned, and a token in another of the three whose key
is in the set is accepted; that is the validator's verdict). Presets: rfc9068 only, what the API
is made for. Its claims options are fixed: a profile's required_claims, leeway and typ (or null)
cannot be configured; a missing typ is accepted.

Configuration: joserfc's KeySet.import_key_set parses the key set (EC, RSA, OKP, oct; its refusal
is a config error) and get_jwks returns that KeySet, so joserfc picks the key (the token's kid,
or the only key of a one-key set for a kid-less token); JWTBearerTokenValidator(issuer = the
profile's issuer, resource_server = its one audience; a profile with several audiences cannot be
expressed: skipped). No clock injection (system clock): clock vectors are skipped. The claims of
an acceptance are the JWTAccessTokenClaims (a dict), as is.
"""

import warnings

import authlib
from authlib.deprecate import AuthlibDeprecationWarning

warnings.simplefilter("ignore", AuthlibDeprecationWarning)

from authlib.oauth2.base import OAuth2Error  # noqa: E402
from authlib.oauth2.rfc9068 import JWTBearerTokenValidator  # noqa: E402
from joserfc import errors as e  # noqa: E402
from joserfc.jwk import KeySet  # noqa: E402
from joserfc.jws import extract_compact  # noqa: E402
from jwt_conformance_adapter import Reject, Skip, alg_reason, error_text, missing_claim_reason, serve  # noqa: E402

INVALID_CLAIM = {"iss": "iss_mismatch", "aud": "aud_mismatch", "sub": "sub_missing",
                 "client_id": "client_id_missing", "jti": "jti_missing", "typ": "typ_mismatch"}
REASONS = {  # joserfc error class -> catalog reason ID, when unambiguous
    e.ExpiredTokenError: "expired", e.BadSignatureError: "signature_invalid",
    e.InvalidKeyIdError: "kid_unknown", e.InvalidPayloadError: "payload_unparseable",
}


class Validator(JWTBearerTokenValidator):
    def __init__(self, key_set, **kwargs):
        self.key_set = key_set
        super().__init__(**kwargs)

    def get_jwks(self):
        return self.key_set


def keys(req):
    return KeySet.import_key_set(req.jwks_json())


def verify(req, key_set):
    p = req.profile
    audiences = p.get("audiences") or []
    if len(audiences) != 1:
        raise Skip(f"JWTBearerTokenValidator takes one resource_server; the profile has {len(audiences)} audiences")
    validator = Validator(key_set, issuer=p.get("issuer"), resource_server=audiences[0])
    token_string = req.token_text if req.token_text is not None else req.token
    try:
        token = validator.authenticate_token(token_string)
        validator.validate_token(token, None, None)
    except OAuth2Error as error:
        cause = error.__cause__
        text = error_text(error) if cause is None else f"{error_text(error)} (from {error_text(cause)})"
        raise Reject(text, None if cause is None else cause_reason(cause, req)) from error
    return dict(token)


def cause_reason(error, req):
    try:
        if isinstance(error, e.MissingClaimError):
            if "," in error.claim:
                return None
            return missing_claim_reason(error.claim) or "claim_missing"
        if isinstance(error, e.UnsupportedAlgorithmError):
            return alg_reason(extract_compact(req.token).protected["alg"])
        if type(error) is e.InvalidClaimError:
            if error.claim in INVALID_CLAIM:
                return INVALID_CLAIM[error.claim]
            text = str(error)
            if "must be a NumericDate value" in text:
                return "invalid_numeric_type"
            if error.claim == "iat" and "issued in the future" in text:
                return "iat_future"
            if error.claim == "nbf" and "not yet valid" in text:
                return "not_yet_valid"
            return None
        return REASONS.get(type(error))
    except Exception:  # labeling only
        return None


serve(
    name="authlib-rfc9068", library="Authlib (Python), oauth2.rfc9068 JWTBearerTokenValidator",
    version=authlib.__version__, features=["jwks_parsing"], claims=True, keys=keys, verify=verify,
    errors=(e.JoseError, OAuth2Error), algorithms=["ES256", "RS256", "HS256"], presets=["rfc9068"], notes=[
        "authlib.oauth2.rfc9068.JWTBearerTokenValidator(issuer, resource_server = the one audience), get_jwks = "
        "joserfc KeySet.import_key_set (EC, RSA, OKP, oct); authenticate_token then validate_token(no scopes)",
        "joserfc jwt.decode with no algorithm list: its recommended HS256, RS256, ES256 (declared), not pinnable to "
        "the profile's; fixed claims options: iss, exp, aud, sub, client_id, iat, jti essential; typ at+jwt when "
        "present (a missing typ passes)",
        "preset rfc9068 only; required_claims, leeway and typ of the profile cannot be configured; no clock "
        "injection (system clock): clock vectors skipped; two-audience profiles skipped",
    ],
)
