"""Never says hello."""

import time

from hostile_common import record_pid

record_pid()
time.sleep(3600)
