"""Helper for jwt-conformance subprocess adapters written in Python (protocol versions 2 and 3).

The jwt-conformance runner talks to an adapter process in JSON lines over stdin/stdout
(docs/adapters.md, "The subprocess protocol"). `serve` runs that loop: it prints the hello,
reads one request per line, calls the adapter's functions and writes one response per request.
An adapter is then only three functions:

- ``keys(req)``: load the key set with the library (an exception is a ``config_error``);
- ``verify(req, key_set)``: verify ``req.token``; return the claims to accept, raise to reject;
- ``reason(error, req)`` (optional): the catalog reason ID of a library error, or None.

Raise `Reject`, `Skip` or `ConfigError` from ``keys`` or ``verify`` for an explicit outcome.
``req.key_fetch`` carries the key-set endpoint of a live vector (the library fetches its keys),
and ``req.state`` is a dict kept across the steps of one vector, for the library's remote
key-set client. ``serve(algorithms=..., presets=...)`` greets with protocol version 3 (the
algorithms and presets the library can be configured for); without them the hello says version
2. ``required_claims(req.profile)`` is the set of claims a profile requires (its
``required_claims``, else its preset's default). No runtime dependencies; Python 3.9 or later.
"""

import base64
import json
import os
import sys
from collections import OrderedDict

__version__ = "0.2.0"

__all__ = [
    "PROTOCOL",
    "PROTOCOL_VERSION",
    "PROTOCOL_VERSION_3",
    "REQUIRED_CLAIMS",
    "PRESETS",
    "PRESET_REQUIRED_CLAIMS",
    "ALGORITHMS",
    "MISSING_CLAIM_REASONS",
    "Outcome",
    "Reject",
    "Skip",
    "ConfigError",
    "Profile",
    "KeyFetch",
    "Request",
    "alg_reason",
    "preset",
    "required_claims",
    "missing_claim_reason",
    "error_text",
    "serve",
]

#: The protocol name the hello carries.
PROTOCOL = "jwt-conformance-adapter"

#: The protocol version of a hello without ``algorithms`` and ``presets`` (the runner's requests
#: follow the hello's version).
PROTOCOL_VERSION = 2

#: The protocol version of a hello that declares ``algorithms`` or ``presets``.
PROTOCOL_VERSION_3 = 3

#: The claims the default preset (rfc9068) requires; kept for older adapters: call
#: ``required_claims(req.profile)`` instead.
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "client_id", "jti")

#: The presets of protocol 3 (docs/profile.md, "Presets"); a profile without ``preset`` is rfc9068.
PRESETS = ("rfc9068", "jwt", "oidc-id-token")

#: The 13 algorithm names a version 3 hello may declare.
ALGORITHMS = ("ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
              "EdDSA", "HS256", "HS384", "HS512")

#: Each preset's default ``required_claims`` (a profile's own ``required_claims`` replaces it).
PRESET_REQUIRED_CLAIMS = {
    "rfc9068": REQUIRED_CLAIMS,
    "jwt": (),
    "oidc-id-token": ("iss", "sub", "aud", "exp", "iat"),
}

#: The catalog reason ID of each required claim when it is missing (docs/reasons.md).
MISSING_CLAIM_REASONS = {
    "exp": "exp_missing",
    "iat": "iat_missing",
    "iss": "iss_mismatch",
    "aud": "aud_missing",
    "sub": "sub_missing",
    "client_id": "client_id_missing",
    "jti": "jti_missing",
}


def alg_reason(alg):
    """The catalog reason family of a header's ``alg`` value, to label an "algorithm not allowed"
    error: ``none`` (any case, or a value that is not a string, or no ``alg``) -> ``alg_none``,
    HS* -> ``alg_hmac_rejected``, RS*/PS* -> ``alg_rsa_rejected``, ES256/ES384/ES512/ES256K ->
    ``alg_ecdsa_rejected``, anything else (EdDSA included) -> ``alg_not_allowed``.

    Read ``alg`` with the library's own header parser.
    """
    if not isinstance(alg, str) or alg.lower() == "none":
        return "alg_none"
    if alg in ("HS256", "HS384", "HS512"):
        return "alg_hmac_rejected"
    if alg in ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"):
        return "alg_rsa_rejected"
    if alg in ("ES256", "ES384", "ES512", "ES256K"):
        return "alg_ecdsa_rejected"
    return "alg_not_allowed"


def preset(profile):
    """The profile's preset: its ``preset`` member, ``"rfc9068"`` when absent or null."""
    value = (profile or {}).get("preset")
    return "rfc9068" if value is None else value


