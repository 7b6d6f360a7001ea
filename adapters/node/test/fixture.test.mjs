// The shared protocol fixture (adapters/fixtures/protocol.json) against this helper: the hello,
// request decoding, broken and garbled lines, the reason tables and the response of each
// outcome. conformance/tests/helper_fixture.rs holds the fixture to the runner; see its README.md.
// Run: node --test adapters/node/test/

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { test } from 'node:test';

import { sink } from '../test-support.mjs';

import {
  ConfigError,
  MISSING_CLAIM_REASONS,
  REQUIRED_CLAIMS,
  Reject,
  Skip,
  algReason,
  missingClaimReason,
  requiredClaims,
  serve,
} from '../index.js';

const FIXTURE = JSON.parse(readFileSync(new URL('../../fixtures/protocol.json', import.meta.url), 'utf8'));
const REQUESTS = Object.fromEntries(FIXTURE.requests.map((c) => [c.name, c]));

/** Serves the lines; returns { code, hello, responses }. */
async function run(lines, verify) {
  const output = sink();
  const code = await serve({
    ...FIXTURE.hello.given, verify,
    input: Readable.from([lines.map((line) => `${line}\n`).join('')]), output, log: sink(),
  });
  const [hello, ...responses] = output.text().trimEnd().split('\n').map((line) => JSON.parse(line));
  return { code, hello, responses };
}

const hex = (bytes) => Buffer.from(bytes).toString('hex');

/** The request as this helper decoded it, in the fixture's terms. */
function decoded(req) {
  const fields = {
    id: req.id, step: req.step, version: req.version, token_hex: hex(req.token), token_text: req.tokenText,
  };
  if (typeof req.raw.jwks_base64 === 'string') fields.jwks_hex = hex(req.jwksBytes);
  else fields.jwks_json = JSON.parse(Buffer.from(req.jwksBytes).toString('utf8'));
  return {
    ...fields, jwks: req.jwks, profile: req.profile, now: req.now, actions: req.actions, features: req.features,
    timeout_ms: req.timeoutMs, key_fetch: req.keyFetch,
  };
}

/** A verify that gives the fixture's answer through the helper's explicit outcomes. */
function answering(answer) {
  return () => {
    switch (answer.outcome) {
      case 'accept': return answer.claims;
      case 'reject': throw new Reject(answer.error, answer.reason);
      case 'config_error': throw new ConfigError(answer.error, answer.code);
      case 'skipped': throw new Skip(answer.why);
      default: throw new Error(`unknown answer ${answer.outcome}`);
    }
  };
}

test('hello', async () => {
  const { code, hello, responses } = await run([], decoded);
  assert.equal(code, 0);
  assert.deepEqual(hello, FIXTURE.hello.hello);
  assert.deepEqual(responses, []);
});

for (const c of FIXTURE.requests) {
  test(`request ${c.name} decodes as the runner means it`, async () => {
    const { code, responses } = await run([c.line], decoded);
    assert.equal(code, 0);
    assert.deepEqual(responses, [{ id: c.decoded.id, step: c.decoded.step, outcome: 'accept', claims: c.decoded }]);
  });
}

for (const c of FIXTURE.bad_requests) {
  test(`bad request: ${c.name} is an adapter_error`, async () => {
    const { code, responses } = await run([c.line, REQUESTS.plain.line], decoded);
    assert.equal(code, 0);
    const [{ error, ...rest }, next] = responses;
    assert.equal(typeof error, 'string');
    assert.deepEqual(rest, c.response);
    assert.equal(next.outcome, 'accept', 'the loop goes on');
  });
}

for (const c of FIXTURE.garbled_lines) {
  test(`garbled line: ${c.name} ends serving`, async () => {
    const { code, responses } = await run([c.line, REQUESTS.plain.line], decoded);
    assert.equal(code, 1);
    assert.deepEqual(responses, []);
  });
}

test('alg reasons', () => {
  for (const [alg, reason] of Object.entries(FIXTURE.alg_reasons)) assert.equal(algReason(alg), reason, alg);
  const { reason, values } = FIXTURE.alg_not_a_string;
  for (const value of values) assert.equal(algReason(value), reason, JSON.stringify(value));
  assert.equal(algReason(undefined), reason);
});

test('claim tables', () => {
  assert.deepEqual([...REQUIRED_CLAIMS], FIXTURE.required_claims);
  assert.deepEqual({ ...MISSING_CLAIM_REASONS }, FIXTURE.missing_claim_reasons);
  for (const [claim, reason] of Object.entries(FIXTURE.missing_claim_reasons)) {
    assert.equal(missingClaimReason(claim), reason, claim);
  }
  for (const claim of FIXTURE.other_claims) assert.equal(missingClaimReason(claim), null, claim);
});

// Protocol 3: each profile's required claims (an explicit required_claims, else its preset's).
for (const c of FIXTURE.required_claims_by_profile ?? []) {
  test(`required claims: ${c.about ?? JSON.stringify(c.profile)}`, () => {
    assert.deepEqual(new Set(requiredClaims(c.profile)), new Set(c.required));
  });
}

test('the fixture has the protocol 3 sections', { skip: !FIXTURE.required_claims_by_profile && 'fixture predates protocol 3' }, () => {
  assert.ok(FIXTURE.required_claims_by_profile.length > 0);
  assert.equal(algReason('ES256'), FIXTURE.alg_reasons.ES256);
});

for (const c of FIXTURE.responses) {
  test(`response: ${c.name}`, async () => {
    const { code, responses } = await run([REQUESTS[c.request].line], answering(c.answer));
    assert.equal(code, 0);
    assert.deepEqual(responses, [c.response]);
  });
}
