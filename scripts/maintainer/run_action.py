"""Runs action.yml's steps locally, as a GitHub runner would, for the maintainer check.

Usage: run_action.py ACTION_YML KEY=VALUE... (the action's inputs)

Expressions `${{ inputs.X }}`, `${{ steps.ID.outputs.NAME }}`, `${{ github.action_path }}` and
`${{ runner.temp }}` are substituted; `shell: bash` steps run with GITHUB_ACTION_PATH,
GITHUB_OUTPUT, GITHUB_PATH, GITHUB_ENV and GITHUB_STEP_SUMMARY set (HOME, GITHUB_WORKSPACE and
RUNNER_TEMP come from the environment) and the step's `env:`; a step that fails skips the rest
except those with `if: always()`, and the script exits with the first failing step's code.
`uses:` steps are emulated: actions/cache restores and saves its `path` from a folder under
RUNNER_TEMP, keyed by its `key`; actions/upload-artifact copies its `path` into
RUNNER_TEMP/artifacts/NAME and fails when nothing is there and `if-no-files-found` is `error`.
"""

import os
import re
import shutil
import subprocess
import sys

import yaml

EXPR = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def substitute(value, context):
    def one(match):
        path = match.group(1)
        if path not in context:
            raise SystemExit(f"run_action: unknown expression {path!r}")
        return context[path]

    return EXPR.sub(one, str(value))


def expand_home(path):
    return os.path.expanduser(path)


def emulate(uses, inputs, runner_temp):
    """Emulates the actions the composite action uses; returns an exit code."""
    name = uses.split("@")[0]
    if name == "actions/cache":
        path = expand_home(inputs["path"])
        store = os.path.join(runner_temp, "cache", inputs["key"])
        if os.path.isdir(store) and not os.path.exists(path):
            shutil.copytree(store, path)
            print(f"run_action: cache hit for {inputs['key']}")
        else:
            print(f"run_action: cache miss for {inputs['key']}")
        return 0, ("cache-save", path, store)
    if name == "actions/upload-artifact":
        path = inputs["path"]
        target = os.path.join(runner_temp, "artifacts", inputs["name"])
        if not os.path.isdir(path) or not os.listdir(path):
            print(f"run_action: upload-artifact: nothing at {path}")
            return (1 if inputs.get("if-no-files-found") == "error" else 0), None
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(path, target)
        print(f"run_action: uploaded {len(os.listdir(target))} files as {inputs['name']}")
        return 0, None
    print(f"run_action: no emulation for {uses}")
    return 1, None


def main():
    action_yml, pairs = sys.argv[1], sys.argv[2:]
    with open(action_yml, encoding="utf-8") as f:
        action = yaml.safe_load(f)
    assert action["runs"]["using"] == "composite", "a composite action"
    given = dict(pair.split("=", 1) for pair in pairs)
    unknown = set(given) - set(action["inputs"])
    if unknown:
        raise SystemExit(f"run_action: not inputs of the action: {sorted(unknown)}")
    action_path = os.path.dirname(os.path.abspath(action_yml))
    runner_temp = os.environ["RUNNER_TEMP"]
    context = {"github.action_path": action_path, "runner.temp": runner_temp}
    for name, spec in action["inputs"].items():
        if spec.get("required") and name not in given:
            raise SystemExit(f"run_action: input {name} is required")
        context[f"inputs.{name}"] = given.get(name, spec.get("default", ""))
    files = {k: os.path.join(runner_temp, k.lower()) for k in
             ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV", "GITHUB_STEP_SUMMARY")}
    for path in files.values():
        open(path, "a").close()
    path_dirs = []
    failed = 0
    post = []
    for step in action["runs"]["steps"]:
        name = step.get("name", step.get("uses", step.get("run", "")))
        if failed and step.get("if") != "always()":
            print(f"run_action: skipped: {name}")
            continue
        print(f"run_action: step: {name}")
        if "uses" in step:
            inputs = {k: substitute(v, context) for k, v in (step.get("with") or {}).items()}
            code, save = emulate(step["uses"], inputs, runner_temp)
            if save:
                post.append(save)
        else:
            assert step.get("shell") == "bash", f"{name}: shell bash"
            env = dict(os.environ)
            env.update({k: substitute(v, context) for k, v in (step.get("env") or {}).items()})
            env.update(files)
            env["GITHUB_ACTION_PATH"] = action_path
            env["PATH"] = os.pathsep.join(path_dirs + [env["PATH"]])
            open(files["GITHUB_OUTPUT"], "w").close()
            code = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", substitute(step["run"], context)],
                                  env=env, cwd=os.environ.get("GITHUB_WORKSPACE")).returncode
            with open(files["GITHUB_OUTPUT"], encoding="utf-8") as f:
                for line in f.read().splitlines():
                    key, _, value = line.partition("=")
                    if "id" in step:
                        context[f"steps.{step['id']}.outputs.{key}"] = value
            with open(files["GITHUB_PATH"], encoding="utf-8") as f:
                path_dirs = [d for d in f.read().splitlines() if d]
        if code and not failed:
            print(f"run_action: step failed with exit code {code}: {name}")
            failed = code
    # Post steps: actions/cache saves its path after the job, when the job succeeded.
    for _, path, store in post:
        if not failed and os.path.isdir(path) and not os.path.isdir(store):
            shutil.copytree(path, store)
            print(f"run_action: cache saved")
    sys.exit(failed)


if __name__ == "__main__":
    main()
