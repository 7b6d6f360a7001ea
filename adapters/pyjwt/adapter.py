#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for PyJWT (protocol version 3, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol: it prints a hello line, then answers one JSON line per request line on stdin
until stdin closes. PyJWT is configured as strictly as its API allows and nothing is checked
here: every verdict is PyJWT's.

Algorithms: all 13 (ES256/384/512, RS256/384/512, PS256/384/512, EdDSA, HS256/384/512: PyJWT
with cryptography implements each). Presets: rfc9068, jwt and oidc-id-token (PyJWT is a generic
JWT library: each preset is a configuration of jwt.decode).

Configuration: PyJWKSet.from_json parses the key set from its exact bytes (jwks_base64; its
refusal is a config error; it holds EC P-256/P-384/P-521, RSA, OKP Ed25519 and oct keys and drops
a key it cannot load) and the token's key is looked up by kid in it (PyJWKSet[kid]: a kid it does
not hold is a kid_unknown rejection; a token without kid gets the set's first key without kid,
PyJWT has no other key selection). The PyJWK itself is given to jwt.decode, which binds the key to
its algorithm (the JWK's alg, else RS256 for RSA, HS256 for oct, ES256/384/512 by curve, EdDSA for
Ed25519) and refuses a token alg that differs ("does not match the key's algorithm":
key_alg_mismatch); algorithms = exactly the profile's; issuer = the profile's (None: no check);
audience = the profile's audiences (oidc-id-token: the client_id; none configured: None, and
PyJWT then refuses a token that carries aud); leeway; every verify_* option on;
enforce_minimum_key_length on (RSA under 2048 bits, HMAC secrets shorter than the hash:
InvalidKeyError, key_too_weak); require = the profile's required claims (required_claims(profile):
its required_claims, else the preset's default). PyJWT has no clock injection (it reads the
system clock), so clock vectors are skipped; it has no typ check (a profile typ, or null, is
therefore not configured), no nonce and no azp check (oidc-id-token: nonce and azp are not
checked, and an aud naming other audiences beside the client_id is accepted). The claims of an acceptance are jwt.decode's return value, as is: the hello
says so ("claims": true) and the runner compares them. An exception that is not a PyJWTError is
still a rejection (PyJWT failed closed), its text prefixed "unexpected ".

Live key-set vectors (feature key_fetch: the request's key_fetch member names an HTTPS endpoint
and its jwks is not the key set): one jwt.PyJWKClient per vector, built at step 0 and kept with
its cache for the vector's later steps (req.state): PyJWKClient(jwks_uri, cache_jwk_set=True,
lifespan=TTL, cooldown_duration=refetch interval, timeout=timeout, ssl_context=
ssl.create_default_context(cafile=ca_file), cache_keys=False: the per-kid cache never expires),
then get_signing_key_from_jwt(token) and the same jwt.decode. PyJWKClientConnectionError
(transport, TLS, timeout, HTTP status, redirect) and a body that is no usable key set
(PyJWKClientError, PyJWKSetError) are key_source_unavailable; "Unable to find a signing key that
matches" is kid_unknown. PyJWT has no discovery (no key_discovery). A key_fetch vector without a
key_fetch member (a runner without live endpoints) is skipped. Seen with PyJWT 2.15.1 against a
loopback endpoint: redirects are refused, not followed; the timeout bounds each socket operation,
not the fetch (a body dripped slowly is read to its end); the body size is unbounded (64 MB read);
an unknown kid refetches at most once per cooldown, and every successful fetch starts the
cooldown; past the TTL a failing endpoint is a rejection (no stale set); a token without kid
still fetches; a body that is not JSON or not UTF-8 raises json's or the codec's error, not a
PyJWTError ("unexpected"); a fetched key with private members is used.
"""

import ssl

import jwt
from jwt import exceptions as e
from jwt_conformance_adapter import (ALGORITHMS, PRESETS, Reject, Skip, alg_reason, missing_claim_reason, preset,
                                     required_claims, serve)

VERIFY_ALL = ("signature", "exp", "nbf", "iat", "aud", "iss", "sub", "jti")
OPTIONS = {"strict_aud": False, "enforce_minimum_key_length": True, **{f"verify_{v}": True for v in VERIFY_ALL}}
REASONS = {  # PyJWT error class -> catalog reason ID, when unambiguous
    e.ExpiredSignatureError: "expired", e.InvalidAudienceError: "aud_mismatch",
    e.InvalidIssuerError: "iss_mismatch", e.InvalidSignatureError: "signature_invalid",
    e.InvalidIssuedAtError: "invalid_numeric_type", e.InvalidSubjectError: "sub_missing",
    e.InvalidJTIError: "jti_missing",
}


def keys(req):
    if req.key_fetch is None:
        if "key_fetch" in req.features:  # a runner without live endpoints: no endpoint to fetch from
            raise Skip("a key_fetch vector without a key_fetch endpoint")
        return jwt.PyJWKSet.from_json(req.jwks_bytes)
    # A live vector: the key set is the endpoint's (the request's jwks is not it). One client per
    # vector, built at step 0 and kept (with its cache) for the later steps.
    client = None if req.step == 0 else req.state.get("client")
    if client is None:
        kf = req.key_fetch
        client = jwt.PyJWKClient(
            kf.jwks_uri, cache_keys=False, cache_jwk_set=True, lifespan=kf.ttl_secs, timeout=kf.timeout_secs,
            ssl_context=ssl.create_default_context(cafile=kf.ca_file), cooldown_duration=kf.refetch_interval_secs,
        )
        req.state["client"] = client
    return client


def verify(req, key_set):
    if req.key_fetch is not None:
        key = key_set.get_signing_key_from_jwt(req.token)
    else:
        try:
            key = key_set[jwt.get_unverified_header(req.token).get("kid")]
        except KeyError as error:
            raise Reject(error, "kid_unknown") from error
    return jwt.decode(req.token, key=key, algorithms=req.profile.algorithms, options=options(req),
                      **claims_config(req.profile))


def options(req):
    return {**OPTIONS, "require": list(required_claims(req.profile))}


def claims_config(p):
    """jwt.decode's audience, issuer and leeway for the profile."""
    if preset(p) == "oidc-id-token":
        audience = p.get("client_id")
    else:
        audience = p.get("audiences") or None
    return {"audience": audience, "issuer": p.get("issuer"), "leeway": p.get("leeway_secs", 0)}


