# frozen_string_literal: true

# jwt-conformance subprocess adapter for json-jwt (Ruby), protocol version 3 (docs/adapters.md).
#
# One process serves a whole run; the helper adapters/ruby/jwt_conformance_adapter.rb runs the
# protocol: it prints a hello line, then answers one JSON line per request line on stdin until
# stdin closes. json-jwt (Debian's ruby-json-jwt 1.14.0, on ActiveSupport) is configured as
# strictly as its API allows and nothing is checked here: every verdict is json-jwt's.
#
# Configuration: the key set's exact bytes (jwks_base64), as strict UTF-8, parsed with JSON.parse
# and given to JSON::JWK::Set.new, json-jwt's own JWK Set (an exception is a config error; it
# converts no key until one is used). JSON::JWT.decode(token, key_set, algorithms) with the
# token's exact bytes and algorithms = the profile's algorithms as Symbols (pinned: json-jwt
# compares the header's alg with them exactly; an empty list would allow any, and the profile
# never has one). json-jwt picks the key itself (JSON::JOSE#with_jwk_support): the JWK of the
# set whose kid equals the token's kid (a JWK without kid gets its RFC 7638 thumbprint as kid),
# else JSON::JWK::Set::KidNotFound, so a kid-less token is refused under every preset (json-jwt
# has no kid-less selection). A key is converted at use (JSON::JWK#to_key: RSA, EC P-256/384/521,
# oct; an OKP key is UnknownAlgorithm).
# Algorithms: ES256/384/512, RS256/384/512, PS256/384/512, HS256/384/512. Left out: EdDSA
# (json-jwt 1.14 has no EdDSA and no OKP keys). Presets: rfc9068, jwt and oidc-id-token, each as
# a signature check only.
# Not configurable: json-jwt verifies the signature and nothing else: no exp, nbf, iat, iss,
# aud, sub, client_id, jti, azp, nonce or typ check, no required claims, no clock, no size
# limit (the application must validate claims), so the profile's issuer, audiences,
# required_claims, client_id and nonce have nowhere to go, and typ null needs nothing. The claims
# of an acceptance are the decoded JSON::JWT as a plain Hash (JSON::JWT.new turns exp, nbf and
# iat into Integers with to_i: that is json-jwt's payload): the hello says so ("claims": true).
# An exception that is not a JSON::JWT::Exception is still a rejection (json-jwt failed closed),
# its text prefixed "unexpected ".

require 'json/jwt'
require_relative '../ruby/jwt_conformance_adapter'

H = JwtConformanceAdapter

# The adapter's three callables (a module, so that Object gets no methods named keys or verify).
module JsonJwtAdapter
  module_function

  def keys(req)
    JSON::JWK::Set.new(JSON.parse(req.jwks_text))
  end

  def verify(req, key_set)
    algorithms = Array(req.profile['algorithms']).map(&:to_sym)
    JSON::JWT.decode(req.token, key_set, algorithms).to_hash
  end

  def reason(error, req)
    case error
    when JSON::JWK::Set::KidNotFound then 'kid_unknown'
    when JSON::JWT::UnexpectedAlgorithm # also a key of the wrong type: labeled only for the alg checks
      return nil unless ['Unexpected alg header', error.class.name].include?(error.message)

      header = JSON::JWT.decode(req.token, :skip_verification).header # json-jwt's own header parser
      H.alg_reason(header.is_a?(Hash) ? header['alg'] : nil)
    when JSON::JWT::VerificationFailed then 'signature_invalid'
    end
  end
end

exit H.serve(
  name: 'json-jwt', library: 'json-jwt (Ruby)', version: Gem.loaded_specs.fetch('json-jwt').version.to_s,
  features: ['jwks_parsing'], claims: true, errors: [JSON::JWT::Exception],
  algorithms: %w[ES256 ES384 ES512 RS256 RS384 RS512 PS256 PS384 PS512 HS256 HS384 HS512],
  presets: %w[rfc9068 jwt oidc-id-token],
  keys: JsonJwtAdapter.method(:keys), verify: JsonJwtAdapter.method(:verify),
  reason: JsonJwtAdapter.method(:reason),
  notes: [
    "JSON::JWK::Set.new of the key set's parsed bytes; JSON::JWT.decode(token, key_set, profile algorithms " \
    'as Symbols): json-jwt picks the JWK by kid (thumbprint for a kid-less JWK; a kid-less token is refused)',
    'EdDSA left out: json-jwt 1.14 has no EdDSA and no OKP keys',
    'signature only, under every preset: no exp/nbf/iat/iss/aud/sub/client_id/jti/azp/nonce validation, ' \
    'required_claims not expressible, no clock, no typ check, no size limit (the application must validate claims)'
  ]
)
