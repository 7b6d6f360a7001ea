#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for Authlib's authlib.jose (protocol version 3, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol. authlib.jose is configured as strictly as its API allows and nothing is
checked here: every verdict is Authlib's.

Algorithms: all 13 (authlib.jose's JWS registry implements each). Presets: rfc9068, jwt and
oidc-id-token, as configurations of the generic JsonWebToken (Authlib's API made for access
tokens and for ID tokens are the adapters authlib-rfc9068 and authlib-oidc).

Configuration: JsonWebKey.import_key_set parses the key set (EC, RSA, OKP, oct; its refusal is a
config error) and JsonWebToken.decode is given the KeySet, so Authlib picks the key by kid
(KeySet.find_by_kid, which uses the only key of a one-key set when the token has no kid);
JsonWebToken restricted to exactly the profile's algorithms; JsonWebSignature.MAX_CONTENT_LENGTH
(the longest serialization Authlib reads) = the profile's max_token_bytes; claims_options with
each of the profile's required claims essential (required_claims(profile)), iss = the issuer when
configured, aud = one of the audiences when configured (oidc-id-token: the client_id), and under
oidc-id-token nonce = the profile's nonce (essential) when set; JWTClaims.validate with now = the
vector's time (clock injection) and the leeway. authlib.jose cannot require a typ header value
(a profile typ, or null, is not configured); it cannot check azp only when present (a value
option on a claim authlib.jose does not register also fails when the claim is absent), so azp is
not configured. The claims of an acceptance are the JWTClaims decode returned (a dict), as is.
An exception that is not a JoseError (Authlib raises ValueError for a kid not in the set and for
an oversized token) is still a rejection, its text prefixed "unexpected ".
"""

import re
import warnings

import authlib
from authlib.deprecate import AuthlibDeprecationWarning

warnings.simplefilter("ignore", AuthlibDeprecationWarning)  # authlib.jose is deprecated in favour of joserfc

from authlib.jose import JsonWebKey, JsonWebSignature, JsonWebToken  # noqa: E402
from authlib.jose import errors as e  # noqa: E402
from authlib.jose.util import extract_header  # noqa: E402
from jwt_conformance_adapter import (ALGORITHMS, PRESETS, alg_reason, missing_claim_reason, preset,  # noqa: E402
                                     required_claims, serve)

# InvalidClaimError's claim -> reason, for the claims whose every failure has one reason (for
# the time claims it is either a non-number or a falsy essential value such as 0: no reason).
INVALID_CLAIM = {"iss": "iss_mismatch", "aud": "aud_mismatch", "sub": "sub_missing",
                 "client_id": "client_id_missing", "jti": "jti_missing", "nonce": "nonce_mismatch"}
REASONS = {  # authlib.jose error class -> catalog reason ID, when unambiguous
    e.ExpiredTokenError: "expired", e.BadSignatureError: "signature_invalid",
    e.MissingAlgorithmError: "alg_none", e.InvalidCritHeaderParameterNameError: "header_crit",
}


def keys(req):
    return JsonWebKey.import_key_set(req.jwks_json())


def verify(req, key_set):
    p = req.profile
    JsonWebSignature.MAX_CONTENT_LENGTH = p.max_token_bytes
    claims = JsonWebToken(p.algorithms).decode(req.token, key_set, claims_options=claims_options(p))
    claims.validate(now=req.now, leeway=p.get("leeway_secs", 0))
    return dict(claims)


def claims_options(p):
    options = {claim: {"essential": True} for claim in required_claims(p)}
    oidc = preset(p) == "oidc-id-token"
    audiences = [p["client_id"]] if oidc and p.get("client_id") is not None else p.get("audiences") or []
    if p.get("issuer") is not None:
        options["iss"] = {"essential": True, "value": p["issuer"]}
    if audiences:
        options["aud"] = {"essential": True, "values": audiences}
    if oidc and p.get("nonce") is not None:
        options["nonce"] = {"essential": True, "value": p["nonce"]}
    return options


def reason(error, req):  # an exception here (an unreadable header, say) counts as no reason
    if isinstance(error, e.MissingClaimError):
        missing = re.fullmatch(r"Missing '(.+)' claim", error.description)
        return (missing_claim_reason(missing.group(1)) or "claim_missing") if missing else None
    if isinstance(error, e.InvalidClaimError):
        return INVALID_CLAIM.get(error.claim_name)
    if isinstance(error, e.InvalidTokenError):  # nbf or iat after now
        return "iat_future" if "issued in the future" in error.description else "not_yet_valid"
    if isinstance(error, e.UnsupportedAlgorithmError):
        return alg_reason(extract_header(req.token.split(b".", 1)[0], e.DecodeError).get("alg"))
    if isinstance(error, e.InvalidHeaderParameterNameError) and error.description.endswith(": crit"):
        return "header_crit"
    return REASONS.get(type(error))


serve(
    name="authlib", library="Authlib (Python)", version=authlib.__version__,
    features=["clock", "jwks_parsing"], claims=True, keys=keys, verify=verify, reason=reason,
    algorithms=ALGORITHMS, presets=PRESETS, errors=(e.JoseError,), notes=[
        "authlib.jose: JsonWebKey.import_key_set (EC, RSA, OKP, oct) + key lookup by kid (a kid-less token: the only "
        "key of a one-key set); JsonWebToken(exactly the profile's algorithms).decode, MAX_CONTENT_LENGTH = "
        "max_token_bytes",
        "JWTClaims.validate with injected now, leeway, the profile's required claims essential, iss value, aud values "
        "(oidc-id-token: the client_id; nonce value when set)",
        "all 13 algorithms, presets rfc9068, jwt, oidc-id-token (generic JsonWebToken; the ID-token and access-token "
        "APIs are the adapters authlib-oidc and authlib-rfc9068)",
        "no typ check (typ not configured); azp not checked (a value option fails on an absent claim)",
    ],
)
