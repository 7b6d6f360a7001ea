# frozen_string_literal: true

# jwt-conformance subprocess adapter for ruby-jwt (Ruby), protocol version 3 (docs/adapters.md).
#
# One process serves a whole run; the helper adapters/ruby/jwt_conformance_adapter.rb runs the
# protocol: it prints a hello line, then answers one JSON line per request line on stdin until
# stdin closes. ruby-jwt (Debian's ruby-jwt 2.5.0) is configured as strictly as its API allows
# and nothing is checked here: every verdict is ruby-jwt's.
#
# Configuration: the key set's exact bytes (jwks_base64), as strict UTF-8, parsed with
# JWT::JSON.parse (ruby-jwt's JSON entry point; a refusal is a config error) and handed to
# JWT.decode as `jwks:`: ruby-jwt looks the token's kid up in the set and imports that one JWK
# itself (JWT::JWK::KeyFinder, EC / RSA / oct), at decode time, so a key set it cannot use is a
# rejection; a token without kid is refused by KeyFinder ("No key id (kid) found"), under every
# preset: ruby-jwt has no kid-less key selection.
# JWT.decode(token, nil, true, ...) with algorithms = the profile's algorithms (pinned), iss +
# verify_iss when the profile has an issuer, aud + verify_aud = the profile's audiences (under
# oidc-id-token: [client_id]) when there are any, verify_expiration, verify_not_before,
# verify_iat, verify_jti only when jti is required (it refuses a missing or blank jti), leeway
# (0) and required_claims = required_claims(profile) (the preset's default or the profile's
# list: ruby-jwt checks presence of any name); the token is passed as its exact bytes.
# Algorithms: ES256/384/512, RS256/384/512, PS256/384/512, HS256/384/512. Left out: EdDSA
# (ruby-jwt 2.5.0 verifies it only with RbNaCl, not installed, and its JWK importer has no OKP
# key type). Presets: rfc9068, jwt, oidc-id-token (a plain JWT decode with client_id as the
# audience; ruby-jwt has no ID-token validator: no azp or nonce check).
# Not configurable: ruby-jwt reads Time.now (no clock injection: clock vectors are skipped), has
# no typ check (so typ null needs nothing), no size limit, verify_sub only compares sub with a
# given value (presence is required through required_claims), and an aud it checks may name
# other audiences too. The claims of an acceptance are JWT.decode's payload, as is: the hello
# says so ("claims": true) and the runner compares them. An exception that is not a
# JWT::DecodeError is still a rejection (ruby-jwt failed closed), its text prefixed "unexpected ".

require 'jwt'
require_relative '../ruby/jwt_conformance_adapter'

H = JwtConformanceAdapter

# The adapter's three callables (a module, so that Object gets no methods named keys or verify).
module RubyJwtAdapter
  module_function

  # ruby-jwt error class -> catalog reason ID, when unambiguous.
  REASONS = {
    JWT::ExpiredSignature => 'expired', JWT::ImmatureSignature => 'not_yet_valid',
    JWT::InvalidIssuerError => 'iss_mismatch', JWT::VerificationError => 'signature_invalid'
  }.freeze

  def keys(req)
    JWT::JSON.parse(req.jwks_text)
  end

  # The profile's audiences, or under oidc-id-token its client_id; nil when there are none.
  def audiences(profile)
    auds = profile['preset'] == 'oidc-id-token' ? [profile['client_id']] : Array(profile['audiences'])
    auds.empty? ? nil : auds
  end

  def verify(req, key_set)
    p = req.profile
    required = H.required_claims(p)
    aud = audiences(p)
    payload, _header = JWT.decode(
      req.token, nil, true,
      algorithms: p['algorithms'], jwks: key_set,
      iss: p['issuer'], verify_iss: !p['issuer'].nil?, aud: aud, verify_aud: !aud.nil?,
      verify_expiration: true, verify_not_before: true, verify_iat: true, verify_jti: required.include?('jti'),
      leeway: p['leeway_secs'] || 0, required_claims: required
    )
    payload
  end

  def reason(error, req)
    message = error.message
    case error
    when JWT::IncorrectAlgorithm # also a key of another curve: labeled only for the alg checks
      return nil unless ['Expected a different algorithm', 'Token is missing alg header'].include?(message)

      _payload, header = JWT.decode(req.token, nil, false) # ruby-jwt's own header parser
      H.alg_reason(header.is_a?(Hash) ? header['alg'] : nil)
    when JWT::MissingRequiredClaim
      H.missing_claim_reason(message.delete_prefix('Missing required claim '))
    when JWT::InvalidAudError # "<none>" is a missing aud and a null one alike
      message.end_with?('received <none>') ? nil : 'aud_mismatch'
    when JWT::InvalidJtiError
      message == 'Missing jti' ? 'jti_missing' : nil
    else
      return 'kid_unknown' if message == 'No key id (kid) found from token headers' ||
                              message.start_with?('Could not find public key for kid ')

      REASONS.find { |cls, _| error.is_a?(cls) }&.last
    end
  end
end

exit H.serve(
  name: 'ruby-jwt', library: 'ruby-jwt (Ruby)', version: JWT::VERSION::STRING,
  features: ['jwks_parsing'], claims: true, errors: [JWT::DecodeError],
  algorithms: %w[ES256 ES384 ES512 RS256 RS384 RS512 PS256 PS384 PS512 HS256 HS384 HS512],
  presets: %w[rfc9068 jwt oidc-id-token],
  keys: RubyJwtAdapter.method(:keys), verify: RubyJwtAdapter.method(:verify),
  reason: RubyJwtAdapter.method(:reason),
  notes: [
    "JWT::JSON.parse of the key set's bytes as jwks: (kid lookup and JWK import of EC/RSA/oct by ruby-jwt, " \
    'at decode; a kid-less token is refused under every preset); JWT.decode with the profile algorithms, ' \
    'iss/aud + verify_iss/verify_aud when configured (oidc-id-token: aud = client_id), ' \
    'verify_expiration/not_before/iat, verify_jti when jti is required, leeway 0, ' \
    "required_claims = the profile's (presence of any name)",
    'EdDSA left out: ruby-jwt 2.5.0 needs RbNaCl for it (not installed) and imports no OKP JWK; ' \
    'oidc-id-token: no ID-token validator, so no azp or nonce check',
    'no clock injection (Time.now): clock vectors skipped; no typ check; no size limit; ' \
    'sub can only be compared with a given value, so it is only required present'
  ]
)
