# frozen_string_literal: true

# Finding: ruby-jwt 2.5.0 accepts a token whose header says "alg": "es256" when the caller
# allows only ES256. It compares the header's alg with the allowed list case-insensitively
# (String#casecmp in JWT::Decode#options_includes_algo_in_header?) and looks the algorithm up
# lowercased (JWT::Algos.find), so "es256" is verified as ES256.
#
# RFC 7515 §4.1.1: "The "alg" value is a case-sensitive ASCII string"; so "es256" is not ES256,
# and RFC 8725 §3.1: libraries "MUST NOT use any other algorithms" than the caller's set (the
# signature is a genuine ES256 one by the pinned key: the token's claims are the issuer's, but
# the alg pin is not enforced as specified).
#
# Reproduces: alg/lowercase-es256 (forgery)
#
# Run: ruby adapters/ruby-jwt/repro.rb   (Debian's ruby and ruby-jwt; no network)
# Configured exactly as adapters/ruby-jwt/adapter.rb; the vector's now is 1700000000, and the
# token is valid from 2001 to 2100, so the system clock (ruby-jwt has no clock injection) does
# not matter.

require 'jwt'

TOKEN = 'eyJhbGciOiJlczI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.' \
        'eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAw' \
        'MDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.' \
        '5a41gzKvjg2nDnYyjhqjXtotkBHj1kgY8-BqTJKbV15qaKruWPmwHrN6OGI9yQYTR6kU7hXTaMXMJAFwW-XuLA'
JWKS = '{"keys":[{"alg":"ES256","crv":"P-256","kid":"primary","kty":"EC","use":"sig",' \
       '"x":"Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE","y":"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}]}'
ISSUER = 'https://issuer.example'
AUDIENCES = ['https://api.example'].freeze
ID = 'alg/lowercase-es256'

begin
  payload, header = JWT.decode(
    TOKEN, nil, true,
    algorithms: ['ES256'], jwks: JWT::JSON.parse(JWKS),
    iss: ISSUER, verify_iss: true, aud: AUDIENCES, verify_aud: true,
    verify_expiration: true, verify_not_before: true, verify_iat: true, verify_jti: true,
    leeway: 0, required_claims: %w[exp iat iss aud sub client_id jti]
  )
rescue StandardError => e
  puts "NOT REPRODUCED #{ID}: ruby-jwt #{JWT::VERSION::STRING} rejected the token (#{e.class}: #{e.message})"
  exit 1
end
puts "REPRODUCED #{ID}: ruby-jwt #{JWT::VERSION::STRING} accepted alg #{header['alg'].inspect} " \
     "with algorithms ['ES256'] (sub #{payload['sub'].inspect})"
exit 0
