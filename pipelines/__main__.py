import atexit
import os
import sys

from .cli import main

status = main()
# Tearing down the interpreter (the modules of Dagster, Great Expectations, pandas) takes over a
# second and serves nothing once the command is done: exit handlers run (logging, multiprocessing),
# the output is flushed, then the process ends at once.
atexit._run_exitfuncs()
sys.stdout.flush()
sys.stderr.flush()
os._exit(status)
