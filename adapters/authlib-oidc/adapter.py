#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for Authlib's OpenID Connect ID-token validation: the
client's parse_id_token (authlib.integrations.base_client.OpenIDMixin) with the ID-token claims
class authlib.oidc.core.CodeIDToken (protocol version 3, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol. Authlib's API made for ID tokens is used as a relying party uses it, and
nothing is checked here: every verdict is Authlib's (it verifies with joserfc).

parse_id_token(token, nonce, claims_options, claims_cls, leeway) (Authlib 1.9): imports the
provider's key set (joserfc KeySet.import_key_set of the metadata's jwks), decodes with joserfc's
jwt.decode(id_token, key_set, registry=JWSRegistry(algorithms = the metadata's
id_token_signing_alg_values_supported, strict_check_header=False)), retries once with a
refetched key set on an unknown kid, then builds claims_cls(claims, header, claims_options,
{"nonce": nonce, "client_id": client_id}) and validates it (IDToken: iss, sub, aud, exp, iat
present; joserfc's JWTClaimsRegistry with the claims options, the system clock and the leeway;
nonce present and equal when one is given; azp equal to the client_id when present, and required
when aud is not the client_id alone; at_hash only with an access token, none here).

Algorithms: all 13 (joserfc implements each; the metadata's list pins them). Presets:
oidc-id-token only, what the API is made for.

Configuration: a minimal OpenIDMixin client whose server metadata hold the issuer, the vector's
key set (jwks) and id_token_signing_alg_values_supported = exactly the profile's algorithms, and
whose client_id is the profile's client_id; its key-set fetch returns that same set (forced or
not: the provider's endpoint serves one set). parse_id_token with claims_cls = CodeIDToken (the
authorization-code flow; ImplicitIDToken would require a nonce always), nonce = the profile's
(None: not checked), leeway = the profile's, and claims_options iss = the issuer (essential,
value), aud = [client_id] (essential, values), each of the profile's required claims essential
(required_claims(profile)). The key set is imported once more beforehand with the same
KeySet.import_key_set, so that its refusal is a config error. parse_id_token does not check typ
(a profile typ, or null, is not configured); strict_check_header=False admits unregistered header
members. No clock injection (system clock): clock vectors are skipped. The claims of an
acceptance are parse_id_token's UserInfo (a dict), as is.
"""

import warnings

import authlib
from authlib.deprecate import AuthlibDeprecationWarning

warnings.simplefilter("ignore", AuthlibDeprecationWarning)

from authlib.integrations.base_client.sync_openid import OpenIDMixin  # noqa: E402
from authlib.oidc.core import CodeIDToken  # noqa: E402
from joserfc import errors as e  # noqa: E402
from joserfc.jwk import KeySet  # noqa: E402
from joserfc.jws import extract_compact  # noqa: E402
from joserfc.util import json_b64decode  # noqa: E402
from jwt_conformance_adapter import alg_reason, missing_claim_reason, required_claims, serve  # noqa: E402

INVALID_CLAIM = {"iss": "iss_mismatch", "aud": "aud_mismatch", "sub": "sub_missing", "azp": "azp_mismatch",
                 "nonce": "nonce_mismatch"}
MISSING = {"nonce": "nonce_mismatch", "azp": "azp_mismatch"}  # required by the ID-token rules, not the profile
REASONS = {  # joserfc error class -> catalog reason ID, when unambiguous
    e.ExpiredTokenError: "expired", e.BadSignatureError: "signature_invalid",
    e.InvalidKeyIdError: "kid_unknown", e.InvalidPayloadError: "payload_unparseable",
}


class Client(OpenIDMixin):
    """The relying party: its client_id and the provider's metadata (with its key set)."""

    def __init__(self, client_id, metadata):
        self.client_id = client_id
        self.server_metadata = metadata

    def load_server_metadata(self):
        return self.server_metadata

    def fetch_jwk_set(self, force=False):
        return self.server_metadata["jwks"]


def keys(req):
    jwks = req.jwks_json()
    KeySet.import_key_set(jwks)  # what parse_id_token calls: its refusal is a config error
    return jwks


def verify(req, jwks):
    p = req.profile
    client_id = p.get("client_id")
    metadata = {"jwks": jwks, "id_token_signing_alg_values_supported": list(p.algorithms)}
    options = {claim: {"essential": True} for claim in required_claims(p)}
    if p.get("issuer") is not None:
        metadata["issuer"] = p["issuer"]
        options["iss"] = {"essential": True, "value": p["issuer"]}
    if client_id is not None:
        options["aud"] = {"essential": True, "values": [client_id]}
    token = req.token_text if req.token_text is not None else req.token
    userinfo = Client(client_id, metadata).parse_id_token(
        {"id_token": token}, p.get("nonce"), claims_options=options, claims_cls=CodeIDToken,
        leeway=p.get("leeway_secs", 0))
    return dict(userinfo)


def reason(error, req):  # an exception here counts as no reason
    if isinstance(error, e.MissingClaimError):
        if "," in error.claim:
            return None
        return MISSING.get(error.claim) or missing_claim_reason(error.claim) or "claim_missing"
    if isinstance(error, e.UnsupportedAlgorithmError):
        return alg_reason(extract_compact(req.token).protected["alg"])
    if isinstance(error, e.MissingAlgorithmError):
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
    name="authlib-oidc", library="Authlib (Python), OpenID Connect parse_id_token + oidc.core.CodeIDToken",
    version=authlib.__version__, features=["jwks_parsing"], claims=True, keys=keys, verify=verify,
    reason=reason, errors=(e.JoseError,), algorithms=["ES256", "ES384", "ES512", "RS256", "RS384", "RS512",
    "PS256", "PS384", "PS512", "EdDSA", "HS256", "HS384", "HS512"], presets=["oidc-id-token"], notes=[
        "OpenIDMixin.parse_id_token (metadata: issuer, the key set, id_token_signing_alg_values_supported = exactly "
        "the profile's algorithms; client_id) with claims_cls CodeIDToken, nonce = the profile's, leeway",
        "joserfc KeySet.import_key_set (EC, RSA, OKP, oct) + joserfc's key lookup by kid (a kid-less token: the only "
        "key of a one-key set); JWSRegistry(strict_check_header=False) as parse_id_token builds it",
        "claims_options: iss value, aud values [client_id], the profile's required claims essential; IDToken checks "
        "nonce when given and azp against the client_id",
        "preset oidc-id-token only; no typ check (typ not configured); no clock injection (system clock): clock "
        "vectors skipped",
    ],
)