def required_claims(profile):
    """The claims a profile requires, as a tuple: its ``required_claims`` member when present
    (it replaces the preset's list), else the preset's default (``PRESET_REQUIRED_CLAIMS``:
    rfc9068 exp iat iss aud sub client_id jti; jwt none; oidc-id-token iss sub aud exp iat).
    Configure the library to require each one it can."""
    profile = profile or {}
    explicit = profile.get("required_claims")
    if explicit is not None:
        return tuple(explicit)
    return tuple(PRESET_REQUIRED_CLAIMS.get(preset(profile), REQUIRED_CLAIMS))


def missing_claim_reason(claim):
    """The catalog reason ID for a missing required ``claim``, or None for another claim."""
    return MISSING_CLAIM_REASONS.get(claim)


def error_text(error):
    """How an exception is reported: ``"<ExceptionType>: <message>"``."""
    return f"{type(error).__name__}: {error}"


class Outcome(Exception):
    """Base of the explicit outcomes: raise one of its subclasses from ``keys`` or ``verify``.
    ``members`` are the response's members besides ``outcome`` (and ``id``, ``step``)."""

    outcome = None

    def __init__(self, text, **members):
        super().__init__(text)
        self.members = members

    def response(self):
        """The response members (without ``id`` and ``step``)."""
        return {"outcome": self.outcome, **self.members}


def _text(error):
    return error if isinstance(error, str) else error_text(error)


class Reject(Outcome):
    """The library rejected the token: ``error`` is its text (an exception is written as
    ``"<ExceptionType>: <message>"``), ``reason`` a catalog reason ID or None. ``reason(...)``
    is not consulted."""

    outcome = "reject"

    def __init__(self, error, reason=None):
        super().__init__(_text(error), error=_text(error), reason=reason)


class Skip(Outcome):
    """The case cannot be expressed with this library (e.g. its API takes text and the token is
    not UTF-8): the runner does not count it."""

    outcome = "skipped"

    def __init__(self, why):
        super().__init__(str(why), why=str(why))


class ConfigError(Outcome):
    """The library refused the key set or the configuration: ``error`` is its text (an exception
    is written as ``"<ExceptionType>: <message>"``), ``code`` a catalog config-error code or None."""

    outcome = "config_error"

    def __init__(self, error, code=None):
        super().__init__(_text(error), error=_text(error), code=code)


