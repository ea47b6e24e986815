"""Entry point of the frozen bundle: the same `papershelf` command line as the installed script."""

import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    # The PDF reader runs in spawned worker processes: in a frozen bundle each one starts this
    # executable again, and freeze_support() turns that start into the worker, not the app.
    multiprocessing.freeze_support()
    sys.exit(main())
