"""Answers properly, but dies on its second request, once per run (a marker file next to
$HOSTILE_PIDS remembers): the runner restarts it for the next vector."""

import os
import sys

from hostile_common import answer, hello, record_pid, requests

record_pid()
hello()
marker = os.environ["HOSTILE_PIDS"] + ".crashed"
for n, request in enumerate(requests()):
    if n == 1 and not os.path.exists(marker):
        open(marker, "w").close()
        print("crashes_mid_run: dying on purpose", file=sys.stderr, flush=True)
        sys.exit(3)
    answer(request, outcome="reject", error="crashes_mid_run says no")