class Profile(dict):
    """The verification profile: a dict whose members can also be read as attributes
    (``req.profile.algorithms`` is ``req.profile["algorithms"]``)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class KeyFetch(Profile):
    """The request's ``key_fetch`` member (live key-set vectors, feature ``key_fetch``): a dict
    whose members also read as attributes: ``issuer``, ``jwks_uri``, ``discovery`` (find the key
    set through ``{issuer}/.well-known/openid-configuration`` instead of ``jwks_uri``),
    ``ca_file`` (the PEM bundle of the runner's certificate authority), ``ttl_ms``,
    ``refetch_interval_ms`` and ``timeout_ms``. ``ttl_secs``, ``refetch_interval_secs`` and
    ``timeout_secs`` are the three durations in seconds (floats), as most clients take them."""

    @property
    def ttl_secs(self):
        return self["ttl_ms"] / 1000

    @property
    def refetch_interval_secs(self):
        return self["refetch_interval_ms"] / 1000

    @property
    def timeout_secs(self):
        return self["timeout_ms"] / 1000


class Request:
    """One request: verify one step of one vector.

    Attributes: ``id`` (str) and ``step`` (int); ``token`` (bytes: the token's exact bytes, from
    ``token_b64``); ``token_text`` (str, or None when the bytes are not UTF-8); ``jwks_bytes``
    (bytes: the key set's exact bytes, from ``jwks_base64``, or for a version 1 request the compact
    JSON of ``jwks``); ``jwks`` (the key set parsed: any JSON value); ``profile`` (`Profile`);
    ``now`` (int, Unix seconds); ``actions``, ``features`` (lists); ``timeout_ms`` (int or None);
    ``version`` (int); ``raw`` (the whole request dict); ``key_fetch`` (`KeyFetch`, or None when
    the request has no ``key_fetch`` member: then the key set is ``jwks_bytes``; with it,
    ``jwks_bytes`` is not the key set to use, the library fetches its keys from the endpoint);
    ``state`` (a dict: under `serve`, a fresh one at step 0 of a vector and the same one for that
    vector's later steps, e.g. to keep the library's remote key-set client and its cache).
    """

    def __init__(self, raw):
        self.raw = raw
        self.id = raw["id"]
        self.step = raw["step"]
        self.version = raw.get("version", PROTOCOL_VERSION)
        kind = raw.get("type", "verify")
        if kind != "verify":
            raise ValueError(f"unknown request type {kind!r}")
        self.token = _base64(raw["token_b64"], "token_b64")
        try:
            self.token_text = self.token.decode("utf-8")
        except UnicodeDecodeError:
            self.token_text = None
        if "jwks_base64" in raw:
            self.jwks_bytes = _base64(raw["jwks_base64"], "jwks_base64")
            self.jwks = raw["jwks"] if "jwks" in raw else _loads_or_none(self.jwks_bytes)
        else:  # version 1: the key set only parsed
            self.jwks = raw["jwks"]
            self.jwks_bytes = json.dumps(
                self.jwks, separators=(",", ":"), ensure_ascii=False, allow_nan=False
            ).encode("utf-8")
        self.profile = Profile(raw.get("profile") or {})
        self.now = raw.get("now")
        self.actions = raw.get("actions", [])
        self.features = raw.get("features", [])
        self.timeout_ms = raw.get("timeout_ms")
        key_fetch = raw.get("key_fetch")
        if key_fetch is not None and not isinstance(key_fetch, dict):
            raise ValueError(f"key_fetch is not an object: {key_fetch!r}")
        self.key_fetch = None if key_fetch is None else KeyFetch(key_fetch)
        self.state = {}

    def jwks_json(self):
        """The key set's bytes decoded as strict UTF-8 and parsed with ``json.loads`` (raises on
        either failure: call it in ``keys`` and the failure is a ``config_error``)."""
        return json.loads(self.jwks_bytes.decode("utf-8"))

    def __repr__(self):
        return f"Request(id={self.id!r}, step={self.step!r})"


def _base64(text, member):
    """Standard padded base64, strictly: the lenient default would drop stray characters and
    hand the adapter other bytes than the runner sent."""
    if not isinstance(text, str):
        raise ValueError(f"{member} is not a string")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as error:  # binascii.Error
        raise ValueError(f"{member} is not standard base64 ({error})") from None


def _loads_or_none(data):
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError:
        return None


class _States:
    """``req.state`` per vector: a fresh dict at step 0 (or for a vector not seen yet, e.g. after
    the runner restarted the process), the same dict for the vector's later steps. The most
    recently used vectors' states are kept, a bounded number of them."""

    LIMIT = 64

    def __init__(self):
        self._states = OrderedDict()

    def get(self, ident, step):
        state = None if step == 0 else self._states.get(ident)
        if state is None:
            state = {}
        self._states[ident] = state
        self._states.move_to_end(ident)
        while len(self._states) > self.LIMIT:
            self._states.popitem(last=False)
        return state


def _identify(raw):
    """(id, step) of a parsed request line, or None when they cannot be read."""
    if not isinstance(raw, dict):
        return None
    ident, step = raw.get("id"), raw.get("step")
    if not isinstance(ident, str) or isinstance(step, bool) or not isinstance(step, int):
        return None
    return ident, step


def _outcome(req, keys, verify, reason, errors):
    """The response members for one request."""
    try:
        key_set = keys(req) if keys is not None else None
    except Outcome as explicit:
        return explicit.response()
    except Exception as error:  # any refusal to load the key set is a configuration error
        return {"outcome": "config_error", "error": error_text(error), "code": None}
    try:
        claims = verify(req, key_set)
    except Outcome as explicit:
        return explicit.response()
    except Exception as error:
        if errors is not None and not isinstance(error, errors):
            # The library raised something other than its own errors: it failed closed.
            return {"outcome": "reject", "error": "unexpected " + error_text(error), "reason": None}
        return {"outcome": "reject", "error": error_text(error), "reason": _reason(reason, error, req)}
    return {"outcome": "accept", "claims": claims}


def _reason(reason, error, req):
    if reason is None:
        return None
    try:
        mapped = reason(error, req)
    except Exception:  # labeling only
        return None
    return mapped if isinstance(mapped, str) else None


def _encode(response):
    """One response line; claims that strict JSON cannot carry are replaced by null."""
    try:
        return json.dumps(response, allow_nan=False)
    except (TypeError, ValueError) as error:
        if response.get("outcome") != "accept":
            raise
        # The library accepted claims strict JSON cannot carry (NaN, Infinity, bytes...): the
        # verdict stands.
        response["claims"] = None
        response["claims_note"] = "claims not representable as strict JSON: " + str(error)
        return json.dumps(response, allow_nan=False)


