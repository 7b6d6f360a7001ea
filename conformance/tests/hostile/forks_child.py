"""Forks a child that keeps stdout (and stderr) open and sleeps, then answers every request
properly and exits when stdin closes: the child outlives it unless its process group is
killed."""

import os
import time

from hostile_common import answer, hello, record_pid, requests

record_pid()
hello()
if os.fork() == 0:
    record_pid()
    time.sleep(3600)
    os._exit(0)
for request in requests():
    answer(request, outcome="reject", error="forks_child says no")
