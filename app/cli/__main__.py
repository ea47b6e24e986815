"""`python -m app.cli`: the same as `python -m app`."""

import sys

from app.cli import main

sys.exit(main())
