#!/usr/bin/env python3
"""The shared protocol fixture (adapters/fixtures/protocol.json) against the Haskell helper: the
hello, request decoding, broken and garbled lines, the reason tables and the response of each
outcome. FixtureAdapter.hs serves; this script feeds it lines and compares its answers.
The helper speaks protocol 3 only, so the fixture's hello is compared with version 3 and the
default algorithms and presets. Run by adapters/haskell/test/run.sh.

Usage: protocol_test.py FIXTURE_ADAPTER_BINARY
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE_PATH = os.path.join(HERE, "..", "..", "fixtures", "protocol.json")
ADAPTER = sys.argv[1]
os.environ["JWT_CONFORMANCE_FIXTURE"] = FIXTURE_PATH
F = json.load(open(FIXTURE_PATH, encoding="utf-8"))
passed = failed = 0


def check(ok, what, name=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"not ok - {what}: {name}")


def serve(args, lines):
    out = subprocess.run([ADAPTER, *args], input="".join(l + "\n" for l in lines).encode(),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120)
    return out.returncode, [json.loads(l) for l in out.stdout.decode().splitlines() if l]


requests = F["requests"]
line = {r["name"]: r["line"] for r in requests}
hello = dict(F["hello"]["hello"], version=3, algorithms=["ES256"], presets=["rfc9068"])

status, out = serve(["decode"], [])
check(status == 0 and out == [hello], "hello")
status, out = serve(["hello3"], [])
check(out == [dict(hello, algorithms=["ES256", "RS256"], presets=["rfc9068", "jwt"])], "hello of version 3")

status, out = serve(["decode"], [r["line"] for r in requests])
check(status == 0 and len(out) == 1 + len(requests), "one answer per request")
for r, got in zip(requests, out[1:]):
    d = r["decoded"]
    want = {"id": d["id"], "step": d["step"], "outcome": "accept", "claims": d}
    check(got == want, "request decodes as the runner means it", r["name"])

for b in F["bad_requests"]:
    status, out = serve(["decode"], [b["line"], line["plain"]])
    ok = (len(out) == 3 and isinstance(out[1].get("error"), str)
          and {k: v for k, v in out[1].items() if k != "error"} == b["response"]
          and out[2]["outcome"] == "accept")
    check(status == 0 and ok, "broken request is an adapter_error", b["name"])

for g in F["garbled_lines"]:
    status, out = serve(["decode"], [g["line"], line["plain"]])
    check(status == 1 and out == [hello], "garbled line ends serving", g["name"])

tables = json.loads(subprocess.run([ADAPTER, "tables"], stdout=subprocess.PIPE,
                                   check=True).stdout)
check(tables["alg_reasons"] == F["alg_reasons"], "alg reasons")
check(set(tables["alg_not_a_string"]) == {F["alg_not_a_string"]["reason"]}, "alg reason of a non-string alg")
check(tables["required_claims"] == F["required_claims"], "required claims")
for p, got in zip(F["required_claims_by_profile"], tables["required_claims_by_profile"]):
    check(sorted(got) == sorted(p["required"]), "required claims by profile", p["about"])
check(tables["missing_claim_reasons"] == F["missing_claim_reasons"], "missing claim reasons")
check(all(r is None for r in tables["other_claims"]), "other claims have no reason")

for n, resp in enumerate(F["responses"], 1):
    status, out = serve(["answer", str(n)], [line[resp["request"]]])
    check(status == 0 and out[1:] == [resp["response"]], "response", resp["name"])

print(f"Haskell protocol helper: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
