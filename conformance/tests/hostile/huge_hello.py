"""Greets with a 100 MiB hello line (a note of 100 MiB), then waits."""

import json
import sys

from hostile_common import HELLO, record_pid, spew

record_pid()
start = json.dumps({**HELLO, "notes": []})[:-2].encode()  # ends with the notes' open "["
spew(start + b'"', 100 << 20, b'"]}\n')
for _ in sys.stdin:
    pass
