#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for jwcrypto (protocol version 3, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol. jwcrypto is configured as strictly as its API allows and nothing is checked
here: every verdict is jwcrypto's.

Algorithms: all 13 (jwcrypto's JWA implements each; algs is set explicitly). Presets: rfc9068,
jwt and oidc-id-token, as configurations of the generic jwt.JWT (jwcrypto has no ID-token or
access-token validator).

Configuration: JWKSet.from_json parses the key set from its exact bytes (jwks_base64; its
refusal is a config error; EC, RSA, OKP and oct keys) and the JWT is verified against the JWKSet,
so jwcrypto picks the key by kid (a token without kid is tried against every key); jwt.JWT with
algs = exactly the profile's algorithms, expected_type "JWS", strict_serialization (compact
only), leeway, and check_claims: exp = the vector's time when the profile requires exp (jwcrypto
then checks exp against that time, with no leeway: its clock injection), nbf likewise, iss = the
issuer when configured, aud = the audiences (any one; oidc-id-token: the client_id) when
configured, under oidc-id-token nonce = the profile's nonce when set, and every other required
claim of the profile (required_claims(profile)) None (presence only). Every claim check_claims
names is required, and once check_claims is given jwcrypto checks exp and nbf only when it names
them: so a profile that does not require exp (jwt) gets no exp check at all (naming exp would
refuse every exp-less token), nor nbf unless required, and azp cannot be checked only when
present (not configured). jwcrypto checks no iat time and cannot require a typ header value (a
profile typ, or null, is not configured). jwcrypto takes the token as text: a token whose bytes are not UTF-8 is
skipped. The claims of an acceptance are the token's claims as jwcrypto decodes them
(jwcrypto.common.json_decode of JWT.claims). An exception that is not a JWException (jwcrypto
raises ValueError for a token that is not compact, TypeError for a JWE) is still a rejection, its
text prefixed "unexpected ".
"""

import re

import jwcrypto.version
from jwcrypto import jwt
from jwcrypto.common import JWException, json_decode
from jwcrypto.jwk import JWKSet
from jwt_conformance_adapter import ALGORITHMS, PRESETS, Skip, missing_claim_reason, preset, required_claims, serve

INVALID = {  # the claim named in a JWTInvalidClaimFormat or JWTInvalidClaimValue -> reason ID
    "iss": "iss_mismatch", "aud": "aud_mismatch", "sub": "sub_missing", "jti": "jti_missing",
    "exp": "invalid_numeric_type", "iat": "invalid_numeric_type", "nbf": "invalid_numeric_type",
}
VALUE = {"iss": "iss_mismatch", "aud": "aud_mismatch", "nonce": "nonce_mismatch"}  # JWTInvalidClaimValue


def keys(req):
    return JWKSet.from_json(req.jwks_bytes)


def verify(req, key_set):
    if req.token_text is None:
        raise Skip("jwcrypto takes the token as text; these bytes are not UTF-8")
    p = req.profile
    token = jwt.JWT(algs=p.algorithms, check_claims=check_claims(req), expected_type="JWS",
                    strict_serialization=True)
    token.leeway = p.get("leeway_secs", 0)
    token.deserialize(req.token_text, key_set)
    return json_decode(token.claims)


def check_claims(req):
    p = req.profile
    check = {claim: None for claim in required_claims(p)}
    for claim in ("exp", "nbf"):  # checked against the injected time only when required
        if claim in check:
            check[claim] = req.now
    oidc = preset(p) == "oidc-id-token"
    audiences = [p["client_id"]] if oidc and p.get("client_id") is not None else p.get("audiences") or []
    if p.get("issuer") is not None:
        check["iss"] = p["issuer"]
    if audiences:
        check["aud"] = audiences
    if oidc and p.get("nonce") is not None:
        check["nonce"] = p["nonce"]
    return check


def reason(error, req):  # an exception here counts as no reason
    text = str(error)
    if isinstance(error, jwt.JWTExpired):
        return "expired"
    if isinstance(error, jwt.JWTMissingClaim):
        missing = re.fullmatch(r"Claim (.+) is missing", text)
        return (missing_claim_reason(missing.group(1)) or "claim_missing") if missing else None
    if isinstance(error, jwt.JWTInvalidClaimFormat):  # "Claim NAME is not …" / "contains non …"
        named = re.match(r"Claim (\S+) (is not|contains non)", text)
        return INVALID.get(named.group(1)) if named else None
    if isinstance(error, jwt.JWTInvalidClaimValue):  # iss, aud and nonce have values to match
        named = re.match(r"Invalid '(iss|aud|nonce)' value", text)
        return VALUE[named.group(1)] if named else None
    # JWTMissingKey covers an unknown kid, a disallowed alg and a bad signature alike: no reason.
    return None


serve(
    name="jwcrypto", library="jwcrypto (Python)", version=jwcrypto.version.__version__,
    features=["clock", "jwks_parsing"], claims=True, keys=keys, verify=verify, reason=reason,
    algorithms=ALGORITHMS, presets=PRESETS, errors=(JWException,), notes=[
        "JWKSet.from_json (EC, RSA, OKP, oct) + key lookup by kid (a kid-less token: every key tried); jwt.JWT with "
        "exactly the profile's algs, expected_type JWS, strict_serialization, check_claims exp/nbf = injected now "
        "(no leeway) when required, iss, aud (oidc-id-token: client_id), nonce when set, the profile's other required "
        "claims present",
        "all 13 algorithms, presets rfc9068, jwt, oidc-id-token (generic jwt.JWT)",
        "exp and nbf are checked only when required (jwcrypto checks a present exp only by requiring it): no exp "
        "check under jwt; azp not checked (check_claims requires every claim it names); no iat time check; no typ check",
    ],
)
