# frozen_string_literal: true

# Tests of the Ruby protocol helper's behaviour: ruby adapters/ruby/test/test_serve.rb (no network).
# What every helper shares (decoding, tables, responses) is in test_fixture.rb, from
# adapters/fixtures/protocol.json.

require 'base64'
require 'json'
require 'minitest/autorun'
require 'stringio'
require_relative '../jwt_conformance_adapter'

class TestServe < Minitest::Test
  H = JwtConformanceAdapter

  class LibraryError < StandardError; end

  def request(id, token, step: 0, **extra)
    jwks = extra.delete(:jwks) || { 'keys' => [] }
    JSON.generate({ 'version' => 2, 'type' => 'verify', 'id' => id, 'step' => step,
                    'token' => token.dup.force_encoding('UTF-8').valid_encoding? ? token : nil,
                    'token_b64' => Base64.strict_encode64(token),
                    'jwks_base64' => Base64.strict_encode64(JSON.generate(jwks)), 'jwks' => jwks,
                    'profile' => { 'issuer' => 'https://issuer.example', 'algorithms' => ['ES256'] },
                    'now' => 1_700_000_000, 'actions' => [], 'features' => [], 'timeout_ms' => 1000 }.merge(extra))
  end

  def run_serve(lines, **options)
    out = StringIO.new
    log = StringIO.new
    status = H.serve(name: 'test', library: 'test (Ruby)', version: '1.0', input: StringIO.new(lines.join("\n")),
                     output: out, log: log, **options)
    [status, out.string.lines.map { |l| JSON.parse(l) }, log.string]
  end

  def verify(req, _key_set)
    case req.token
    when 'good' then { 'sub' => 'x', 'n' => 1 }
    when 'lib' then raise LibraryError, 'bad signature'
    when 'other' then raise NoMethodError, 'oops'
    when 'inf' then { 'exp' => Float::INFINITY }
    when 'bytes' then raise LibraryError, "kid \xff\xfe".b
    when 'skip' then raise H::Skip, 'not expressible'
    when 'explicit' then raise H::Reject.new('no', 'kid_unknown')
    else raise LibraryError, 'unknown'
    end
  end

  def test_hello_and_outcomes
    keys = lambda { |req|
      raise ArgumentError, 'bad key set' if req.jwks_json['keys'].nil?

      req.jwks_json
    }
    reason = ->(error, _req) { error.message == 'bad signature' ? 'signature_invalid' : raise('boom') }
    status, msgs, = run_serve(
      [request('a', 'good'), '', request('b', 'lib'), request('c', 'other'), request('d', 'inf'),
       request('e', 'bytes'), request('f', 'skip'), request('g', 'explicit'), request('h', 'good', jwks: {}),
       request('i', "\xff".b)],
      verify: method(:verify), keys: keys, reason: reason, errors: [LibraryError], features: ['jwks_parsing'],
      claims: true, notes: ['n']
    )
    assert_equal 0, status
    hello = msgs.shift
    assert_equal({ 'protocol' => 'jwt-conformance-adapter', 'version' => 2, 'name' => 'test',
                   'library' => 'test (Ruby)', 'library_version' => '1.0', 'features' => ['jwks_parsing'],
                   'exact' => false, 'claims' => true, 'notes' => ['n'] }, hello)
    by_id = msgs.to_h { |m| [m['id'], m] }
    assert_equal %w[a b c d e f g h i], msgs.map { |m| m['id'] }
    assert_equal({ 'id' => 'a', 'step' => 0, 'outcome' => 'accept', 'claims' => { 'sub' => 'x', 'n' => 1 } }, by_id['a'])
    assert_equal 'signature_invalid', by_id['b']['reason']
    assert_equal 'TestServe::LibraryError: bad signature', by_id['b']['error']
    assert_equal({ 'id' => 'c', 'step' => 0, 'outcome' => 'reject', 'error' => 'unexpected NoMethodError: oops',
                   'reason' => nil }, by_id['c'])
    assert_nil by_id['d']['claims']
    assert_match(/Infinity/, by_id['d']['claims_note'])
    assert_equal "TestServe::LibraryError: kid \u{FFFD}\u{FFFD}", by_id['e']['error']
    assert_nil by_id['e']['reason'] # reason raised: nil
    assert_equal({ 'id' => 'f', 'step' => 0, 'outcome' => 'skipped', 'why' => 'not expressible' }, by_id['f'])
    assert_equal({ 'id' => 'g', 'step' => 0, 'outcome' => 'reject', 'error' => 'no', 'reason' => 'kid_unknown' },
                 by_id['g'])
    assert_equal({ 'id' => 'h', 'step' => 0, 'outcome' => 'config_error', 'error' => 'ArgumentError: bad key set',
                   'code' => nil }, by_id['h'])
    assert_equal 'reject', by_id['i']['outcome'] # not UTF-8: token is the bytes, token_text nil
  end

  def test_hello_of_version_3
    _, msgs, = run_serve([], verify: method(:verify), algorithms: %w[ES256 RS256], presets: %w[rfc9068 jwt])
    assert_equal [3, %w[ES256 RS256], %w[rfc9068 jwt]], msgs[0].values_at('version', 'algorithms', 'presets')
    _, msgs, = run_serve([], verify: method(:verify), presets: ['jwt'])
    assert_equal [3, ['ES256'], ['jwt']], msgs[0].values_at('version', 'algorithms', 'presets')
    _, msgs, = run_serve([], verify: method(:verify))
    assert_equal [2, false, false], [msgs[0]['version'], msgs[0].key?('algorithms'), msgs[0].key?('presets')]
  end

  def test_request_members
    seen = nil
    run_serve([request('a', "x\xffy".b)], verify: ->(req, _) { seen = req })
    assert_equal "x\xffy".b, seen.token
    assert_nil seen.token_text
    assert_equal '{"keys":[]}', seen.jwks_bytes
    assert_equal({ 'keys' => [] }, seen.jwks)
    assert_equal 1_700_000_000, seen.now
    assert_equal ['ES256'], seen.profile['algorithms']
  end

  def test_broken_request_is_an_adapter_error
    status, msgs, = run_serve([JSON.generate('id' => 'a', 'step' => 0), JSON.generate('id' => 'b', 'step' => 1, 'type' => 'x')],
                              verify: ->(_req, _) { {} })
    assert_equal 0, status
    assert_equal %w[adapter_error adapter_error], msgs[1..].map { |m| m['outcome'] }
    assert_equal [%w[a 0], %w[b 1]], msgs[1..].map { |m| [m['id'], m['step'].to_s] }
  end

  def test_garbled_and_long_lines_end_the_loop
    [['not json', /not JSON/], [JSON.generate('id' => 1, 'step' => 0), /no string id/],
     ["\xff".b, /not JSON/], ['x' * 100, /longer than 50 bytes/]].each do |line, problem|
      status, msgs, log = run_serve([line, request('a', 'good')], verify: ->(_req, _) { {} }, max_line_bytes: 50)
      assert_equal 1, status
      assert_equal 1, msgs.size # the hello only
      assert_match problem, log
    end
  end
end
