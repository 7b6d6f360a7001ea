"""Tests of jwt_conformance_adapter.serve, driven with fake stdin/stdout (no network, no library):
the behaviour of the Python API. What every helper shares (decoding, tables, responses) is in
test_fixture.py, from adapters/fixtures/protocol.json.

Run: python3 -m unittest discover -s adapters/python/tests
"""

import base64
import io
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from jwt_conformance_adapter import KeyFetch, Reject, required_claims, serve  # noqa: E402
from test_fixture import REQUESTS  # noqa: E402

#: A request line as the runner writes it (the fixture's), whose members the tests vary.
PLAIN = json.loads(REQUESTS["plain"]["line"])
JWKS = PLAIN["jwks"]


class LibraryError(Exception):
    """What the fake library raises."""


def b64(data):
    return base64.b64encode(data).decode("ascii")


def request(id="v/1", step=0, token=b"good", version=2, jwks=JWKS, jwks_bytes=None, **extra):
    """The fixture's plain request line with these members."""
    raw = dict(PLAIN, version=version, id=id, step=step, token_b64=b64(token), jwks=jwks,
               token=token.decode("utf-8") if _utf8(token) else None)
    if version >= 2:
        raw["jwks_base64"] = b64(jwks_bytes if jwks_bytes is not None else json.dumps(jwks).encode())
    else:
        del raw["jwks_base64"]
    raw.update(extra)
    return json.dumps(raw)


def _utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def keys(req):
    """Refuses a key set without keys, like a library's JWK Set parser."""
    parsed = req.jwks_json()
    if not parsed.get("keys"):
        raise LibraryError("empty key set")
    return parsed


def verify(req, key_set):
    """Accepts b"good"; the other tokens select a behaviour."""
    if req.token == b"good":
        return {"sub": "alice", "kid": key_set["keys"][0]["kid"], "iss": req.profile.issuer}
    if req.token == b"expired":
        raise LibraryError("token expired")
    if req.token == b"odd":
        raise ZeroDivisionError("division by zero")
    if req.token == b"unknown-kid":
        try:
            {}["nope"]
        except KeyError as error:
            raise Reject(error, "kid_unknown") from error
    if req.token == b"nan":
        return {"x": float("nan")}
    if req.token == b"bytes":
        return {"x": b"raw"}
    if req.token_text is None:
        return {"text": None, "length": len(req.token)}
    raise LibraryError("malformed token")


def reason(error, req):
    if "expired" in str(error):
        return "expired"
    if "malformed" in str(error):
        raise RuntimeError("the mapping itself failed")
    return None


def run(*lines, **options):
    """Serves the lines; returns (hello, responses, stderr text)."""
    stdin = io.BytesIO("".join(line + "\n" for line in lines).encode("utf-8"))
    stdout, stderr = io.StringIO(), io.StringIO()
    settings = dict(
        name="fake",
        library="fake (Python)",
        version="1.2.3",
        features=["jwks_parsing"],
        claims=True,
        notes=["a note"],
        keys=keys,
        verify=verify,
        reason=reason,
        errors=(LibraryError,),
    )
    settings.update(options)
    serve(stdin=stdin, stdout=stdout, stderr=stderr, **settings)
    out = stdout.getvalue()
    assert out.endswith("\n"), out
    parsed = [json.loads(line) for line in out.splitlines()]
    return parsed[0], parsed[1:], stderr.getvalue()


def answer(line, **options):
    """The one response to one request line."""
    _, responses, _ = run(line, **options)
    assert len(responses) == 1, responses
    return responses[0]


