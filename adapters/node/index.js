// Helper for jwt-conformance subprocess adapters written for Node.js (protocol versions 2 and 3).
//
// The jwt-conformance runner talks to an adapter process in JSON lines over stdin/stdout
// (docs/adapters.md, "The subprocess protocol"). `serve` runs that loop: it prints the hello,
// reads one request per line, calls the adapter's functions and writes one response per request,
// in order. An adapter is then only three functions:
//
// - keys(req): load the key set with the library (a throw is a config_error);
// - verify(req, keySet): verify req.token; return (or resolve to) the claims to accept, throw
//   to reject;
// - reason(error, req) (optional): the catalog reason ID of a library error, or null.
//
// Throw a Reject, Skip or ConfigError from keys or verify for an explicit outcome.
// No dependencies; Node.js 18 or later.

import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** The protocol name the hello carries. */
export const PROTOCOL = 'jwt-conformance-adapter';

/**
 * The protocol version of a hello that declares no `algorithms` or `presets` (and of a request
 * without `version`). A hello that declares either says version 3 (`PROTOCOL_VERSION_3`).
 */
export const PROTOCOL_VERSION = 2;

/** The protocol version of a hello that declares `algorithms` or `presets`. */
export const PROTOCOL_VERSION_3 = 3;

/** The 13 algorithm names a version 3 hello may declare (docs/profile.md). */
export const ALGORITHMS = Object.freeze([
  'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'HS256', 'HS384', 'HS512',
]);

/** The presets a version 3 hello may declare. */
export const PRESETS = Object.freeze(['rfc9068', 'jwt', 'oidc-id-token']);

/** The claims the rfc9068 preset (the default) requires: configure the library to require each one it can. */
export const REQUIRED_CLAIMS = Object.freeze(['exp', 'iat', 'iss', 'aud', 'sub', 'client_id', 'jti']);

/** The claims each preset requires when the profile has no `required_claims` member. */
export const PRESET_REQUIRED_CLAIMS = Object.freeze({
  rfc9068: REQUIRED_CLAIMS,
  jwt: Object.freeze([]),
  'oidc-id-token': Object.freeze(['iss', 'sub', 'aud', 'exp', 'iat']),
});

/**
 * The claims a profile requires: its `required_claims` member when present (an array), else its
 * preset's default (`preset` absent = rfc9068: exp iat iss aud sub client_id jti; jwt: none;
 * oidc-id-token: iss sub aud exp iat). Returns a new array; configure the library to require
 * each one it can. An unknown preset gives rfc9068's claims.
 * @param {object | null | undefined} profile
 * @returns {string[]}
 */
export function requiredClaims(profile) {
  const p = profile ?? {};
  if (Array.isArray(p.required_claims)) return [...p.required_claims];
  const preset = typeof p.preset === 'string' && Object.hasOwn(PRESET_REQUIRED_CLAIMS, p.preset) ? p.preset : 'rfc9068';
  return [...PRESET_REQUIRED_CLAIMS[preset]];
}

/** The profile's preset: its `preset` member, or `'rfc9068'` when absent. */
export function presetOf(profile) {
  return typeof profile?.preset === 'string' ? profile.preset : 'rfc9068';
}

/** The catalog reason ID of each required claim when it is missing (docs/reasons.md). */
export const MISSING_CLAIM_REASONS = Object.freeze({
  exp: 'exp_missing',
  iat: 'iat_missing',
  iss: 'iss_mismatch',
  aud: 'aud_missing',
  sub: 'sub_missing',
  client_id: 'client_id_missing',
  jti: 'jti_missing',
});

/**
 * The catalog reason family of a header's `alg` value, to label an "algorithm not allowed"
 * error: `none` (any case, a value that is not a string, or no `alg`) -> `alg_none`, HS* ->
 * `alg_hmac_rejected`, RS and PS -> `alg_rsa_rejected`, ES256/ES384/ES512/ES256K ->
 * `alg_ecdsa_rejected` (ES256 refused by a profile that does not allow it),
 * anything else -> `alg_not_allowed`. Read `alg` with the library's own header parser.
 * @param {unknown} alg
 * @returns {string}
 */
