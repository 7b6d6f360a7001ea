#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for joserfc (protocol version 3, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol. joserfc is configured as strictly as its API allows and nothing is checked
here: every verdict is joserfc's.

Algorithms: all 13 (joserfc's JWS registry implements each; the explicit algorithms list also
admits the ones it does not "recommend", and EdDSA, deprecated by RFC 9864, only warns). Presets:
rfc9068, jwt and oidc-id-token (joserfc is a generic JWT library with a generic claims registry;
it has no ID-token validator).

Configuration: KeySet.import_key_set parses the key set (EC, RSA, OKP, oct; its refusal is a
config error) and jwt.decode is given the KeySet, so joserfc picks the key (KeySet.get_by_kid
with the header's alg as a key parameter: the key with the token's kid, or the only key of a
one-key set when the token has no kid; keys without kid get their thumbprint as kid, so a
kid-less token against several keys finds none); jwt.decode with exactly the profile's
algorithms (a JWSRegistry that allows only those, with its default strict header check: only
registered header parameters); then JWTClaimsRegistry with now = the vector's time (clock
injection), leeway, each of the profile's required claims essential (required_claims(profile)),
iss = the issuer when configured, aud = one of the audiences when configured (oidc-id-token: the
client_id), and under oidc-id-token azp = the client_id when present and nonce = the profile's
nonce (essential) when set, through the registry's generic claim values. joserfc cannot require a
typ header value (a profile typ, or null, is not configured) and has no whole-token size limit
(its per-segment limits stay at their defaults). The claims of an acceptance are the decoded Token's claims, as
is. An exception that is not a JoseError is still a rejection, its text prefixed "unexpected ".
"""

import joserfc
from joserfc import errors as e
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact
from joserfc.util import json_b64decode
from jwt_conformance_adapter import (ALGORITHMS, PRESETS, alg_reason, missing_claim_reason, preset, required_claims,
                                     serve)

# InvalidClaimError's claim -> reason, for the claims whose every failure has one reason.
INVALID_CLAIM = {"iss": "iss_mismatch", "aud": "aud_mismatch", "sub": "sub_missing",
                 "client_id": "client_id_missing", "jti": "jti_missing", "azp": "azp_mismatch",
                 "nonce": "nonce_mismatch"}
REASONS = {  # joserfc error class -> catalog reason ID, when unambiguous
    e.ExpiredTokenError: "expired", e.BadSignatureError: "signature_invalid",
    e.InvalidKeyIdError: "kid_unknown", e.InvalidPayloadError: "payload_unparseable",
}


def keys(req):
    return KeySet.import_key_set(req.jwks_json())


def verify(req, key_set):
    p = req.profile
    token = jwt.decode(req.token, key_set, algorithms=p.algorithms)
    jwt.JWTClaimsRegistry(now=req.now, leeway=p.get("leeway_secs", 0), **claims_options(p)).validate(token.claims)
    return token.claims


def claims_options(p):
    """The JWTClaimsRegistry options of the profile (Authlib's claims_options take the same shape)."""
    rules = {claim: {"essential": True} for claim in required_claims(p)}
    oidc = preset(p) == "oidc-id-token"
    audiences = [p["client_id"]] if oidc and p.get("client_id") is not None else p.get("audiences") or []
    if p.get("issuer") is not None:
        rules["iss"] = {"essential": True, "value": p["issuer"]}
    if audiences:
        rules["aud"] = {"essential": True, "values": audiences}
    if oidc and p.get("client_id") is not None:
        rules["azp"] = {"essential": "azp" in rules, "value": p["client_id"]}
    if oidc and p.get("nonce") is not None:
        rules["nonce"] = {"essential": True, "value": p["nonce"]}
    return rules


def reason(error, req):  # an exception here (an unreadable header, say) counts as no reason
    if isinstance(error, e.MissingClaimError):
        if "," in error.claim:  # several missing: no one reason
            return None
        return missing_claim_reason(error.claim) or "claim_missing"
    if isinstance(error, e.UnsupportedAlgorithmError):
        return alg_reason(extract_compact(req.token).protected["alg"])
    if isinstance(error, e.MissingAlgorithmError):  # also raised for a header that is no object
        return "alg_none" if isinstance(json_b64decode(req.token.split(b".", 1)[0]), dict) else None
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


serve(
    name="joserfc", library="joserfc (Python)", version=joserfc.__version__,
    features=["clock", "jwks_parsing"], claims=True, keys=keys, verify=verify, reason=reason,
    algorithms=ALGORITHMS, presets=PRESETS, errors=(e.JoseError,), notes=[
        "KeySet.import_key_set (EC, RSA, OKP, oct) + joserfc's key lookup by kid (a kid-less token: the only key of "
        "a one-key set); jwt.decode with exactly the profile's algorithms (strict header registry)",
        "JWTClaimsRegistry with injected now, leeway, the profile's required claims essential, iss value, aud values "
        "(oidc-id-token: the client_id; azp = client_id when present; nonce value when set)",
        "all 13 algorithms, presets rfc9068, jwt, oidc-id-token (generic claims registry; no ID-token validator)",
        "no typ check (typ not configured); no whole-token size limit (per-segment defaults)",
    ],
)
