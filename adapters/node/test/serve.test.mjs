// Tests of serve, driven with fake stdin/stdout streams (no network, no library): the behaviour
// of the Node API. What every helper shares (decoding, tables, responses) is in fixture.test.mjs,
// from adapters/fixtures/protocol.json.
// Run: node --test adapters/node/test/serve.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough, Readable, Writable } from 'node:stream';
import { test } from 'node:test';

import { sink } from '../test-support.mjs';

import { ALGORITHMS, PRESETS, REQUIRED_CLAIMS, Reject, algReason, presetOf, requiredClaims, serve } from '../index.js';

// A request line as the runner writes it (the fixture's), whose members the tests vary.
const FIXTURE = JSON.parse(readFileSync(new URL('../../fixtures/protocol.json', import.meta.url), 'utf8'));
const PLAIN = JSON.parse(FIXTURE.requests.find((c) => c.name === 'plain').line);
const JWKS = PLAIN.jwks;

/** What the fake library throws. */
class LibraryError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'LibraryError';
    if (code) this.code = code;
  }
}

const b64 = (bytes) => Buffer.from(bytes).toString('base64');

/** The fixture's plain request line with these members. */
function request({ id = 'v/1', step = 0, token = 'good', version = 2, jwks = JWKS, jwksBytes, ...extra } = {}) {
  const bytes = typeof token === 'string' ? Buffer.from(token) : Buffer.from(token);
  let text = null;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {}
  const { jwks_base64: _, ...raw } = { ...PLAIN, version, id, step, token: text, token_b64: b64(bytes), jwks };
  if (version >= 2) raw.jwks_base64 = b64(jwksBytes ?? Buffer.from(JSON.stringify(jwks)));
  return JSON.stringify({ ...raw, ...extra });
}

/** Refuses a key set without keys, like a library's JWK Set parser. */
function keys(req) {
  const parsed = req.jwksJson();
  if (!parsed.keys?.length) throw new LibraryError('empty key set', 'ERR_EMPTY');
  return parsed;
}

/** Accepts "good"; the other tokens select a behaviour. */
async function verify(req, keySet) {
  await new Promise((resolve) => setImmediate(resolve)); // really asynchronous
  switch (req.tokenText) {
    case 'good':
      return { sub: 'alice', kid: keySet.keys[0].kid, iss: req.profile.issuer, now: req.now };
    case 'expired':
      throw new LibraryError('token expired', 'ERR_EXPIRED');
    case 'odd':
      throw new RangeError('out of range');
    case 'unknown-kid':
      throw new Reject(new LibraryError('no key', 'ERR_NO_KEY'), 'kid_unknown');
    case 'nan':
      return { x: Number.NaN };
    case 'bigint':
      return { x: 10n };
    case 'nothing':
      return undefined;
    case null:
      return { text: null, length: req.token.length, isUint8Array: req.token instanceof Uint8Array };
    default:
      throw new LibraryError('malformed token');
  }
}

function reason(error) {
  if (error.code === 'ERR_EXPIRED') return 'expired';
  if (/malformed/.test(error.message)) throw new Error('the mapping itself failed');
  return null;
}

/** Serves the lines; returns { code, hello, responses, stderr }. */
async function run(lines, options = {}) {
  const input = Readable.from([lines.map((line) => `${line}\n`).join('')]);
  const output = sink();
  const log = sink();
  const code = await serve({
    name: 'fake', library: 'fake (Node.js)', version: '1.2.3', features: ['clock', 'jwks_parsing'],
    claims: true, notes: ['a note'], keys, verify, reason, errors: [LibraryError],
    input, output, log, ...options,
  });
  const text = output.text();
  assert.ok(text.endsWith('\n'));
  const [hello, ...responses] = text.trimEnd().split('\n').map((line) => JSON.parse(line));
  return { code, hello, responses, stderr: log.text() };
}

async function answer(line, options) {
  const { code, responses } = await run([line], options);
  assert.equal(code, 0);
  assert.equal(responses.length, 1);
  return responses[0];
}