export function algReason(alg) {
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none') return 'alg_none';
  if (['HS256', 'HS384', 'HS512'].includes(alg)) return 'alg_hmac_rejected';
  if (['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'].includes(alg)) return 'alg_rsa_rejected';
  if (['ES256', 'ES384', 'ES512', 'ES256K'].includes(alg)) return 'alg_ecdsa_rejected';
  return 'alg_not_allowed';
}

/**
 * The catalog reason ID for a missing required `claim`, or null for another claim.
 * @param {string} claim
 * @returns {string | null}
 */
export function missingClaimReason(claim) {
  return Object.hasOwn(MISSING_CLAIM_REASONS, claim) ? MISSING_CLAIM_REASONS[claim] : null;
}

/**
 * How a thrown value is reported: `"<code or name>: <message>"` (the error's `code` when it has
 * one, as jose's and Node's errors do, else its `name`); a thrown non-object as `String(value)`.
 * @param {unknown} error
 * @returns {string}
 */
export function errorText(error) {
  if (error === null || typeof error !== 'object') return String(error);
  return `${error.code ?? error.name}: ${error.message}`;
}

const textOf = (error) => (typeof error === 'string' ? error : errorText(error));

/**
 * Base of the explicit outcomes: throw one of its subclasses from `keys` or `verify`. `members`
 * are the response's members besides `outcome` (and `id`, `step`).
 */
export class Outcome extends Error {
  constructor(name, outcome, text, members) {
    super(text);
    this.name = name;
    this.outcome = outcome;
    this.members = members;
  }

  /** The response members (without `id` and `step`). */
  response() {
    return { outcome: this.outcome, ...this.members };
  }
}

/**
 * The library rejected the token: `error` is its text (an Error is written with `errorText`),
 * `reason` a catalog reason ID or null. `reason(...)` is not consulted.
 */
export class Reject extends Outcome {
  constructor(error, reason = null) {
    super('Reject', 'reject', textOf(error), { error: textOf(error), reason });
  }
}

/**
 * The case cannot be expressed with this library (e.g. its API takes text and the token is not
 * UTF-8): the runner does not count it.
 */
export class Skip extends Outcome {
  constructor(why) {
    super('Skip', 'skipped', String(why), { why: String(why) });
  }
}

/**
 * The library refused the key set or the configuration: `error` is its text (an Error is written
 * with `errorText`), `code` a catalog config-error code or null.
 */
export class ConfigError extends Outcome {
  constructor(error, code = null) {
    super('ConfigError', 'config_error', textOf(error), { error: textOf(error), code });
  }
}

const strictUtf8 = () => new TextDecoder('utf-8', { fatal: true });

// One character class and a length check: a grouped pattern backtracks once per 4 characters
// and overflows the regexp stack on the corpus's 8 MiB token.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// Standard padded base64, strictly: Buffer.from would skip stray characters and hand the
// adapter other bytes than the runner sent.
function base64Bytes(text, member) {
  if (typeof text !== 'string') throw new TypeError(`request without ${member}`);
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new TypeError(`${member} is not standard base64`);
  return Buffer.from(text, 'base64');
}

/**
 * One request: verify one step of one vector.
 *
 * - `id` (string), `step` (number);
 * - `token` (Uint8Array: the token's exact bytes, from `token_b64`); `tokenText` (string, or null
 *   when the bytes are not UTF-8);
 * - `jwksBytes` (Buffer: the key set's exact bytes, from `jwks_base64`, or for a version 1
 *   request the compact JSON of `jwks`); `jwks` (the key set parsed: any JSON value);
 * - `profile` (object), `now` (Unix seconds), `actions`, `features` (arrays), `timeoutMs`,
 *   `version`, and `raw` (the whole request object);
 * - `keyFetch`: the request's `key_fetch` object as sent (`issuer`, `jwks_uri`, `discovery`,
 *   `ca_file`, `ttl_ms`, `refetch_interval_ms`, `timeout_ms`), or null when the vector does not
 *   fetch its keys (then use the key set carried in the request);
 * - `state`: an object kept across the steps of one vector, new at step 0 (where a remote key-set
 *   client lives from one step to the next).
 */
