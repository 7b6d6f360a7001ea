# frozen_string_literal: true

# Helper for jwt-conformance subprocess adapters written in Ruby (protocol version 2, or 3 when
# serve is given algorithms: or presets:).
#
# The jwt-conformance runner talks to an adapter process in JSON lines over stdin/stdout
# (docs/adapters.md, "The subprocess protocol"). `JwtConformanceAdapter.serve` runs that loop: it
# prints the hello, reads one request per line, calls the adapter's callables and writes one
# response per request, in order. An adapter is then only three callables:
#
# - keys.(req): load the key set with the library (an exception is a config_error);
# - verify.(req, key_set): verify req.token; return the claims to accept, raise to reject;
# - reason.(error, req) (optional): the catalog reason ID of a library error, or nil.
#
# Raise Reject, Skip or ConfigError from keys or verify for an explicit outcome.
# Standard library only (json, base64); Ruby 2.7 or later.

require 'base64'
require 'json'

module JwtConformanceAdapter
  VERSION = '0.1.0'

  # The protocol name the hello carries.
  PROTOCOL = 'jwt-conformance-adapter'

  # The protocol version this helper speaks (its hello says so, and the runner's requests follow).
  PROTOCOL_VERSION = 2

  # The longest request line read; a longer one ends the process (the runner restarts it). A
  # request carries the token twice (text and base64), and the corpus has an 8 MiB token.
  MAX_LINE_BYTES = 64 * 1024 * 1024

  # The protocol version of a hello that declares algorithms or presets (schema 3 profiles).
  PROTOCOL_VERSION_3 = 3

  # The claims the rfc9068 preset requires (the default of a profile without preset or
  # required_claims). Adapters call required_claims(req.profile) for a profile's own list.
  REQUIRED_CLAIMS = %w[exp iat iss aud sub client_id jti].freeze

  # The required claims of each preset, when the profile has no required_claims member
  # (docs/profile.md, "Presets").
  PRESET_REQUIRED_CLAIMS = {
    'rfc9068' => REQUIRED_CLAIMS, 'jwt' => [].freeze, 'oidc-id-token' => %w[iss sub aud exp iat].freeze
  }.freeze

  # The catalog reason ID of each required claim when it is missing (docs/reasons.md).
  MISSING_CLAIM_REASONS = {
    'exp' => 'exp_missing', 'iat' => 'iat_missing', 'iss' => 'iss_mismatch', 'aud' => 'aud_missing',
    'sub' => 'sub_missing', 'client_id' => 'client_id_missing', 'jti' => 'jti_missing'
  }.freeze

  # What a library may raise and still count as failing closed (not Interrupt, SystemExit, ...).
  FAILURES = [StandardError, ScriptError, SystemStackError].freeze

  module_function

  # The claims a profile (the request's profile Hash) requires: its required_claims member when
  # present (not null), else its preset's default (an absent preset is rfc9068: exp iat iss aud
  # sub client_id jti; jwt: none; oidc-id-token: iss sub aud exp iat). Raises KeyError for a
  # preset it does not know.
  def required_claims(profile)
    profile = {} unless profile.is_a?(Hash)
    explicit = profile['required_claims']
    return explicit.dup if explicit.is_a?(Array)

    PRESET_REQUIRED_CLAIMS.fetch(profile['preset'] || 'rfc9068').dup
  end

  # The catalog reason family of a header's alg value, to label an "algorithm not allowed"
  # error: none (any case, a value that is not a string, or no alg) -> alg_none, HS* ->
  # alg_hmac_rejected, RS*/PS* -> alg_rsa_rejected, ES256/ES384/ES512/ES256K -> alg_ecdsa_rejected,
  # anything else -> alg_not_allowed. Read alg with the library's own header parser.
  def alg_reason(alg)
    return 'alg_none' if !alg.is_a?(String) || alg.casecmp?('none')
    return 'alg_hmac_rejected' if %w[HS256 HS384 HS512].include?(alg)
    return 'alg_rsa_rejected' if %w[RS256 RS384 RS512 PS256 PS384 PS512].include?(alg)
    return 'alg_ecdsa_rejected' if %w[ES256 ES384 ES512 ES256K].include?(alg)

    'alg_not_allowed'
  end

  # The catalog reason ID for a missing required claim, or nil for another claim.
  def missing_claim_reason(claim)
    MISSING_CLAIM_REASONS[claim.to_s]
  end

  # Any text as valid UTF-8: bytes that are not UTF-8 (library messages may quote token bytes)
  # become U+FFFD.
  def utf8(text)
    text = text.to_s.dup
    text = text.encode(Encoding::UTF_8, invalid: :replace, undef: :replace) unless
      [Encoding::UTF_8, Encoding::BINARY, Encoding::US_ASCII].include?(text.encoding)
    text.force_encoding(Encoding::UTF_8).scrub
  end

  # How an exception is reported: "<ExceptionClass>: <message>", as valid UTF-8. The message is
  # the one the exception was raised with (Exception#to_s), without the source snippets and
  # suggestions that error_highlight and did_you_mean append to #message.
  def error_text(error)
    utf8("#{error.class}: #{Exception.instance_method(:to_s).bind_call(error)}")
  end

  def text_of(error)
    error.is_a?(Exception) ? error_text(error) : utf8(error)
  end

  # Base of the explicit outcomes: raise one of its subclasses from keys or verify. members are
  # the response's members besides outcome (and id, step).
  class Outcome < StandardError
    attr_reader :members

    def initialize(text, members)
      super(text)
      @members = members
    end

    def response
      { 'outcome' => self.class::OUTCOME }.merge(members)
    end
  end

  # The library rejected the token: error is its text (an exception is written as
  # "<ExceptionClass>: <message>"), reason a catalog reason ID or nil. reason is not consulted.
  class Reject < Outcome
    OUTCOME = 'reject'

    def initialize(error, reason = nil)
      text = JwtConformanceAdapter.text_of(error)
      super(text, 'error' => text, 'reason' => reason)
    end
  end

  # The case cannot be expressed with this library: the runner does not count it.
  class Skip < Outcome
    OUTCOME = 'skipped'

    def initialize(why)
      text = JwtConformanceAdapter.utf8(why)
      super(text, 'why' => text)
    end
  end

  # The library refused the key set or the configuration: error is its text, code a catalog
  # config-error code or nil.
  class ConfigError < Outcome
    OUTCOME = 'config_error'

    def initialize(error, code = nil)
      text = JwtConformanceAdapter.text_of(error)
      super(text, 'error' => text, 'code' => code)
    end
  end

  # One request: verify one step of one vector.
  #
  # id (String), step (Integer); token (String, binary: the token's exact bytes, from token_b64);
  # token_text (the same bytes as a UTF-8 String, or nil when they are not UTF-8); jwks_bytes
  # (String, binary: the key set's exact bytes, from jwks_base64, or for a version 1 request the
  # compact JSON of jwks); jwks (the key set parsed: any JSON value); profile (Hash, String
  # keys); now (Integer, Unix seconds); actions, features (Arrays); timeout_ms; version; raw (the
  # whole request Hash).
  class Request
    attr_reader :raw, :id, :step, :version, :token, :token_text, :jwks_bytes, :jwks, :profile,
                :now, :actions, :features, :timeout_ms

    def initialize(raw)
      @raw = raw
      @id = raw['id']
      @step = raw['step']
      @version = raw.fetch('version', PROTOCOL_VERSION)
      kind = raw.fetch('type', 'verify')
      raise ArgumentError, "unknown request type #{kind.inspect}" unless kind == 'verify'
      raise ArgumentError, 'request without token_b64' unless raw['token_b64'].is_a?(String)

      @token = Base64.strict_decode64(raw['token_b64'])
      text = @token.dup.force_encoding(Encoding::UTF_8)
      @token_text = text.valid_encoding? ? text : nil
      if raw.key?('jwks_base64')
        @jwks_bytes = Base64.strict_decode64(raw['jwks_base64'])
        @jwks = raw.key?('jwks') ? raw['jwks'] : parse_or_nil(@jwks_bytes)
      else # version 1: the key set only parsed
        @jwks = raw['jwks']
        @jwks_bytes = JSON.generate(@jwks).b
      end
      @profile = raw['profile'].is_a?(Hash) ? raw['profile'] : {}
      @now = raw['now']
      @actions = raw.fetch('actions', [])
      @features = raw.fetch('features', [])
      @timeout_ms = raw['timeout_ms']
    end

    # jwks_bytes as strict UTF-8 text (raises ArgumentError when they are not UTF-8).
    def jwks_text
      text = @jwks_bytes.dup.force_encoding(Encoding::UTF_8)
      raise ArgumentError, 'key set is not UTF-8' unless text.valid_encoding?

      text
    end

    # jwks_text parsed with JSON.parse (raises on either failure: call it in keys and the
    # failure is a config_error).
    def jwks_json
      JSON.parse(jwks_text)
    end

    def inspect
      "#<Request id=#{@id.inspect} step=#{@step.inspect}>"
    end

    private

    def parse_or_nil(bytes)
      JSON.parse(bytes.dup.force_encoding(Encoding::UTF_8))
    rescue JSON::ParserError, EncodingError
      nil
    end
  end

  # [id, step] of a parsed request line, or nil when they cannot be read.
  def identify(raw)
    return nil unless raw.is_a?(Hash)

    id, step = raw['id'], raw['step']
    return nil unless id.is_a?(String) && step.is_a?(Integer)

    [id, step]
  end

  # The response members for one request.
  def outcome(req, keys, verify, reason, errors)
    begin
      key_set = keys&.call(req)
    rescue Outcome => e
      return e.response
    rescue *FAILURES => e # any refusal to load the key set is a configuration error
      return { 'outcome' => 'config_error', 'error' => error_text(e), 'code' => nil }
    end
    begin
      claims = verify.call(req, key_set)
    rescue Outcome => e
      return e.response
    rescue *FAILURES => e
      if errors && errors.none? { |cls| e.is_a?(cls) }
        # The library raised something other than its own errors: it failed closed.
        return { 'outcome' => 'reject', 'error' => "unexpected #{error_text(e)}", 'reason' => nil }
      end

      return { 'outcome' => 'reject', 'error' => error_text(e), 'reason' => label(reason, e, req) }
    end
    { 'outcome' => 'accept', 'claims' => claims }
  end

  def label(reason, error, req)
    return nil unless reason

    mapped = reason.call(error, req)
    mapped.is_a?(String) ? mapped : nil
  rescue *FAILURES # labeling only
    nil
  end

  # One response line; claims strict JSON cannot carry are replaced by null.
  def encode(response)
    JSON.generate(response)
  rescue JSON::GeneratorError, EncodingError, SystemStackError => e
    raise unless response['outcome'] == 'accept'

    # The library accepted claims strict JSON cannot carry (Infinity, strings that are not
    # UTF-8, ...): the verdict stands.
    JSON.generate(response.merge('claims' => nil,
                                 'claims_note' => "claims not representable as strict JSON: #{error_text(e)}"))
  end

  # Reads one line of at most limit bytes (without its newline); nil at end of input;
  # :too_long for a longer line, whose rest is skipped.
  def read_line(input, limit)
    line = input.gets("\n", limit + 1)
    return nil if line.nil?
    return line.chomp("\n") if line.end_with?("\n") || line.bytesize <= limit

    loop do
      rest = input.gets("\n", 1 << 20)
      break if rest.nil? || rest.end_with?("\n")
    end
    :too_long
  end

  def parse_request(line)
    text = line.dup.force_encoding(Encoding::UTF_8)
    raise JSON::ParserError, 'not UTF-8' unless text.valid_encoding?

    JSON.parse(text, max_nesting: 512)
  end

  # Runs the adapter process: prints the hello, then answers every request line on input until
  # it closes. See README.md for the arguments. A request whose id and step can be read but that
  # the helper cannot handle gets an adapter_error answer; a line that is not JSON, longer than
  # max_line_bytes, or without a string id and integer step is reported on log and ends the
  # loop with exit status 1. While serving the real stdout, $stdout points at $stderr so that
  # stray output cannot corrupt the protocol. Returns 0 at the end of input. With algorithms: or
  # presets: (the library's algorithms and presets, docs/adapters.md), the hello says version 3
  # and declares both (the one not given is the protocol's default: ES256, rfc9068).
  def serve(name:, library:, version:, verify:, keys: nil, reason: nil, errors: nil, features: [],
            claims: false, notes: [], algorithms: nil, presets: nil, input: nil, output: nil, log: nil,
            max_line_bytes: MAX_LINE_BYTES)
    real = output.nil?
    out = output || $stdout
    inp = input || $stdin
    err = log || $stderr
    inp.binmode if inp.respond_to?(:binmode)
    errors = errors && Array(errors)
    hello = {
      'protocol' => PROTOCOL, 'version' => PROTOCOL_VERSION, 'name' => name, 'library' => library,
      'library_version' => version.to_s, 'features' => features.to_a, 'exact' => false,
      'claims' => claims ? true : false, 'notes' => notes.to_a
    }
    if algorithms || presets
      hello['version'] = PROTOCOL_VERSION_3
      hello['algorithms'] = (algorithms || ['ES256']).to_a
      hello['presets'] = (presets || ['rfc9068']).to_a
    end
    out.write(JSON.generate(hello), "\n")
    out.flush
    saved = $stdout
    $stdout = $stderr if real
    number = 0
    begin
      while (line = read_line(inp, max_line_bytes))
        number += 1
        if line == :too_long
          problem = "longer than #{max_line_bytes} bytes"
        elsif line.strip.empty?
          next
        else
          begin
            raw = parse_request(line)
            problem = 'no string id and integer step'
          rescue JSON::ParserError, EncodingError => e
            raw = nil
            problem = "not JSON (#{utf8(e.message)})"
          end
        end
        ident = line == :too_long ? nil : identify(raw)
        if ident.nil?
          err.write("#{PROTOCOL}: #{name}: request line #{number}: #{problem}; giving up\n")
          err.flush
          return 1
        end
        begin
          answer = outcome(Request.new(raw), keys, verify, reason, errors)
          text = encode({ 'id' => ident[0], 'step' => ident[1] }.merge(answer))
        rescue *FAILURES => e # the adapter itself failed on this request
          text = JSON.generate('id' => ident[0], 'step' => ident[1], 'outcome' => 'adapter_error',
                               'error' => error_text(e))
        end
        out.write(text, "\n")
        out.flush
      end
    ensure
      $stdout = saved
    end
    0
  end
end
