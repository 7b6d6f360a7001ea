"""Runs a command and writes its peak resident set size in KiB (getrusage of the waited-for
child, which takes in the processes it waited for in turn) to the file named by the first
argument; exits with the command's status (128 + N when killed by signal N)."""

import os
import subprocess
import sys

out, argv = sys.argv[1], sys.argv[2:]
child = subprocess.Popen(argv)
_, status, usage = os.wait4(child.pid, 0)
child.returncode = 0  # reaped above: Popen must not wait for it again
with open(out, "w") as f:
    f.write(f"{usage.ru_maxrss}\n")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