export class Request {
  constructor(raw, state = {}) {
    this.raw = raw;
    this.state = state;
    this.id = raw.id;
    this.step = raw.step;
    this.version = raw.version ?? PROTOCOL_VERSION;
    const type = raw.type ?? 'verify';
    if (type !== 'verify') throw new TypeError(`unknown request type ${JSON.stringify(type)}`);
    this.token = new Uint8Array(base64Bytes(raw.token_b64, 'token_b64'));
    try {
      this.tokenText = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(this.token);
    } catch {
      this.tokenText = null;
    }
    if ('jwks_base64' in raw) {
      this.jwksBytes = base64Bytes(raw.jwks_base64, 'jwks_base64');
      if ('jwks' in raw) {
        this.jwks = raw.jwks;
      } else {
        try {
          this.jwks = this.jwksJson();
        } catch {
          this.jwks = null;
        }
      }
    } else {
      // Version 1: the key set only parsed.
      if (!('jwks' in raw)) throw new TypeError('request without jwks_base64 or jwks');
      this.jwks = raw.jwks;
      this.jwksBytes = Buffer.from(JSON.stringify(raw.jwks), 'utf8');
    }
    this.profile = raw.profile ?? {};
    this.now = raw.now;
    this.actions = raw.actions ?? [];
    this.features = raw.features ?? [];
    this.timeoutMs = raw.timeout_ms;
    this.keyFetch = isPlainObject(raw.key_fetch) ? raw.key_fetch : null;
  }

  /**
   * The key set's bytes decoded as strict UTF-8 (a leading BOM dropped, as TextDecoder does) and
   * parsed with JSON.parse. Throws on either failure: call it in `keys` and the failure is a
   * config_error.
   */
  jwksJson() {
    return JSON.parse(strictUtf8().decode(this.jwksBytes));
  }
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isUnexpected(error, errors) {
  if (errors == null) return false;
  const classes = Array.isArray(errors) ? errors : [errors];
  return !classes.some((cls) => error instanceof cls);
}

async function outcomeOf(req, { keys, verify, reason, errors }) {
  let keySet = null;
  try {
    if (keys) keySet = await keys(req);
  } catch (error) {
    if (error instanceof Outcome) return error.response();
    // Any refusal to load the key set is a configuration error.
    return { outcome: 'config_error', error: errorText(error), code: null };
  }
  let claims;
  try {
    claims = await verify(req, keySet);
  } catch (error) {
    if (error instanceof Outcome) return error.response();
    if (isUnexpected(error, errors)) {
      // The library threw something other than its own errors: it failed closed.
      return { outcome: 'reject', error: `unexpected ${errorText(error)}`, reason: null };
    }
    return { outcome: 'reject', error: errorText(error), reason: await reasonOf(reason, error, req) };
  }
  return { outcome: 'accept', claims: claims === undefined ? null : claims };
}

async function reasonOf(reason, error, req) {
  if (!reason) return null;
  try {
    const mapped = await reason(error, req);
    return typeof mapped === 'string' ? mapped : null;
  } catch {
    return null; // labeling only
  }
}

// Strict JSON has no NaN or Infinity (JSON.stringify would write null, changing the claim) and no
// BigInt (JSON.stringify throws).
function strictNumbers(key, value) {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`${value} is not a JSON number`);
  }
  return value;
}

function encode(response) {
  try {
    return JSON.stringify(response, strictNumbers);
  } catch (error) {
    if (response.outcome !== 'accept') throw error;
    // The library accepted claims strict JSON cannot carry: the verdict stands.
    const note = `claims not representable as strict JSON: ${error?.message ?? error}`;
    return JSON.stringify({ ...response, claims: null, claims_note: note });
  }
}

function identify(raw) {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const { id, step } = raw;
  if (typeof id !== 'string' || !Number.isInteger(step)) return null;
  return { id, step };
}

