"""Says hello, then never answers."""

import time

from hostile_common import hello, record_pid, requests

record_pid()
hello()
for _ in requests():
    time.sleep(3600)
