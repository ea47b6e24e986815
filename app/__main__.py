"""`python -m app`: the papershelf command line (the window when no command is given)."""

import sys

from app.cli import main

sys.exit(main())
