# frozen_string_literal: true

# jwt-conformance subprocess adapter for ruby-jwt (Ruby), protocol version 2 (docs/adapters.md).
#
# One process serves a whole run; the helper adapters/ruby/jwt_conformance_adapter.rb runs the
# protocol: it prints a hello line, then answers one JSON line per request line on stdin until
# stdin closes. ruby-jwt (Debian's ruby-jwt 2.5.0) is configured as strictly as its API allows
# and nothing is checked here: every verdict is ruby-jwt's.
#
# Configuration: the key set's exact bytes (jwks_base64), as strict UTF-8, parsed with
# JWT::JSON.parse (ruby-jwt's JSON entry point; a refusal is a config error) and handed to
# JWT.decode as `jwks:`: ruby-jwt looks the token's kid up in the set and imports that one JWK
# itself (JWT::JWK::KeyFinder), at decode time, so a key set it cannot use is a rejection.
# JWT.decode(token, nil, true, ...) with algorithms = the profile's (ES256), iss + verify_iss,
# aud + verify_aud, verify_expiration, verify_not_before, verify_iat, verify_jti, leeway (0) and
# required_claims = exp, iat, iss, aud, sub, client_id, jti; the token is passed as its exact
# bytes (a Ruby String holds any bytes). Not configurable:
# ruby-jwt reads Time.now (no clock injection: clock vectors are skipped), has no typ check, no
# size limit, and verify_sub only compares sub with a given value (presence is required through
# required_claims). The claims of an acceptance are JWT.decode's payload, as is: the hello says
# so ("claims": true) and the runner compares them. An exception that is not a JWT::DecodeError
# is still a rejection (ruby-jwt failed closed), its text prefixed "unexpected ".

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

  def verify(req, key_set)
    p = req.profile
    payload, _header = JWT.decode(
      req.token, nil, true,
      algorithms: p['algorithms'], jwks: key_set,
      iss: p['issuer'], verify_iss: true, aud: p['audiences'], verify_aud: true,
      verify_expiration: true, verify_not_before: true, verify_iat: true, verify_jti: true,
      leeway: p['leeway_secs'], required_claims: H::REQUIRED_CLAIMS
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
  keys: RubyJwtAdapter.method(:keys), verify: RubyJwtAdapter.method(:verify),
  reason: RubyJwtAdapter.method(:reason),
  notes: [
    "JWT::JSON.parse of the key set's bytes as jwks: (kid lookup and JWK import by ruby-jwt, at decode); " \
    'JWT.decode with profile algorithms, iss/aud + verify_iss/verify_aud, verify_expiration/not_before/iat/jti, ' \
    'leeway 0, required_claims exp/iat/iss/aud/sub/client_id/jti',
    'no clock injection (Time.now): clock vectors skipped; no typ check; no size limit; ' \
    'sub can only be compared with a given value, so it is only required present'
  ]
)
