"""Answers every request with a line that never ends."""

from hostile_common import hello, record_pid, requests, spew

record_pid()
hello()
for _ in requests():
    spew(b'{"outcome": "reject", "error": "')
