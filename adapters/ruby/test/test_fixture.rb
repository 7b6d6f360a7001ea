# frozen_string_literal: true

# The shared protocol fixture (adapters/fixtures/protocol.json) against this helper: the hello,
# request decoding, broken and garbled lines, the reason tables and the response of each
# outcome. conformance/tests/helper_fixture.rs holds the fixture to the runner; see its README.md.
# Run: ruby adapters/ruby/test/test_fixture.rb

require 'json'
require 'minitest/autorun'
require 'stringio'
require_relative '../jwt_conformance_adapter'

class TestFixture < Minitest::Test
  H = JwtConformanceAdapter
  FIXTURE = JSON.parse(File.read(File.expand_path('../../fixtures/protocol.json', __dir__), encoding: 'UTF-8'))
  REQUESTS = FIXTURE['requests'].to_h { |c| [c['name'], c] }

  # Serves the lines; returns [status, hello, responses].
  def serve(lines, verify)
    given = FIXTURE['hello']['given']
    out = StringIO.new
    status = H.serve(name: given['name'], library: given['library'], version: given['version'],
                     features: given['features'], claims: given['claims'], notes: given['notes'], verify: verify,
                     input: StringIO.new(lines.map { |l| "#{l}\n" }.join), output: out, log: StringIO.new)
    hello, *responses = out.string.lines.map { |l| JSON.parse(l) }
    [status, hello, responses]
  end

  # The request as this helper decoded it, in the fixture's terms.
  DECODED = lambda do |req, _key_set|
    fields = { 'id' => req.id, 'step' => req.step, 'version' => req.version, 'token_hex' => req.token.unpack1('H*'),
               'token_text' => req.token_text }
    if req.raw.key?('jwks_base64')
      fields['jwks_hex'] = req.jwks_bytes.unpack1('H*')
    else
      fields['jwks_json'] = JSON.parse(req.jwks_bytes.dup.force_encoding('UTF-8'))
    end
    fields.merge('jwks' => req.jwks, 'profile' => req.profile, 'now' => req.now, 'actions' => req.actions,
                 'features' => req.features, 'timeout_ms' => req.timeout_ms, 'key_fetch' => req.raw['key_fetch'])
  end

  # A verify that gives the fixture's answer through the helper's explicit outcomes.
  def answering(answer)
    lambda do |_req, _key_set|
      case answer['outcome']
      when 'accept' then answer['claims']
      when 'reject' then raise H::Reject.new(answer['error'], answer['reason'])
      when 'config_error' then raise H::ConfigError.new(answer['error'], answer['code'])
      when 'skipped' then raise H::Skip, answer['why']
      else raise "unknown answer #{answer['outcome']}"
      end
    end
  end

  def test_hello
    status, hello, responses = serve([], DECODED)
    assert_equal [0, FIXTURE['hello']['hello'], []], [status, hello, responses]
  end

  def test_requests_decode_as_the_runner_means_them
    FIXTURE['requests'].each do |c|
      expected = { 'id' => c['decoded']['id'], 'step' => c['decoded']['step'], 'outcome' => 'accept',
                   'claims' => c['decoded'] }
      assert_equal [0, [expected]], serve([c['line']], DECODED).values_at(0, 2), c['name']
    end
  end

  def test_broken_requests_are_adapter_errors
    FIXTURE['bad_requests'].each do |c|
      status, _, responses = serve([c['line'], REQUESTS['plain']['line']], DECODED)
      assert_equal [0, 2], [status, responses.size], c['name']
      assert_kind_of String, responses[0].delete('error'), c['name']
      assert_equal c['response'], responses[0], c['name']
      assert_equal 'accept', responses[1]['outcome'], 'the loop goes on'
    end
  end

  def test_garbled_lines_end_serving
    FIXTURE['garbled_lines'].each do |c|
      assert_equal [1, []], serve([c['line'], REQUESTS['plain']['line']], DECODED).values_at(0, 2), c['name']
    end
  end

  def test_alg_reasons
    FIXTURE['alg_reasons'].each { |alg, reason| assert_equal reason, H.alg_reason(alg), alg }
    others = FIXTURE['alg_not_a_string']
    others['values'].each { |value| assert_equal others['reason'], H.alg_reason(value), value.inspect }
  end

  def test_claim_tables
    assert_equal FIXTURE['required_claims'], H::REQUIRED_CLAIMS
    assert_equal FIXTURE['missing_claim_reasons'], H::MISSING_CLAIM_REASONS
    FIXTURE['missing_claim_reasons'].each { |claim, reason| assert_equal reason, H.missing_claim_reason(claim) }
    FIXTURE['other_claims'].each { |claim| assert_nil H.missing_claim_reason(claim), claim }
  end

  def test_required_claims_by_profile
    FIXTURE.fetch('required_claims_by_profile').each do |c|
      assert_equal c['required'].sort, H.required_claims(c['profile']).sort, c['profile'].inspect
    end
  end

  def test_responses
    FIXTURE['responses'].each do |c|
      result = serve([REQUESTS[c['request']]['line']], answering(c['answer']))
      assert_equal [0, [c['response']]], result.values_at(0, 2), c['name']
    end
  end
end
