"""Answers every request, for another vector than the one asked about."""

from hostile_common import hello, record_pid, requests

record_pid()
hello()
for request in requests():
    print(
        f'{{"id": "{request["id"]}/other", "step": {request["step"]}, "outcome": "accept", "claims": {{}}}}',
        flush=True,
    )