test('accept echoes id and step', async () => {
  assert.deepEqual(await answer(request({ id: 'accept/x', step: 3 })), {
    id: 'accept/x', step: 3, outcome: 'accept',
    claims: { sub: 'alice', kid: 'primary', iss: 'https://issuer.example', now: 1700000000 },
  });
});

test('reject with reason', async () => {
  assert.deepEqual(await answer(request({ token: 'expired' })), {
    id: 'v/1', step: 0, outcome: 'reject', error: 'ERR_EXPIRED: token expired', reason: 'expired',
  });
});

test('a reason function that throws gives null', async () => {
  assert.deepEqual(await answer(request({ token: 'malformed' })), {
    id: 'v/1', step: 0, outcome: 'reject', error: 'LibraryError: malformed token', reason: null,
  });
});

test('unexpected error: prefixed rejection without reason', async () => {
  assert.deepEqual(await answer(request({ token: 'odd' })), {
    id: 'v/1', step: 0, outcome: 'reject', error: 'unexpected RangeError: out of range', reason: null,
  });
});

test('without errors every throw is the library\'s', async () => {
  const response = await answer(request({ token: 'odd' }), { errors: null });
  assert.equal(response.error, 'RangeError: out of range');
});

test('explicit Reject from an error', async () => {
  assert.deepEqual(await answer(request({ token: 'unknown-kid' })), {
    id: 'v/1', step: 0, outcome: 'reject', error: 'ERR_NO_KEY: no key', reason: 'kid_unknown',
  });
});

test('config_error from keys', async () => {
  assert.deepEqual(await answer(request({ jwks: { keys: [] } })), {
    id: 'v/1', step: 0, outcome: 'config_error', error: 'ERR_EMPTY: empty key set', code: null,
  });
});

test('config_error on key set bytes that are not UTF-8 (jwksJson is strict)', async () => {
  const response = await answer(request({ jwksBytes: Buffer.from([0x7b, 0xff, 0x7d]) }));
  assert.equal(response.outcome, 'config_error');
  assert.match(response.error, /^ERR_ENCODING_INVALID_ENCODED_DATA: /);
});

test('token bytes that are not UTF-8', async () => {
  const response = await answer(request({ token: [0xff, 0xfe] }));
  assert.deepEqual(response.claims, { text: null, length: 2, isUint8Array: true });
});

test('NaN claims keep the verdict', async () => {
  const response = await answer(request({ token: 'nan' }));
  assert.equal(response.outcome, 'accept');
  assert.equal(response.claims, null);
  assert.match(response.claims_note, /not representable as strict JSON/);
});

test('BigInt claims keep the verdict', async () => {
  const response = await answer(request({ token: 'bigint' }));
  assert.equal(response.outcome, 'accept');
  assert.equal(response.claims, null);
  assert.match(response.claims_note, /not representable as strict JSON/);
});

test('undefined claims are null', async () => {
  const response = await answer(request({ token: 'nothing' }));
  assert.deepEqual(response, { id: 'v/1', step: 0, outcome: 'accept', claims: null });
});

test('version 1 request without jwks_base64', async () => {
  const seen = [];
  const response = await answer(request({ version: 1 }), {
    keys: (req) => {
      seen.push([req.version, Buffer.from(req.jwksBytes).toString(), req.jwks]);
      return keys(req);
    },
  });
  assert.equal(response.outcome, 'accept');
  assert.deepEqual(seen, [[1, JSON.stringify(JWKS), JWKS]]);
});

test('jwksBytes are the exact bytes', async () => {
  const raw = '{"keys":[{"kty":"EC","kid":"primary"}],"keys":[{"kid":"dup"}]}';
  const seen = [];
  await answer(request({ jwksBytes: Buffer.from(raw) }), { keys: (req) => seen.push(Buffer.from(req.jwksBytes).toString()) });
  assert.deepEqual(seen, [raw]);
});