def reason(error, req):
    if isinstance(error, e.PyJWKClientConnectionError):  # transport, TLS, timeout, HTTP status
        return "key_source_unavailable"
    if isinstance(error, e.PyJWKClientError):  # the kid, or a body that is no usable key set
        no_match = "Unable to find a signing key that matches" in str(error)
        return "kid_unknown" if no_match else "key_source_unavailable"
    if isinstance(error, e.PyJWKSetError):  # the fetched set has no usable key (live vectors only)
        return "key_source_unavailable"
    if isinstance(error, e.ImmatureSignatureError):
        return "iat_future" if "(iat)" in str(error) else "not_yet_valid"
    if isinstance(error, e.MissingRequiredClaimError):
        return missing_claim_reason(error.claim) or "claim_missing"
    if isinstance(error, e.InvalidAlgorithmError):  # a header PyJWT cannot read: None
        if "does not match the key's algorithm" in str(error):
            return "key_alg_mismatch"
        return alg_reason(jwt.get_unverified_header(req.token).get("alg"))
    if isinstance(error, e.InvalidKeyError) and "below the minimum recommended" in str(error):
        return "key_too_weak"
    for cls, reason_id in REASONS.items():  # InvalidSignatureError before DecodeError
        if isinstance(error, cls):
            return reason_id
    if isinstance(error, e.DecodeError) and "must be an integer" in str(error):
        return "invalid_numeric_type"
    return None


serve(
    name="pyjwt", library="PyJWT (Python)", version=jwt.__version__,
    features=["jwks_parsing", "key_fetch", "key_rotation"], claims=True, keys=keys, verify=verify, reason=reason,
    algorithms=ALGORITHMS, presets=PRESETS, errors=(jwt.PyJWTError,), notes=[
        "PyJWKSet.from_json on the key set's bytes (EC, RSA, OKP, oct) + key lookup by kid (a token without kid: "
        "the first key without kid); the PyJWK given to jwt.decode binds the key to its JWK alg (or RS256/HS256/"
        "ES* by curve/EdDSA by default)",
        "jwt.decode with exactly the profile's algorithms, issuer, audiences (oidc-id-token: client_id; none: "
        "None), leeway, all verify_* on, enforce_minimum_key_length, require = the profile's required claims",
        "all 13 algorithms, presets rfc9068, jwt, oidc-id-token",
        "no clock injection (system clock): clock vectors skipped; no typ check (typ not configured); "
        "no nonce or azp check; aud with extra audiences beside the client_id is accepted",
        "key_fetch: a PyJWKClient per vector (lifespan TTL, cooldown_duration refetch interval, timeout, ssl_context "
        "with the run's CA), get_signing_key_from_jwt, then the same jwt.decode; no discovery",
        "PyJWKClient refuses redirects; its timeout bounds each socket read, not the fetch (a dripped body is read "
        "to its end); no body size bound; a non-JSON body raises JSONDecodeError, not a PyJWTError",
    ],
)
