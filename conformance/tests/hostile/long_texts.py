"""Says far too much, under every bound on lines: forty 10 KB notes, a 10 KB library version,
20 KB of stderr per request, and 600 KB error texts and 10 KB reason IDs, all quoting the
token it was sent. What the runner keeps of it must be short and carry no token."""

import sys

from hostile_common import answer, hello, record_pid, requests

record_pid()
hello(library_version="v" * 10_000, notes=["note " * 2_000] * 40)
for request in requests():
    token = request["token"] or request["token_b64"]
    for _ in range(20):
        print(f"long_texts: cannot verify {token} " + "." * 700, file=sys.stderr)
    sys.stderr.flush()
    answer(request, outcome="reject", error=f"bad token {token} " * 2_000, reason="r" * 10_000)