def _fix_hash_seed():
    """Re-executes the adapter with ``PYTHONHASHSEED=0`` unless it has it: str hashes are salted
    per process, so a library's error text that prints a set would change order from run to run,
    and the published pages with it."""
    if os.environ.get("PYTHONHASHSEED") == "0" or not getattr(sys, "orig_argv", None):
        return
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], {**os.environ, "PYTHONHASHSEED": "0"})


def serve(
    *,
    name,
    library,
    version,
    verify,
    keys=None,
    reason=None,
    errors=None,
    features=(),
    claims=False,
    notes=(),
    algorithms=None,
    presets=None,
    stdin=None,
    stdout=None,
    stderr=None,
):
    """Runs the adapter process: prints the hello, then answers every request line on stdin until
    it closes.

    - ``name``, ``library``, ``version``: the adapter's short name, the library wrapped (with its
      language) and its exact version; ``features``, ``claims``, ``notes``: the hello's members
      (``claims=True`` when ``verify`` returns the library's own decoded payload).
    - ``algorithms``, ``presets``: the algorithms (of ``ALGORITHMS``) and presets (of ``PRESETS``)
      the library can be configured for. Giving either makes the hello say protocol version 3
      with both (the one not given defaults to ``["ES256"]`` or ``["rfc9068"]``); giving neither
      keeps version 2.
    - ``keys(req)``, optional: loads the key set with the library; its return value is passed to
      ``verify``. An exception is ``{"outcome": "config_error", "error": text, "code": null}``.
    - ``verify(req, key_set)``: verifies ``req.token``. A return value is
      ``{"outcome": "accept", "claims": value}``; an exception is ``{"outcome": "reject",
      "error": "<ExceptionType>: <message>", "reason": reason(error, req)}``. With ``errors`` (an
      exception class or a tuple of them, the library's own), any other exception is still a
      rejection (the library failed closed), its text prefixed ``"unexpected "`` and its reason
      null.
    - ``reason(error, req)``, optional: the catalog reason ID of a library error, or None; an
      exception in it counts as None.
    - `Reject`, `Skip` and `ConfigError` raised from ``keys`` or ``verify`` are sent as they say.
    - ``req.state`` is a dict kept for the steps of one vector (``id``): fresh at step 0, the same
      dict at its later steps (fresh again for a later step of a vector it does not hold).

    Blank lines are skipped. A request whose ``id`` and ``step`` can be read but that the helper
    cannot handle gets an ``adapter_error`` answer; a line that is not JSON, or has no readable
    ``id`` and ``step``, is reported on stderr and ends the process with ``SystemExit(1)``.
    Claims strict JSON cannot carry (NaN, Infinity, bytes) are sent as null with a
    ``claims_note``; the verdict stands. While serving the real stdout, ``sys.stdout`` points at
    stderr so that stray prints cannot corrupt the protocol. ``stdin`` (binary or text lines),
    ``stdout`` (text) and ``stderr`` (text) replace the process's streams, for tests.
    """
    real = stdout is None
    if real:
        _fix_hash_seed()
    out = sys.stdout if real else stdout
    inp = sys.stdin.buffer if stdin is None else stdin
    err = stderr if stderr is not None else sys.stderr
    hello = {
        "protocol": PROTOCOL,
        "version": PROTOCOL_VERSION,
        "name": name,
        "library": library,
        "library_version": str(version),
        "features": list(features),
        "exact": False,
        "claims": bool(claims),
        "notes": list(notes),
    }
    if algorithms is not None or presets is not None:
        hello["version"] = PROTOCOL_VERSION_3
        hello["algorithms"] = list(algorithms if algorithms is not None else ("ES256",))
        hello["presets"] = list(presets if presets is not None else ("rfc9068",))
    out.write(json.dumps(hello) + "\n")
    out.flush()
    saved = sys.stdout
    if real:
        sys.stdout = sys.stderr
    states = _States()
    try:
        for number, line in enumerate(inp, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except ValueError as error:  # includes a line that is not UTF-8
                raw, problem = None, f"not JSON ({error})"
            else:
                problem = "no string id and integer step"
            ident = _identify(raw)
            if ident is None:
                err.write(f"{PROTOCOL}: {name}: request line {number}: {problem}; giving up\n")
                err.flush()
                raise SystemExit(1)
            try:
                req = Request(raw)
                req.state = states.get(*ident)
                outcome = _outcome(req, keys, verify, reason, errors)
                text = _encode({"id": ident[0], "step": ident[1], **outcome})
            except Exception as error:  # the adapter itself failed on this request
                text = json.dumps(
                    {"id": ident[0], "step": ident[1], "outcome": "adapter_error", "error": error_text(error)}
                )
            out.write(text + "\n")
            out.flush()
    finally:
        sys.stdout = saved