test('no keys function passes null', async () => {
  const seen = [];
  await answer(request(), { keys: null, verify: (req, keySet) => seen.push(keySet) });
  assert.deepEqual(seen, [null]);
});

test('keyFetch is the key_fetch object as sent, else null', async () => {
  const keyFetch = {
    issuer: 'https://127.0.0.1:40123', jwks_uri: 'https://127.0.0.1:40123/jwks.json', discovery: false,
    ca_file: '/tmp/ca.pem', ttl_ms: 3000, refetch_interval_ms: 2000, timeout_ms: 1000,
  };
  const seen = [];
  const record = (req) => seen.push(req.keyFetch);
  await run([request({ features: ['key_fetch'], key_fetch: keyFetch }), request(), request({ key_fetch: 'x' })], { verify: record });
  assert.deepEqual(seen, [keyFetch, null, null]);
});

test('state lives across the steps of one vector and is new at step 0', async () => {
  // Counts the requests each state object has seen: a vector's steps share one.
  const count = (req) => ({ id: req.id, step: req.step, seen: (req.state.seen = (req.state.seen ?? 0) + 1) });
  const { responses } = await run([
    request({ id: 'a', step: 0 }), request({ id: 'a', step: 1 }), request({ id: 'a', step: 2 }),
    request({ id: 'b', step: 0 }), request({ id: 'b', step: 1 }),
    request({ id: 'b', step: 0 }), // the same vector again: afresh
    request({ id: 'c', step: 1 }), // a vector met mid-way (e.g. after a restart): afresh
    request({ id: 'c', step: 2 }),
  ], { verify: count, keys: null });
  assert.deepEqual(responses.map((r) => [r.claims.id, r.claims.step, r.claims.seen]), [
    ['a', 0, 1], ['a', 1, 2], ['a', 2, 3], ['b', 0, 1], ['b', 1, 2], ['b', 0, 1], ['c', 1, 1], ['c', 2, 2],
  ]);
});

test('keys sees the same state as verify', async () => {
  const client = (req) => (req.state.client ??= { built: req.step });
  const { responses } = await run([request({ id: 'a', step: 0 }), request({ id: 'a', step: 1 })], {
    keys: client, verify: (req, keySet) => ({ built: keySet.built, same: keySet === req.state.client }),
  });
  assert.deepEqual(responses.map((r) => r.claims), [{ built: 0, same: true }, { built: 0, same: true }]);
});

test('one answer per request, in order, skipping blank lines', async () => {
  const { responses } = await run([
    request({ id: 'a' }), '', '   ', request({ id: 'b', token: 'expired' }), request({ id: 'c', step: 1 }),
  ]);
  assert.deepEqual(responses.map((r) => [r.id, r.step, r.outcome]), [['a', 0, 'accept'], ['b', 0, 'reject'], ['c', 1, 'accept']]);
});

test('answers arrive in order even when later requests finish first', async () => {
  const delays = { a: 30, b: 0, c: 10 };
  const slow = (req) => new Promise((resolve) => setTimeout(() => resolve({ id: req.id }), delays[req.id]));
  const { responses } = await run(['a', 'b', 'c'].map((id) => request({ id })), { verify: slow });
  assert.deepEqual(responses.map((r) => r.claims.id), ['a', 'b', 'c']);
});

test('a request the helper cannot handle is an adapter_error, and the loop goes on', async () => {
  const { code, responses } = await run([JSON.stringify({ id: 'v/2', step: 0, type: 'verify' }), request({ id: 'v/3' })]);
  assert.equal(code, 0);
  assert.equal(responses[0].outcome, 'adapter_error');
  assert.deepEqual([responses[0].id, responses[0].step], ['v/2', 0]);
  assert.match(responses[0].error, /token_b64/);
  assert.equal(responses[1].outcome, 'accept');
});

test('a garbled line ends serving with code 1 and a message', async () => {
  const { code, responses, stderr } = await run([request({ id: 'first' }), 'this is not JSON', request({ id: 'never' })]);
  assert.equal(code, 1);
  assert.deepEqual(responses.map((r) => r.id), ['first']);
  assert.match(stderr, /request line 2: not JSON/);
});

