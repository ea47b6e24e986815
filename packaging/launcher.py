"""Entry point of the frozen bundle: the same `papershelf` command line as the installed script."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
