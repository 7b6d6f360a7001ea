"""Rejects every token with a 100 MiB error text."""

import json

from hostile_common import hello, record_pid, requests, spew

record_pid()
hello()
for request in requests():
    head = f'{{"id": {json.dumps(request["id"])}, "step": {request["step"]}, "outcome": "reject", "error": "'
    spew(head.encode(), 100 << 20, b'"}\n')
