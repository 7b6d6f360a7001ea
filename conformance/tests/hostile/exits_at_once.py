"""Exits before saying hello."""

import sys

from hostile_common import record_pid

record_pid()
print("exits_at_once: leaving before the hello", file=sys.stderr, flush=True)
sys.exit(1)
