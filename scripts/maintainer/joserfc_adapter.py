"""A maintainer's adapter for joserfc, on the jwt-conformance Python helper (docs/maintainers.md).

KeySet.import_key_set on the key set (its refusal is a config error); jwt.decode with the
profile's algorithms; JWTClaimsRegistry with now = the vector's time (clock injection), leeway
0, iss and aud values, and every claim of the profile essential. joserfc has no typ check.
"""
import json

import joserfc
from joserfc import errors, jwt
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact
from jwt_conformance_adapter import REQUIRED_CLAIMS, alg_reason, missing_claim_reason, serve


def keys(req):
    return KeySet.import_key_set(json.loads(req.jwks_bytes))


def verify(req, key_set):
    p = req.profile
    token = jwt.decode(req.token, key_set, algorithms=p.algorithms)
    rules = {claim: {"essential": True} for claim in REQUIRED_CLAIMS}
    rules.update(iss={"essential": True, "value": p.issuer}, aud={"essential": True, "values": p.audiences})
    jwt.JWTClaimsRegistry(now=req.now, leeway=p.leeway_secs, **rules).validate(token.claims)
    return token.claims


def reason(error, req):  # an exception here (an unreadable header, say) counts as no reason
    if isinstance(error, errors.MissingClaimError):
        return missing_claim_reason(error.claim)
    if isinstance(error, errors.UnsupportedAlgorithmError):
        return alg_reason(extract_compact(req.token).protected["alg"])
    return {errors.ExpiredTokenError: "expired", errors.BadSignatureError: "signature_invalid"}.get(type(error))


serve(name="joserfc", library="joserfc (Python)", version=joserfc.__version__, features=["clock", "jwks_parsing"],
      claims=True, keys=keys, verify=verify, reason=reason, errors=(errors.JoseError,),
      notes=["KeySet.import_key_set; jwt.decode with profile algorithms; JWTClaimsRegistry now, leeway 0, iss, aud, all claims essential"])