class ServeTest(unittest.TestCase):
    def test_accept_echoes_id_and_step(self):
        self.assertEqual(
            answer(request(id="accept/x", step=3)),
            {
                "id": "accept/x",
                "step": 3,
                "outcome": "accept",
                "claims": {"sub": "alice", "kid": "primary", "iss": "https://issuer.example"},
            },
        )

    def test_reject_with_reason(self):
        self.assertEqual(
            answer(request(token=b"expired")),
            {"id": "v/1", "step": 0, "outcome": "reject", "error": "LibraryError: token expired", "reason": "expired"},
        )

    def test_reason_that_raises_is_none(self):
        response = answer(request(token=b"malformed"))
        self.assertEqual(response["outcome"], "reject")
        self.assertEqual(response["error"], "LibraryError: malformed token")
        self.assertIsNone(response["reason"])

    def test_unexpected_error_is_a_prefixed_rejection_without_reason(self):
        self.assertEqual(
            answer(request(token=b"odd")),
            {
                "id": "v/1",
                "step": 0,
                "outcome": "reject",
                "error": "unexpected ZeroDivisionError: division by zero",
                "reason": None,
            },
        )

    def test_without_errors_every_exception_is_the_library_s(self):
        response = answer(request(token=b"odd"), errors=None)
        self.assertEqual(response["error"], "ZeroDivisionError: division by zero")

    def test_explicit_reject_from_an_exception(self):
        self.assertEqual(
            answer(request(token=b"unknown-kid")),
            {"id": "v/1", "step": 0, "outcome": "reject", "error": "KeyError: 'nope'", "reason": "kid_unknown"},
        )

    def test_config_error_from_keys(self):
        self.assertEqual(
            answer(request(jwks={"keys": []})),
            {"id": "v/1", "step": 0, "outcome": "config_error", "error": "LibraryError: empty key set", "code": None},
        )

    def test_config_error_on_key_set_bytes_that_are_not_utf8(self):
        response = answer(request(jwks_bytes=b'{"keys": [\xff]}'))
        self.assertEqual(response["outcome"], "config_error")
        self.assertTrue(response["error"].startswith("UnicodeDecodeError: "), response)

    def test_token_bytes_that_are_not_utf8(self):
        response = answer(request(token=b"\xff\xfe"))
        self.assertEqual(response["claims"], {"text": None, "length": 2})

    def test_nan_claims_keep_the_verdict(self):
        response = answer(request(token=b"nan"))
        self.assertEqual(response["outcome"], "accept")
        self.assertIsNone(response["claims"])
        self.assertIn("not representable as strict JSON", response["claims_note"])

    def test_claims_json_cannot_hold_keep_the_verdict(self):
        response = answer(request(token=b"bytes"))
        self.assertEqual((response["outcome"], response["claims"]), ("accept", None))
        self.assertIn("claims_note", response)

    def test_version_1_request_without_jwks_base64(self):
        seen = []

        def keys_v1(req):
            seen.append((req.version, req.jwks_bytes, req.jwks))
            return keys(req)

        response = answer(request(version=1), keys=keys_v1)
        self.assertEqual(response["outcome"], "accept")
        self.assertEqual(seen, [(1, json.dumps(JWKS, separators=(",", ":")).encode(), JWKS)])

    def test_jwks_bytes_are_the_exact_bytes(self):
        raw = b'{"keys":[{"kty":"EC","kid":"primary"}],"keys":[{"kid":"dup"}]}'
        seen = []
        answer(request(jwks_bytes=raw), keys=lambda req: seen.append(req.jwks_bytes))
        self.assertEqual(seen, [raw])

    def test_no_keys_function_passes_none(self):
        seen = []
        answer(request(), keys=None, verify=lambda req, key_set: seen.append(key_set) or {})
        self.assertEqual(seen, [None])

    def test_one_answer_per_request_in_order_skipping_blank_lines(self):
        _, responses, _ = run(request(id="a"), "", "   ", request(id="b", token=b"expired"), request(id="c", step=1))
        self.assertEqual([(r["id"], r["step"], r["outcome"]) for r in responses],
                         [("a", 0, "accept"), ("b", 0, "reject"), ("c", 1, "accept")])

    def test_request_the_helper_cannot_handle_is_an_adapter_error(self):
        line = json.dumps({"id": "v/2", "step": 0, "type": "verify"})  # no token_b64
        _, responses, _ = run(line, request(id="v/3"))
        self.assertEqual(responses[0]["outcome"], "adapter_error")
        self.assertEqual((responses[0]["id"], responses[0]["step"]), ("v/2", 0))
        self.assertIn("token_b64", responses[0]["error"])
        self.assertEqual(responses[1]["outcome"], "accept")  # the loop goes on

    def test_garbled_line_exits_non_zero_with_a_message(self):
        stdin = io.BytesIO((request(id="first") + "\nthis is not JSON\n" + request(id="never") + "\n").encode())
        stdout, stderr = io.StringIO(), io.StringIO()
        with self.assertRaises(SystemExit) as exit:
            serve(name="fake", library="fake", version="1", verify=verify, keys=keys,
                  stdin=stdin, stdout=stdout, stderr=stderr)
        self.assertEqual(exit.exception.code, 1)
        self.assertEqual([json.loads(line).get("id") for line in stdout.getvalue().splitlines()], [None, "first"])
        self.assertIn("request line 2: not JSON", stderr.getvalue())
        self.assertNotIn("Traceback", stderr.getvalue())

    def test_request_without_id_exits_non_zero(self):
        for line in ('{"step": 0}', '{"id": "x", "step": "0"}', '[1, 2]', '"text"'):
            with self.subTest(line=line), self.assertRaises(SystemExit):
                run(line)

    def test_text_streams_work_too(self):
        stdin = io.StringIO(request() + "\n")
        stdout = io.StringIO()
        serve(name="fake", library="fake", version="1", verify=verify, keys=keys, stdin=stdin, stdout=stdout)
        self.assertEqual(json.loads(stdout.getvalue().splitlines()[1])["outcome"], "accept")

    def test_profile_reads_as_attributes_and_items(self):
        seen = []
        answer(request(), verify=lambda req, key_set: seen.append((req.profile.algorithms, req.profile["issuer"])))
        self.assertEqual(seen, [(["ES256"], "https://issuer.example")])


