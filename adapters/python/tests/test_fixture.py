"""The shared protocol fixture (adapters/fixtures/protocol.json) against this helper: the hello,
request decoding, broken and garbled lines, the reason tables and the response of each outcome.
conformance/tests/helper_fixture.rs holds the fixture to the runner; see its README.md.

Run: python3 -m unittest discover -s adapters/python/tests
"""

import io
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import jwt_conformance_adapter as helper  # noqa: E402

with open(os.path.join(HERE, "..", "..", "fixtures", "protocol.json"), encoding="utf-8") as _file:
    FIXTURE = json.load(_file)

REQUESTS = {case["name"]: case for case in FIXTURE["requests"]}


def canonical(value):
    """The JSON data model of a value: Python's True == 1 must not hide a difference."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def serve(lines, verify, **hello):
    """Serves the lines; returns (exit status, hello, responses)."""
    given = dict(FIXTURE["hello"]["given"])
    given.update(hello)
    stdin = io.BytesIO("".join(line + "\n" for line in lines).encode("utf-8"))
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        helper.serve(verify=verify, stdin=stdin, stdout=stdout, stderr=stderr, **given)
        status = 0
    except SystemExit as exit:
        status = exit.code
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    return status, out[0], out[1:]


def decoded(req, key_set):
    """The request as this helper decoded it, in the fixture's terms."""
    fields = {
        "id": req.id,
        "step": req.step,
        "version": req.version,
        "token_hex": req.token.hex(),
        "token_text": req.token_text,
    }
    if "jwks_base64" in req.raw:
        fields["jwks_hex"] = req.jwks_bytes.hex()
    else:
        fields["jwks_json"] = json.loads(req.jwks_bytes)
    fields.update(
        jwks=req.jwks,
        profile=dict(req.profile),
        now=req.now,
        actions=req.actions,
        features=req.features,
        timeout_ms=req.timeout_ms,
        key_fetch=None if req.key_fetch is None else dict(req.key_fetch),
    )
    return fields


def answering(answer):
    """A verify function that gives the fixture's answer through the helper's explicit outcomes."""

    def verify(req, key_set):
        kind = answer["outcome"]
        if kind == "accept":
            return answer["claims"]
        if kind == "reject":
            raise helper.Reject(answer["error"], answer["reason"])
        if kind == "config_error":
            raise helper.ConfigError(answer["error"], answer["code"])
        if kind == "skipped":
            raise helper.Skip(answer["why"])
        raise AssertionError(f"unknown answer {kind}")

    return verify


class FixtureTest(unittest.TestCase):
    def test_hello(self):
        status, hello, responses = serve([], decoded)
        self.assertEqual((status, responses), (0, []))
        self.assertEqual(canonical(hello), canonical(FIXTURE["hello"]["hello"]))

    def test_requests_decode_as_the_runner_means_them(self):
        for case in FIXTURE["requests"]:
            with self.subTest(case["name"]):
                status, _, responses = serve([case["line"]], decoded)
                expected = {"id": case["decoded"]["id"], "step": case["decoded"]["step"],
                            "outcome": "accept", "claims": case["decoded"]}
                self.assertEqual(status, 0)
                self.assertEqual([canonical(r) for r in responses], [canonical(expected)])

    def test_broken_requests_are_adapter_errors(self):
        for case in FIXTURE["bad_requests"]:
            with self.subTest(case["name"]):
                status, _, responses = serve([case["line"], REQUESTS["plain"]["line"]], decoded)
                self.assertEqual(status, 0)
                self.assertEqual(len(responses), 2, "the loop goes on")
                error = responses[0].pop("error")
                self.assertIsInstance(error, str)
                self.assertEqual(responses[0], case["response"])
                self.assertEqual(responses[1]["outcome"], "accept")

    def test_garbled_lines_end_serving(self):
        for case in FIXTURE["garbled_lines"]:
            with self.subTest(case["name"]):
                status, _, responses = serve([case["line"], REQUESTS["plain"]["line"]], decoded)
                self.assertEqual((status, responses), (1, []))

    def test_alg_reasons(self):
        for alg, reason in FIXTURE["alg_reasons"].items():
            with self.subTest(alg=alg):
                self.assertEqual(helper.alg_reason(alg), reason)
        others = FIXTURE["alg_not_a_string"]
        for value in others["values"]:
            with self.subTest(alg=value):
                self.assertEqual(helper.alg_reason(value), others["reason"])

    def test_claim_tables(self):
        self.assertEqual(list(helper.REQUIRED_CLAIMS), FIXTURE["required_claims"])
        self.assertEqual(helper.MISSING_CLAIM_REASONS, FIXTURE["missing_claim_reasons"])
        for claim, reason in FIXTURE["missing_claim_reasons"].items():
            self.assertEqual(helper.missing_claim_reason(claim), reason)
        for claim in FIXTURE["other_claims"]:
            self.assertIsNone(helper.missing_claim_reason(claim), claim)

    def test_required_claims_by_profile(self):
        cases = FIXTURE.get("required_claims_by_profile")
        if cases is None:
            self.skipTest("the fixture has no required_claims_by_profile section yet")
        for case in cases:
            with self.subTest(profile=case["profile"]):
                got = helper.required_claims(case["profile"])
                self.assertIsInstance(got, tuple)
                self.assertEqual(len(set(got)), len(got), "no repeats")
                self.assertEqual(set(got), set(case["required"]))
                # The same through a request's Profile, as adapters call it.
                self.assertEqual(set(helper.required_claims(helper.Profile(case["profile"]))),
                                 set(case["required"]))

    def test_responses(self):
        for case in FIXTURE["responses"]:
            with self.subTest(case["name"]):
                line = REQUESTS[case["request"]]["line"]
                status, _, responses = serve([line], answering(case["answer"]))
                self.assertEqual(status, 0)
                self.assertEqual([canonical(r) for r in responses], [canonical(case["response"])])


if __name__ == "__main__":
    unittest.main()