/**
 * Runs the adapter process: prints the hello, then answers every request line on stdin, one
 * response per request and in order, until stdin closes.
 *
 * - `name`, `library`, `version`: the adapter's short name, the library wrapped (with its
 *   language) and its exact version; `features`, `claims`, `notes`: the hello's members
 *   (`claims: true` when `verify` returns the library's own decoded payload).
 * - `algorithms`, `presets`, optional: the algorithms (of `ALGORITHMS`) and presets (of
 *   `PRESETS`) the library can be configured for. Given either, the hello says version 3 and
 *   declares them (the runner then sends schema 3 profiles: read them with `requiredClaims`);
 *   given neither, it says version 2, as before. `protocolVersion` overrides the version.
 * - `keys(req)`, optional, may be async: loads the key set with the library; its result is passed
 *   to `verify`. A throw is `{"outcome": "config_error", "error": text, "code": null}`.
 * - `verify(req, keySet)`, may be async: a result is `{"outcome": "accept", "claims": result}`;
 *   a throw is `{"outcome": "reject", "error": errorText(error), "reason": reason(error, req)}`.
 *   With `errors` (a class or an array of classes, the library's own), any other throw is still a
 *   rejection (the library failed closed), its text prefixed `"unexpected "` and its reason null.
 * - `reason(error, req)`, optional: the catalog reason ID of a library error, or null; a throw in
 *   it counts as null.
 * - `Reject`, `Skip` and `ConfigError` thrown from `keys` or `verify` are sent as they say.
 *
 * Blank lines are skipped. A request whose `id` and `step` can be read but that the helper cannot
 * handle gets an `adapter_error` answer; a line that is not JSON, or has no readable `id` and
 * `step`, is reported on stderr and ends serving with exit code 1. Claims strict JSON cannot
 * carry (NaN, Infinity, BigInt, cycles) are sent as null with a `claims_note`; the verdict stands.
 * While serving the real stdout, console.log, console.info and console.debug write to stderr so
 * that stray logs cannot corrupt the protocol. `input`, `output` and `log` replace
 * process.stdin, process.stdout and process.stderr, for tests.
 *
 * @returns {Promise<number>} the exit code (0 at end of input, 1 after a garbled line), also set
 *   as process.exitCode when serving the real stdin.
 */
export async function serve({
  name,
  library,
  version,
  verify,
  keys = null,
  reason = null,
  errors = null,
  features = [],
  claims = false,
  notes = [],
  algorithms = null,
  presets = null,
  protocolVersion = null,
  input = process.stdin,
  output = process.stdout,
  log = process.stderr,
}) {
  if (typeof verify !== 'function') throw new TypeError('serve: verify must be a function');
  const declares = algorithms != null || presets != null;
  const helloVersion = protocolVersion ?? (declares ? PROTOCOL_VERSION_3 : PROTOCOL_VERSION);
  const write = async (line) => {
    if (!output.write(`${line}\n`)) await once(output, 'drain');
  };
  const restore = { log: console.log, info: console.info, debug: console.debug };
  if (output === process.stdout) {
    console.log = console.info = console.debug = (...args) => console.error(...args);
  }
  let code = 0;
  try {
    const hello = {
      protocol: PROTOCOL,
      version: helloVersion,
      name,
      library,
      library_version: String(version),
      features: [...features],
      exact: false,
      claims: Boolean(claims),
      notes: [...notes],
    };
    if (helloVersion >= PROTOCOL_VERSION_3) {
      if (algorithms != null) hello.algorithms = [...algorithms];
      if (presets != null) hello.presets = [...presets];
    }
    await write(JSON.stringify(hello));
    const lines = createInterface({ input, crlfDelay: Infinity });
    let number = 0;
    // The per-vector state: new at step 0, or when the vector changes without one (e.g. after
    // a restart mid-vector).
    let vector = { id: null, state: {} };
    for await (const line of lines) {
      number += 1;
      if (!line.trim()) continue;
      let raw;
      let problem = 'no string id and integer step';
      try {
        raw = JSON.parse(line);
      } catch (error) {
        problem = `not JSON (${error.message})`;
      }
      const ident = identify(raw);
      if (!ident) {
        log.write(`${PROTOCOL}: ${name}: request line ${number}: ${problem}; giving up\n`);
        code = 1;
        break;
      }
      if (ident.step === 0 || ident.id !== vector.id) vector = { id: ident.id, state: {} };
      let text;
      try {
        const outcome = await outcomeOf(new Request(raw, vector.state), { keys, verify, reason, errors });
        text = encode({ id: ident.id, step: ident.step, ...outcome });
      } catch (error) {
        // The adapter itself failed on this request.
        text = JSON.stringify({ ...ident, outcome: 'adapter_error', error: errorText(error) });
      }
      await write(text);
    }
    if (code !== 0 && input === process.stdin) input.destroy();
  } finally {
    Object.assign(console, restore);
  }
  if (input === process.stdin) process.exitCode = code;
  return code;
}