test('a request without id or step ends serving with code 1', async () => {
  for (const line of ['{"step": 0}', '{"id": "x", "step": "0"}', '[1, 2]', '"text"', 'null']) {
    const { code, responses } = await run([line]);
    assert.equal(code, 1, line);
    assert.deepEqual(responses, []);
  }
});

test('backpressure: a slow output still gets every line, in order', async () => {
  const input = new PassThrough();
  const chunks = [];
  const output = new Writable({
    highWaterMark: 16,
    write(chunk, encoding, callback) {
      chunks.push(chunk.toString());
      setTimeout(callback, 1);
    },
  });
  const done = serve({ name: 'fake', library: 'fake', version: '1', keys, verify, input, output, log: sink() });
  const ids = Array.from({ length: 50 }, (_, i) => `v/${i}`);
  for (const id of ids) input.write(`${request({ id })}\n`);
  input.end();
  assert.equal(await done, 0);
  const lines = chunks.join('').trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(lines.slice(1).map((r) => r.id), ids);
});

test('a hello declaring algorithms or presets says version 3', async () => {
  const { hello } = await run([], { algorithms: ['RS256', 'EdDSA'], presets: ['rfc9068', 'jwt'] });
  assert.equal(hello.version, 3);
  assert.deepEqual(hello.algorithms, ['RS256', 'EdDSA']);
  assert.deepEqual(hello.presets, ['rfc9068', 'jwt']);
  const { hello: old } = await run([]);
  assert.equal(old.version, 2);
  assert.ok(!('algorithms' in old) && !('presets' in old));
  const { hello: only } = await run([], { presets: ['jwt'] });
  assert.equal(only.version, 3);
  assert.ok(!('algorithms' in only));
});

test('a version 3 request passes the profile members through', async () => {
  const profile = {
    ...PLAIN.profile, preset: 'oidc-id-token', algorithms: ['EdDSA'], typ: null, client_id: 'c1', nonce: 'n-0',
    required_claims: ['exp'], future_member: { x: 1 },
  };
  const seen = [];
  const response = await answer(request({ version: 3, profile }), {
    algorithms: ['EdDSA'], presets: ['oidc-id-token'],
    verify: (req) => { seen.push(req); return {}; },
  });
  assert.equal(response.outcome, 'accept');
  assert.deepEqual(seen[0].profile, profile);
  assert.equal(seen[0].version, 3);
  assert.deepEqual(requiredClaims(seen[0].profile), ['exp']);
  assert.equal(presetOf(seen[0].profile), 'oidc-id-token');
});

test('requiredClaims: explicit member, else the preset default', () => {
  assert.deepEqual(requiredClaims({}), [...REQUIRED_CLAIMS]);
  assert.deepEqual(requiredClaims(undefined), [...REQUIRED_CLAIMS]);
  assert.deepEqual(requiredClaims({ preset: 'rfc9068' }), [...REQUIRED_CLAIMS]);
  assert.deepEqual(requiredClaims({ preset: 'jwt' }), []);
  assert.deepEqual(new Set(requiredClaims({ preset: 'oidc-id-token' })), new Set(['iss', 'sub', 'aud', 'exp', 'iat']));
  assert.deepEqual(requiredClaims({ preset: 'jwt', required_claims: ['azp'] }), ['azp']);
  assert.deepEqual(requiredClaims({ required_claims: [] }), []);
  const claims = requiredClaims({});
  claims.push('x'); // a fresh array each time
  assert.deepEqual(requiredClaims({}), [...REQUIRED_CLAIMS]);
  assert.equal(presetOf({}), 'rfc9068');
});

test('tables of protocol 3', () => {
  assert.equal(ALGORITHMS.length, 13);
  assert.deepEqual([...PRESETS], ['rfc9068', 'jwt', 'oidc-id-token']);
  assert.equal(algReason('ES256'), 'alg_ecdsa_rejected');
});
