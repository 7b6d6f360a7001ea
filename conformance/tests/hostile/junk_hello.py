"""Greets with a line that is not a hello (and carries a token, which must not be echoed), then
waits for requests that never come."""

import sys

from hostile_common import record_pid

record_pid()
print("hello runner, here is a token: eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl", flush=True)
for _ in sys.stdin:
    pass
