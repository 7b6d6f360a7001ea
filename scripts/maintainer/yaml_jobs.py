"""Checks the CI jobs of docs/maintainers.md: each ```yaml block parses, is at most 10 lines,
and every use of this action passes only inputs action.yml declares, including `adapter`."""

import re
import sys

import yaml

docs, action_yml = sys.argv[1:]
inputs = yaml.safe_load(open(action_yml, encoding="utf-8"))["inputs"]
blocks = re.findall(r"```yaml\n(.*?)```", open(docs, encoding="utf-8").read(), re.S)
assert len(blocks) >= 3, f"a Python, a Node and a Rust job: {len(blocks)} yaml blocks"
for block in blocks:
    lines = block.strip("\n").splitlines()
    assert len(lines) <= 10, f"a job of {len(lines)} lines:\n{block}"
    job = yaml.safe_load(block)
    for name, spec in job["jobs"].items():
        for step in spec["steps"]:
            if str(step.get("uses", "")).startswith("jwt-conformance/jwt-conformance@"):
                given = set(step.get("with", {}))
                assert given <= set(inputs), f"{name}: unknown inputs {given - set(inputs)}"
                assert "adapter" in given, f"{name}: the adapter input is required"
    print(f"yaml_jobs: {len(lines)}-line job ok")