class Version3Test(unittest.TestCase):
    def test_hello_without_algorithms_or_presets_is_version_2(self):
        hello, _, _ = run()
        self.assertEqual(hello["version"], 2)
        self.assertNotIn("algorithms", hello)
        self.assertNotIn("presets", hello)

    def test_algorithms_and_presets_make_a_version_3_hello(self):
        hello, _, _ = run(algorithms=["ES256", "EdDSA", "HS256"], presets=("rfc9068", "jwt"))
        self.assertEqual(hello["version"], 3)
        self.assertEqual(hello["algorithms"], ["ES256", "EdDSA", "HS256"])
        self.assertEqual(hello["presets"], ["rfc9068", "jwt"])

    def test_one_of_them_defaults_the_other(self):
        hello, _, _ = run(presets=["oidc-id-token"])
        self.assertEqual((hello["version"], hello["algorithms"], hello["presets"]), (3, ["ES256"], ["oidc-id-token"]))
        hello, _, _ = run(algorithms=["RS256"])
        self.assertEqual((hello["version"], hello["algorithms"], hello["presets"]), (3, ["RS256"], ["rfc9068"]))

    def test_version_3_profile_members_pass_through(self):
        seen = []
        profile = dict(PLAIN["profile"], preset="oidc-id-token", typ=None, client_id="app-1", nonce="n-1",
                       algorithms=["EdDSA"])
        answer(request(version=3, profile=profile),
               verify=lambda req, key_set: seen.append((req.version, dict(req.profile), required_claims(req.profile))))
        self.assertEqual(seen, [(3, profile, ("iss", "sub", "aud", "exp", "iat"))])

    def test_required_claims(self):
        self.assertEqual(set(required_claims({})), {"exp", "iat", "iss", "aud", "sub", "client_id", "jti"})
        self.assertEqual(set(required_claims({"preset": "rfc9068"})), set(required_claims({})))
        self.assertEqual(required_claims({"preset": "jwt"}), ())
        self.assertEqual(set(required_claims({"preset": "oidc-id-token"})), {"iss", "sub", "aud", "exp", "iat"})
        self.assertEqual(required_claims({"preset": "jwt", "required_claims": ["exp", "tenant"]}), ("exp", "tenant"))
        self.assertEqual(required_claims({"preset": "oidc-id-token", "required_claims": []}), ())


KEY_FETCH = {
    "issuer": "https://127.0.0.1:40123",
    "jwks_uri": "https://127.0.0.1:40123/jwks.json",
    "discovery": False,
    "ca_file": "/tmp/ca.pem",
    "ttl_ms": 3000,
    "refetch_interval_ms": 2000,
    "timeout_ms": 1000,
}


