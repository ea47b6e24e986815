"""The `papershelf` command line; with no command it opens the desktop window.

`app.cli:main` is the entry point (pyproject's [project.scripts], app/__main__.py, the bundle's
launcher); the parser is in parser.py, the handlers by area in papers, lists, health and
merges, and the exit codes in run.py.
"""

from __future__ import annotations

from app.cli.run import main

__all__ = ["main"]
