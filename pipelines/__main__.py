import atexit
import os
import sys

from .cli import main

try:
    status = main()
    sys.stdout.flush()
except BrokenPipeError:  # the reader went away (`... | head`): not an error of this command
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    status = 0
# Tearing down the interpreter (the modules of Dagster, Great Expectations, pandas) takes over a
# second and serves nothing once the command is done: exit handlers run (logging, multiprocessing),
# the output is flushed, then the process ends at once.
atexit._run_exitfuncs()
sys.stderr.flush()
os._exit(status)