class KeyFetchTest(unittest.TestCase):
    def test_no_key_fetch_member_is_none(self):
        seen = []
        answer(request(), verify=lambda req, key_set: seen.append(req.key_fetch) or {})
        self.assertEqual(seen, [None])

    def test_key_fetch_reads_as_attributes_items_and_seconds(self):
        seen = []

        def verify_live(req, key_set):
            kf = req.key_fetch
            seen.append((kf.jwks_uri, kf["ca_file"], kf.discovery, kf.ttl_secs, kf.refetch_interval_secs,
                         kf.timeout_secs, isinstance(kf, KeyFetch)))
            return {}

        answer(request(key_fetch=KEY_FETCH, features=["key_fetch"]), verify=verify_live)
        self.assertEqual(seen, [("https://127.0.0.1:40123/jwks.json", "/tmp/ca.pem", False, 3.0, 2.0, 1.0, True)])

    def test_key_fetch_that_is_not_an_object_is_an_adapter_error(self):
        response = answer(request(key_fetch="https://127.0.0.1:40123/jwks.json"))
        self.assertEqual(response["outcome"], "adapter_error")
        self.assertIn("key_fetch", response["error"])

    def test_keys_need_not_load_the_request_s_key_set(self):
        # A live vector's jwks is not the key set: keys() may return the library's client instead.
        response = answer(request(jwks={"keys": []}, key_fetch=KEY_FETCH),
                          keys=lambda req: "client", verify=lambda req, key_set: {"client": key_set})
        self.assertEqual(response, {"id": "v/1", "step": 0, "outcome": "accept", "claims": {"client": "client"}})


class StateTest(unittest.TestCase):
    @staticmethod
    def counting(req, key_set):
        """Counts the steps seen in the vector's state; reports the count and the state's identity."""
        req.state["steps"] = req.state.get("steps", 0) + 1
        req.state.setdefault("first_step", req.step)
        return {"steps": req.state["steps"], "first_step": req.state["first_step"]}

    def claims(self, *lines):
        _, responses, _ = run(*lines, verify=self.counting)
        return [(r["id"], r["step"], r["claims"]["steps"], r["claims"]["first_step"]) for r in responses]

    def test_state_is_kept_across_the_steps_of_a_vector(self):
        self.assertEqual(
            self.claims(request(id="a", step=0), request(id="a", step=1), request(id="a", step=2)),
            [("a", 0, 1, 0), ("a", 1, 2, 0), ("a", 2, 3, 0)],
        )

    def test_step_0_starts_afresh_even_for_the_same_id(self):
        self.assertEqual(
            self.claims(request(id="a", step=0), request(id="a", step=1), request(id="a", step=0)),
            [("a", 0, 1, 0), ("a", 1, 2, 0), ("a", 0, 1, 0)],
        )

    def test_vectors_do_not_share_state_even_interleaved(self):
        self.assertEqual(
            self.claims(request(id="a", step=0), request(id="b", step=0), request(id="a", step=1),
                        request(id="b", step=1), request(id="c", step=0)),
            [("a", 0, 1, 0), ("b", 0, 1, 0), ("a", 1, 2, 0), ("b", 1, 2, 0), ("c", 0, 1, 0)],
        )

    def test_a_later_step_of_an_unknown_vector_gets_a_fresh_state(self):
        # E.g. after the runner restarted the adapter in the middle of a vector.
        self.assertEqual(self.claims(request(id="a", step=2), request(id="a", step=3)),
                         [("a", 2, 1, 2), ("a", 3, 2, 2)])

    def test_states_are_bounded_to_the_most_recent_vectors(self):
        lines = [request(id="first", step=0)]
        lines += [request(id=f"v/{n}", step=0) for n in range(100)]
        lines.append(request(id="first", step=1))  # evicted: starts afresh
        self.assertEqual(self.claims(*lines)[-1], ("first", 1, 1, 1))

    def test_failures_keep_the_state(self):
        def verify_failing_first(req, key_set):
            req.state["seen"] = req.state.get("seen", 0) + 1
            if req.state["seen"] == 1:
                raise LibraryError("endpoint down")
            return {"seen": req.state["seen"]}

        _, responses, _ = run(request(id="a", step=0), request(id="a", step=1), verify=verify_failing_first)
        self.assertEqual([r["outcome"] for r in responses], ["reject", "accept"])
        self.assertEqual(responses[1]["claims"], {"seen": 2})

    def test_keys_sees_the_same_state(self):
        def keys_client(req):
            if "client" not in req.state:
                req.state["client"] = f"client built at step {req.step}"
            return req.state["client"]

        _, responses, _ = run(request(id="a", step=0), request(id="a", step=1), keys=keys_client,
                              verify=lambda req, key_set: {"client": key_set})
        self.assertEqual([r["claims"]["client"] for r in responses], ["client built at step 0"] * 2)


if __name__ == "__main__":
    unittest.main()
