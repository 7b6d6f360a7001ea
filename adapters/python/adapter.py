#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for PyJWT (protocol version 2, docs/adapters.md).

One process serves a whole run: it prints a hello line, then answers one JSON line per request
line on stdin until stdin closes. PyJWT is configured as strictly as its API allows and nothing
is checked here: every verdict is PyJWT's.

Configuration: PyJWKSet.from_json parses the key set from its exact bytes (jwks_base64; its
refusal is a config error) and the token's key is looked up by kid in it; jwt.decode with the
profile's algorithms (ES256), issuer, audiences, leeway (0), every verify_* option on, and
require = exp, iat, iss, aud, sub, client_id, jti. PyJWT has no clock injection (it reads the system clock), so clock vectors are
skipped, and it has no typ check. The claims of an acceptance are jwt.decode's return value, as
is: the hello says so ("claims": true) and the runner compares them.
"""

import base64
import json
import sys

import jwt

PROTOCOL = "jwt-conformance-adapter"
VERSION = 2
REQUIRED = ["exp", "iat", "iss", "aud", "sub", "client_id", "jti"]
MISSING = {
    "exp": "exp_missing",
    "iat": "iat_missing",
    "iss": "iss_mismatch",
    "aud": "aud_missing",
    "sub": "sub_missing",
    "client_id": "client_id_missing",
    "jti": "jti_missing",
}


def alg_reason(token):
    """The catalog family of the header's alg, for labeling an 'algorithm not allowed' error."""
    try:
        alg = jwt.get_unverified_header(token).get("alg")
    except Exception:  # labeling only
        return None
    if not isinstance(alg, str) or alg.lower() == "none":
        return "alg_none"
    if alg in ("HS256", "HS384", "HS512"):
        return "alg_hmac_rejected"
    if alg in ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"):
        return "alg_rsa_rejected"
    if alg in ("ES384", "ES512", "ES256K"):
        return "alg_ecdsa_rejected"
    return "alg_not_allowed"


def reason_of(error, token):
    """Labels a PyJWT exception with a catalog reason ID, when unambiguous."""
    e = jwt.exceptions
    if isinstance(error, e.ExpiredSignatureError):
        return "expired"
    if isinstance(error, e.ImmatureSignatureError):
        return "iat_future" if "(iat)" in str(error) else "not_yet_valid"
    if isinstance(error, e.InvalidAudienceError):
        return "aud_mismatch"
    if isinstance(error, e.InvalidIssuerError):
        return "iss_mismatch"
    if isinstance(error, e.MissingRequiredClaimError):
        return MISSING.get(error.claim)
    if isinstance(error, e.InvalidSignatureError):
        return "signature_invalid"
    if isinstance(error, e.InvalidAlgorithmError):
        return alg_reason(token)
    if isinstance(error, e.InvalidIssuedAtError):
        return "invalid_numeric_type"
    if isinstance(error, e.InvalidSubjectError):
        return "sub_missing"
    if isinstance(error, e.InvalidJTIError):
        return "jti_missing"
    if isinstance(error, e.DecodeError) and "must be an integer" in str(error):
        return "invalid_numeric_type"
    return None


def text_of(error):
    return f"{type(error).__name__}: {error}"


def verify(request):
    token = base64.b64decode(request["token_b64"])
    profile = request["profile"]
    try:
        key_set = jwt.PyJWKSet.from_json(base64.b64decode(request["jwks_base64"]))
    except Exception as error:  # any refusal to load the key set is a configuration error
        return {"outcome": "config_error", "error": text_of(error)}
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        try:
            key = key_set[kid]
        except KeyError as error:
            return {"outcome": "reject", "error": text_of(error), "reason": "kid_unknown"}
        claims = jwt.decode(
            token,
            key=key,
            algorithms=profile["algorithms"],
            audience=profile["audiences"],
            issuer=profile["issuer"],
            leeway=profile["leeway_secs"],
            options={
                "require": REQUIRED,
                "verify_signature": True,
                "verify_exp": True,
                "verify_nbf": True,
                "verify_iat": True,
                "verify_aud": True,
                "verify_iss": True,
                "verify_sub": True,
                "verify_jti": True,
                "strict_aud": False,
            },
        )
    except jwt.PyJWTError as error:
        return {"outcome": "reject", "error": text_of(error), "reason": reason_of(error, token)}
    except Exception as error:  # PyJWT raised something other than its own errors
        return {"outcome": "reject", "error": "unexpected " + text_of(error)}
    return {"outcome": "accept", "claims": claims}


def main():
    hello = {
        "protocol": PROTOCOL,
        "version": VERSION,
        "name": "pyjwt",
        "library": "PyJWT (Python)",
        "library_version": jwt.__version__,
        "features": ["jwks_parsing"],
        "exact": False,
        "claims": True,
        "notes": [
            "PyJWKSet.from_json on the key set's bytes + key lookup by kid; jwt.decode with profile algorithms, issuer, "
            "audiences, leeway 0, all verify_* on, require exp/iat/iss/aud/sub/client_id/jti",
            "no clock injection (system clock): clock vectors skipped; no typ check",
        ],
    }
    print(json.dumps(hello), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            outcome = verify(request)
        except Exception as error:  # the adapter itself failed
            outcome = {"outcome": "adapter_error", "error": text_of(error)}
        response = {"id": request["id"], "step": request["step"], **outcome}
        try:
            text = json.dumps(response, allow_nan=False)
        except (TypeError, ValueError) as error:
            # PyJWT accepted claims strict JSON cannot carry (NaN, Infinity): the verdict stands.
            response["claims"] = None
            response["claims_note"] = "claims not representable as strict JSON: " + str(error)
            text = json.dumps(response)
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
