"""What the hostile adapters share: their process IDs on record, a valid hello, the request
loop, and a way to write a huge line without holding it in memory (so that the memory the
test measures is the runner's, not the fixture's)."""

import json
import os
import sys

HELLO = {
    "protocol": "jwt-conformance-adapter",
    "version": 2,
    "name": "hostile",
    "library": "hostile (Python)",
    "library_version": "0",
    "features": ["clock", "jwks_parsing"],
    "notes": ["test fixture"],
}
CHUNK = b"x" * 65536


def record_pid():
    """Appends this process's ID to the file $HOSTILE_PIDS names: the test checks that none of
    them is alive after the run."""
    with open(os.environ["HOSTILE_PIDS"], "a") as f:
        f.write(f"{os.getpid()}\n")


def hello(**fields):
    print(json.dumps({**HELLO, **fields}), flush=True)


def requests():
    for line in sys.stdin:
        yield json.loads(line)


def answer(request, **outcome):
    print(json.dumps({"id": request["id"], "step": request["step"], **outcome}), flush=True)


def spew(prefix, size=None, suffix=b""):
    """Writes `prefix`, then `size` bytes of x (forever if None), then `suffix`, to stdout."""
    out = sys.stdout.buffer
    out.write(prefix)
    written = 0
    while size is None or written < size:
        out.write(CHUNK)
        written += len(CHUNK)
    out.write(suffix)
    out.flush()
